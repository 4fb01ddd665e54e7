import type { ChannelGateway, Reply } from "../../src/app/ports.ts";

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

/**
 * The simulator's send side for proactive messages (notifications, reminders): nothing to call,
 * the message counts as delivered with a derived id.
 *
 * @example
 * const gateway = simulatorGateway();
 */
export function simulatorGateway(): ChannelGateway {
  return {
    canSend: () => ({ ok: true }),
    send: async (input) => [{ attempt: 1, outcome: "sent", externalMessageId: `bot-${input.outboundMessageId}` }],
  };
}
