/**
 * The shapes every repository writes again and again: a condition scoped to one org, the row of
 * an id within the org, and the one row an insert or update must return.
 */
import { and, eq, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../db.ts";

/** A tenant table: every table with an `org_id` column. */
type OrgTable = PgTable & { orgId: PgColumn };

/**
 * `org_id = $org and …`: the where clause of a query scoped to one org. The SQL is exactly
 * `and(eq(table.orgId, orgId), ...conditions)`; undefined conditions are dropped, as `and` does.
 * @example
 * db.select().from(t.units).where(inOrg(t.units, orgId, eq(t.units.key, key)));
 */
export function inOrg(table: OrgTable, orgId: string, ...conditions: (SQL | undefined)[]): SQL {
  const scope = eq(table.orgId, orgId);
  return and(scope, ...conditions) ?? scope;
}

/**
 * The row with this id in the org, or null (another org's id finds nothing).
 * @example
 * const person = await oneInOrg(db, t.persons, orgId, id);
 */
export async function oneInOrg<T extends OrgTable & { id: PgColumn }>(db: Db, table: T, orgId: string, id: string): Promise<T["$inferSelect"] | null> {
  const [row] = (await db.select().from<PgTable>(table).where(inOrg(table, orgId, eq(table.id, id)))) as T["$inferSelect"][];
  return row ?? null;
}

/** The first row of what an insert or update returned; a missing row is a bug, not a result. */
export function one<T>(rows: T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw new Error(`${what}: no row returned`);
  return row;
}
