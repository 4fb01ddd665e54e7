/**
 * Delivering one outbox message (DESIGN.md §6, §7): the channel adapter says whether it may go
 * now; if not (a closed Messenger window…), the person's other linked account is tried, and
 * when there is none the message fails visibly for office. Every attempt is a Delivery row.
 */
import type { Channel } from "../domain/entities.ts";
import { reportChoices } from "./conversation.ts";
import type { ChannelGateway, Clock, DeliveryAttempt, Store } from "./ports.ts";
import type { OutboundMessage } from "../domain/entities.ts";

export interface DeliveryResult {
  /**
   * `retry`: a transient failure, try again later (the message stays pending);
   * `in_doubt`: an earlier send was interrupted and the channel's record of it may still come,
   * ask again in `retryInMs`; `failed`: permanent (or the last try), nothing more to do.
   */
  status: "sent" | "failed" | "fallback" | "skipped" | "retry" | "in_doubt";
  /** The outbox message created for the person's other account, to deliver next. */
  fallbackId?: string;
  retryInMs?: number;
  detail?: string;
}

export interface DeliverOptions {
  /** The queue will not try again: a transient failure now fails the message. */
  finalTry?: boolean;
  /**
   * Runs the channel call in this channel's next send slot (the per-channel rate limit), after
   * the `sending` mark; the pacer calls it in the same tick as its last check.
   */
  pace?: <T>(send: () => Promise<T>) => Promise<T>;
}

/**
 * @example
 * const delivery = createDelivery({ store, clock, gateways: { messenger } });
 * const { status, fallbackId } = await delivery.deliver(orgId, outboundMessageId, { pace });
 */
export function createDelivery(deps: { store: Store; clock: Clock; gateways: Partial<Record<Channel, ChannelGateway>> }) {
  const { store, clock } = deps;
  const startedAt = clock.now().getTime();
  /** How long after a restart a send in doubt still waits for its echo, however old its mark. */
  const RESTART_GRACE_MS = 3_000;

  async function record(orgId: string, outboundMessageId: string, channel: Channel, attempts: DeliveryAttempt[], offset: number) {
    for (const a of attempts) {
      await store.outbound.recordDelivery({
        orgId,
        outboundMessageId,
        channel,
        attempt: offset + a.attempt,
        outcome: a.outcome,
        externalMessageId: a.externalMessageId ?? null,
        errorCode: a.errorCode ?? null,
        errorMessage: a.errorMessage ?? null,
        attemptedAt: clock.now(),
      });
    }
  }

  /** Who the message goes to: a linked account, or a group thread (Zalo). */
  async function targetOf(message: OutboundMessage) {
    if (message.identityId) {
      const identity = await store.chats.identityById(message.orgId, message.identityId);
      return identity ? { channel: identity.channel, externalId: identity.externalId, lastInboundAt: identity.lastInboundAt, threadKind: "direct" as const, identity, unitId: null } : null;
    }
    if (message.threadId) {
      const thread = await store.chats.threadById(message.orgId, message.threadId);
      return thread ? { channel: thread.channel, externalId: thread.externalId, lastInboundAt: null, threadKind: thread.kind, identity: null, unitId: thread.unitId } : null;
    }
    return null;
  }

  return {
    /** Outbox messages that have waited a minute without a delivery: replies are sent at once,
     * so anything older was never queued (a notification, a crash, a lost Redis). */
    pendingToDeliver() {
      return store.outbound.pendingToDeliver(new Date(clock.now().getTime() - 60_000), 2_000);
    },

    async deliver(orgId: string, outboundMessageId: string, options: DeliverOptions = {}): Promise<DeliveryResult> {
      const message = await store.outbound.get(orgId, outboundMessageId);
      if (!message || message.status !== "pending") return { status: "skipped" };
      const target = await targetOf(message);
      if (!target) return { status: "skipped" };
      const { channel } = target;
      const history = await store.outbound.deliveries(orgId, outboundMessageId);
      const previous = history.reduce((n, d) => Math.max(n, d.attempt), 0);
      const gateway = deps.gateways[channel];

      // A send marked `sending` that never got its outcome: the worker died during the call.
      // The channel may have delivered it; its own record (an echo) would have marked the
      // message sent. Give that record time to arrive before sending again.
      const last = history[history.length - 1];
      if (last?.outcome === "sending" && gateway?.confirmWithinMs) {
        // And at least a few seconds after this process started: the platform's retries of an
        // echo it could not deliver while we were down arrive only once we listen again.
        const now = clock.now().getTime();
        const wait = Math.max(gateway.confirmWithinMs - (now - last.attemptedAt.getTime()), Math.min(gateway.confirmWithinMs, RESTART_GRACE_MS) - (now - startedAt));
        if (wait > 0) return { status: "in_doubt", retryInMs: wait, detail: "đang chờ xác nhận của kênh cho lần gửi bị gián đoạn" };
      }

      const verdict = gateway
        ? gateway.canSend({ lastInboundAt: target.lastInboundAt, threadKind: target.threadKind }, clock.now())
        : { ok: false as const, reason: "failed" as const, detail: `kênh ${channel} chưa được cấu hình` };
      if (!verdict.ok || !gateway) {
        const identity = target.identity;
        // One hop only: a copy that cannot go either fails, or two channels would ping-pong.
        const other = identity?.personId && !message.fallbackOf
          ? (await store.chats.identitiesOfPerson(orgId, identity.personId)).find((i) => i.id !== identity.id)
          : undefined;
        await record(orgId, outboundMessageId, channel, [
          { attempt: 1, outcome: verdict.ok ? "failed" : verdict.reason, errorCode: verdict.ok ? null : verdict.reason, errorMessage: `${verdict.ok ? "" : verdict.detail}${other ? ` → chuyển sang ${other.channel}` : " → không còn kênh nào khác"}` },
        ], previous);
        if (other) {
          const fallback = await store.outbound.enqueue({ orgId, identityId: other.id, text: message.text, itemId: message.itemId, reminderId: message.reminderId, fallbackOf: message.id, broadcastId: message.broadcastId });
          return { status: "fallback", fallbackId: fallback.id };
        }
        await store.audit.append({ orgId, actor: "worker", action: "delivery.unreachable", entity: "outbound_message", entityId: outboundMessageId, data: { channel, personId: identity?.personId ?? null }, at: clock.now() });
        return { status: "failed", detail: verdict.ok ? "" : verdict.detail };
      }
      // A reminder carries its three answers as quick replies: a tap is a report on that item.
      const reminder = message.reminderId ? await store.outbound.reminder(orgId, message.reminderId) : null;
      // A message about an item in a unit's group @mentions those of the unit who have not reported it.
      const mentions =
        target.threadKind === "group" && target.unitId && message.itemId
          ? await store.chats.unreportedAccounts(orgId, target.unitId, message.itemId, channel)
          : [];
      // The ledger knows a send is under way before the channel does: after a crash only the
      // messages marked here can be in doubt.
      await record(orgId, outboundMessageId, channel, [{ attempt: 1, outcome: "sending" }], previous);
      const send = () =>
        gateway.send({
          orgId,
          outboundMessageId,
          externalId: target.externalId,
          threadKind: target.threadKind,
          text: message.text,
          ...(reminder ? { choices: reportChoices(reminder.assignmentId) } : {}),
          ...(mentions.length > 0 ? { mentions } : {}),
          ...(message.quoteExternalId ? { quoteExternalId: message.quoteExternalId } : {}),
          // The conversation's answers carry both the thread and the account (or a quote); every other row is our own message.
          kind: (message.threadId && message.identityId) || message.quoteExternalId ? "response" : "update",
        });
      // The pacer calls the channel itself, so its count is kept at the call.
      const attempts = await (options.pace ? options.pace(send) : send());
      await record(orgId, outboundMessageId, channel, attempts, previous);
      const final = attempts[attempts.length - 1];
      if (final?.needsOffice) {
        await store.audit.append({ orgId, actor: "worker", action: "channel.needs_office", entity: "channel", entityId: channel, data: { error: final.errorCode, message: final.errorMessage }, at: clock.now() });
        for (const office of await store.chats.personsWithRole(orgId, "office")) {
          const reachable = (await store.chats.identitiesOfPerson(orgId, office.id)).find((i) => i.channel !== channel);
          if (!reachable) continue;
          await store.outbound.enqueue({ orgId, identityId: reachable.id, text: `⚠ Kênh ${channel} không gửi được tin (lỗi ${final.errorCode ?? "?"}: ${final.errorMessage ?? ""}). Hãy kiểm tra mã truy cập và quyền của ứng dụng.` });
        }
      }
      if (final?.outcome === "sent") return { status: "sent" };
      const detail = final?.errorMessage ?? final?.outcome ?? "không rõ";
      // Transient (the platform asked us to slow down, a timeout, a 5xx): the queue tries again
      // with backoff, unless this was the last try.
      if ((final?.outcome === "retrying" || final?.outcome === "rate_limited") && !options.finalTry) return { status: "retry", detail };
      await store.outbound.setStatus(orgId, outboundMessageId, "failed");
      return { status: "failed", detail };
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
