import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Clock, InboundHandler } from "../../src/app/ports.ts";
import { normalize } from "./normalize.ts";
import { canSend, simulatorMessageId } from "./send.ts";
import type { SimulatorResponse } from "./types.ts";

const id = z.string().trim().min(1).max(200);
const bodySchema = z
  .object({
    senderId: id,
    senderName: z.string().max(200).optional(),
    threadId: id.optional(),
    threadKind: z.enum(["direct", "group"]).optional(),
    text: z.string().max(20_000),
    messageId: id.optional(),
    replyToMessageId: id.optional(),
  })
  .strict();

/** The header that carries the per-install secret (DATA_DIR/simulator-secret.txt). */
export const SIMULATOR_SECRET_HEADER = "x-simulator-secret";

export interface SimulatorDeps {
  handler: InboundHandler;
  orgId: string;
  clock: Clock;
  /** The per-install secret every call must carry in `X-Simulator-Secret` (at least 16 characters). */
  secret: string;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
/** Headers a reverse proxy adds: a request carrying one came from elsewhere, whatever the socket says. */
const FORWARDED = ["x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host", "via"];

/**
 * Only a caller on this machine, talking to us directly: the socket's peer is loopback and no
 * proxy header is present (behind a reverse proxy every request arrives from loopback).
 */
export function isLocalCaller(request: Pick<FastifyRequest, "headers"> & { socket: { remoteAddress?: string | undefined } }): boolean {
  if (!LOOPBACK.has(request.socket.remoteAddress ?? "")) return false;
  return FORWARDED.every((h) => request.headers[h] === undefined);
}

/** Constant-time comparison of the header with the secret (both hashed: any length of guess takes as long). */
export function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== "string" || expected.length < 16) return false;
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

/**
 * `POST /api/simulator/messages`: a chat channel over HTTP for demos and tests, behaving like
 * the others (identity, thread, message id, quotes) and answering with what the bot says back.
 * It answers only a caller on this machine (loopback, no proxy headers) that sends the
 * per-install secret: 403 otherwise, and nothing is stored.
 *
 * @example
 * await app.register(simulatorPlugin({ handler, orgId, clock, secret }));
 */
export function simulatorPlugin(deps: SimulatorDeps) {
  if (deps.secret.length < 16) throw new Error("the simulator needs a secret of at least 16 characters");
  return async (app: FastifyInstance): Promise<void> => {
    app.post(
      "/api/simulator/messages",
      {
        // Before the body is parsed: a stranger costs us nothing.
        onRequest: async (request, reply) => {
          if (!isLocalCaller(request)) {
            return reply.code(403).send({ error: "simulator_local_only", message: "Kênh mô phỏng chỉ nhận yêu cầu từ chính máy chủ này.", messageEn: "the simulator answers callers on this machine only" });
          }
          if (!sameSecret(request.headers[SIMULATOR_SECRET_HEADER], deps.secret)) {
            return reply.code(401).send({ error: "simulator_secret", message: "Thiếu hoặc sai mã bí mật của kênh mô phỏng (tiêu đề X-Simulator-Secret, xem tệp data/simulator-secret.txt).", messageEn: "missing or wrong X-Simulator-Secret (see data/simulator-secret.txt)" });
          }
        },
      },
      async (request, reply) => {
        const parsed = bodySchema.safeParse(request.body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return reply.code(400).send({
            error: "invalid_request",
            message: `Tin nhắn mô phỏng không hợp lệ ở "${issue?.path.join(".") || "nội dung"}". Cần {"senderId", "text"} và tuỳ chọn threadId, threadKind, messageId, replyToMessageId.`,
            messageEn: `invalid simulator message at ${issue?.path.join(".") || "body"}: ${issue?.message ?? ""}`,
          });
        }
        const message = normalize(parsed.data, deps.orgId, deps.clock.now());
        const replies = await deps.handler.handle(message);
        const out: SimulatorResponse = { replies: [] };
        for (const r of replies) {
          if (!canSend().ok) continue;
          const messageId = simulatorMessageId(r);
          await deps.handler.recordSent({ orgId: deps.orgId, outboundMessageId: r.outboundMessageId, channel: "simulator", externalMessageId: messageId });
          out.replies.push({ messageId, threadId: r.threadId, text: r.text });
        }
        return out;
      },
    );
  };
}
