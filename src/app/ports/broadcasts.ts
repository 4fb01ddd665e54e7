/** Broadcasts and their progress. */
import type { Broadcast, BroadcastKind, Channel, DeliveryOutcome, OutboundMessage } from "../../domain/index.ts";

/**
 * Broadcasts: one message to many, and their progress per recipient.
 * @example
 * const b = await store.broadcasts.create({ orgId, kind: "announcement", text, targets, createdBy }, rows);
 */
export interface BroadcastRepository {
  /** The broadcast and its outbox rows in one transaction; null when `dedupeKey` was used already. */
  create(
    input: { orgId: string; kind: BroadcastKind; text: string; targets: Record<string, unknown>; createdBy?: string | null; dedupeKey?: string | null },
    recipients: { identityId?: string | null; threadId?: string | null; text: string; itemId?: string | null }[],
  ): Promise<{ broadcast: Broadcast; outboxIds: string[] } | null>;
  get(orgId: string, id: string): Promise<Broadcast | null>;
  byDedupeKey(orgId: string, dedupeKey: string): Promise<Broadcast | null>;
  list(orgId: string, limit: number): Promise<Broadcast[]>;
  /** One row per recipient: who, where, what happened last. */
  recipients(orgId: string, broadcastId: string): Promise<BroadcastRecipient[]>;
}

export interface BroadcastRecipient {
  outboundMessageId: string;
  status: OutboundMessage["status"];
  channel: Channel | null;
  personName: string | null;
  threadTitle: string | null;
  lastOutcome: DeliveryOutcome | null;
  error: string | null;
  attemptedAt: Date | null;
  /** Set when the message went to the person's other account instead. */
  fallbackOf: string | null;
}

export interface FailedDelivery {
  outboundMessageId: string;
  text: string;
  createdAt: Date;
  channel: Channel | null;
  personName: string | null;
  outcome: DeliveryOutcome | null;
  error: string | null;
  attemptedAt: Date | null;
}
