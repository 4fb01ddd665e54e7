/**
 * What a chat user received (the simulator's inbox, and what the office reads of it): every
 * message delivered to a person or a group — replies, reminders, broadcasts, alerts — in order;
 * and the replies to one inbound message, so the simulator's HTTP call can wait for them.
 */
import type { Channel } from "../domain/index.ts";
import type { Clock, InboxEntry, Store } from "./ports/index.ts";

export type InboxStore = Pick<Store, "inbound" | "outbound">;

export interface RepliesState {
  /** The message was interpreted and every reply it made is delivered (or failed). */
  done: boolean;
  replies: InboxEntry[];
}

/**
 * @example
 * const inbox = createInbox({ store, clock });
 * const { done, replies } = await inbox.repliesTo(orgId, inboundMessageId); // poll until done
 * const received = await inbox.of(orgId, "simulator", "canbo-hoi-ccb");
 */
export function createInbox(deps: { store: InboxStore; clock: Clock }) {
  const { store } = deps;
  return {
    async repliesTo(orgId: string, inboundMessageId: string): Promise<RepliesState> {
      const message = await store.inbound.get(orgId, inboundMessageId);
      const replies = await store.outbound.repliesTo(orgId, inboundMessageId);
      const settled = replies.every((r) => r.status !== "pending");
      return { done: Boolean(message?.processedAt) && settled, replies };
    },

    /** What this person (by their account) or this group received on a channel, oldest first. */
    of: (orgId: string, channel: Channel, externalId: string, limit = 200) => store.outbound.inbox(orgId, channel, externalId, limit),
  };
}

export type Inbox = ReturnType<typeof createInbox>;
