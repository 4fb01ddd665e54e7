import type { ChannelGateway, DeliveryAttempt } from "../../src/app/ports.ts";
import type { DeliveryOutcome } from "../../src/domain/entities.ts";
import { outboxMetadata } from "./normalize.ts";
import { buildSendRequest, isWindowOpen, sendWithRetry, type GraphConfig, type SendOutcome } from "./send.ts";

export interface MessengerGatewayDeps {
  graph: GraphConfig;
  /** The platform id of an outbound message already delivered (its echo arrived), or null. */
  deliveredId(orgId: string, outboundMessageId: string): Promise<string | null>;
  sleep?: (ms: number) => Promise<void>;
  /** How long an echo of an interrupted send may take to arrive (default 10 s). */
  confirmWithinMs?: number;
}

function outcomeOf(o: SendOutcome, last: boolean): DeliveryOutcome {
  if (o.ok) return "sent";
  switch (o.kind) {
    case "window_closed":
      return "window_closed";
    case "unreachable":
      return "unreachable";
    case "slow_down":
      return last ? "rate_limited" : "retrying";
    case "retry":
    case "timeout":
      // Still transient after the quick retries: the delivery queue tries again with backoff.
      return "retrying";
    default:
      return "failed";
  }
}

/**
 * Messenger's send side: the 24-hour window decides what may go; replies go as RESPONSE, our own
 * messages as UPDATE; retries and error classes come from send.ts; our outbox id rides in
 * `metadata` so a timed-out send is not sent twice.
 *
 * @example
 * const gateway = messengerGateway({ graph, deliveredId: (o, id) => conversation.deliveredId(o, id) });
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
      const { outcome: final, attempts } = await sendWithRetry(deps.graph, request, {
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        findEcho: () => deps.deliveredId(input.orgId, input.outboundMessageId),
      });
      const rows = attempts.map(({ attempt, outcome }, i): DeliveryAttempt => ({
        attempt,
        outcome: outcomeOf(outcome, i === attempts.length - 1 && !final.ok),
        externalMessageId: outcome.ok ? outcome.messageId : null,
        errorCode: outcome.ok ? null : `${outcome.code ?? outcome.kind}${outcome.subcode ? `/${outcome.subcode}` : ""}`,
        errorMessage: outcome.ok ? null : outcome.message,
        needsOffice: !outcome.ok && outcome.kind === "token",
      }));
      // A timed-out send the platform delivered anyway (its echo arrived): sent, not sent again.
      if (final.ok && !attempts[attempts.length - 1]?.outcome.ok) {
        rows.push({ attempt: attempts.length + 1, outcome: "sent", externalMessageId: final.messageId, errorMessage: "xác nhận qua echo sau khi hết thời gian chờ" });
      }
      return rows;
    },
  };
}
