/** Directives and their items. */
import type { Directive, Item, ItemAssignee, ItemDeadline, ItemRotation } from "../../domain/index.ts";

export interface NewItem {
  ref: string;
  parentRef?: string | null;
  text: string;
  summary: string;
  label?: string | null;
  deadline?: ItemDeadline | null;
  dueDate?: string | null;
  rotation?: ItemRotation | null;
  assignees?: ItemAssignee[];
}

export type ItemPatch = Partial<Omit<NewItem, "ref">> & { ref?: string };

/**
 * Directives and their items. A directive is a draft until activated.
 * @example
 * const { directive, created } = await store.directives.createDraft({ orgId, sourceText, items: [] });
 */
export interface DirectiveRepository {
  /** Idempotent on (org, SHA-256 of sourceText): the same text imported twice returns the
   * first directive with `created: false`. */
  createDraft(input: {
    orgId: string;
    sourceText: string;
    sourceName?: string | null;
    docType?: string | null;
    number?: string | null;
    issuer?: string | null;
    issuedDate?: string | null;
    signer?: string | null;
    recipients?: string[];
    shortName?: string | null;
    items: NewItem[];
  }): Promise<{ directive: Directive; created: boolean }>;
  get(orgId: string, id: string): Promise<{ directive: Directive; items: Item[] } | null>;
  list(orgId: string): Promise<Directive[]>;
  item(orgId: string, itemId: string): Promise<Item | null>;
  /** Adds an item at the end (or after `afterRef`'s position when given). */
  addItem(orgId: string, directiveId: string, item: NewItem): Promise<Item>;
  updateItem(orgId: string, itemId: string, patch: ItemPatch): Promise<Item>;
  removeItem(orgId: string, itemId: string): Promise<boolean>;
  setStatus(orgId: string, id: string, status: Directive["status"], at: Date): Promise<Directive>;
  /** Renames a directive (its short name in chat) in any status. */
  setShortName(orgId: string, id: string, shortName: string): Promise<Directive>;
}
