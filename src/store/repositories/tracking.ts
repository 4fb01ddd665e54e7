/** The tracked state: assignments, occurrences, reports, extensions, and the status board's rows. */
import { and, asc, desc, eq, gt, inArray, isNull, lte, ne, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { TrackingRepository } from "../../app/index.ts";
import { localDay, type BoardRow } from "../../domain/index.ts";
import type { Db } from "../db.ts";
import * as t from "../schema.ts";
import { inOrg, one, oneInOrg } from "./scoped.ts";

/**
 * Assignments with their item, unit and (active) directive: the status board's rows, of one org
 * and narrowed by `conditions`. For a recurring item the row carries its current occurrence (the
 * one whose period contains `today`, else the last begun) and shows that occurrence's status.
 */
function boardQuery(db: Db, orgId: string, today: string, ...conditions: (SQL | undefined)[]) {
  const current = db
    .select({
      id: t.occurrences.id,
      periodStart: t.occurrences.periodStart,
      periodEnd: t.occurrences.periodEnd,
      dueDate: t.occurrences.dueDate,
      onDutyUnitId: t.occurrences.onDutyUnitId,
      status: t.occurrences.status,
      percent: t.occurrences.percent,
      statusChangedAt: t.occurrences.statusChangedAt,
      doneAt: t.occurrences.doneAt,
    })
    .from(t.occurrences)
    .where(and(eq(t.occurrences.assignmentId, t.assignments.id), lte(t.occurrences.periodStart, today)))
    .orderBy(desc(t.occurrences.periodStart))
    .limit(1)
    .as("current");
  const duty = alias(t.units, "duty");
  return db
    .select({
      assignment: t.assignments,
      current: {
        id: current.id,
        periodStart: current.periodStart,
        periodEnd: current.periodEnd,
        dueDate: current.dueDate,
        onDutyUnitId: current.onDutyUnitId,
        status: current.status,
        percent: current.percent,
        statusChangedAt: current.statusChangedAt,
        doneAt: current.doneAt,
      },
      dutyName: duty.name,
      item: {
        id: t.items.id,
        ref: t.items.ref,
        summary: t.items.summary,
        label: t.items.label,
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
        shortName: t.directives.shortName,
        activatedAt: t.directives.activatedAt,
      },
    })
    .from(t.assignments)
    .innerJoin(t.items, eq(t.items.id, t.assignments.itemId))
    .innerJoin(t.units, eq(t.units.id, t.assignments.unitId))
    .innerJoin(t.directives, eq(t.directives.id, t.items.directiveId))
    .leftJoinLateral(current, sql`true`)
    .leftJoin(duty, eq(duty.id, current.onDutyUnitId))
    .where(and(inOrg(t.assignments, orgId, ...conditions), eq(t.directives.status, "active")))
    .orderBy(desc(t.directives.activatedAt), asc(t.items.position), asc(t.units.name))
    .then((rows) => rows.map(toBoardRow));
}

/** An assignment's status as readers see it: its current occurrence's for a recurring item (see boardQuery). */
export function currentStatus(today: string | SQL): SQL {
  return sql`coalesce((select o.status from ${t.occurrences} o where o.assignment_id = ${t.assignments.id} and o.period_start <= ${today}::date order by o.period_start desc limit 1), ${t.assignments.status})`;
}

/** An assignment's due day as readers see it (the current occurrence's for a recurring item). */
function currentDue(today: string): SQL {
  return sql`coalesce((select o.due_date from ${t.occurrences} o where o.assignment_id = ${t.assignments.id} and o.period_start <= ${today}::date order by o.period_start desc limit 1), ${t.assignments.dueDate})`;
}

type BoardQueryRow = {
  assignment: typeof t.assignments.$inferSelect;
  current: { id: string | null; periodStart: string | null; periodEnd: string | null; dueDate: string | null; onDutyUnitId: string | null; status: BoardRow["assignment"]["status"] | null; percent: number | null; statusChangedAt: Date | null; doneAt: Date | null } | null;
  dutyName: string | null;
} & Omit<BoardRow, "assignment" | "occurrence">;

/** A recurring item's row shows its current occurrence; every other row, its assignment. */
function toBoardRow({ assignment, current, dutyName, ...rest }: BoardQueryRow): BoardRow {
  if (!current?.id || !current.status || !current.periodStart || !current.periodEnd || !current.dueDate) return { ...rest, assignment, occurrence: null };
  return {
    ...rest,
    assignment: { ...assignment, status: current.status, percent: current.percent, dueDate: current.dueDate, doneAt: current.doneAt, statusChangedAt: current.statusChangedAt ?? assignment.statusChangedAt },
    occurrence: { id: current.id, periodStart: current.periodStart, periodEnd: current.periodEnd, dueDate: current.dueDate, onDutyUnitId: current.onDutyUnitId, onDutyUnitName: dutyName },
  };
}

export function trackingRepository(db: Db): TrackingRepository {
  return {
    async assign(input) {
      return one(await db.insert(t.assignments).values(input).returning(), "tracking.assign");
    },
    async assignment(orgId, id) {
      return oneInOrg(db, t.assignments, orgId, id);
    },
    async assignmentsOfItem(orgId, itemId) {
      return db
        .select()
        .from(t.assignments)
        .where(inOrg(t.assignments, orgId, eq(t.assignments.itemId, itemId)))
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
            .where(inOrg(t.reports, input.orgId, eq(t.reports.assignmentId, input.assignmentId), eq(t.reports.inboundMessageId, input.inboundMessageId ?? "")));
          return { report: one(existing ? [existing] : [], "tracking.recordReport"), created: false };
        }
        // A report on one occurrence of a recurring item moves that occurrence, not the
        // assignment as a whole. Both carry status, percent and the moments the same way.
        const table = input.occurrenceId ? t.occurrences : t.assignments;
        await tx
          .update(table)
          .set({
            status: input.status,
            // Done is 100%; otherwise a new percent wins, and an old one survives only while the
            // work stays in progress.
            percent: input.status === "done" ? 100 : (input.percent ?? (input.status === "in_progress" ? sql`case when ${table.status} = 'in_progress' then ${table.percent} end` : null)),
            statusChangedAt: input.reportedAt,
            doneAt: input.status === "done" ? input.reportedAt : null,
          })
          .where(
            inOrg(
              table,
              input.orgId,
              eq(table.id, input.occurrenceId ?? input.assignmentId),
              // Reports apply by their own time: a late-arriving older message is kept in the
              // history but does not overwrite a newer status.
              or(isNull(table.statusChangedAt), lte(table.statusChangedAt, input.reportedAt)),
            ),
          );
        return { report, created: true };
      });
    },
    async reports(orgId, assignmentId) {
      return db
        .select()
        .from(t.reports)
        .where(inOrg(t.reports, orgId, eq(t.reports.assignmentId, assignmentId)))
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
        .where(inOrg(t.occurrences, orgId, eq(t.occurrences.assignmentId, assignmentId)))
        .orderBy(asc(t.occurrences.periodStart));
    },
    async occurrencesOf(orgId, assignmentIds) {
      if (assignmentIds.length === 0) return [];
      return db
        .select()
        .from(t.occurrences)
        .where(inOrg(t.occurrences, orgId, inArray(t.occurrences.assignmentId, assignmentIds)))
        .orderBy(asc(t.occurrences.periodStart));
    },
    async openOccurrences(orgId) {
      return db
        .select()
        .from(t.occurrences)
        .where(inOrg(t.occurrences, orgId, ne(t.occurrences.status, "done")))
        .orderBy(asc(t.occurrences.periodStart));
    },
    async board(orgId, today) {
      return boardQuery(db, orgId, today);
    },
    async dueBoardRows(orgId, now) {
      const from = new Date(now.getTime() - 3_600_000);
      const due = db
        .select({ id: t.reminders.assignmentId })
        .from(t.reminders)
        .where(inOrg(t.reminders, orgId, inArray(t.reminders.status, ["pending", "queued"]), lte(t.reminders.plannedAt, now), gt(t.reminders.plannedAt, from)));
      return boardQuery(db, orgId, localDay(now), inArray(t.assignments.id, due));
    },
    async boardRows(orgId, assignmentIds, today) {
      if (assignmentIds.length === 0) return [];
      return boardQuery(db, orgId, today, sql`${t.assignments.id} = any(${sql.param(assignmentIds)}::uuid[])`);
    },
    async pendingExtensions(orgId) {
      return db
        .select()
        .from(t.extensions)
        .where(inOrg(t.extensions, orgId, eq(t.extensions.status, "requested")))
        .orderBy(asc(t.extensions.createdAt));
    },
    async decideExtension(input) {
      return db.transaction(async (tx) => {
        const [decided] = await tx
          .update(t.extensions)
          .set({ status: input.status, decidedBy: input.decidedBy, decidedAt: input.at })
          .where(inOrg(t.extensions, input.orgId, eq(t.extensions.id, input.extensionId), eq(t.extensions.status, "requested")))
          .returning();
        if (decided && input.status === "approved") {
          await tx
            .update(t.assignments)
            .set({ dueDate: decided.toDate })
            .where(inOrg(t.assignments, input.orgId, eq(t.assignments.id, decided.assignmentId)));
        }
        return decided ?? null;
      });
    },
    async requestExtension(input) {
      return db.transaction(async (tx) => {
        const [assignment] = await tx
          .select({ dueDate: t.assignments.dueDate })
          .from(t.assignments)
          .where(inOrg(t.assignments, input.orgId, eq(t.assignments.id, input.assignmentId)));
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
        .where(inOrg(t.reports, orgId, sql`${t.reports.assignmentId} = any(${sql.param(assignmentIds)}::uuid[])`))
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
        .where(inOrg(t.reports, orgId, eq(t.items.directiveId, directiveId)))
        .orderBy(asc(t.reports.reportedAt), asc(t.reports.createdAt));
    },
    async directiveBoard(orgId, directiveId, today) {
      return boardQuery(db, orgId, today, eq(t.items.directiveId, directiveId));
    },
    async progressByDirective(orgId, today) {
      return db
        .select({
          directiveId: t.items.directiveId,
          total: sql<number>`count(*)::int`,
          done: sql<number>`(count(*) filter (where ${currentStatus(today)} = 'done'))::int`,
          overdue: sql<number>`(count(*) filter (where ${currentStatus(today)} <> 'done' and ${currentDue(today)} < ${today}::date))::int`,
        })
        .from(t.assignments)
        .innerJoin(t.items, eq(t.items.id, t.assignments.itemId))
        .where(inOrg(t.assignments, orgId))
        .groupBy(t.items.directiveId);
    },
  };
}
