/**
 * The reminder planner (DESIGN.md §4.2): the store is the truth. Planning writes Reminder rows
 * with deterministic keys (planning twice adds nothing); firing turns the ones whose moment has
 * come into outbox messages for the unit (the team on duty, or leaders for an escalation),
 * which the deliveries queue sends. Reporting done cancels what is pending.
 */
import { DEFAULT_CALENDAR, type CalendarPolicy } from "../domain/calendar.ts";
import type { BoardRow, PersonRole } from "../domain/entities.ts";
import { DEFAULT_POLICY, planReminders, type ReminderPolicy } from "../domain/reminder-policy.ts";
import { dueText, shorten, timing } from "../domain/status-text.ts";
import { localDay, viDate } from "../domain/time.ts";
import { effectiveSettings } from "./org-settings.ts";
import type { Clock, DeliveryRoute, Store } from "./ports.ts";

export interface PlannerDeps {
  store: Store;
  clock: Clock;
  policy?: ReminderPolicy;
  calendar?: CalendarPolicy;
  /** How far ahead reminders are written (default 35 days). */
  horizonDays?: number;
}

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

  /** A unit's bound group (its Zalo group) when it has one, else its linked cadres; leaders for an escalation. */
  async function recipients(orgId: string, unitId: string | null, role: PersonRole): Promise<{ identityId?: string; threadId?: string }[]> {
    if (unitId && role === "cadre") {
      const groups = await store.chats.groupsOfUnit(orgId, unitId);
      if (groups.length > 0) return groups.map((g) => ({ threadId: g.id }));
    }
    return (await store.chats.reachable(orgId, role, unitId ?? undefined)).map((r) => ({ identityId: r.identityId }));
  }

  /** The org's own policy and calendar over the defaults (a bad setting keeps the defaults). */
  async function settingsOf(orgId: string) {
    const org = await store.orgs.byId(orgId);
    try {
      return effectiveSettings(org?.settings ?? {}, { policy, calendar });
    } catch {
      return { policy, calendar };
    }
  }

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

  return {
    /** Writes every reminder the policy gives open assignments within the horizon; returns how many were new. */
    async plan(orgId: string): Promise<number> {
      const now = clock.now();
      const until = new Date(now.getTime() + (deps.horizonDays ?? 35) * 86_400_000);
      let created = 0;
      const own = await settingsOf(orgId);
      for (const row of await store.tracking.board(orgId)) {
        if (row.assignment.status === "done") continue;
        const occurrences = (await store.tracking.occurrences(orgId, row.assignment.id)).filter((o) => o.status !== "done");
        const planned = planReminders({ dueDate: row.assignment.dueDate, occurrences }, { from: now, until }, own.policy, own.calendar);
        for (const r of planned) {
          const occurrence = r.kind === "occurrence" ? occurrences.find((o) => o.dueDate > r.day) : undefined;
          const reminder = await store.outbound.planReminder({
            orgId,
            assignmentId: row.assignment.id,
            occurrenceId: occurrence?.id ?? null,
            kind: r.kind,
            plannedAt: r.at,
            // Deterministic: the same rule for the same day is one reminder, however often we plan.
            dedupeKey: `${row.assignment.id}-${r.kind}-${r.day}`,
          });
          if (reminder) created++;
        }
      }
      return created;
    },

    /** Turns due reminders into outbox messages (once each); returns what to deliver. */
    async fire(orgId: string, limit = 2_000): Promise<DeliveryRoute[]> {
      const now = clock.now();
      const today = localDay(now);
      const board = await store.tracking.board(orgId);
      const out: Parameters<Store["outbound"]["enqueueMany"]>[0] = [];
      for (const reminder of await store.outbound.dueReminders(orgId, now, limit)) {
        const row = board.find((r) => r.assignment.id === reminder.assignmentId);
        if (!row || row.assignment.status === "done") {
          await store.outbound.setReminderStatus(orgId, reminder.id, "pending", "cancelled");
          continue;
        }
        // Claim first: two workers firing at once send it once.
        if (!(await store.outbound.setReminderStatus(orgId, reminder.id, "pending", "queued"))) continue;
        const occurrence = reminder.occurrenceId
          ? (await store.tracking.occurrences(orgId, row.assignment.id)).find((o) => o.id === reminder.occurrenceId)
          : undefined;
        const teamUnit = occurrence?.onDutyUnitId ? (await store.units.list(orgId)).find((u) => u.id === occurrence.onDutyUnitId) : undefined;
        const to =
          reminder.kind === "escalation"
            ? await recipients(orgId, null, "leader")
            : await recipients(orgId, teamUnit?.id ?? row.unit.id, "cadre");
        const text = reminderText(row, reminder.kind, today, teamUnit?.name ?? null) + (occurrence ? ` (hạn ${viDate(occurrence.dueDate)})` : "");
        out.push(...to.map((r) => ({ orgId, identityId: r.identityId ?? null, threadId: r.threadId ?? null, text, reminderId: reminder.id, itemId: row.item.id })));
      }
      const ids = await store.outbound.enqueueMany(out);
      return store.outbound.routes(orgId, ids);
    },
  };
}

export type Planner = ReturnType<typeof createPlanner>;
