/** Attempt counters with backoff (sign-in, link codes), one locked read-modify-write per key. */
import { eq, sql } from "drizzle-orm";
import type { LimitRepository } from "../../app/index.ts";
import { decideAttempt } from "../../domain/index.ts";
import type { Db } from "../db.ts";
import * as t from "../schema.ts";

export function limitRepository(db: Db): LimitRepository {
  return {
    async take(key, now, policy) {
      return db.transaction(async (tx) => {
        await tx.insert(t.attemptCounters).values({ key, count: 0, windowStart: now }).onConflictDoNothing();
        // Locked: a parallel attempt on the same key waits here, then sees this one's count.
        const [row] = await tx.select().from(t.attemptCounters).where(eq(t.attemptCounters.key, key)).for("update");
        const decision = decideAttempt(row ?? null, now, policy);
        await tx.update(t.attemptCounters).set(decision.next).where(eq(t.attemptCounters.key, key));
        return { allowed: decision.allowed, retryAt: decision.retryAt, count: decision.next.count };
      });
    },
    async refund(key) {
      await db.update(t.attemptCounters).set({ count: sql`greatest(${t.attemptCounters.count} - 1, 0)`, blockedUntil: null }).where(eq(t.attemptCounters.key, key));
    },
    async reset(key) {
      await db.delete(t.attemptCounters).where(eq(t.attemptCounters.key, key));
    },
  };
}
