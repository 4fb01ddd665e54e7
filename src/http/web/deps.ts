import type { BoardViews, Broadcasts, Conversation, Groups, Intake } from "../../app/index.ts";
import type { Clock, Store } from "../../app/ports.ts";

/**
 * What the page modules may use: use cases, and the store's ports for plain reads (lists of
 * units, people, the audit log). Built once in main/.
 */
export interface PageDeps {
  store: Store;
  clock: Clock;
  intake: Intake;
  conversation: Pick<Conversation, "issueLinkCode" | "handle">;
  broadcasts: Broadcasts;
  groups: Groups;
  settings: { get(orgId: string): Promise<Record<string, unknown>>; set(orgId: string, raw: unknown, actor?: string): Promise<Record<string, unknown>> };
  /** The Facebook Page id or username for m.me links, when Messenger is set up. */
  messengerPage: string | null;
  /** The status board's view-models (built from store and clock when omitted). */
  board?: BoardViews;
}
