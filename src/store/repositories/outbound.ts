/** Reminders, the outbox (outbound messages) and the delivery ledger. */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { DeliveryRoute, OutboundRepository } from "../../app/index.ts";
import type { Channel, Delivery } from "../../domain/index.ts";
import type { Db } from "../db.ts";
import * as t from "../schema.ts";
import { inOrg, one, oneInOrg } from "./scoped.ts";

/** An outbox row's channel: its account's, else its thread's (a group message). */
function routesOf(rows: { orgId: string; id: string; identityChannel: Channel | null; threadChannel: Channel | null }[]): DeliveryRoute[] {
  return rows.flatMap((r) => {
    const channel = r.identityChannel ?? r.threadChannel;
    return channel ? [{ orgId: r.orgId, id: r.id, channel }] : [];
  });
}

export function outboundRepository(db: Db): OutboundRepository {
  return {
    async planReminder(input) {
      const [row] = await db
        .insert(t.reminders)
        .values(input)
        .onConflictDoNothing({ target: [t.reminders.orgId, t.reminders.dedupeKey] })
        .returning();
      return row ?? null;
    },
    async planReminders(rows) {
      let created = 0;
      // Unnest in chunks: one statement per 5,000 rows, duplicates skipped by the unique key.
      for (let i = 0; i < rows.length; i += 5_000) {
        const chunk = rows.slice(i, i + 5_000);
        const col = <V>(f: (r: (typeof rows)[number]) => V) => sql.param(chunk.map(f));
        const result: unknown = await db.execute(sql`
            insert into ${t.reminders} (org_id, assignment_id, occurrence_id, kind, planned_at, dedupe_key)
            select * from unnest(
              ${col((r) => r.orgId)}::uuid[], ${col((r) => r.assignmentId)}::uuid[], ${col((r) => r.occurrenceId ?? null)}::uuid[],
              ${col((r) => r.kind)}::text[]::reminder_kind[], ${col((r) => r.plannedAt.toISOString())}::text[]::timestamptz[], ${col((r) => r.dedupeKey)}::text[]
            )
            on conflict (org_id, dedupe_key) do nothing
            returning id`);
        created += (result as { rows: unknown[] }).rows.length;
      }
      return created;
    },
    async reminderKeys(orgId, since) {
      const rows = await db
        .select({ key: t.reminders.dedupeKey })
        .from(t.reminders)
        .where(inOrg(t.reminders, orgId, gte(t.reminders.plannedAt, since)));
      return new Set(rows.map((r) => r.key));
    },
    async pendingMoments(orgId, until) {
      const rows = await db
        .selectDistinct({ at: t.reminders.plannedAt })
        .from(t.reminders)
        .where(inOrg(t.reminders, orgId, eq(t.reminders.status, "pending"), lte(t.reminders.plannedAt, until)))
        .orderBy(asc(t.reminders.plannedAt));
      return rows.map((r) => r.at);
    },
    async claimDue(orgId, now, limit) {
      const due = db
        .select({ id: t.reminders.id })
        .from(t.reminders)
        .where(inOrg(t.reminders, orgId, eq(t.reminders.status, "pending"), lte(t.reminders.plannedAt, now)))
        .orderBy(asc(t.reminders.plannedAt))
        .limit(limit)
        .for("update", { skipLocked: true });
      return db
        .update(t.reminders)
        .set({ status: "queued" })
        .where(inArray(t.reminders.id, due))
        .returning();
    },
    async cancelReminders(orgId, ids) {
      if (ids.length === 0) return;
      await db
        .update(t.reminders)
        .set({ status: "cancelled" })
        .where(inOrg(t.reminders, orgId, inArray(t.reminders.id, ids), inArray(t.reminders.status, ["pending", "queued"])));
    },
    async reminders(orgId, assignmentId) {
      return db
        .select()
        .from(t.reminders)
        .where(inOrg(t.reminders, orgId, eq(t.reminders.assignmentId, assignmentId)))
        .orderBy(asc(t.reminders.plannedAt));
    },
    async cancelPendingReminders(orgId, assignmentId) {
      const cancelled = await db
        .update(t.reminders)
        .set({ status: "cancelled" })
        .where(inOrg(t.reminders, orgId, eq(t.reminders.assignmentId, assignmentId), eq(t.reminders.status, "pending")))
        .returning({ id: t.reminders.id });
      return cancelled.length;
    },
    async reminder(orgId, id) {
      return oneInOrg(db, t.reminders, orgId, id);
    },
    async enqueue(input) {
      return one(await db.insert(t.outboundMessages).values(input).returning(), "outbound.enqueue");
    },
    async enqueueMany(rows) {
      if (rows.length === 0) return [];
      // One statement over seven array parameters (unnest), whatever the count: a reminder
      // moment or a broadcast of thousands costs one round trip and one plan.
      const col = (f: (r: (typeof rows)[number]) => string | null | undefined) => sql.param(rows.map((r) => f(r) ?? null));
      const result: unknown = await db.execute(sql`
          insert into ${t.outboundMessages} (org_id, identity_id, thread_id, text, item_id, reminder_id, broadcast_id)
          select o, i, th, tx, it, re, br from unnest(
            ${col((r) => r.orgId)}::uuid[], ${col((r) => r.identityId)}::uuid[], ${col((r) => r.threadId)}::uuid[],
            ${col((r) => r.text)}::text[], ${col((r) => r.itemId)}::uuid[], ${col((r) => r.reminderId)}::uuid[],
            ${col((r) => r.broadcastId)}::uuid[]
          ) with ordinality as u(o, i, th, tx, it, re, br, n)
          order by n
          returning id`);
      return (result as { rows: { id: string }[] }).rows.map((r) => r.id);
    },
    async routes(orgId, ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .select({ orgId: t.outboundMessages.orgId, id: t.outboundMessages.id, identityChannel: t.identities.channel, threadChannel: t.threads.channel })
        .from(t.outboundMessages)
        .leftJoin(t.identities, eq(t.identities.id, t.outboundMessages.identityId))
        .leftJoin(t.threads, eq(t.threads.id, t.outboundMessages.threadId))
        .where(inOrg(t.outboundMessages, orgId, inArray(t.outboundMessages.id, ids)));
      return routesOf(rows);
    },
    async recordDelivery(input) {
      // Transient outcomes leave the message pending (the queue tries again); the rest settle it.
      const status = input.outcome === "sent" ? "sent" : ["retrying", "sending", "rate_limited"].includes(input.outcome) ? null : "failed";
      // One statement (the row and the message's status), not a transaction of four round trips:
      // every delivery writes this twice.
      const result: unknown = await db.execute(sql`
          with d as (
            insert into ${t.deliveries} (org_id, outbound_message_id, channel, attempt, outcome, external_message_id, error_code, error_message, attempted_at)
            values (${input.orgId}, ${input.outboundMessageId}, ${input.channel}, ${input.attempt}, ${input.outcome}, ${input.externalMessageId ?? null},
                    ${input.errorCode ?? null}, ${input.errorMessage ?? null}, ${input.attemptedAt.toISOString()})
            on conflict (outbound_message_id, attempt) do update set
              outcome = excluded.outcome, external_message_id = excluded.external_message_id, error_code = excluded.error_code,
              error_message = excluded.error_message, attempted_at = excluded.attempted_at
            returning *
          ), m as (
            update ${t.outboundMessages} set status = ${status}::outbound_status
            where ${status}::outbound_status is not null and org_id = ${input.orgId} and id = ${input.outboundMessageId}
            returning id
          )
          select d.*, (select count(*) from m) as updated from d`);
      const row = one((result as { rows: Record<string, unknown>[] }).rows, "outbound.recordDelivery");
      return {
        id: String(row.id),
        orgId: String(row.org_id),
        outboundMessageId: String(row.outbound_message_id),
        channel: row.channel as Channel,
        attempt: Number(row.attempt),
        outcome: row.outcome as Delivery["outcome"],
        externalMessageId: (row.external_message_id as string | null) ?? null,
        errorCode: (row.error_code as string | null) ?? null,
        errorMessage: (row.error_message as string | null) ?? null,
        attemptedAt: new Date(row.attempted_at as string | Date),
      };
    },
    async byExternalId(orgId, channel, externalMessageId) {
      const [row] = await db
        .select({ message: t.outboundMessages })
        .from(t.deliveries)
        .innerJoin(t.outboundMessages, eq(t.outboundMessages.id, t.deliveries.outboundMessageId))
        .where(inOrg(t.deliveries, orgId, eq(t.deliveries.channel, channel), eq(t.deliveries.externalMessageId, externalMessageId)));
      return row?.message ?? null;
    },
    async failed(orgId, limit) {
      const last = db
        .selectDistinctOn([t.deliveries.outboundMessageId], {
          outboundMessageId: t.deliveries.outboundMessageId,
          outcome: t.deliveries.outcome,
          errorMessage: t.deliveries.errorMessage,
          attemptedAt: t.deliveries.attemptedAt,
        })
        .from(t.deliveries)
        .where(inOrg(t.deliveries, orgId))
        .orderBy(t.deliveries.outboundMessageId, desc(t.deliveries.attempt))
        .as("last");
      const rows = await db
        .select({
          outboundMessageId: t.outboundMessages.id,
          text: t.outboundMessages.text,
          createdAt: t.outboundMessages.createdAt,
          channel: t.identities.channel,
          personName: t.persons.fullName,
          outcome: last.outcome,
          error: last.errorMessage,
          attemptedAt: last.attemptedAt,
        })
        .from(t.outboundMessages)
        .leftJoin(t.identities, eq(t.identities.id, t.outboundMessages.identityId))
        .leftJoin(t.persons, eq(t.persons.id, t.identities.personId))
        .leftJoin(last, eq(last.outboundMessageId, t.outboundMessages.id))
        .where(inOrg(t.outboundMessages, orgId, eq(t.outboundMessages.status, "failed")))
        .orderBy(desc(t.outboundMessages.createdAt))
        .limit(limit);
      return rows;
    },
    async reminderLog(orgId, filter) {
      const conditions: SQL[] = [];
      if (filter.since) conditions.push(gte(t.outboundMessages.createdAt, filter.since));
      if (filter.until) conditions.push(lt(t.outboundMessages.createdAt, filter.until));
      if (filter.personId) conditions.push(eq(t.identities.personId, filter.personId));
      return db
        .select({
          at: t.outboundMessages.createdAt,
          kind: t.reminders.kind,
          itemRef: t.items.ref,
          unitName: t.units.name,
          recipient: sql<string | null>`coalesce(${t.persons.fullName}, ${t.threads.title})`,
          channel: sql<Channel | null>`coalesce(${t.identities.channel}, ${t.threads.channel})`,
          status: t.outboundMessages.status,
        })
        .from(t.outboundMessages)
        .innerJoin(t.reminders, eq(t.reminders.id, t.outboundMessages.reminderId))
        .innerJoin(t.assignments, eq(t.assignments.id, t.reminders.assignmentId))
        .innerJoin(t.items, eq(t.items.id, t.assignments.itemId))
        .innerJoin(t.units, eq(t.units.id, t.assignments.unitId))
        .leftJoin(t.identities, eq(t.identities.id, t.outboundMessages.identityId))
        .leftJoin(t.persons, eq(t.persons.id, t.identities.personId))
        .leftJoin(t.threads, eq(t.threads.id, t.outboundMessages.threadId))
        .where(inOrg(t.outboundMessages, orgId, ...conditions))
        .orderBy(desc(t.outboundMessages.createdAt))
        .limit(filter.limit);
    },
    async pendingToDeliver(olderThan, limit) {
      const rows = await db
        .select({ orgId: t.outboundMessages.orgId, id: t.outboundMessages.id, identityChannel: t.identities.channel, threadChannel: t.threads.channel })
        .from(t.outboundMessages)
        .leftJoin(t.identities, eq(t.identities.id, t.outboundMessages.identityId))
        .leftJoin(t.threads, eq(t.threads.id, t.outboundMessages.threadId))
        .where(
          and(
            eq(t.outboundMessages.status, "pending"),
            or(isNotNull(t.outboundMessages.identityId), isNotNull(t.outboundMessages.threadId)),
            lt(t.outboundMessages.createdAt, olderThan),
          ),
        )
        .orderBy(asc(t.outboundMessages.createdAt))
        .limit(limit);
      return routesOf(rows);
    },
    async pending(orgId) {
      return db
        .select()
        .from(t.outboundMessages)
        .where(inOrg(t.outboundMessages, orgId, eq(t.outboundMessages.status, "pending")))
        .orderBy(asc(t.outboundMessages.createdAt));
    },
    async get(orgId, id) {
      return oneInOrg(db, t.outboundMessages, orgId, id);
    },
    async setStatus(orgId, id, status) {
      await db
        .update(t.outboundMessages)
        .set({ status })
        .where(inOrg(t.outboundMessages, orgId, eq(t.outboundMessages.id, id)));
    },
    async recordEchoes(orgId, channel, echoes, at) {
      if (echoes.length === 0) return 0;
      const result: unknown = await db.execute(sql`
          with e as (
            select * from unnest(${sql.param(echoes.map((e) => e.outboundMessageId))}::uuid[], ${sql.param(echoes.map((e) => e.externalMessageId))}::text[]) as e(id, mid)
          ), valid as (
            select distinct on (e.id) e.id, e.mid from e
            join ${t.outboundMessages} o on o.id = e.id and o.org_id = ${orgId}
            where not exists (select 1 from ${t.deliveries} d where d.outbound_message_id = e.id and d.outcome = 'sent')
          ), ins as (
            insert into ${t.deliveries} (org_id, outbound_message_id, channel, attempt, outcome, external_message_id, attempted_at)
            select ${orgId}, id, ${channel}, 0, 'sent', mid, ${at.toISOString()} from valid
            on conflict (outbound_message_id, attempt) do nothing
            returning outbound_message_id
          ), upd as (
            update ${t.outboundMessages} set status = 'sent' where id in (select outbound_message_id from ins) returning id
          )
          select count(*)::int as n from upd`);
      return (result as { rows: { n: number }[] }).rows[0]?.n ?? 0;
    },
    async deliveries(orgId, outboundMessageId) {
      return db
        .select()
        .from(t.deliveries)
        .where(inOrg(t.deliveries, orgId, eq(t.deliveries.outboundMessageId, outboundMessageId)))
        .orderBy(asc(t.deliveries.attempt));
    },
    async repliesTo(orgId, inboundMessageId) {
      return inboxRows(db, inOrg(t.outboundMessages, orgId, eq(t.outboundMessages.inReplyTo, inboundMessageId)), 100);
    },
    async inbox(orgId, channel, externalId, limit) {
      // An account's direct messages, or a group's: the platform id names either.
      const to = or(
        and(eq(t.identities.channel, channel), eq(t.identities.externalId, externalId)),
        and(isNull(t.outboundMessages.identityId), eq(t.threads.channel, channel), eq(t.threads.externalId, externalId)),
      );
      return inboxRows(db, inOrg(t.outboundMessages, orgId, to), limit);
    },
  };
}

/** Outbox rows with their recipient's platform id and their sent delivery, in the order written. */
async function inboxRows(db: Db, where: SQL, limit: number) {
  const sent = db
    .selectDistinctOn([t.deliveries.outboundMessageId], { outboundMessageId: t.deliveries.outboundMessageId, externalMessageId: t.deliveries.externalMessageId, attemptedAt: t.deliveries.attemptedAt })
    .from(t.deliveries)
    .where(eq(t.deliveries.outcome, "sent"))
    .orderBy(t.deliveries.outboundMessageId, asc(t.deliveries.attempt))
    .as("sent");
  const rows = await db
    .select({
      outboundMessageId: t.outboundMessages.id,
      text: t.outboundMessages.text,
      status: t.outboundMessages.status,
      inReplyTo: t.outboundMessages.inReplyTo,
      reminderId: t.outboundMessages.reminderId,
      broadcastId: t.outboundMessages.broadcastId,
      identityExternalId: t.identities.externalId,
      threadExternalId: t.threads.externalId,
      externalMessageId: sent.externalMessageId,
      deliveredAt: sent.attemptedAt,
      createdAt: t.outboundMessages.createdAt,
    })
    .from(t.outboundMessages)
    .leftJoin(t.identities, eq(t.identities.id, t.outboundMessages.identityId))
    .leftJoin(t.threads, eq(t.threads.id, t.outboundMessages.threadId))
    .leftJoin(sent, eq(sent.outboundMessageId, t.outboundMessages.id))
    .where(where)
    // In the order they were written (one clock: the database's): a fallback copy after its original.
    .orderBy(asc(t.outboundMessages.createdAt), asc(t.outboundMessages.id))
    .limit(limit);
  return rows.map((r) => ({
    outboundMessageId: r.outboundMessageId,
    text: r.text,
    status: r.status,
    kind: r.inReplyTo ? ("reply" as const) : r.reminderId ? ("reminder" as const) : r.broadcastId ? ("broadcast" as const) : ("alert" as const),
    externalMessageId: r.externalMessageId,
    // A direct message is to the account; a group message to the group.
    to: (r.identityExternalId ?? r.threadExternalId) ?? "",
    createdAt: r.createdAt,
    deliveredAt: r.deliveredAt,
  }));
}
