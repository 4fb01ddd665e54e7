import type { ChannelGateway } from "../../src/app/index.ts";

/**
 * The simulator's send side: it delivers into an inbox. Nothing is called and nothing can fail;
 * the delivery is recorded like any other, with a message id derived from the outbox id, so the
 * inbox (`GET /api/simulator/inbox`) lists it and a reply quoting it finds the item the bot was
 * talking about. No window and no rate limit of its own (DELIVERY_RATES still paces it).
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
