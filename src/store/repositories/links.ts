/** One-time link codes that tie a chat account to a person. */
import { randomInt } from "node:crypto";
import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { LinkRepository } from "../../app/index.ts";
import type { Db } from "../db.ts";
import * as t from "../schema.ts";
import { inOrg } from "./scoped.ts";

export function linkRepository(db: Db): LinkRepository {
  return {
    async issue({ digits = 12, ...input }) {
      for (let attempt = 0; attempt < 20; attempt++) {
        let code = "";
        while (code.length < digits) code += String(randomInt(0, 10));
        const [row] = await db
          .insert(t.linkCodes)
          .values({ ...input, channel: input.channel ?? null, code })
          .onConflictDoNothing({ target: [t.linkCodes.orgId, t.linkCodes.code] })
          .returning();
        if (row) return row;
      }
      throw new Error("links.issue: no free code after 20 tries");
    },
    async redeem({ orgId, code, identityId, channel, now }) {
      return db.transaction(async (tx) => {
        const live = inOrg(t.linkCodes, orgId, eq(t.linkCodes.code, code), isNull(t.linkCodes.usedAt), gt(t.linkCodes.expiresAt, now), lt(t.linkCodes.failedTries, 3));
        // The update is the check: only one redeemer can flip used_at from null.
        const [used] = await tx
          .update(t.linkCodes)
          .set({ usedAt: now, usedByIdentityId: identityId })
          .where(and(live, or(isNull(t.linkCodes.channel), eq(t.linkCodes.channel, channel))))
          .returning();
        if (!used) {
          const [wrong] = await tx
            .update(t.linkCodes)
            .set({ failedTries: sql`${t.linkCodes.failedTries} + 1` })
            .where(live)
            .returning({ id: t.linkCodes.id });
          return { refused: wrong ? ("wrong_channel" as const) : ("invalid" as const) };
        }
        await tx
          .update(t.identities)
          .set({ personId: used.personId, linkedAt: now })
          .where(inOrg(t.identities, orgId, eq(t.identities.id, identityId)));
        return { personId: used.personId };
      });
    },
  };
}
