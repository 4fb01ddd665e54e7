import type { InboundHandler, Reply } from "../../src/app/ports.ts";
import type { DeliveryOutcome } from "../../src/domain/entities.ts";
import { outboxMetadata } from "./normalize.ts";
import { buildSendRequest, sendWithRetry, type GraphConfig, type SendOutcome } from "./send.ts";

export interface MessengerSenderDeps {
  graph: GraphConfig;
  handler: Pick<InboundHandler, "recordDelivery" | "deliveredId" | "alertOffice">;
  /** Tests pass a sleep that does not wait. */
  sleep?: (ms: number) => Promise<void>;
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
      return last ? "failed" : "retrying";
    default:
      return "failed";
  }
}

/**
 * Sends the conversation's replies to Messenger: each answers the person's own message, so it
 * goes as `RESPONSE` inside the 24-hour window, one at a time to keep order, with our outbox id
 * in `metadata`. Every attempt becomes a Delivery row; a token problem alerts office.
 *
 * @example
 * const send = messengerReplySender({ graph, handler: conversation });
 * await send(orgId, replies);
 */
export function messengerReplySender(deps: MessengerSenderDeps) {
  return async (orgId: string, replies: Reply[]): Promise<void> => {
    for (const reply of replies) {
      const request = buildSendRequest(
        reply.threadId,
        { text: reply.text, ...(reply.choices ? { quickReplies: reply.choices } : {}) },
        { messagingType: "RESPONSE", metadata: outboxMetadata(reply.outboundMessageId) },
      );
      const { attempts } = await sendWithRetry(deps.graph, request, {
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        findEcho: () => deps.handler.deliveredId(orgId, reply.outboundMessageId),
      });
      for (const [i, { attempt, outcome }] of attempts.entries()) {
        await deps.handler.recordDelivery({
          orgId,
          outboundMessageId: reply.outboundMessageId,
          channel: "messenger",
          attempt,
          outcome: outcomeOf(outcome, i === attempts.length - 1),
          externalMessageId: outcome.ok ? outcome.messageId : null,
          errorCode: outcome.ok ? null : `${outcome.code ?? ""}${outcome.subcode ? `/${outcome.subcode}` : ""}` || outcome.kind,
          errorMessage: outcome.ok ? null : outcome.message,
        });
        if (!outcome.ok && outcome.kind === "token") {
          // Token, permission or a Page restriction: nothing will go until someone fixes it.
          const code = `${outcome.code ?? "?"}${outcome.subcode ? `/${outcome.subcode}` : ""}`;
          await deps.handler.alertOffice(orgId, `⚠ Trang Facebook không gửi được tin Messenger (lỗi ${code}: ${outcome.message}). Hãy kiểm tra mã truy cập (MESSENGER_PAGE_TOKEN), quyền của ứng dụng và trạng thái Trang.`);
        }
      }
    }
  };
}
