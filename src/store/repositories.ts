/**
 * Drizzle repositories implementing the app's Store port. The only place SQL is written.
 * Every query is scoped by orgId.
 */
import { createHash, randomBytes, randomInt } from "node:crypto";
import { and, arrayContains, asc, count, desc, eq, gt, gte, inArray, isNotNull, ne, type SQL, isNull, lt, lte, max, or, sql } from "drizzle-orm";
import type { DeliveryRoute, Store } from "../app/ports.ts";
import type { Channel, Delivery } from "../domain/entities.ts";
import { decideAttempt } from "../domain/index.ts";
import type { Db } from "./db.ts";
import * as t from "./schema.ts";

/** An outbox row's channel: its account's, else its thread's (a group message). */
function routesOf(rows: { orgId: string; id: string; identityChannel: Channel | null; threadChannel: Channel | null }[]): DeliveryRoute[] {
  return rows.flatMap((r) => {
    const channel = r.identityChannel ?? r.threadChannel;
    return channel ? [{ orgId: r.orgId, id: r.id, channel }] : [];
  });
}

/** Assignments with their item, unit and (active) directive: the status board's rows. */
function boardQuery(db: Db, where: SQL | undefined) {
  return db
          .select({
            assignment: t.assignments,
            item: {
              id: t.items.id,
              ref: t.items.ref,
              summary: t.items.summary,
              text: t.items.text,
              parentRef: t.items.parentRef,
              deadline: t.items.deadline,
            },
            unit: { id: t.units.id, name: t.units.name },
            directive: {
              id: t.directives.id,
              number: t.directives.number,
              docType: t.directives.docType,
              issuedDate: t.directives.issuedDate,
              activatedAt: t.directives.activatedAt,
            },
          })
          .from(t.assignments)
          .innerJoin(t.items, eq(t.items.id, t.assignments.itemId))
          .innerJoin(t.units, eq(t.units.id, t.assignments.unitId))
          .innerJoin(t.directives, eq(t.directives.id, t.items.directiveId))
          .where(and(where, eq(t.directives.status, "active")))
          .orderBy(desc(t.directives.activatedAt), asc(t.items.position), asc(t.units.name));
}

function one<T>(rows: T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw new Error(`${what}: no row returned`);
  return row;
}

/**
 * @example
 * const store = createStore(database.db);
 * const { org } = await store.orgs.ensure({ slug: "phuong-7", name: "Đảng ủy phường 7" });
 */
export function createStore(db: Db): Store {
  const store: Store = {
    transaction: (work) => db.transaction((tx) => work(createStore(tx as unknown as Db))),
    orgs: {
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
    },

    units: {
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
        return db.select().from(t.units).where(eq(t.units.orgId, orgId)).orderBy(asc(t.units.name));
      },
      async allAliases(orgId) {
        return db
          .select({ unitId: t.unitAliases.unitId, alias: t.unitAliases.alias })
          .from(t.unitAliases)
          .where(eq(t.unitAliases.orgId, orgId));
      },
      async byKey(orgId, key) {
        const [row] = await db
          .select()
          .from(t.units)
          .where(and(eq(t.units.orgId, orgId), eq(t.units.key, key)));
        return row ?? null;
      },
      async aliases(orgId, unitId) {
        const rows = await db
          .select({ alias: t.unitAliases.alias })
          .from(t.unitAliases)
          .where(and(eq(t.unitAliases.orgId, orgId), eq(t.unitAliases.unitId, unitId)))
          .orderBy(asc(t.unitAliases.alias));
        return rows.map((r) => r.alias);
      },
      async byAlias(orgId, folded) {
        const [row] = await db
          .select({ unit: t.units })
          .from(t.unitAliases)
          .innerJoin(t.units, eq(t.units.id, t.unitAliases.unitId))
          .where(and(eq(t.unitAliases.orgId, orgId), eq(t.unitAliases.folded, folded)));
        return row?.unit ?? null;
      },
      async addAlias(orgId, unitId, alias) {
        const [unit] = await db.select({ id: t.units.id }).from(t.units).where(and(eq(t.units.orgId, orgId), eq(t.units.id, unitId)));
        if (!unit) return false;
        const inserted = await db.insert(t.unitAliases).values({ orgId, unitId, ...alias }).onConflictDoNothing().returning({ unitId: t.unitAliases.unitId });
        return inserted.length > 0;
      },
    },

    persons: {
      async create(input) {
        return one(await db.insert(t.persons).values(input).returning(), "persons.create");
      },
      async get(orgId, id) {
        const [row] = await db
          .select()
          .from(t.persons)
          .where(and(eq(t.persons.orgId, orgId), eq(t.persons.id, id)));
        return row ?? null;
      },
      async addMembership(input) {
        return one(
          await db
            .insert(t.unitMemberships)
            .values(input)
            .onConflictDoUpdate({
              target: [t.unitMemberships.unitId, t.unitMemberships.personId],
              set: { role: input.role ?? "member", title: input.title ?? null },
            })
            .returning(),
          "persons.addMembership",
        );
      },
      async memberships(orgId, personId) {
        return db
          .select()
          .from(t.unitMemberships)
          .where(and(eq(t.unitMemberships.orgId, orgId), eq(t.unitMemberships.personId, personId)));
      },
      async list(orgId) {
        const [people, memberships] = await Promise.all([
          db.select().from(t.persons).where(eq(t.persons.orgId, orgId)).orderBy(asc(t.persons.fullName), asc(t.persons.createdAt)),
          db
            .select({ personId: t.unitMemberships.personId, unitId: t.unitMemberships.unitId, unitName: t.units.name, role: t.unitMemberships.role, title: t.unitMemberships.title })
            .from(t.unitMemberships)
            .innerJoin(t.units, eq(t.units.id, t.unitMemberships.unitId))
            .where(eq(t.unitMemberships.orgId, orgId))
            .orderBy(asc(t.units.name)),
        ]);
        return people.map((p) => ({
          ...p,
          memberships: memberships.filter((m) => m.personId === p.id).map(({ personId: _p, ...m }) => m),
        }));
      },
    },

    chats: {
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
            .where(and(eq(t.identities.orgId, orgId), eq(t.identities.id, identityId)))
            .returning(),
          "chats.linkIdentity",
        );
      },
      async identity(orgId, channel, externalId) {
        const [row] = await db
          .select()
          .from(t.identities)
          .where(
            and(
              eq(t.identities.orgId, orgId),
              eq(t.identities.channel, channel),
              eq(t.identities.externalId, externalId),
            ),
          );
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
            .where(and(eq(t.threads.orgId, orgId), eq(t.threads.id, threadId)))
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
          .where(and(eq(t.persons.orgId, orgId), arrayContains(t.persons.roles, [role])))
          .orderBy(t.unitMemberships.unitId, t.persons.id, sql`${t.identities.lastInboundAt} desc nulls last`);
      },
      async boundGroups(orgId) {
        return db
          .select()
          .from(t.threads)
          .where(and(eq(t.threads.orgId, orgId), isNotNull(t.threads.unitId), eq(t.threads.kind, "group")))
          .orderBy(asc(t.threads.createdAt));
      },
      async groupThreads(orgId) {
        return db
          .select()
          .from(t.threads)
          .where(and(eq(t.threads.orgId, orgId), eq(t.threads.kind, "group")))
          .orderBy(asc(t.threads.createdAt));
      },
      async linkedIdentities(orgId) {
        return db
          .select()
          .from(t.identities)
          .where(and(eq(t.identities.orgId, orgId), isNotNull(t.identities.personId)))
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
          .where(and(eq(t.assignments.orgId, orgId), eq(t.assignments.unitId, unitId), eq(t.assignments.itemId, itemId), eq(t.assignments.status, "not_reported")))
          .orderBy(asc(t.persons.fullName), asc(t.identities.externalId));
      },
      async groupsOfUnit(orgId, unitId) {
        return db
          .select()
          .from(t.threads)
          .where(and(eq(t.threads.orgId, orgId), eq(t.threads.unitId, unitId), eq(t.threads.kind, "group")))
          .orderBy(asc(t.threads.createdAt));
      },
      async identityById(orgId, id) {
        const [row] = await db
          .select()
          .from(t.identities)
          .where(and(eq(t.identities.orgId, orgId), eq(t.identities.id, id)));
        return row ?? null;
      },
      async threadById(orgId, id) {
        const [row] = await db
          .select()
          .from(t.threads)
          .where(and(eq(t.threads.orgId, orgId), eq(t.threads.id, id)));
        return row ?? null;
      },
      async setThreadState(orgId, threadId, state) {
        await db
          .update(t.threads)
          .set(state)
          .where(and(eq(t.threads.orgId, orgId), eq(t.threads.id, threadId)));
      },
      async identitiesOfPerson(orgId, personId) {
        return db
          .select()
          .from(t.identities)
          .where(and(eq(t.identities.orgId, orgId), eq(t.identities.personId, personId)))
          .orderBy(sql`${t.identities.lastInboundAt} desc nulls last`);
      },
      async reachable(orgId, role, unitId) {
        // One query instead of a lookup per person (and per membership) on every fan-out.
        const conditions = [eq(t.persons.orgId, orgId), arrayContains(t.persons.roles, [role])];
        const base = db
          .selectDistinctOn([t.persons.id], { personId: t.persons.id, identityId: t.identities.id, channel: t.identities.channel })
          .from(t.persons)
          .innerJoin(t.identities, and(eq(t.identities.personId, t.persons.id), eq(t.identities.orgId, orgId)));
        const query = unitId
          ? base
              .innerJoin(t.unitMemberships, and(eq(t.unitMemberships.personId, t.persons.id), eq(t.unitMemberships.unitId, unitId)))
              .where(and(...conditions))
          : base.where(and(...conditions));
        return query.orderBy(t.persons.id, sql`${t.identities.lastInboundAt} desc nulls last`);
      },
      async personsWithRole(orgId, role) {
        return db
          .select()
          .from(t.persons)
          .where(and(eq(t.persons.orgId, orgId), arrayContains(t.persons.roles, [role])))
          .orderBy(asc(t.persons.fullName));
      },
      async thread(orgId, channel, externalId) {
        const [row] = await db
          .select()
          .from(t.threads)
          .where(
            and(
              eq(t.threads.orgId, orgId),
              eq(t.threads.channel, channel),
              eq(t.threads.externalId, externalId),
            ),
          );
        return row ?? null;
      },
    },

    directives: {
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
              .where(
                and(
                  eq(t.directives.orgId, input.orgId),
                  eq(t.directives.sourceHash, sourceHash),
                ),
              );
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
        const [directive] = await db
          .select()
          .from(t.directives)
          .where(and(eq(t.directives.orgId, orgId), eq(t.directives.id, id)));
        if (!directive) return null;
        const items = await db
          .select()
          .from(t.items)
          .where(and(eq(t.items.orgId, orgId), eq(t.items.directiveId, id)))
          .orderBy(asc(t.items.position));
        return { directive, items };
      },
      async list(orgId) {
        return db
          .select()
          .from(t.directives)
          .where(eq(t.directives.orgId, orgId))
          .orderBy(desc(t.directives.createdAt));
      },
      async item(orgId, itemId) {
        const [row] = await db
          .select()
          .from(t.items)
          .where(and(eq(t.items.orgId, orgId), eq(t.items.id, itemId)));
        return row ?? null;
      },
      async addItem(orgId, directiveId, item) {
        const [last] = await db
          .select({ position: max(t.items.position) })
          .from(t.items)
          .where(and(eq(t.items.orgId, orgId), eq(t.items.directiveId, directiveId)));
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
            .where(and(eq(t.items.orgId, orgId), eq(t.items.id, itemId)))
            .returning(),
          "directives.updateItem",
        );
      },
      async removeItem(orgId, itemId) {
        const removed = await db
          .delete(t.items)
          .where(and(eq(t.items.orgId, orgId), eq(t.items.id, itemId)))
          .returning({ id: t.items.id });
        return removed.length > 0;
      },
      async setStatus(orgId, id, status, at) {
        return one(
          await db
            .update(t.directives)
            .set({ status, ...(status === "active" ? { activatedAt: at } : {}) })
            .where(and(eq(t.directives.orgId, orgId), eq(t.directives.id, id)))
            .returning(),
          "directives.setStatus",
        );
      },
    },

    tracking: {
      async assign(input) {
        return one(await db.insert(t.assignments).values(input).returning(), "tracking.assign");
      },
      async assignment(orgId, id) {
        const [row] = await db
          .select()
          .from(t.assignments)
          .where(and(eq(t.assignments.orgId, orgId), eq(t.assignments.id, id)));
        return row ?? null;
      },
      async assignmentsOfItem(orgId, itemId) {
        return db
          .select()
          .from(t.assignments)
          .where(and(eq(t.assignments.orgId, orgId), eq(t.assignments.itemId, itemId)))
          .orderBy(asc(t.assignments.createdAt));
      },
      async recordReport(input) {
        return db.transaction(async (tx) => {
          const [report] = await tx
            .insert(t.reports)
            .values({ ...input, text: input.text ?? "" })
            .onConflictDoNothing()
            .returning();
          if (!report) {
            const [existing] = await tx
              .select()
              .from(t.reports)
              .where(
                and(
                  eq(t.reports.orgId, input.orgId),
                  eq(t.reports.assignmentId, input.assignmentId),
                  eq(t.reports.inboundMessageId, input.inboundMessageId ?? ""),
                ),
              );
            return { report: one(existing ? [existing] : [], "tracking.recordReport"), created: false };
          }
          // A report on one occurrence of a recurring item moves that occurrence, not the
          // assignment as a whole.
          if (input.occurrenceId) {
            await tx
              .update(t.occurrences)
              .set({ status: input.status })
              .where(and(eq(t.occurrences.orgId, input.orgId), eq(t.occurrences.id, input.occurrenceId)));
          } else {
            await tx
              .update(t.assignments)
              .set({
                status: input.status,
                // Done is 100%; otherwise a new percent wins, and an old one survives only while the
                // work stays in progress.
                percent:
                  input.status === "done"
                    ? 100
                    : (input.percent ??
                      (input.status === "in_progress"
                        ? sql`case when ${t.assignments.status} = 'in_progress' then ${t.assignments.percent} end`
                        : null)),
                statusChangedAt: input.reportedAt,
                doneAt: input.status === "done" ? input.reportedAt : null,
              })
              .where(
                and(
                  eq(t.assignments.orgId, input.orgId),
                  eq(t.assignments.id, input.assignmentId),
                  // Reports apply by their own time: a late-arriving older message is kept in
                  // the history but does not overwrite a newer status.
                  or(isNull(t.assignments.statusChangedAt), lte(t.assignments.statusChangedAt, input.reportedAt)),
                ),
              );
          }
          return { report, created: true };
        });
      },
      async reports(orgId, assignmentId) {
        return db
          .select()
          .from(t.reports)
          .where(and(eq(t.reports.orgId, orgId), eq(t.reports.assignmentId, assignmentId)))
          .orderBy(asc(t.reports.reportedAt));
      },
      async upsertOccurrence(input) {
        return one(
          await db
            .insert(t.occurrences)
            .values(input)
            .onConflictDoUpdate({
              target: [t.occurrences.assignmentId, t.occurrences.periodStart],
              set: {
                periodEnd: input.periodEnd,
                dueDate: input.dueDate,
                onDutyUnitId: input.onDutyUnitId ?? null,
              },
            })
            .returning(),
          "tracking.upsertOccurrence",
        );
      },
      async occurrences(orgId, assignmentId) {
        return db
          .select()
          .from(t.occurrences)
          .where(and(eq(t.occurrences.orgId, orgId), eq(t.occurrences.assignmentId, assignmentId)))
          .orderBy(asc(t.occurrences.periodStart));
      },
      async openOccurrences(orgId) {
        return db
          .select()
          .from(t.occurrences)
          .where(and(eq(t.occurrences.orgId, orgId), ne(t.occurrences.status, "done")))
          .orderBy(asc(t.occurrences.periodStart));
      },
      async board(orgId) {
        return boardQuery(db, eq(t.assignments.orgId, orgId));
      },
      async dueBoardRows(orgId, now) {
        const from = new Date(now.getTime() - 3_600_000);
        const due = db
          .select({ id: t.reminders.assignmentId })
          .from(t.reminders)
          .where(and(eq(t.reminders.orgId, orgId), inArray(t.reminders.status, ["pending", "queued"]), lte(t.reminders.plannedAt, now), gt(t.reminders.plannedAt, from)));
        return boardQuery(db, and(eq(t.assignments.orgId, orgId), inArray(t.assignments.id, due)));
      },
      async boardRows(orgId, assignmentIds) {
        if (assignmentIds.length === 0) return [];
        return boardQuery(db, and(eq(t.assignments.orgId, orgId), sql`${t.assignments.id} = any(${sql.param(assignmentIds)}::uuid[])`));
      },
      async pendingExtensions(orgId) {
        return db
          .select()
          .from(t.extensions)
          .where(and(eq(t.extensions.orgId, orgId), eq(t.extensions.status, "requested")))
          .orderBy(asc(t.extensions.createdAt));
      },
      async decideExtension(input) {
        return db.transaction(async (tx) => {
          const [decided] = await tx
            .update(t.extensions)
            .set({ status: input.status, decidedBy: input.decidedBy, decidedAt: input.at })
            .where(
              and(
                eq(t.extensions.orgId, input.orgId),
                eq(t.extensions.id, input.extensionId),
                eq(t.extensions.status, "requested"),
              ),
            )
            .returning();
          if (decided && input.status === "approved") {
            await tx
              .update(t.assignments)
              .set({ dueDate: decided.toDate })
              .where(and(eq(t.assignments.orgId, input.orgId), eq(t.assignments.id, decided.assignmentId)));
          }
          return decided ?? null;
        });
      },
      async requestExtension(input) {
        return db.transaction(async (tx) => {
          const [assignment] = await tx
            .select({ dueDate: t.assignments.dueDate })
            .from(t.assignments)
            .where(and(eq(t.assignments.orgId, input.orgId), eq(t.assignments.id, input.assignmentId)));
          return one(
            await tx
              .insert(t.extensions)
              .values({ ...input, fromDate: assignment?.dueDate ?? null })
              .returning(),
            "tracking.requestExtension",
          );
        });
      },
      async lastReports(orgId, assignmentIds) {
        if (assignmentIds.length === 0) return [];
        return db
          .selectDistinctOn([t.reports.assignmentId], {
            assignmentId: t.reports.assignmentId,
            status: t.reports.status,
            percent: t.reports.percent,
            text: t.reports.text,
            reportedAt: t.reports.reportedAt,
            personName: t.persons.fullName,
          })
          .from(t.reports)
          .leftJoin(t.persons, eq(t.persons.id, t.reports.personId))
          .where(and(eq(t.reports.orgId, orgId), sql`${t.reports.assignmentId} = any(${sql.param(assignmentIds)}::uuid[])`))
          .orderBy(t.reports.assignmentId, desc(t.reports.reportedAt), desc(t.reports.createdAt));
      },
      async reportsOfDirective(orgId, directiveId) {
        return db
          .select({
            id: t.reports.id,
            assignmentId: t.reports.assignmentId,
            itemId: t.assignments.itemId,
            unitId: t.assignments.unitId,
            unitName: t.units.name,
            status: t.reports.status,
            percent: t.reports.percent,
            text: t.reports.text,
            reportedAt: t.reports.reportedAt,
            personName: t.persons.fullName,
          })
          .from(t.reports)
          .innerJoin(t.assignments, eq(t.assignments.id, t.reports.assignmentId))
          .innerJoin(t.items, eq(t.items.id, t.assignments.itemId))
          .innerJoin(t.units, eq(t.units.id, t.assignments.unitId))
          .leftJoin(t.persons, eq(t.persons.id, t.reports.personId))
          .where(and(eq(t.reports.orgId, orgId), eq(t.items.directiveId, directiveId)))
          .orderBy(asc(t.reports.reportedAt), asc(t.reports.createdAt));
      },
      async directiveBoard(orgId, directiveId) {
        return boardQuery(db, and(eq(t.assignments.orgId, orgId), eq(t.items.directiveId, directiveId)));
      },
      async progressByDirective(orgId, today) {
        return db
          .select({
            directiveId: t.items.directiveId,
            total: sql<number>`count(*)::int`,
            done: sql<number>`(count(*) filter (where ${t.assignments.status} = 'done'))::int`,
            overdue: sql<number>`(count(*) filter (where ${t.assignments.status} <> 'done' and ${t.assignments.dueDate} < ${today}::date))::int`,
          })
          .from(t.assignments)
          .innerJoin(t.items, eq(t.items.id, t.assignments.itemId))
          .where(eq(t.assignments.orgId, orgId))
          .groupBy(t.items.directiveId);
      },
    },

    inbound: {
      async record(input) {
        // ON CONFLICT DO NOTHING makes two concurrent deliveries of one message insert once;
        // the loser reads the winner's row.
        const [inserted] = await db
          .insert(t.inboundMessages)
          .values(input)
          .onConflictDoNothing({
            target: [t.inboundMessages.channel, t.inboundMessages.externalMessageId],
          })
          .returning();
        if (inserted) return { message: inserted, duplicate: false };
        const [existing] = await db
          .select()
          .from(t.inboundMessages)
          .where(
            and(
              eq(t.inboundMessages.channel, input.channel),
              eq(t.inboundMessages.externalMessageId, input.externalMessageId),
            ),
          );
        return { message: one(existing ? [existing] : [], "inbound.record"), duplicate: true };
      },
      async accept(input) {
        const raw = input.raw === undefined || input.raw === null ? null : JSON.stringify(input.raw);
        // One statement: account, thread and message, so a webhook costs one round trip.
        const result: unknown = await db.execute(sql`
          with ident as (
            insert into ${t.identities} (org_id, channel, external_id, display_name, last_inbound_at)
            values (${input.orgId}, ${input.channel}, ${input.senderId}, ${input.senderName ?? null}, ${input.sentAt.toISOString()})
            on conflict (org_id, channel, external_id) do update set
              display_name = coalesce(excluded.display_name, ${t.identities}.display_name),
              last_inbound_at = greatest(excluded.last_inbound_at, ${t.identities}.last_inbound_at)
            returning id
          ), thr as (
            insert into ${t.threads} (org_id, channel, external_id, kind)
            values (${input.orgId}, ${input.channel}, ${input.threadId}, ${input.threadKind})
            on conflict (org_id, channel, external_id) do update set kind = ${t.threads}.kind
            returning id
          )
          insert into ${t.inboundMessages}
            (org_id, channel, external_message_id, thread_id, identity_id, text, payload, reply_to_external_id, sent_at, raw)
          select ${input.orgId}, ${input.channel}, ${input.messageId}, thr.id, ident.id, ${input.text}, ${input.payload ?? null},
                 ${input.replyToMessageId ?? null}, ${input.sentAt.toISOString()}, ${raw}::jsonb
          from ident, thr
          on conflict (channel, external_message_id) do nothing
          returning id`);
        const rows = (result as { rows: { id: string }[] }).rows;
        return rows[0]?.id ?? null;
      },
      async get(orgId, id) {
        const [row] = await db
          .select()
          .from(t.inboundMessages)
          .where(and(eq(t.inboundMessages.orgId, orgId), eq(t.inboundMessages.id, id)));
        return row ?? null;
      },
      async markProcessed(orgId, id, at) {
        await db
          .update(t.inboundMessages)
          .set({ processedAt: at })
          .where(and(eq(t.inboundMessages.orgId, orgId), eq(t.inboundMessages.id, id)));
      },
    },

    outbound: {
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
          .where(and(eq(t.reminders.orgId, orgId), gte(t.reminders.plannedAt, since)));
        return new Set(rows.map((r) => r.key));
      },
      async pendingMoments(orgId, until) {
        const rows = await db
          .selectDistinct({ at: t.reminders.plannedAt })
          .from(t.reminders)
          .where(and(eq(t.reminders.orgId, orgId), eq(t.reminders.status, "pending"), lte(t.reminders.plannedAt, until)))
          .orderBy(asc(t.reminders.plannedAt));
        return rows.map((r) => r.at);
      },
      async claimDue(orgId, now, limit) {
        const due = db
          .select({ id: t.reminders.id })
          .from(t.reminders)
          .where(and(eq(t.reminders.orgId, orgId), eq(t.reminders.status, "pending"), lte(t.reminders.plannedAt, now)))
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
          .where(and(eq(t.reminders.orgId, orgId), inArray(t.reminders.id, ids), inArray(t.reminders.status, ["pending", "queued"])));
      },
      async reminders(orgId, assignmentId) {
        return db
          .select()
          .from(t.reminders)
          .where(and(eq(t.reminders.orgId, orgId), eq(t.reminders.assignmentId, assignmentId)))
          .orderBy(asc(t.reminders.plannedAt));
      },
      async cancelPendingReminders(orgId, assignmentId) {
        const cancelled = await db
          .update(t.reminders)
          .set({ status: "cancelled" })
          .where(and(eq(t.reminders.orgId, orgId), eq(t.reminders.assignmentId, assignmentId), eq(t.reminders.status, "pending")))
          .returning({ id: t.reminders.id });
        return cancelled.length;
      },
      async reminder(orgId, id) {
        const [row] = await db
          .select()
          .from(t.reminders)
          .where(and(eq(t.reminders.orgId, orgId), eq(t.reminders.id, id)));
        return row ?? null;
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
          .where(and(eq(t.outboundMessages.orgId, orgId), inArray(t.outboundMessages.id, ids)));
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
          .where(
            and(
              eq(t.deliveries.orgId, orgId),
              eq(t.deliveries.channel, channel),
              eq(t.deliveries.externalMessageId, externalMessageId),
            ),
          );
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
          .where(eq(t.deliveries.orgId, orgId))
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
          .where(and(eq(t.outboundMessages.orgId, orgId), eq(t.outboundMessages.status, "failed")))
          .orderBy(desc(t.outboundMessages.createdAt))
          .limit(limit);
        return rows;
      },
      async reminderLog(orgId, filter) {
        const conditions = [eq(t.outboundMessages.orgId, orgId)];
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
          .where(and(...conditions))
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
          .where(and(eq(t.outboundMessages.orgId, orgId), eq(t.outboundMessages.status, "pending")))
          .orderBy(asc(t.outboundMessages.createdAt));
      },
      async get(orgId, id) {
        const [row] = await db
          .select()
          .from(t.outboundMessages)
          .where(and(eq(t.outboundMessages.orgId, orgId), eq(t.outboundMessages.id, id)));
        return row ?? null;
      },
      async setStatus(orgId, id, status) {
        await db
          .update(t.outboundMessages)
          .set({ status })
          .where(and(eq(t.outboundMessages.orgId, orgId), eq(t.outboundMessages.id, id)));
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
          .where(and(eq(t.deliveries.orgId, orgId), eq(t.deliveries.outboundMessageId, outboundMessageId)))
          .orderBy(asc(t.deliveries.attempt));
      },
    },

    access: {
      async createToken(input) {
        // 32 random bytes, URL-safe: the token is shown once; only its hash is stored.
        const token = randomBytes(32).toString("base64url");
        await db.insert(t.apiTokens).values({ ...input, tokenHash: sha256(token) });
        return { token };
      },
      async byToken(token) {
        const [row] = await db
          .select({ person: t.persons, org: t.orgs })
          .from(t.apiTokens)
          .innerJoin(t.persons, eq(t.persons.id, t.apiTokens.personId))
          .innerJoin(t.orgs, eq(t.orgs.id, t.apiTokens.orgId))
          .where(and(eq(t.apiTokens.tokenHash, sha256(token)), isNull(t.apiTokens.revokedAt)));
        return row ?? null;
      },
    },

    web: {
      async createAccount(input) {
        return one(await db.insert(t.webAccounts).values({ ...input, login: input.login.trim().toLowerCase() }).returning({ id: t.webAccounts.id }), "web.createAccount");
      },
      async setPassword(accountId, passwordHash) {
        await db.update(t.webAccounts).set({ passwordHash }).where(eq(t.webAccounts.id, accountId));
        // A new password ends every session of the account.
        await db.delete(t.webSessions).where(eq(t.webSessions.accountId, accountId));
      },
      async accountByLogin(login) {
        const [row] = await db
          .select({ id: t.webAccounts.id, orgId: t.webAccounts.orgId, personId: t.webAccounts.personId, passwordHash: t.webAccounts.passwordHash })
          .from(t.webAccounts)
          .where(eq(t.webAccounts.login, login.trim().toLowerCase()));
        return row ?? null;
      },
      async accountOfPerson(personId) {
        const [row] = await db.select({ id: t.webAccounts.id, login: t.webAccounts.login }).from(t.webAccounts).where(eq(t.webAccounts.personId, personId));
        return row ?? null;
      },
      async createSession(input) {
        const token = randomBytes(32).toString("base64url");
        await db.insert(t.webSessions).values({ orgId: input.orgId, accountId: input.accountId, tokenHash: sha256(token), expiresAt: input.expiresAt });
        await db.update(t.webAccounts).set({ lastLoginAt: input.at }).where(eq(t.webAccounts.id, input.accountId));
        return { token };
      },
      async session(token, now) {
        const [row] = await db
          .select({ person: t.persons, org: t.orgs, sessionId: t.webSessions.id })
          .from(t.webSessions)
          .innerJoin(t.webAccounts, eq(t.webAccounts.id, t.webSessions.accountId))
          .innerJoin(t.persons, eq(t.persons.id, t.webAccounts.personId))
          .innerJoin(t.orgs, eq(t.orgs.id, t.webSessions.orgId))
          .where(and(eq(t.webSessions.tokenHash, sha256(token)), gt(t.webSessions.expiresAt, now)));
        return row ?? null;
      },
      async deleteSession(token) {
        await db.delete(t.webSessions).where(eq(t.webSessions.tokenHash, sha256(token)));
      },
    },

    links: {
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
          const live = and(eq(t.linkCodes.orgId, orgId), eq(t.linkCodes.code, code), isNull(t.linkCodes.usedAt), gt(t.linkCodes.expiresAt, now), lt(t.linkCodes.failedTries, 3));
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
            .where(and(eq(t.identities.orgId, orgId), eq(t.identities.id, identityId)));
          return { personId: used.personId };
        });
      },
    },

    limits: {
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
    },

    broadcasts: {
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
        const [row] = await db
          .select()
          .from(t.broadcasts)
          .where(and(eq(t.broadcasts.orgId, orgId), eq(t.broadcasts.id, id)));
        return row ?? null;
      },
      async byDedupeKey(orgId, dedupeKey) {
        const [row] = await db
          .select()
          .from(t.broadcasts)
          .where(and(eq(t.broadcasts.orgId, orgId), eq(t.broadcasts.dedupeKey, dedupeKey)));
        return row ?? null;
      },
      async list(orgId, limit) {
        return db.select().from(t.broadcasts).where(eq(t.broadcasts.orgId, orgId)).orderBy(desc(t.broadcasts.createdAt)).limit(limit);
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
          .where(and(eq(t.deliveries.orgId, orgId), eq(t.outboundMessages.broadcastId, broadcastId)))
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
          .where(and(eq(t.outboundMessages.orgId, orgId), eq(t.outboundMessages.broadcastId, broadcastId)))
          .orderBy(asc(t.outboundMessages.createdAt), asc(t.outboundMessages.id));
      },
    },

    audit: {
      async count(orgId, action, entityId, since) {
        const [row] = await db
          .select({ n: count() })
          .from(t.auditLog)
          .where(
            and(
              eq(t.auditLog.orgId, orgId),
              eq(t.auditLog.action, action),
              eq(t.auditLog.entityId, entityId),
              gte(t.auditLog.at, since),
            ),
          );
        return row?.n ?? 0;
      },
      async append(input) {
        return one(await db.insert(t.auditLog).values(input).returning(), "audit.append");
      },
      async list(orgId, options = {}) {
        return db
          .select()
          .from(t.auditLog)
          .where(eq(t.auditLog.orgId, orgId))
          .orderBy(desc(t.auditLog.id))
          .limit(options.limit ?? 100);
      },
      async search(orgId, filter) {
        const conditions: (SQL | undefined)[] = [eq(t.auditLog.orgId, orgId)];
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
          .where(and(...conditions))
          .orderBy(desc(t.auditLog.at), desc(t.auditLog.id))
          .limit(filter.limit);
      },
    },
  };
  return store;
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
