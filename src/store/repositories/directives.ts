/** Directives and their items; a directive is idempotent on the SHA-256 of its source text. */
import { asc, desc, eq, max } from "drizzle-orm";
import type { DirectiveRepository } from "../../app/index.ts";
import type { Db } from "../db.ts";
import * as t from "../schema.ts";
import { inOrg, one, oneInOrg } from "./scoped.ts";
import { sha256 } from "./sha256.ts";

export function directiveRepository(db: Db): DirectiveRepository {
  return {
    async createDraft({ items, ...input }) {
      const sourceHash = sha256(input.sourceText);
      return db.transaction(async (tx) => {
        const [directive] = await tx
          .insert(t.directives)
          .values({ ...input, sourceHash })
          .onConflictDoNothing({ target: [t.directives.orgId, t.directives.sourceHash] })
          .returning();
        if (!directive) {
          const [existing] = await tx
            .select()
            .from(t.directives)
            .where(inOrg(t.directives, input.orgId, eq(t.directives.sourceHash, sourceHash)));
          return { directive: one(existing ? [existing] : [], "directives.createDraft"), created: false };
        }
        if (items.length > 0) {
          await tx.insert(t.items).values(
            items.map((item, position) => ({
              ...item,
              orgId: input.orgId,
              directiveId: directive.id,
              position,
            })),
          );
        }
        return { directive, created: true };
      });
    },
    async get(orgId, id) {
      const directive = await oneInOrg(db, t.directives, orgId, id);
      if (!directive) return null;
      const items = await db
        .select()
        .from(t.items)
        .where(inOrg(t.items, orgId, eq(t.items.directiveId, id)))
        .orderBy(asc(t.items.position));
      return { directive, items };
    },
    async list(orgId) {
      return db
        .select()
        .from(t.directives)
        .where(inOrg(t.directives, orgId))
        .orderBy(desc(t.directives.createdAt));
    },
    async item(orgId, itemId) {
      return oneInOrg(db, t.items, orgId, itemId);
    },
    async addItem(orgId, directiveId, item) {
      const [last] = await db
        .select({ position: max(t.items.position) })
        .from(t.items)
        .where(inOrg(t.items, orgId, eq(t.items.directiveId, directiveId)));
      return one(
        await db
          .insert(t.items)
          .values({ ...item, orgId, directiveId, position: (last?.position ?? -1) + 1 })
          .returning(),
        "directives.addItem",
      );
    },
    async updateItem(orgId, itemId, patch) {
      return one(
        await db
          .update(t.items)
          .set(patch)
          .where(inOrg(t.items, orgId, eq(t.items.id, itemId)))
          .returning(),
        "directives.updateItem",
      );
    },
    async removeItem(orgId, itemId) {
      const removed = await db
        .delete(t.items)
        .where(inOrg(t.items, orgId, eq(t.items.id, itemId)))
        .returning({ id: t.items.id });
      return removed.length > 0;
    },
    async setStatus(orgId, id, status, at) {
      return one(
        await db
          .update(t.directives)
          .set({ status, ...(status === "active" ? { activatedAt: at } : {}) })
          .where(inOrg(t.directives, orgId, eq(t.directives.id, id)))
          .returning(),
        "directives.setStatus",
      );
    },
    async setShortName(orgId, id, shortName) {
      return one(await db.update(t.directives).set({ shortName }).where(inOrg(t.directives, orgId, eq(t.directives.id, id))).returning(), "directives.setShortName");
    },
  };
}
