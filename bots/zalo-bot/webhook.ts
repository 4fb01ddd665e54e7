import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Clock, InboundHandler, InboundQueue } from "../../src/app/index.ts";
import { normalize, parseJsonKeepingBigIntegers } from "./normalize.ts";

export interface ZaloBotWebhookDeps {
  /** The `secret_token` given to `setWebhook` (8–256 characters); Zalo sends it back in `X-Bot-Api-Secret-Token`. */
  secretToken: string;
  /** The org this bot belongs to. */
  orgId: string;
  handler: Pick<InboundHandler, "accept">;
  queue: InboundQueue;
  /** Stands in for a missing `date`; defaults to the system clock. */
  clock?: Clock;
  /** Largest body accepted (one update per request; openclaw caps at 1 MB). */
  bodyLimit?: number;
  /** Route path; defaults to `/webhooks/zalo-bot`. */
  path?: string;
}

const HEADER = "x-bot-api-secret-token";
const systemClock: Clock = { now: () => new Date() };

/**
 * Constant-time comparison of a received secret with the configured one: both are hashed first,
 * so the comparison takes the same time whatever the length of the guess. Anything but one
 * string (missing, repeated header) is false.
 *
 * @example
 * sameSecret(request.headers["x-bot-api-secret-token"], secretToken) // true | false
 */
export function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== "string" || expected === "") return false;
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

/**
 * `POST /webhooks/zalo-bot`: the secret header is checked before the body is read (401, nothing
 * stored), the body is capped (413), each text message is stored once by its `message_id` and
 * its processing queued, and the answer is 200 before any slow work. Stickers, images, voice,
 * `unsupported` and unknown events are acknowledged with 200 and not stored.
 *
 * @example
 * await app.register(zaloBotWebhook({ secretToken, orgId, handler: conversation, queue }));
 */
export function zaloBotWebhook(deps: ZaloBotWebhookDeps) {
  const clock = deps.clock ?? systemClock;
  const bodyLimit = deps.bodyLimit ?? 1_048_576;
  return async (app: FastifyInstance): Promise<void> => {
    // Scoped to this plugin: the raw bytes, so big integer ids can be kept exact.
    app.addContentTypeParser("application/json", { parseAs: "buffer", bodyLimit }, (_req, body, done) => {
      done(null, body);
    });

    app.post(deps.path ?? "/webhooks/zalo-bot", {
      bodyLimit,
      // Before the body is parsed: a caller without the secret costs us no parsing.
      onRequest: async (request, reply) => {
        if (!sameSecret(request.headers[HEADER], deps.secretToken)) {
          return reply.code(401).send({ error: "bad_secret", message: "Thiếu hoặc sai X-Bot-Api-Secret-Token." });
        }
      },
    }, async (request, reply) => {
      const raw = request.body;
      let body: unknown;
      try {
        body = Buffer.isBuffer(raw) ? parseJsonKeepingBigIntegers(raw.toString("utf8")) : undefined;
      } catch {
        body = undefined;
      }
      if (body === undefined) return reply.code(400).send({ error: "bad_json", message: "Nội dung không phải JSON hợp lệ." });
      const { messages, ignored } = normalize(body, deps.orgId, clock.now());
      for (const message of messages) {
        const id = await deps.handler.accept(message);
        if (id) await deps.queue.enqueueInbound(deps.orgId, id);
      }
      // Event names only: raw bodies carry names and text, and are never logged.
      for (const { event, reason } of ignored) request.log.info({ channel: "zalo_bot", event, reason }, "zalo bot update ignored");
      return reply.send({ ok: true });
    });
  };
}
