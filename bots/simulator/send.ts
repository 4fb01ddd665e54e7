import type { Reply } from "../../src/app/ports.ts";

/**
 * The simulator "sends" by answering in the HTTP response: no window, no rate limit, nothing can
 * fail. The bot's message id is derived from the outbox id, so a later reply quoting it finds
 * the item the bot was talking about.
 */
export function simulatorMessageId(reply: Reply): string {
  return `bot-${reply.outboundMessageId}`;
}

/** Every message may go now on the simulator. */
export function canSend(): { ok: true } {
  return { ok: true };
}
