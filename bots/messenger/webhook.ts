import { createHmac, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { InboundHandler, InboundQueue } from "../../src/app/index.ts";
import { normalize } from "./normalize.ts";

export interface MessengerWebhookDeps {
  appSecret: string;
  verifyToken: string;
  /** The org this Page belongs to. */
  orgId: string;
  handler: Pick<InboundHandler, "accept" | "recordEchoes">;
  queue: InboundQueue;
  /** Largest body accepted (Meta batches up to 1000 events). */
  bodyLimit?: number;
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * `X-Hub-Signature-256` is HMAC-SHA256 of the raw bytes with the app secret. Compared in constant
 * time; a missing header, another prefix or a digest of the wrong length is simply invalid.
 *
 * @example
 * verifySignature(rawBody, request.headers["x-hub-signature-256"], appSecret) // true | false
 */
export function verifySignature(raw: Buffer, header: unknown, appSecret: string): boolean {
  if (typeof header !== "string") return false;
  const match = SIGNATURE.exec(header.trim().toLowerCase());
  if (!match?.[1]) return false;
  const expected = createHmac("sha256", appSecret).update(raw).digest();
  const given = Buffer.from(match[1], "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `GET /webhooks/messenger` (the subscribe handshake) and `POST /webhooks/messenger` (events).
 * The POST verifies the signature over the raw bytes, stores each event once (by `mid`), queues
 * its processing and answers 200 before any slow work.
 *
 * @example
 * await app.register(messengerWebhook({ appSecret, verifyToken, orgId, handler, queue }));
 */
export function messengerWebhook(deps: MessengerWebhookDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    // Scoped to this plugin: the signature needs the bytes exactly as Meta sent them.
    app.addContentTypeParser("application/json", { parseAs: "buffer", bodyLimit: deps.bodyLimit ?? 4 * 1_048_576 }, (_req, body, done) => {
      done(null, body);
    });

    app.get("/webhooks/messenger", async (request, reply) => {
      const q = request.query as Record<string, string | undefined>;
      const ok = q["hub.mode"] === "subscribe" && typeof q["hub.verify_token"] === "string" && sameSecret(q["hub.verify_token"], deps.verifyToken);
      if (!ok) return reply.code(403).send({ error: "forbidden", message: "Verify token không đúng." });
      return reply.type("text/plain").send(q["hub.challenge"] ?? "");
    });

    app.post("/webhooks/messenger", async (request, reply) => {
      const raw = request.body;
      if (!Buffer.isBuffer(raw) || !verifySignature(raw, request.headers["x-hub-signature-256"], deps.appSecret)) {
        return reply.code(401).send({ error: "bad_signature", message: "Chữ ký X-Hub-Signature-256 không hợp lệ." });
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return reply.code(400).send({ error: "bad_json", message: "Nội dung không phải JSON hợp lệ." });
      }
      const { messages, echoes } = normalize(body, deps.orgId);
      for (const message of messages) {
        const id = await deps.handler.accept(message);
        if (id) await deps.queue.enqueueInbound(deps.orgId, id);
      }
      await deps.handler.recordEchoes(deps.orgId, "messenger", echoes.map((e) => ({ outboundMessageId: e.outboundMessageId, externalMessageId: e.messageId })));
      return reply.type("text/plain").send("EVENT_RECEIVED");
    });
  };
}
