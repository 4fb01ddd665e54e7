/** The inbound message log. */
import type { Channel, InboundMessage, ThreadKind } from "../../domain/index.ts";

/**
 * Inbound messages: the log that makes "one message records once" true.
 * @example
 * const { message, duplicate } = await store.inbound.record({ orgId, channel: "simulator", externalMessageId: "m1", text: "bc 6 xong", sentAt });
 */
export interface InboundRepository {
  record(input: {
    orgId: string;
    channel: Channel;
    externalMessageId: string;
    threadId?: string | null;
    identityId?: string | null;
    text: string;
    payload?: string | null;
    replyToExternalId?: string | null;
    sentAt: Date;
    raw?: unknown;
  }): Promise<{ message: InboundMessage; duplicate: boolean }>;
  get(orgId: string, id: string): Promise<InboundMessage | null>;
  /**
   * The webhook's hot path in one round trip: upserts the sender's account and the thread and
   * stores the message once (by channel + message id). Returns the new message's id, or null
   * when it was already stored.
   */
  accept(input: {
    orgId: string;
    channel: Channel;
    senderId: string;
    senderName?: string | null;
    threadId: string;
    threadKind: ThreadKind;
    messageId: string;
    text: string;
    payload?: string | null;
    replyToMessageId?: string | null;
    sentAt: Date;
    raw?: unknown;
  }): Promise<string | null>;
  markProcessed(orgId: string, id: string, at: Date): Promise<void>;
}
