import type { ChannelGateway, DeliveryAttempt } from "../../src/app/index.ts";
import type { ThreadKind } from "../../src/domain/index.ts";
import { quoteOf, sendText, type RecentMessages, type SendGuard, type ZaloSendOutcome } from "./send.ts";
import type { ZaloApi } from "./types.ts";

export interface ZaloGatewayDeps {
  /** The live API of the listener, or null while it is (re)connecting. */
  api(): ZaloApi | null;
  /** The account's hourly cap and cool-down (spacing is the delivery queue's pacer). */
  guard: SendGuard;
  /** Messages the listener received recently, for quoting and for the kind of a thread. */
  recent: RecentMessages;
  /**
   * Whether a Zalo account belongs to a person linked in dondoc. Our own messages (reminders,
   * notices) go to groups and to linked people only: pushing messages to strangers is what gets
   * personal accounts locked (zalo.md §1.5).
   */
  isLinked(orgId: string, zaloUserId: string): Promise<boolean>;
}

/** The port's send input, plus what only Zalo can do with it. */
export type ZaloSendInput = Parameters<ChannelGateway["send"]>[0] & {
  /** The platform id of the message to quote (the one being answered); `quoteExternalId` is the same from the delivery use case. */
  quoteMessageId?: string | null;
};

/** A `ChannelGateway` whose `send` also quotes. */
export interface ZaloGateway extends ChannelGateway {
  send(input: ZaloSendInput): Promise<DeliveryAttempt[]>;
}

function attemptOf(outcome: ZaloSendOutcome): DeliveryAttempt {
  if (outcome.ok) return { attempt: 1, outcome: "sent", externalMessageId: outcome.messageId };
  return {
    attempt: 1,
    outcome: outcome.kind === "unreachable" ? "unreachable" : "failed",
    errorCode: outcome.code,
    errorMessage: outcome.message,
  };
}

/** Zalo has no quick replies: a reminder says in words how to answer. */
// A reply's question already lists its answers in the text: only a reminder's are spelled out.
function withChoices(text: string, choices: { title: string }[] | undefined): string {
  if (!choices?.length) return text;
  return `${text}\n↩ Trả lời tin này: ${choices.map((c) => c.title).join(" · ")}`;
}

/**
 * Zalo's send side for one account, used only in the process that runs its listener. Every send
 * goes through the account's guard (one at a time, hourly cap, cool-down); nothing is retried here: 122 is `unreachable`, 123, 221 and
 * an empty result are `failed` with the reason and start a cool-down, during which (and beyond
 * the hourly cap) sends are refused as `rate_limited` without reaching Zalo, so the delivery
 * queue tries again later. Replies quote the message they answer; `mentions` are @mentioned in
 * groups.
 *
 * @example
 * const gateway = zaloGateway({ api: () => listener.api(), guard, recent, isLinked });
 * await gateway.send({ orgId, outboundMessageId, externalId: groupId, threadKind: "group", text, kind: "update", mentions: [{ externalId: "101", name: "Lan" }] });
 */
export function zaloGateway(deps: ZaloGatewayDeps): ZaloGateway {
  return {
    canSend() {
      // No messaging window on a personal account; pacing and linking are checked per send.
      return { ok: true };
    },
    async send(input: ZaloSendInput) {
      const threadKind: ThreadKind = input.threadKind ?? deps.recent.kindOf(input.externalId) ?? "direct";
      if (threadKind === "direct" && input.kind === "update" && !(await deps.isLinked(input.orgId, input.externalId))) {
        return [{ attempt: 1, outcome: "unreachable", errorCode: "not_linked", errorMessage: "không nhắn riêng cho tài khoản Zalo chưa liên kết với cán bộ (Zalo khoá tài khoản nhắn người lạ)" }];
      }
      const api = deps.api();
      if (!api) return [{ attempt: 1, outcome: "retrying", errorCode: "not_connected", errorMessage: "tài khoản Zalo đang kết nối lại" }];
      // Replies sent through the delivery queue carry the outbox row's `quoteExternalId`.
      const quoteId = input.quoteMessageId ?? input.quoteExternalId ?? null;
      const quoted = quoteId ? deps.recent.get(quoteId) : undefined;
      const quote = quoted ? quoteOf(quoted) : null;
      const mentions = threadKind === "group" ? (input.mentions ?? []).map((m) => ({ uid: m.externalId, name: m.name })) : [];
      const paced = await deps.guard.run(() => sendText(api, { threadId: input.externalId, threadKind, text: withChoices(input.text, input.kind === "response" ? undefined : input.choices), quote, mentions }));
      if (!paced.ok) {
        const why = paced.reason === "cooldown" ? "đang tạm dừng gửi sau cảnh báo của Zalo" : "đã đạt giới hạn số tin mỗi giờ";
        return [{ attempt: 1, outcome: "rate_limited", errorCode: paced.reason, errorMessage: `${why}, gửi lại sau ${paced.until.toISOString()}` }];
      }
      if (!paced.value.ok && paced.value.kind === "slow_down") deps.guard.coolDown();
      return [attemptOf(paced.value)];
    },
  };
}
