import type { ChannelGateway, DeliveryAttempt } from "../../src/app/index.ts";
import type { DeliveryOutcome } from "../../src/domain/index.ts";
import { sendText, type Attempt, type SendOutcome, type ZaloBotConfig } from "./send.ts";

export interface ZaloBotGatewayDeps {
  bot: ZaloBotConfig;
}

/** One call as the ledger records it: transient failures are the delivery queue's to retry. */
function outcomeOf(o: SendOutcome): DeliveryOutcome {
  if (o.ok) return "sent";
  switch (o.kind) {
    case "unreachable":
      return "unreachable";
    case "slow_down":
      return "rate_limited";
    case "retry":
    case "timeout":
      return "retrying";
    default:
      return "failed";
  }
}

/**
 * The Zalo Bot platform has no quick replies: the choices a reminder carries are spelled out as
 * a last line the person can answer by typing one of them.
 */
// A reply's question already lists its answers in the text (numbered, for typed answers): only
// a reminder's choices are spelled out here.
function withChoices(text: string, choices: { title: string }[] | undefined): string {
  if (!choices || choices.length === 0) return text;
  return `${text}\n\nTrả lời: ${choices.map((c) => c.title).join(" · ")}`;
}

/**
 * The Bot API has no mentions (zalo.md §3.1): in a group, the people to call on are named in
 * plain text at the start instead.
 */
function withMentions(text: string, mentions: { name: string }[] | undefined): string {
  const names = (mentions ?? []).map((m) => m.name.trim()).filter((n) => n !== "");
  return names.length > 0 ? `${names.join(", ")}: ${text}` : text;
}

/**
 * One send's calls as Delivery rows: every call is an attempt; a piece that went is `sent` with
 * its message id; a transient failure is `retrying` (the delivery queue tries again), a permanent one its outcome.
 * `errorCode` is "<error_code>:<kind>" (e.g. "403:unreachable"), so whether it was permanent
 * (`isPermanent(kind)`) stays readable in the Delivery row; a token problem also asks office to act.
 *
 * @example
 * toDeliveryAttempts(attempts) // [{ attempt: 1, outcome: "sent", externalMessageId: "82599fa32f56d00e8941", … }]
 */
export function toDeliveryAttempts(attempts: Attempt[]): DeliveryAttempt[] {
  return attempts.map(({ attempt, chunk, outcome }): DeliveryAttempt => {
    const pieces = Math.max(...attempts.map((a) => a.chunk)) + 1;
    const part = pieces > 1 ? `phần ${chunk + 1}: ` : "";
    return {
      attempt,
      outcome: outcomeOf(outcome),
      externalMessageId: outcome.ok ? outcome.messageId : null,
      errorCode: outcome.ok ? null : outcome.code !== null ? `${outcome.code}:${outcome.kind}` : outcome.kind,
      errorMessage: outcome.ok ? null : `${part}${outcome.message}`,
      needsOffice: !outcome.ok && outcome.kind === "token",
    };
  });
}

/**
 * The Zalo Bot send side. The Bot API documents no reply window (zalo.md §3.1): a bot may write
 * to a chat at any time, but a `chat_id` exists only after the person has written to the bot, so
 * an account that never wrote cannot be reached. Groups are Beta on this platform and use the
 * same call. Long texts go as several messages of ≤ 2000 characters; reminder choices become a
 * typed-answer line and mentions plain names. No echo exists, so `confirmWithinMs` stays 0.
 *
 * @example
 * const gateway = zaloBotGateway({ bot: { baseUrl: config.ZALO_BOT_API_BASE, token } });
 */
export function zaloBotGateway(deps: ZaloBotGatewayDeps): ChannelGateway {
  return {
    canSend(target) {
      return target.lastInboundAt !== null
        ? { ok: true }
        : { ok: false, reason: "unreachable", detail: "người nhận chưa từng nhắn cho Zalo Bot nên chưa có mã cuộc trò chuyện" };
    },
    async send(input) {
      const { attempts } = await sendText(deps.bot, input.externalId, withChoices(withMentions(input.text, input.mentions), input.kind === "response" ? undefined : input.choices));
      if (attempts.length === 0) {
        return [{ attempt: 1, outcome: "failed", errorCode: "invalid", errorMessage: "tin nhắn rỗng, không gửi" }];
      }
      return toDeliveryAttempts(attempts);
    },
  };
}
