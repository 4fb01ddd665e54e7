/**
 * The reminder planner (DESIGN.md §4.2): the store is the truth. Planning writes Reminder rows
 * with deterministic keys (planning twice adds nothing); firing turns the ones whose moment has
 * come into outbox messages for the unit (the team on duty, or leaders for an escalation),
 * which the deliveries queue sends. Reporting done (or this occurrence done, for a recurring
 * item) cancels what is pending. A deadline more than `stopAfterDays` past is no longer
 * reminded: the office is told once per assignment instead.
 */
import { DEFAULT_CALENDAR, type CalendarPolicy } from "../domain/index.ts";
import { groupBy } from "../domain/index.ts";
import type { BoardRow, Channel, Reminder } from "../domain/index.ts";
import { DEFAULT_POLICY, planReminders, type ReminderPolicy } from "../domain/index.ts";
import { dueText, itemName, shorten, timing } from "../domain/index.ts";
import { daysBetween, localDay, viDate } from "../domain/index.ts";
import { createAlerts } from "./alerts.ts";
import { settingsOrDefaults } from "./org-settings.ts";
import type { Clock, DeliveryRoute, Dispatch, Store } from "./ports/index.ts";

export interface PlannerDeps {
  store: PlannerStore;
  clock: Clock;
  policy?: ReminderPolicy;
  calendar?: CalendarPolicy;
  /** How far ahead reminders are written (default 35 days). */
  horizonDays?: number;
  /** Hands the office's notices to the delivery queues at once (else the outbox sweep sends them). */
  dispatch?: Dispatch;
}

/** The store slices createPlanner uses. */
export type PlannerStore = Pick<Store, "audit" | "chats" | "orgs" | "outbound" | "tracking" | "transaction" | "units">;

/** The audit action that marks an assignment's reminders stopped (and the office told), once per due day. */
export const REMINDERS_STOPPED = "reminders.stopped";

/** A recurring item is reminded per open occurrence; its board row's status is the current occurrence's. */
const isRecurring = (row: BoardRow) => row.item.deadline?.kind === "recurring";

/**
 * @example
 * const planner = createPlanner({ store, clock });
 * await planner.plan(orgId);                  // write what the policy says, once
 * const outbox = await planner.fire(orgId);   // outbox ids to deliver now
 */
export function createPlanner(deps: PlannerDeps) {
  const { store, clock } = deps;
  const policy = deps.policy ?? DEFAULT_POLICY;
  const calendar = deps.calendar ?? DEFAULT_CALENDAR;

  /** The org's own policy and calendar over the defaults (a bad setting keeps the defaults). */
  const settingsOf = async (orgId: string) => settingsOrDefaults((await store.orgs.byId(orgId))?.settings ?? {}, { policy, calendar });

  function reminderText(row: BoardRow, kind: string, today: string, team: string | null): string {
    const what = `NV ${row.item.ref} "${shorten(row.item.summary, 70)}"`;
    const due = row.assignment.dueDate ? dueText(row.assignment.dueDate, timing(row.assignment, today)) : "";
    switch (kind) {
      case "escalation":
        return `⚠ Báo cáo lãnh đạo: ${row.unit.name} chưa hoàn thành ${what}, ${due}.`;
      case "occurrence":
        return `Nhắc ${team ? `${team} (tuần này)` : row.unit.name}: ${what} — đợt này. Trả lời tin này để báo cáo.`;
      default:
        return `Nhắc ${row.unit.name}: ${what}, ${due}. Trả lời tin này hoặc chọn một nút để báo cáo.`;
    }
  }

  async function prepare(orgId: string, at: Date) {
    const [rows, bound, reachable, leaders, openOccurrences, units] = await Promise.all([
      store.tracking.dueBoardRows(orgId, at),
      store.chats.boundGroups(orgId),
      store.chats.reachableByUnit(orgId, "cadre"),
      store.chats.reachable(orgId, "leader"),
      store.tracking.openOccurrences(orgId),
      store.units.list(orgId),
    ]);
    return { rows, bound, reachable, leaders, openOccurrences, units };
  }
  type Prepared = Awaited<ReturnType<typeof prepare>>;

  /**
   * Tells the office, once per assignment and due day, that reminding has stopped for these
   * long-overdue rows: one message per item (its units listed) and an audit entry per
   * assignment, in one transaction. Returns the outbox ids.
   */
  async function noticeStopped(orgId: string, rows: BoardRow[], now: Date, policy: ReminderPolicy): Promise<string[]> {
    if (rows.length === 0) return [];
    const key = (assignmentId: string | null, dueDate: unknown) => `${assignmentId ?? ""}|${String(dueDate)}`;
    const told = new Set((await store.audit.search(orgId, { actions: [REMINDERS_STOPPED], limit: 100_000 })).map((e) => key(e.entityId, e.data.dueDate)));
    const fresh = rows.filter((r) => !told.has(key(r.assignment.id, r.assignment.dueDate)));
    const today = localDay(now);
    const ids: string[] = [];
    for (const group of groupBy(fresh, (r) => `${r.item.id}|${r.assignment.dueDate ?? ""}`).values()) {
      const [first] = group;
      if (!first) continue;
      const units = group.map((r) => r.unit.name).join(", ");
      const due = dueText(first.assignment.dueDate, timing(first.assignment, today));
      const text =
        `Dừng nhắc tự động: ${itemName(first)} — ${units} chưa hoàn thành, ${due}. ` +
        `Quá ${policy.stopAfterDays} ngày sau hạn, hệ thống không nhắc đơn vị nữa; đề nghị đồng chí xem xét gia hạn, đôn đốc trực tiếp hoặc kết thúc theo dõi.`;
      ids.push(
        ...(await store.transaction(async (tx) => {
          const sent = await createAlerts({ store: tx, clock }).office(orgId, text, { itemId: first.item.id });
          for (const r of group) {
            await tx.audit.append({
              orgId,
              actor: "system",
              action: REMINDERS_STOPPED,
              entity: "assignment",
              entityId: r.assignment.id,
              data: { dueDate: r.assignment.dueDate, overdueDays: r.assignment.dueDate ? daysBetween(r.assignment.dueDate, today) : null, stopAfterDays: policy.stopAfterDays, notified: sent.length },
              at: now,
            });
          }
          return sent;
        })),
      );
    }
    if (deps.dispatch && ids.length > 0) await deps.dispatch(await store.outbound.routes(orgId, ids));
    return ids;
  }

  return {
    /**
     * Writes every reminder the policy gives open assignments within the horizon, in one pass
     * and one bulk insert per 2,000 rows; returns how many were new.
     */
    async plan(orgId: string): Promise<number> {
      const now = clock.now();
      const today = localDay(now);
      const until = new Date(now.getTime() + (deps.horizonDays ?? 35) * 86_400_000);
      const own = await settingsOf(orgId);
      const occurrencesOf = groupBy(await store.tracking.openOccurrences(orgId), (o) => o.assignmentId);
      const rows: Parameters<Store["outbound"]["planReminders"]>[0] = [];
      // Only keys that planning could write again: the plan starts at `now` (a week's margin for
      // reminders the calendar moved); the unique index still guards the rest.
      const known = await store.outbound.reminderKeys(orgId, new Date(now.getTime() - 7 * 86_400_000));
      // Assignments sharing a due day (most of a directive) share a plan: the calendar is asked once.
      const byDueDay = new Map<string, ReturnType<typeof planReminders>>();
      const stopped: BoardRow[] = [];
      for (const row of await store.tracking.board(orgId, today)) {
        // A recurring row's status and due day are its current occurrence's: this week done
        // leaves the coming occurrences (the open ones) to remind.
        const recurring = isRecurring(row);
        if (!recurring && row.assignment.status === "done") continue;
        const dueDate = recurring ? null : row.assignment.dueDate;
        if (dueDate && daysBetween(dueDate, today) > own.policy.stopAfterDays) {
          stopped.push(row);
          continue;
        }
        const occurrences = occurrencesOf.get(row.assignment.id) ?? [];
        const cacheKey = occurrences.length === 0 ? (dueDate ?? "none") : null;
        const plan = (cacheKey && byDueDay.get(cacheKey)) || planReminders({ dueDate, occurrences }, { from: now, until }, own.policy, own.calendar);
        if (cacheKey) byDueDay.set(cacheKey, plan);
        for (const r of plan) {
          const dedupeKey = `${row.assignment.id}-${r.kind}-${r.day}`;
          if (known.has(dedupeKey)) continue;
          const occurrence = r.kind === "occurrence" ? occurrences.find((o) => o.dueDate > r.day) : undefined;
          rows.push({
            orgId,
            assignmentId: row.assignment.id,
            occurrenceId: occurrence?.id ?? null,
            kind: r.kind,
            plannedAt: r.at,
            // Deterministic: the same rule for the same day is one reminder, however often we plan.
            dedupeKey,
          });
        }
      }
      const planned = await store.outbound.planReminders(rows);
      await noticeStopped(orgId, stopped, now, own.policy);
      return planned;
    },

    /** The moments pending reminders are due (the queue wakes at each; Redis may have lost them). */
    moments(orgId: string): Promise<Date[]> {
      return store.outbound.pendingMoments(orgId, new Date(clock.now().getTime() + (deps.horizonDays ?? 35) * 86_400_000));
    },

    /**
     * Turns the due reminders into outbox messages (each once, claimed in one statement) for
     * the unit's bound group or its cadres, the team on duty, or leaders; returns what to deliver.
     */
    /**
     * Reads what firing at `at` will need (board rows, people, groups), so the fire itself only
     * claims and writes: the worker calls it a moment early (README "Reminders").
     */
    prepare,

    async fire(orgId: string, options: { limit?: number; prepared?: Prepared } = {}): Promise<DeliveryRoute[]> {
      const now = clock.now();
      const today = localDay(now);
      // Claim first (one statement: two workers firing at once send each reminder once). What
      // firing needs was read just before the moment, or is read now that something is due:
      // the minute's safety-net job finds nothing most of the time and then reads nothing more.
      const due = await store.outbound.claimDue(orgId, now, options.limit ?? 5_000);
      if (due.length === 0) return [];
      const ready = options.prepared ?? (await prepare(orgId, now));
      const { bound, reachable, leaders, openOccurrences, units } = ready;
      const board = new Map(ready.rows.map((r) => [r.assignment.id, r]));
      const missing = [...new Set(due.map((r) => r.assignmentId))].filter((id) => !board.has(id));
      for (const r of await store.tracking.boardRows(orgId, missing, today)) board.set(r.assignment.id, r);
      const open = new Set(openOccurrences.map((o) => o.id));
      const { policy: own } = await settingsOf(orgId);
      // Nothing to remind: the directive was archived; the occurrence, or the assignment, was
      // reported done since planning; or the deadline is now too long past.
      const isStale = (r: Reminder) => {
        const row = board.get(r.assignmentId);
        if (!row) return true;
        if (r.occurrenceId) return !open.has(r.occurrenceId);
        if (row.assignment.status === "done") return true;
        const dueDate = isRecurring(row) ? null : row.assignment.dueDate;
        return (r.kind === "overdue" || r.kind === "escalation") && dueDate !== null && daysBetween(dueDate, today) > own.stopAfterDays;
      };
      const stale = due.filter(isStale);
      if (stale.length > 0) await store.outbound.cancelReminders(orgId, stale.map((r) => r.id));
      const mine = due.filter((r) => !isStale(r));
      if (mine.length === 0) return [];

      const groups = groupBy(bound, (g) => g.unitId);
      const cadres = groupBy(reachable, (r) => r.unitId);
      const occurrences = new Map(openOccurrences.map((o) => [o.id, o]));
      const unitNames = new Map(units.map((u) => [u.id, u.name]));

      const out: Parameters<Store["outbound"]["enqueueMany"]>[0] = [];
      const channels: Channel[] = [];
      for (const reminder of mine) {
        const row = board.get(reminder.assignmentId);
        if (!row) continue;
        const occurrence = reminder.occurrenceId ? occurrences.get(reminder.occurrenceId) : undefined;
        const teamId = occurrence?.onDutyUnitId ?? null;
        const unitId = teamId ?? row.unit.id;
        const text = reminderText(row, reminder.kind, today, teamId ? (unitNames.get(teamId) ?? null) : null) + (occurrence ? ` (hạn ${viDate(occurrence.dueDate)})` : "");
        const base = { orgId, text, reminderId: reminder.id, itemId: row.item.id };
        const to: { identityId?: string; threadId?: string; channel: Channel }[] =
          reminder.kind === "escalation"
            ? leaders
            : groups.has(unitId)
              ? // A unit bound to its Zalo group is reminded there, where its people talk.
                (groups.get(unitId) ?? []).map((g) => ({ threadId: g.id, channel: g.channel }))
              : (cadres.get(unitId) ?? []);
        for (const r of to) {
          out.push({ ...base, identityId: r.identityId ?? null, threadId: r.threadId ?? null });
          channels.push(r.channel);
        }
      }
      // Parallel chunks (separate connections); ids stay in input order.
      const chunks = [];
      for (let i = 0; i < out.length; i += 500) chunks.push(out.slice(i, i + 500));
      const ids = (await Promise.all(chunks.map((c) => store.outbound.enqueueMany(c)))).flat();
      return ids.map((id, i) => ({ orgId, id, channel: channels[i] ?? "simulator" }));
    },
  };
}

export type Planner = ReturnType<typeof createPlanner>;
