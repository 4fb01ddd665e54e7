import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Clock, InboundHandler, InboundQueue, InboxEntry } from "../../src/app/index.ts";
import { normalize } from "./normalize.ts";
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
  handler: Pick<InboundHandler, "accept">;
  /** The same inbound queue as every webhook: the worker answers. */
  queue: InboundQueue;
  /** What was sent back (the worker's deliveries into the simulator's inbox). */
  inbox: {
    repliesTo(orgId: string, inboundMessageId: string): Promise<{ done: boolean; replies: InboxEntry[] }>;
    of(orgId: string, channel: "simulator", externalId: string, limit?: number): Promise<InboxEntry[]>;
  };
  orgId: string;
  clock: Clock;
  /** The per-install secret every call must carry in `X-Simulator-Secret` (at least 16 characters). */
  secret: string;
  /** How long a call waits for its replies (default 15 s). */
  replyTimeoutMs?: number;
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
  const guard = {
    // Before the body is parsed: a stranger costs us nothing.
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      if (!isLocalCaller(request)) {
        return reply.code(403).send({ error: "simulator_local_only", message: "Kênh mô phỏng chỉ nhận yêu cầu từ chính máy chủ này.", messageEn: "the simulator answers callers on this machine only" });
      }
      if (!sameSecret(request.headers[SIMULATOR_SECRET_HEADER], deps.secret)) {
        return reply.code(401).send({ error: "simulator_secret", message: "Thiếu hoặc sai mã bí mật của kênh mô phỏng (tiêu đề X-Simulator-Secret, xem tệp data/simulator-secret.txt).", messageEn: "missing or wrong X-Simulator-Secret (see data/simulator-secret.txt)" });
      }
    },
  };
  const asReply = (r: InboxEntry) => ({ messageId: r.externalMessageId ?? `bot-${r.outboundMessageId}`, threadId: r.to, text: r.text });

  return async (app: FastifyInstance): Promise<void> => {
    // Stored once and queued like any webhook message; the answer comes back through the
    // delivery queue into the inbox, and the call waits for it.
    app.post("/api/simulator/messages", guard, async (request, reply) => {
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
      const id = await deps.handler.accept(message);
      // The same message id again: it was answered the first time.
      if (!id) return { replies: [] } satisfies SimulatorResponse;
      await deps.queue.enqueueInbound(deps.orgId, id);
      const deadline = performance.now() + (deps.replyTimeoutMs ?? 15_000);
      for (;;) {
        const state = await deps.inbox.repliesTo(deps.orgId, id);
        if (state.done) return { replies: state.replies.map(asReply) } satisfies SimulatorResponse;
        if (performance.now() >= deadline) {
          return reply.code(202).send({ replies: state.replies.filter((r) => r.status === "sent").map(asReply), pending: true, message: "Trợ lý chưa trả lời xong (tiến trình worker có đang chạy?). Xem lại bằng GET /api/simulator/inbox." });
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });

    /** What a simulator user (or group) received: replies, reminders, broadcasts, alerts, in order. */
    app.get("/api/simulator/inbox", guard, async (request, reply) => {
      const query = z.object({ senderId: id.optional(), threadId: id.optional() }).strict().safeParse(request.query);
      const who = query.success ? (query.data.threadId ?? query.data.senderId) : undefined;
      if (!who) return reply.code(400).send({ error: "invalid_request", message: "Cần senderId (người) hoặc threadId (nhóm).", messageEn: "senderId or threadId is required" });
      const entries = await deps.inbox.of(deps.orgId, "simulator", who);
      return { inbox: entries.map((e) => ({ messageId: e.externalMessageId, kind: e.kind, status: e.status, text: e.text, at: (e.deliveredAt ?? e.createdAt).toISOString() })) };
    });
  };
}
