/**
 * Delivering one outbox message (DESIGN.md §6, §7, §9): every message dondoc sends — a reply, an
 * alert, a reminder, a broadcast, a digest — passes here, from its channel's `deliver-<channel>`
 * queue. The ledger knows a send is under way before the channel does (`sending`), a send cut
 * short waits for the channel's own record of it, proactive messages wait out quiet hours and
 * days off, the channel adapter says whether it may go now, and if not the person's other linked
 * account is tried; when there is none the message fails visibly for office.
 */
import { DEFAULT_CALENDAR, nextAllowedMoment, type CalendarPolicy } from "../domain/index.ts";
import type { Channel, OutboundMessage } from "../domain/index.ts";
import { createAlerts } from "./alerts.ts";
import { reportChoices } from "./chat/reports.ts";
import { settingsOrDefaults } from "./org-settings.ts";
import type { ChannelGateway, Clock, DeliveryAttempt, Dispatch, Store } from "./ports/index.ts";

export interface DeliveryResult {
  /**
   * `retry`: a transient failure, try again later (the message stays pending);
   * `in_doubt`: an earlier send was interrupted and the channel's record of it may still come,
   * ask again in `retryInMs`; `later`: a proactive message in quiet hours or on a day off, due
   * again in `retryInMs`; `failed`: permanent (or the last try), nothing more to do.
   */
  status: "sent" | "failed" | "fallback" | "skipped" | "retry" | "in_doubt" | "later";
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

/** The store slices createDelivery uses. */
export type DeliveryStore = Pick<Store, "audit" | "chats" | "outbound" | "orgs">;

/** How long after a restart a send in doubt still waits for its echo, however old its mark. */
const RESTART_GRACE_MS = 3_000;
/** An org's calendar is read again after this long (settings change rarely; a send happens often). */
const CALENDAR_TTL_MS = 60_000;

/**
 * @example
 * const delivery = createDelivery({ store, clock, gateways: { messenger }, dispatch });
 * const { status, fallbackId } = await delivery.deliver(orgId, outboundMessageId, { pace });
 */
export function createDelivery(deps: { store: DeliveryStore; clock: Clock; gateways: Partial<Record<Channel, ChannelGateway>>; dispatch?: Dispatch; calendar?: CalendarPolicy }) {
  const { store, clock } = deps;
  const startedAt = clock.now().getTime();
  const alerts = createAlerts({ store, clock, ...(deps.dispatch ? { dispatch: deps.dispatch } : {}) });
  const calendars = new Map<string, { calendar: CalendarPolicy; until: number }>();

  async function calendarOf(orgId: string): Promise<CalendarPolicy> {
    const now = clock.now().getTime();
    const cached = calendars.get(orgId);
    if (cached && cached.until > now) return cached.calendar;
    const { calendar } = settingsOrDefaults((await store.orgs.byId(orgId))?.settings ?? {}, { calendar: deps.calendar ?? DEFAULT_CALENDAR });
    calendars.set(orgId, { calendar, until: now + CALENDAR_TTL_MS });
    return calendar;
  }

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
    /** Outbox messages that have waited a minute without a delivery: replies are queued at once,
     * so anything older was never queued (a crash, a lost Redis). */
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
      const now = clock.now();

      // A send marked `sending` that never got its outcome: the worker died during the call (or
      // the channel did not answer in time). The channel may have delivered it; its own record (an
      // echo) would have marked the message sent. Give that record time to arrive before sending
      // again — and at least a few seconds after this process started: the platform's retries of
      // an echo it could not deliver while we were down arrive only once we listen again.
      const last = history[history.length - 1];
      if (last?.outcome === "sending" && gateway?.confirmWithinMs) {
        const wait = Math.max(gateway.confirmWithinMs - (now.getTime() - last.attemptedAt.getTime()), Math.min(gateway.confirmWithinMs, RESTART_GRACE_MS) - (now.getTime() - startedAt));
        if (wait > 0) return { status: "in_doubt", retryInMs: wait, detail: "đang chờ xác nhận của kênh cho lần gửi bị gián đoạn" };
      }

      // Our own messages respect quiet hours and days off, even when they come late (an outage, a
      // broadcast queued at night); an answer to someone who just wrote does not wait.
      if (!message.inReplyTo) {
        const allowedAt = nextAllowedMoment(now, await calendarOf(orgId));
        if (allowedAt.getTime() > now.getTime()) return { status: "later", retryInMs: allowedAt.getTime() - now.getTime(), detail: "ngoài giờ gửi tin (giờ nghỉ hoặc ngày nghỉ)" };
      }

      /**
       * This account cannot be reached now (a closed window, a block): the person's other linked
       * account gets a copy, through the same queues. One hop only: a copy that cannot go either
       * fails, or two channels would ping-pong. With no other account the failure is for office.
       */
      async function fallBack(attempt: DeliveryAttempt, reason: string): Promise<DeliveryResult> {
        const identity = target?.identity ?? null;
        const other = identity?.personId && !message?.fallbackOf ? (await store.chats.identitiesOfPerson(orgId, identity.personId)).find((i) => i.id !== identity.id) : undefined;
        await record(orgId, outboundMessageId, channel, [{ ...attempt, errorMessage: `${attempt.errorMessage ?? reason}${other ? ` → chuyển sang ${other.channel}` : " → không còn kênh nào khác"}` }], previous);
        if (other && message) {
          const fallback = await store.outbound.enqueue({ orgId, identityId: other.id, text: message.text, itemId: message.itemId, reminderId: message.reminderId, fallbackOf: message.id, broadcastId: message.broadcastId, inReplyTo: message.inReplyTo });
          return { status: "fallback", fallbackId: fallback.id };
        }
        await store.audit.append({ orgId, actor: "worker", action: "delivery.unreachable", entity: "outbound_message", entityId: outboundMessageId, data: { channel, personId: identity?.personId ?? null }, at: clock.now() });
        return { status: "failed", detail: reason };
      }

      const verdict = gateway
        ? gateway.canSend({ lastInboundAt: target.lastInboundAt, threadKind: target.threadKind }, now)
        : { ok: false as const, reason: "failed" as const, detail: `kênh ${channel} chưa được cấu hình` };
      if (!verdict.ok || !gateway) {
        const reason = verdict.ok ? "" : verdict.detail;
        return fallBack({ attempt: 1, outcome: verdict.ok ? "failed" : verdict.reason, errorCode: verdict.ok ? null : verdict.reason, errorMessage: reason }, reason);
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
          ...(message.choices?.length ? { choices: message.choices } : reminder ? { choices: reportChoices(reminder.assignmentId) } : {}),
          ...(mentions.length > 0 ? { mentions } : {}),
          ...(message.quoteExternalId ? { quoteExternalId: message.quoteExternalId } : {}),
          kind: message.inReplyTo ? "response" : "update",
        });
      // The pacer calls the channel itself, so its count is kept at the call.
      const attempts = await (options.pace ? options.pace(send) : send());
      const final = attempts[attempts.length - 1];
      // The platform itself said this account cannot be reached now (its window closed since we
      // looked, the person blocked us): the same fallback as when we could tell beforehand.
      if (final && (final.outcome === "window_closed" || final.outcome === "unreachable") && target.identity) {
        await record(orgId, outboundMessageId, channel, attempts.slice(0, -1), previous);
        return fallBack(final, final.errorMessage ?? final.outcome);
      }
      await record(orgId, outboundMessageId, channel, attempts, previous);
      if (final?.needsOffice) {
        await store.audit.append({ orgId, actor: "worker", action: "channel.needs_office", entity: "channel", entityId: channel, data: { error: final.errorCode, message: final.errorMessage }, at: clock.now() });
        // Told on another channel: this one cannot carry its own alert.
        await alerts.office(orgId, `⚠ Kênh ${channel} không gửi được tin (lỗi ${final.errorCode ?? "?"}: ${final.errorMessage ?? ""}). Đề nghị kiểm tra mã truy cập và quyền của ứng dụng.`, { avoidChannel: channel });
      }
      if (final?.outcome === "sent") return { status: "sent" };
      const detail = final?.errorMessage ?? final?.outcome ?? "không rõ";
      // Transient (the platform asked us to slow down, a timeout, a 5xx): the queue tries again
      // with backoff, unless this was the last try. A send in doubt (no answer in time) stays
      // marked `sending`, so the next try first waits for the channel's echo.
      if ((final?.outcome === "retrying" || final?.outcome === "rate_limited" || final?.outcome === "sending") && !options.finalTry) return { status: "retry", detail };
      await store.outbound.setStatus(orgId, outboundMessageId, "failed");
      return { status: "failed", detail };
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
