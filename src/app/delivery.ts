/**
 * Delivering one outbox message (DESIGN.md §6, §7): the channel adapter says whether it may go
 * now; if not (a closed Messenger window…), the person's other linked account is tried, and
 * when there is none the message fails visibly for office. Every attempt is a Delivery row.
 */
import type { Channel } from "../domain/entities.ts";
import { reportChoices } from "./conversation.ts";
import type { ChannelGateway, Clock, DeliveryAttempt, Store } from "./ports.ts";

export interface DeliveryResult {
  status: "sent" | "failed" | "fallback" | "skipped";
  /** The outbox message created for the person's other account, to deliver next. */
  fallbackId?: string;
}

/**
 * @example
 * const delivery = createDelivery({ store, clock, gateways: { messenger } });
 * const { status, fallbackId } = await delivery.deliver(orgId, outboundMessageId);
 */
export function createDelivery(deps: { store: Store; clock: Clock; gateways: Partial<Record<Channel, ChannelGateway>> }) {
  const { store, clock } = deps;

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

  return {
    /** Outbox messages that have waited a minute without a delivery: replies are sent at once,
     * so anything older was never queued (a notification, a crash). */
    pendingToDeliver() {
      return store.outbound.pendingToDeliver(new Date(clock.now().getTime() - 60_000), 500);
    },

    async deliver(orgId: string, outboundMessageId: string): Promise<DeliveryResult> {
      const message = await store.outbound.get(orgId, outboundMessageId);
      if (!message || message.status !== "pending" || !message.identityId) return { status: "skipped" };
      const identity = await store.chats.identityById(orgId, message.identityId);
      if (!identity) return { status: "skipped" };
      const previous = (await store.outbound.deliveries(orgId, outboundMessageId)).reduce((n, d) => Math.max(n, d.attempt), 0);
      const gateway = deps.gateways[identity.channel];
      const verdict = gateway
        ? gateway.canSend({ lastInboundAt: identity.lastInboundAt }, clock.now())
        : { ok: false as const, reason: "failed" as const, detail: `kênh ${identity.channel} chưa được cấu hình` };
      if (!verdict.ok || !gateway) {
        // One hop only: a copy that cannot go either fails, or two channels would ping-pong.
        const other = identity.personId && !message.fallbackOf
          ? (await store.chats.identitiesOfPerson(orgId, identity.personId)).find((i) => i.id !== identity.id)
          : undefined;
        await record(orgId, outboundMessageId, identity.channel, [
          { attempt: 1, outcome: verdict.ok ? "failed" : verdict.reason, errorCode: verdict.ok ? null : verdict.reason, errorMessage: `${verdict.ok ? "" : verdict.detail}${other ? ` → chuyển sang ${other.channel}` : " → không còn kênh nào khác"}` },
        ], previous);
        if (other) {
          const fallback = await store.outbound.enqueue({ orgId, identityId: other.id, text: message.text, itemId: message.itemId, reminderId: message.reminderId, fallbackOf: message.id });
          return { status: "fallback", fallbackId: fallback.id };
        }
        await store.audit.append({ orgId, actor: "worker", action: "delivery.unreachable", entity: "outbound_message", entityId: outboundMessageId, data: { channel: identity.channel, personId: identity.personId }, at: clock.now() });
        return { status: "failed" };
      }
      // A reminder carries its three answers as quick replies: a tap is a report on that item.
      const reminder = message.reminderId ? await store.outbound.reminder(orgId, message.reminderId) : null;
      const attempts = await gateway.send({
        orgId,
        outboundMessageId,
        externalId: identity.externalId,
        text: message.text,
        ...(reminder ? { choices: reportChoices(reminder.assignmentId) } : {}),
        kind: "update",
      });
      await record(orgId, outboundMessageId, identity.channel, attempts, previous);
      const last = attempts[attempts.length - 1];
      if (last?.needsOffice) {
        await store.audit.append({ orgId, actor: "worker", action: "channel.needs_office", entity: "channel", entityId: identity.channel, data: { error: last.errorCode, message: last.errorMessage }, at: clock.now() });
        for (const office of await store.chats.personsWithRole(orgId, "office")) {
          const reachable = (await store.chats.identitiesOfPerson(orgId, office.id)).find((i) => i.channel !== identity.channel);
          if (!reachable) continue;
          await store.outbound.enqueue({ orgId, identityId: reachable.id, text: `⚠ Kênh ${identity.channel} không gửi được tin (lỗi ${last.errorCode ?? "?"}: ${last.errorMessage ?? ""}). Hãy kiểm tra mã truy cập và quyền của ứng dụng.` });
        }
      }
      if (last?.outcome !== "sent") await store.outbound.setStatus(orgId, outboundMessageId, "failed");
      return { status: last?.outcome === "sent" ? "sent" : "failed" };
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
