/** The append-only audit log. */
import { count, desc, eq, gte, lt, or, type SQL, sql } from "drizzle-orm";
import type { AuditRepository } from "../../app/index.ts";
import type { Db } from "../db.ts";
import * as t from "../schema.ts";
import { inOrg, one } from "./scoped.ts";

export function auditRepository(db: Db): AuditRepository {
  return {
    async count(orgId, action, entityId, since) {
      const [row] = await db
        .select({ n: count() })
        .from(t.auditLog)
        .where(inOrg(t.auditLog, orgId, eq(t.auditLog.action, action), eq(t.auditLog.entityId, entityId), gte(t.auditLog.at, since)));
      return row?.n ?? 0;
    },
    async append(input) {
      return one(await db.insert(t.auditLog).values(input).returning(), "audit.append");
    },
    async list(orgId, options = {}) {
      return db
        .select()
        .from(t.auditLog)
        .where(inOrg(t.auditLog, orgId))
        .orderBy(desc(t.auditLog.id))
        .limit(options.limit ?? 100);
    },
    async search(orgId, filter) {
      const conditions: (SQL | undefined)[] = [];
      if (filter.actions && filter.actions.length > 0) {
        conditions.push(
          or(...filter.actions.map((a) => (a.endsWith(".") ? sql`starts_with(${t.auditLog.action}, ${a})` : eq(t.auditLog.action, a)))),
        );
      }
      if (filter.personId) conditions.push(or(eq(t.auditLog.actor, `person:${filter.personId}`), eq(t.auditLog.entityId, filter.personId)));
      if (filter.since) conditions.push(gte(t.auditLog.at, filter.since));
      if (filter.until) conditions.push(lt(t.auditLog.at, filter.until));
      return db
        .select()
        .from(t.auditLog)
        .where(inOrg(t.auditLog, orgId, ...conditions))
        .orderBy(desc(t.auditLog.at), desc(t.auditLog.id))
        .limit(filter.limit);
    },
  };
}
