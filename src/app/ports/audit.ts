/** The append-only audit log. */
import type { AuditEntry } from "../../domain/index.ts";

/**
 * The append-only audit log.
 * @example
 * await store.audit.append({ orgId, actor: "system", action: "directive.activated", entity: "directive", entityId: id });
 */
export interface AuditRepository {
  append(input: {
    orgId: string;
    actor: string;
    action: string;
    entity: string;
    entityId?: string | null;
    data?: Record<string, unknown>;
    at?: Date;
  }): Promise<AuditEntry>;
  list(orgId: string, options?: { limit?: number }): Promise<AuditEntry[]>;
  /** How many entries with this action about this entity since a moment (rate limits). */
  count(orgId: string, action: string, entityId: string, since: Date): Promise<number>;
  /** Entries newest first, filtered (the activity page). */
  search(orgId: string, filter: AuditFilter): Promise<AuditEntry[]>;
}

/** What the activity page filters the audit log by; every field optional but the limit. */
export interface AuditFilter {
  /** Actions to keep: an exact name ("web.signin") or a prefix ending in "." ("report."). */
  actions?: string[];
  /** Entries by this person (actor "person:<id>") or about them (entity id). */
  personId?: string;
  since?: Date;
  /** Exclusive. */
  until?: Date;
  limit: number;
}
