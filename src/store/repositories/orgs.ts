/** Orgs (tenants): the one table not scoped by an org. */
import { asc, eq } from "drizzle-orm";
import type { OrgRepository } from "../../app/index.ts";
import type { Db } from "../db.ts";
import * as t from "../schema.ts";
import { one } from "./scoped.ts";

export function orgRepository(db: Db): OrgRepository {
  return {
    async create(input) {
      return one(await db.insert(t.orgs).values(input).returning(), "orgs.create");
    },
    async all() {
      return db.select().from(t.orgs).orderBy(asc(t.orgs.slug));
    },
    async byId(id) {
      const [row] = await db.select().from(t.orgs).where(eq(t.orgs.id, id));
      return row ?? null;
    },
    async setSettings(id, settings) {
      return one(await db.update(t.orgs).set({ settings }).where(eq(t.orgs.id, id)).returning(), "orgs.setSettings");
    },
    async bySlug(slug) {
      const [row] = await db.select().from(t.orgs).where(eq(t.orgs.slug, slug));
      return row ?? null;
    },
    async ensure(input) {
      const inserted = await db
        .insert(t.orgs)
        .values(input)
        .onConflictDoNothing({ target: t.orgs.slug })
        .returning();
      if (inserted[0]) return { org: inserted[0], created: true };
      const [row] = await db.select().from(t.orgs).where(eq(t.orgs.slug, input.slug));
      return { org: one(row ? [row] : [], "orgs.ensure"), created: false };
    },
  };
}
