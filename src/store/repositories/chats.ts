/** Chat accounts (identities), threads, and who can be reached on which account. */
import { and, arrayContains, asc, eq, isNotNull, sql } from "drizzle-orm";
import type { ChatRepository } from "../../app/index.ts";
import type { Db } from "../db.ts";
import * as t from "../schema.ts";
import { inOrg, one, oneInOrg } from "./scoped.ts";
import { currentStatus } from "./tracking.ts";

export function chatRepository(db: Db): ChatRepository {
  return {
    async upsertIdentity(input) {
      return one(
        await db
          .insert(t.identities)
          .values(input)
          .onConflictDoUpdate({
            target: [t.identities.orgId, t.identities.channel, t.identities.externalId],
            // Keep the stored name and time unless new ones are given.
            set: {
              displayName: sql`coalesce(excluded.display_name, ${t.identities.displayName})`,
              lastInboundAt: sql`greatest(excluded.last_inbound_at, ${t.identities.lastInboundAt})`,
            },
          })
          .returning(),
        "chats.upsertIdentity",
      );
    },
    async linkIdentity(orgId, identityId, personId, at) {
      return one(
        await db
          .update(t.identities)
          .set({ personId, linkedAt: at })
          .where(inOrg(t.identities, orgId, eq(t.identities.id, identityId)))
          .returning(),
        "chats.linkIdentity",
      );
    },
    async identity(orgId, channel, externalId) {
      const [row] = await db
        .select()
        .from(t.identities)
        .where(inOrg(t.identities, orgId, eq(t.identities.channel, channel), eq(t.identities.externalId, externalId)));
      return row ?? null;
    },
    async upsertThread(input) {
      return one(
        await db
          .insert(t.threads)
          .values(input)
          .onConflictDoUpdate({
            target: [t.threads.orgId, t.threads.channel, t.threads.externalId],
            set: { title: sql`coalesce(excluded.title, ${t.threads.title})` },
          })
          .returning(),
        "chats.upsertThread",
      );
    },
    async bindThread(orgId, threadId, unitId) {
      return one(
        await db
          .update(t.threads)
          .set({ unitId })
          .where(inOrg(t.threads, orgId, eq(t.threads.id, threadId)))
          .returning(),
        "chats.bindThread",
      );
    },
    async reachableByUnit(orgId, role) {
      return db
        .selectDistinctOn([t.unitMemberships.unitId, t.persons.id], {
          unitId: t.unitMemberships.unitId,
          personId: t.persons.id,
          identityId: t.identities.id,
          channel: t.identities.channel,
        })
        .from(t.persons)
        .innerJoin(t.identities, and(eq(t.identities.personId, t.persons.id), eq(t.identities.orgId, orgId)))
        .innerJoin(t.unitMemberships, eq(t.unitMemberships.personId, t.persons.id))
        .where(inOrg(t.persons, orgId, arrayContains(t.persons.roles, [role])))
        .orderBy(t.unitMemberships.unitId, t.persons.id, sql`${t.identities.lastInboundAt} desc nulls last`);
    },
    async boundGroups(orgId) {
      return db
        .select()
        .from(t.threads)
        .where(inOrg(t.threads, orgId, isNotNull(t.threads.unitId), eq(t.threads.kind, "group")))
        .orderBy(asc(t.threads.createdAt));
    },
    async groupThreads(orgId) {
      return db
        .select()
        .from(t.threads)
        .where(inOrg(t.threads, orgId, eq(t.threads.kind, "group")))
        .orderBy(asc(t.threads.createdAt));
    },
    async linkedIdentities(orgId) {
      return db
        .select()
        .from(t.identities)
        .where(inOrg(t.identities, orgId, isNotNull(t.identities.personId)))
        .orderBy(sql`${t.identities.lastInboundAt} desc nulls last`);
    },
    async unreportedAccounts(orgId, unitId, itemId, channel) {
      return db
        // One assignment per (item, unit), one membership per (unit, person), one person per account: no duplicates.
        .select({ externalId: t.identities.externalId, name: t.persons.fullName })
        .from(t.assignments)
        .innerJoin(t.unitMemberships, and(eq(t.unitMemberships.unitId, t.assignments.unitId), eq(t.unitMemberships.orgId, orgId)))
        .innerJoin(t.persons, and(eq(t.persons.id, t.unitMemberships.personId), arrayContains(t.persons.roles, ["cadre"])))
        .innerJoin(t.identities, and(eq(t.identities.personId, t.persons.id), eq(t.identities.orgId, orgId), eq(t.identities.channel, channel)))
        .where(inOrg(t.assignments, orgId, eq(t.assignments.unitId, unitId), eq(t.assignments.itemId, itemId), sql`${currentStatus(sql`(now() at time zone 'Asia/Ho_Chi_Minh')::date`)} = 'not_reported'`))
        .orderBy(asc(t.persons.fullName), asc(t.identities.externalId));
    },
    async groupsOfUnit(orgId, unitId) {
      return db
        .select()
        .from(t.threads)
        .where(inOrg(t.threads, orgId, eq(t.threads.unitId, unitId), eq(t.threads.kind, "group")))
        .orderBy(asc(t.threads.createdAt));
    },
    async identityById(orgId, id) {
      return oneInOrg(db, t.identities, orgId, id);
    },
    async threadById(orgId, id) {
      return oneInOrg(db, t.threads, orgId, id);
    },
    async setThreadState(orgId, threadId, state) {
      await db
        .update(t.threads)
        .set(state)
        .where(inOrg(t.threads, orgId, eq(t.threads.id, threadId)));
    },
    async identitiesOfPerson(orgId, personId) {
      return db
        .select()
        .from(t.identities)
        .where(inOrg(t.identities, orgId, eq(t.identities.personId, personId)))
        .orderBy(sql`${t.identities.lastInboundAt} desc nulls last`);
    },
    async reachable(orgId, role, unitId) {
      // One query instead of a lookup per person (and per membership) on every fan-out.
      const where = inOrg(t.persons, orgId, arrayContains(t.persons.roles, [role]));
      const base = db
        .selectDistinctOn([t.persons.id], { personId: t.persons.id, identityId: t.identities.id, channel: t.identities.channel })
        .from(t.persons)
        .innerJoin(t.identities, and(eq(t.identities.personId, t.persons.id), eq(t.identities.orgId, orgId)));
      const query = unitId
        ? base
            .innerJoin(t.unitMemberships, and(eq(t.unitMemberships.personId, t.persons.id), eq(t.unitMemberships.unitId, unitId)))
            .where(where)
        : base.where(where);
      return query.orderBy(t.persons.id, sql`${t.identities.lastInboundAt} desc nulls last`);
    },
    async personsWithRole(orgId, role) {
      return db
        .select()
        .from(t.persons)
        .where(inOrg(t.persons, orgId, arrayContains(t.persons.roles, [role])))
        .orderBy(asc(t.persons.fullName));
    },
    async thread(orgId, channel, externalId) {
      const [row] = await db
        .select()
        .from(t.threads)
        .where(inOrg(t.threads, orgId, eq(t.threads.channel, channel), eq(t.threads.externalId, externalId)));
      return row ?? null;
    },
  };
}
