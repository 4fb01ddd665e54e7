import type { FastifyInstance } from "fastify";
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

export interface SimulatorDeps {
  handler: InboundHandler;
  orgId: string;
  clock: Clock;
}

/**
 * `POST /api/simulator/messages`: a chat channel over HTTP for demos and tests, behaving like
 * the others (identity, thread, message id, quotes) and answering with what the bot says back.
 *
 * @example
 * await app.register(simulatorPlugin({ handler, orgId, clock }));
 */
export function simulatorPlugin(deps: SimulatorDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post("/api/simulator/messages", async (request, reply) => {
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
    });
  };
}
