import type { InboundHandler, Reply } from "../../src/app/ports.ts";
import { messengerGateway, type MessengerGatewayDeps } from "./gateway.ts";

export interface MessengerSenderDeps extends Omit<MessengerGatewayDeps, "deliveredId"> {
  handler: Pick<InboundHandler, "recordDelivery" | "deliveredId" | "alertOffice">;
}

/**
 * Sends the conversation's replies to Messenger: each answers the person's own message, so it
 * goes as RESPONSE, one at a time to keep order. Every attempt becomes a Delivery row; a token,
 * permission or Page problem alerts office.
 *
 * @example
 * const send = messengerReplySender({ graph, handler: conversation });
 * await send(orgId, replies);
 */
export function messengerReplySender(deps: MessengerSenderDeps) {
  const gateway = messengerGateway({ ...deps, deliveredId: (orgId, id) => deps.handler.deliveredId(orgId, id) });
  return async (orgId: string, replies: Reply[]): Promise<void> => {
    for (const reply of replies) {
      const attempts = await gateway.send({
        orgId,
        outboundMessageId: reply.outboundMessageId,
        externalId: reply.threadId,
        text: reply.text,
        ...(reply.choices ? { choices: reply.choices } : {}),
        kind: "response",
      });
      for (const { needsOffice, ...attempt } of attempts) {
        await deps.handler.recordDelivery({ orgId, outboundMessageId: reply.outboundMessageId, channel: "messenger", ...attempt });
        if (needsOffice) {
          await deps.handler.alertOffice(orgId, `⚠ Trang Facebook không gửi được tin Messenger (lỗi ${attempt.errorCode ?? "?"}: ${attempt.errorMessage ?? ""}). Hãy kiểm tra mã truy cập (MESSENGER_PAGE_TOKEN), quyền của ứng dụng và trạng thái Trang.`);
        }
      }
    }
  };
}
