/** Units and their aliases (names compared folded). */
import { asc, eq } from "drizzle-orm";
import type { UnitRepository } from "../../app/index.ts";
import type { Db } from "../db.ts";
import * as t from "../schema.ts";
import { inOrg, one } from "./scoped.ts";

export function unitRepository(db: Db): UnitRepository {
  return {
    async create({ aliases = [], ...input }) {
      return db.transaction(async (tx) => {
        const unit = one(await tx.insert(t.units).values(input).returning(), "units.create");
        if (aliases.length > 0) {
          await tx
            .insert(t.unitAliases)
            .values(aliases.map((a) => ({ ...a, orgId: input.orgId, unitId: unit.id })));
        }
        return unit;
      });
    },
    async list(orgId) {
      return db.select().from(t.units).where(inOrg(t.units, orgId)).orderBy(asc(t.units.name));
    },
    async allAliases(orgId) {
      return db
        .select({ unitId: t.unitAliases.unitId, alias: t.unitAliases.alias })
        .from(t.unitAliases)
        .where(inOrg(t.unitAliases, orgId));
    },
    async byKey(orgId, key) {
      const [row] = await db
        .select()
        .from(t.units)
        .where(inOrg(t.units, orgId, eq(t.units.key, key)));
      return row ?? null;
    },
    async aliases(orgId, unitId) {
      const rows = await db
        .select({ alias: t.unitAliases.alias })
        .from(t.unitAliases)
        .where(inOrg(t.unitAliases, orgId, eq(t.unitAliases.unitId, unitId)))
        .orderBy(asc(t.unitAliases.alias));
      return rows.map((r) => r.alias);
    },
    async byAlias(orgId, folded) {
      const [row] = await db
        .select({ unit: t.units })
        .from(t.unitAliases)
        .innerJoin(t.units, eq(t.units.id, t.unitAliases.unitId))
        .where(inOrg(t.unitAliases, orgId, eq(t.unitAliases.folded, folded)));
      return row?.unit ?? null;
    },
    async addAlias(orgId, unitId, alias) {
      const [unit] = await db.select({ id: t.units.id }).from(t.units).where(inOrg(t.units, orgId, eq(t.units.id, unitId)));
      if (!unit) return false;
      const inserted = await db.insert(t.unitAliases).values({ orgId, unitId, ...alias }).onConflictDoNothing().returning({ unitId: t.unitAliases.unitId });
      return inserted.length > 0;
    },
  };
}
