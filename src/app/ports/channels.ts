/** The channel contract: what adapters hand in (messages) and how messages go out (gateways). */
import type { Channel, DeliveryOutcome, ThreadKind } from "../../domain/index.ts";
import type { DeliveryRoute, OutboundRepository } from "./outbound.ts";

/** A chat message as every channel adapter normalises it. */
export interface IncomingMessage {
  orgId: string;
  channel: Channel;
  /** The platform's conversation id (a user id for direct chats, a group id for groups). */
  threadId: string;
  threadKind: ThreadKind;
  senderId: string;
  senderName?: string | null;
  messageId: string;
  text: string;
  /** The platform id of the message this one quotes or replies to. */
  replyToMessageId?: string | null;
  /** A quick-reply or button payload the user tapped (Messenger, Zalo Bot), if any. */
  payload?: string | null;
  /** People the message @mentions (Zalo groups), in order; `uid` "-1" is @All. */
  mentions?: { uid: string; name?: string }[];
  sentAt: Date;
  /** The platform payload, kept for audit only. */
  raw?: unknown;
}

/** A message the bot sends back into the same thread; already in the outbox. */
export interface Reply {
  outboundMessageId: string;
  channel: Channel;
  threadId: string;
  text: string;
  quoteMessageId: string | null;
  itemId: string | null;
  /** Tappable answers (quick replies) when the channel has them; titles ≤ 20 characters. */
  choices?: { title: string; payload: string }[];
}

/**
 * What a channel adapter hands incoming messages to, and tells about sent replies.
 * @example
 * const replies = await handler.handle(message);
 * for (const r of replies) await handler.recordSent({ orgId, outboundMessageId: r.outboundMessageId, channel: "simulator", externalMessageId: "bot-1" });
 */
export interface InboundHandler {
  handle(message: IncomingMessage): Promise<Reply[]>;
  /** Stores a message once; its id, or null when it was already stored (webhooks, then queue). */
  accept(message: IncomingMessage): Promise<string | null>;
  recordSent(input: { orgId: string; outboundMessageId: string; channel: Channel; externalMessageId: string; attempt?: number }): Promise<void>;
  /**
   * The platform echoed our sends (metadata = outbox id): they were delivered. A whole webhook
   * batch in one statement; ids that are not this org's messages are ignored.
   */
  recordEchoes(orgId: string, channel: Channel, echoes: { outboundMessageId: string; externalMessageId: string }[]): Promise<void>;
  /** The platform id of an outbound message known to be delivered (by a send or an echo), or null. */
  deliveredId(orgId: string, outboundMessageId: string): Promise<string | null>;
  /** Something office must fix (an expired page token…): a message for office users. */
  alertOffice(orgId: string, text: string): Promise<void>;
  /** Any attempt's outcome, failures included (window closed, unreachable, token, …), at the clock's now. */
  recordDelivery(input: Omit<Parameters<OutboundRepository["recordDelivery"]>[0], "attemptedAt">): Promise<void>;
}

/**
 * Processing of stored inbound messages happens from a queue, so webhooks answer at once.
 * @example
 * await queue.enqueueInbound(orgId, inboundMessageId);
 */
export interface InboundQueue {
  enqueueInbound(orgId: string, inboundMessageId: string): Promise<void>;
}

/** One try to hand a message to the platform, as a Delivery row records it. */
export interface DeliveryAttempt {
  attempt: number;
  outcome: DeliveryOutcome;
  externalMessageId?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** The platform refuses until someone fixes something (token, permission, Page restricted). */
  needsOffice?: boolean;
}

/**
 * A channel adapter's send side. The platform's rules (windows, rate limits, error codes) live
 * here, not in use cases: the delivery use case asks `canSend` and records what `send` says.
 * @example
 * const ok = gateway.canSend({ lastInboundAt: identity.lastInboundAt }, clock.now());
 * if (ok.ok) await gateway.send({ orgId, outboundMessageId, externalId: identity.externalId, text, kind: "update" });
 */
export interface ChannelGateway {
  canSend(target: { lastInboundAt: Date | null; threadKind?: ThreadKind }, now: Date): { ok: true } | { ok: false; reason: DeliveryOutcome; detail: string };
  /**
   * How long after a send the channel's own record of it (a Messenger echo carrying our outbox
   * id) may still arrive. A send interrupted by a crash is resent only after this (default 0).
   */
  confirmWithinMs?: number;
  send(input: {
    orgId: string;
    outboundMessageId: string;
    /** The platform's id of the person or group. */
    externalId: string;
    /** A group thread (Zalo) or one person (default). */
    threadKind?: ThreadKind;
    /** People to @mention in a group (those who have not reported). */
    mentions?: { externalId: string; name: string }[];
    /** The platform id of the message this one answers, to quote it (Zalo). */
    quoteExternalId?: string | null;
    text: string;
    choices?: { title: string; payload: string }[];
    /** A reply to the person's own message, or a message of our own (reminder, notice). */
    kind: "response" | "update";
  }): Promise<DeliveryAttempt[]>;
}

/**
 * Hands outbox messages to the delivery queues (jobs/). Optional everywhere: without it the
 * outbox sweep finds pending messages within a minute.
 * @example
 * await dispatch(await store.outbound.routes(orgId, ids));
 */
export type Dispatch = (routes: DeliveryRoute[], options?: DispatchOptions) => Promise<void>;

export interface DispatchOptions {
  /**
   * `reply`: an answer to someone who just wrote — ahead of everything else on its channel's
   * queue and exempt from quiet hours; `bulk` (default): reminders, broadcasts, alerts, digests.
   */
  priority?: "reply" | "bulk";
}
