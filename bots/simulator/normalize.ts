import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "../../src/app/index.ts";
import type { SimulatorRequest } from "./types.ts";

/**
 * Simulator body → the channel-agnostic message. A direct chat's thread is the sender; a
 * message without an id gets a fresh one (so each call is a new message).
 *
 * @example
 * normalize({ senderId: "canbo-ccb", text: "bc 6 xong" }, orgId, new Date())
 */
export function normalize(body: SimulatorRequest, orgId: string, now: Date): IncomingMessage {
  const kind = body.threadKind ?? "direct";
  return {
    orgId,
    channel: "simulator",
    threadId: body.threadId ?? body.senderId,
    threadKind: kind,
    senderId: body.senderId,
    senderName: body.senderName ?? null,
    messageId: body.messageId ?? `sim-${randomUUID()}`,
    text: body.text,
    replyToMessageId: body.replyToMessageId ?? null,
    sentAt: now,
    raw: body,
  };
}
