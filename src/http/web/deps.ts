import type { BoardViews, Broadcasts, Conversation, Directory, Groups, Intake } from "../../app/index.ts";
import type { Clock, Store } from "../../app/index.ts";

/**
 * What the page modules may use: use cases, and the store's ports for plain reads (lists of
 * units, people, the audit log). Built once in main/.
 */
export interface PageDeps {
  /** Plain reads for the pages (changes go through the use cases below). */
  store: Pick<Store, "units" | "persons" | "chats" | "directives" | "tracking" | "outbound" | "audit">;
  clock: Clock;
  intake: Intake;
  directory: Directory;
  conversation: Pick<Conversation, "issueLinkCode" | "handle">;
  broadcasts: Broadcasts;
  groups: Groups;
  settings: { get(orgId: string): Promise<Record<string, unknown>>; set(orgId: string, raw: unknown, actor?: string): Promise<Record<string, unknown>> };
  /** The Facebook Page id or username for m.me links, when Messenger is set up. */
  messengerPage: string | null;
  /** The status board's view-models (built from store and clock when omitted). */
  board?: BoardViews;
}
