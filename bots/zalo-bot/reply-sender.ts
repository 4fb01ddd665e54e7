import type { InboundHandler, Reply } from "../../src/app/ports.ts";
import { zaloBotGateway, type ZaloBotGatewayDeps } from "./gateway.ts";

export interface ZaloBotSenderDeps extends ZaloBotGatewayDeps {
  handler: Pick<InboundHandler, "recordDelivery" | "alertOffice">;
}

/**
 * Sends the conversation's replies to Zalo Bot chats, one at a time to keep order. Every call
 * becomes a Delivery row; a token problem alerts office.
 *
 * @example
 * const send = zaloBotReplySender({ bot: { baseUrl, token }, handler: conversation });
 * await send(orgId, replies);
 */
export function zaloBotReplySender(deps: ZaloBotSenderDeps) {
  const gateway = zaloBotGateway(deps);
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
        await deps.handler.recordDelivery({ orgId, outboundMessageId: reply.outboundMessageId, channel: "zalo_bot", ...attempt });
        if (needsOffice) {
          await deps.handler.alertOffice(orgId, `⚠ Zalo Bot không gửi được tin (lỗi ${attempt.errorCode ?? "?"}: ${attempt.errorMessage ?? ""}). Hãy kiểm tra mã bot (ZALO_BOT_TOKEN) trong Zalo Bot Manager.`);
        }
      }
    }
  };
}
