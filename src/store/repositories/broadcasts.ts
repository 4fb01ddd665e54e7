/** Broadcasts: one message to many, and each recipient's progress. */
import { asc, desc, eq, sql } from "drizzle-orm";
import type { BroadcastRepository } from "../../app/index.ts";
import type { Channel } from "../../domain/index.ts";
import type { Db } from "../db.ts";
import * as t from "../schema.ts";
import { inOrg, oneInOrg } from "./scoped.ts";

export function broadcastRepository(db: Db): BroadcastRepository {
  return {
    async create(input, recipients) {
      return db.transaction(async (tx) => {
        const [broadcast] = await tx
          .insert(t.broadcasts)
          .values(input)
          .onConflictDoNothing({ target: [t.broadcasts.orgId, t.broadcasts.dedupeKey] })
          .returning();
        if (!broadcast) return null;
        const outboxIds: string[] = [];
        for (let i = 0; i < recipients.length; i += 1_000) {
          const rows = recipients.slice(i, i + 1_000).map((r) => ({ ...r, orgId: input.orgId, broadcastId: broadcast.id }));
          const inserted = await tx.insert(t.outboundMessages).values(rows).returning({ id: t.outboundMessages.id });
          outboxIds.push(...inserted.map((r) => r.id));
        }
        return { broadcast, outboxIds };
      });
    },
    async get(orgId, id) {
      return oneInOrg(db, t.broadcasts, orgId, id);
    },
    async byDedupeKey(orgId, dedupeKey) {
      const [row] = await db
        .select()
        .from(t.broadcasts)
        .where(inOrg(t.broadcasts, orgId, eq(t.broadcasts.dedupeKey, dedupeKey)));
      return row ?? null;
    },
    async list(orgId, limit) {
      return db.select().from(t.broadcasts).where(inOrg(t.broadcasts, orgId)).orderBy(desc(t.broadcasts.createdAt)).limit(limit);
    },
    async recipients(orgId, broadcastId) {
      const last = db
        .selectDistinctOn([t.deliveries.outboundMessageId], {
          outboundMessageId: t.deliveries.outboundMessageId,
          outcome: t.deliveries.outcome,
          errorMessage: t.deliveries.errorMessage,
          attemptedAt: t.deliveries.attemptedAt,
        })
        .from(t.deliveries)
        .innerJoin(t.outboundMessages, eq(t.outboundMessages.id, t.deliveries.outboundMessageId))
        .where(inOrg(t.deliveries, orgId, eq(t.outboundMessages.broadcastId, broadcastId)))
        .orderBy(t.deliveries.outboundMessageId, desc(t.deliveries.attempt))
        .as("last");
      return db
        .select({
          outboundMessageId: t.outboundMessages.id,
          status: t.outboundMessages.status,
          channel: sql<Channel | null>`coalesce(${t.identities.channel}, ${t.threads.channel})`,
          personName: t.persons.fullName,
          threadTitle: t.threads.title,
          lastOutcome: last.outcome,
          error: last.errorMessage,
          attemptedAt: last.attemptedAt,
          fallbackOf: t.outboundMessages.fallbackOf,
        })
        .from(t.outboundMessages)
        .leftJoin(t.identities, eq(t.identities.id, t.outboundMessages.identityId))
        .leftJoin(t.persons, eq(t.persons.id, t.identities.personId))
        .leftJoin(t.threads, eq(t.threads.id, t.outboundMessages.threadId))
        .leftJoin(last, eq(last.outboundMessageId, t.outboundMessages.id))
        .where(inOrg(t.outboundMessages, orgId, eq(t.outboundMessages.broadcastId, broadcastId)))
        .orderBy(asc(t.outboundMessages.createdAt), asc(t.outboundMessages.id));
    },
  };
}
