import type { ChannelGateway, DeliveryAttempt } from "../../src/app/index.ts";
import type { DeliveryOutcome } from "../../src/domain/index.ts";
import { outboxMetadata } from "./normalize.ts";
import { buildSendRequest, isWindowOpen, sendOnce, type GraphConfig, type SendOutcome } from "./send.ts";

export interface MessengerGatewayDeps {
  graph: GraphConfig;
  /** How long an echo of an interrupted send may take to arrive (default 10 s). */
  confirmWithinMs?: number;
}

/**
 * One Send API call as the ledger records it. Transient failures are the delivery queue's to
 * retry (with backoff); a timeout is in doubt — the message may have gone out — so it stays
 * `sending`, and the next try first waits for the echo carrying our outbox id.
 */
function outcomeOf(o: SendOutcome): DeliveryOutcome {
  if (o.ok) return "sent";
  switch (o.kind) {
    case "window_closed":
      return "window_closed";
    case "unreachable":
      return "unreachable";
    case "slow_down":
      return "rate_limited";
    case "retry":
      return "retrying";
    case "timeout":
      return "sending";
    default:
      return "failed";
  }
}

/**
 * Messenger's send side: the 24-hour window decides what may go; replies go as RESPONSE, our own
 * messages as UPDATE; error classes come from send.ts; one call per try (the delivery queue
 * retries); our outbox id rides in `metadata`, so a timed-out send is confirmed by its echo
 * rather than sent twice.
 *
 * @example
 * const gateway = messengerGateway({ graph });
 */
export function messengerGateway(deps: MessengerGatewayDeps): ChannelGateway {
  return {
    // Our outbox id rides in `metadata`, and the echo carrying it marks the message sent: a send
    // cut short by a crash is resent only if no echo came within this time.
    confirmWithinMs: deps.confirmWithinMs ?? 10_000,
    canSend(target, now) {
      return isWindowOpen(target.lastInboundAt, now)
        ? { ok: true }
        : { ok: false, reason: "window_closed", detail: "ngoài cửa sổ 24 giờ của Messenger (người nhận chưa nhắn lại)" };
    },
    async send(input) {
      const request = buildSendRequest(
        input.externalId,
        { text: input.text, ...(input.choices ? { quickReplies: input.choices } : {}) },
        { messagingType: input.kind === "response" ? "RESPONSE" : "UPDATE", metadata: outboxMetadata(input.outboundMessageId) },
      );
      const outcome = await sendOnce(deps.graph, request);
      const attempt: DeliveryAttempt = {
        attempt: 1,
        outcome: outcomeOf(outcome),
        externalMessageId: outcome.ok ? outcome.messageId : null,
        errorCode: outcome.ok ? null : `${outcome.code ?? outcome.kind}${outcome.subcode ? `/${outcome.subcode}` : ""}`,
        errorMessage: outcome.ok ? null : outcome.message,
        needsOffice: !outcome.ok && outcome.kind === "token",
      };
      return [attempt];
    },
  };
}
