/** Reminders, the outbox and the delivery ledger. */
import type { Channel, Delivery, DeliveryOutcome, OutboundMessage, Reminder, ReminderKind } from "../../domain/index.ts";
import type { FailedDelivery } from "./broadcasts.ts";

/**
 * Reminders, the outbox and delivery attempts.
 * @example
 * await store.outbound.planReminder({ orgId, assignmentId, kind: "before", plannedAt, dedupeKey: `${assignmentId}-before-2020-06-23` });
 */
export interface OutboundRepository {
  /** Idempotent on (org, dedupe key): returns null when the reminder was already planned. */
  planReminder(input: {
    orgId: string;
    assignmentId: string;
    occurrenceId?: string | null;
    kind: ReminderKind;
    plannedAt: Date;
    dedupeKey: string;
  }): Promise<Reminder | null>;
  /** Many at once (ON CONFLICT DO NOTHING); returns how many were new. */
  planReminders(rows: {
    orgId: string;
    assignmentId: string;
    occurrenceId?: string | null;
    kind: ReminderKind;
    plannedAt: Date;
    dedupeKey: string;
  }[]): Promise<number>;
  /** The dedupe keys of the org's reminders planned from `since` on (planning skips them before inserting). */
  reminderKeys(orgId: string, since: Date): Promise<Set<string>>;
  /** The distinct moments of the org's pending reminders up to `until` (what the queue must wake for). */
  pendingMoments(orgId: string, until: Date): Promise<Date[]>;
  /** Due pending reminders → queued, oldest first, in one statement (SKIP LOCKED): each is claimed by one caller. */
  claimDue(orgId: string, now: Date, limit: number): Promise<Reminder[]>;
  cancelReminders(orgId: string, ids: string[]): Promise<void>;
  reminders(orgId: string, assignmentId: string): Promise<Reminder[]>;
  /** Cancels what is still pending for an assignment (it was reported done). */
  cancelPendingReminders(orgId: string, assignmentId: string): Promise<number>;
  reminder(orgId: string, id: string): Promise<Reminder | null>;
  enqueue(input: {
    orgId: string;
    threadId?: string | null;
    identityId?: string | null;
    text: string;
    quoteExternalId?: string | null;
    reminderId?: string | null;
    itemId?: string | null;
    fallbackOf?: string | null;
    broadcastId?: string | null;
    /** The inbound message this answers: a reply, sent first and even in quiet hours. */
    inReplyTo?: string | null;
    /** One-tap answers to a question (quick replies where the channel has them). */
    choices?: { title: string; payload: string }[] | null;
  }): Promise<OutboundMessage>;
  /** Many outbox rows in one statement (a broadcast); returns their ids in input order. */
  enqueueMany(rows: {
    orgId: string;
    threadId?: string | null;
    identityId?: string | null;
    text: string;
    itemId?: string | null;
    reminderId?: string | null;
    broadcastId?: string | null;
  }[]): Promise<string[]>;
  /** The channel each outbox message goes out on (its account's or its thread's). */
  routes(orgId: string, ids: string[]): Promise<DeliveryRoute[]>;
  /** Records one attempt; the same (message, attempt) again updates it (a `sending` mark becomes its outcome). */
  recordDelivery(input: {
    orgId: string;
    outboundMessageId: string;
    channel: Channel;
    attempt: number;
    outcome: DeliveryOutcome;
    externalMessageId?: string | null;
    errorCode?: string | null;
    errorMessage?: string | null;
    attemptedAt: Date;
  }): Promise<Delivery>;
  deliveries(orgId: string, outboundMessageId: string): Promise<Delivery[]>;
  /** The replies to one inbound message, in order, with how each went (the simulator waits on them). */
  repliesTo(orgId: string, inboundMessageId: string): Promise<InboxEntry[]>;
  /**
   * What an account (direct messages to it) or a group (by the platform's id) received on a
   * channel, oldest first: every outbox row addressed there, with how it went.
   */
  inbox(orgId: string, channel: Channel, externalId: string, limit: number): Promise<InboxEntry[]>;
  /**
   * Echoes of our sends, many at once: each message not yet known as sent gets a `sent` row
   * (attempt 0) and the status `sent`, in one statement; returns how many were new.
   */
  recordEchoes(orgId: string, channel: Channel, echoes: { outboundMessageId: string; externalMessageId: string }[], at: Date): Promise<number>;
  get(orgId: string, id: string): Promise<OutboundMessage | null>;
  setStatus(orgId: string, id: string, status: OutboundMessage["status"]): Promise<void>;
  /** The outbound message the platform knows by this id (a user quoting a bot message). */
  byExternalId(orgId: string, channel: Channel, externalMessageId: string): Promise<OutboundMessage | null>;
  pending(orgId: string): Promise<OutboundMessage[]>;
  /** Messages that could not be delivered, newest first, with who and why (for office). */
  failed(orgId: string, limit: number): Promise<FailedDelivery[]>;
  /** Who was reminded of what, when (newest first): reminder messages with their recipient and status. */
  reminderLog(orgId: string, filter: { since?: Date; until?: Date; personId?: string; limit: number }): Promise<ReminderLogEntry[]>;
  /** Pending messages of every org, created before `olderThan`, with their channel. */
  pendingToDeliver(olderThan: Date, limit: number): Promise<DeliveryRoute[]>;
}

export interface ReminderLogEntry {
  at: Date;
  kind: ReminderKind;
  itemRef: string;
  unitName: string;
  recipient: string | null;
  channel: Channel | null;
  status: OutboundMessage["status"];
}

/** Where an outbox message goes: which queue delivers it. */
export interface DeliveryRoute {
  orgId: string;
  id: string;
  channel: Channel;
}

/** One message as its recipient got it (or did not yet). */
export interface InboxEntry {
  outboundMessageId: string;
  text: string;
  status: OutboundMessage["status"];
  /** reply · reminder · broadcast · alert (anything else of ours). */
  kind: "reply" | "reminder" | "broadcast" | "alert";
  /** The platform's id of the delivered message, when sent. */
  externalMessageId: string | null;
  /** The platform's id of the recipient (account or group). */
  to: string;
  createdAt: Date;
  deliveredAt: Date | null;
}
