/**
 * When to remind (DESIGN.md §4.2): a ladder before the due day, the due day, then every few
 * working days while overdue, and one escalation to leaders — until the deadline is long past
 * (`stopAfterDays`): then reminding stops and the planner tells the office once. Every moment is
 * moved out of quiet hours and days off by the calendar. Pure: the planner and `dondoc plan`
 * both use it.
 */
import { DEFAULT_CALENDAR, addWorkingDays, nextAllowedMoment, type CalendarPolicy } from "./calendar.ts";
import { addDays, atLocal } from "./time.ts";

export interface ReminderPolicy {
  /** Days before the due day: default 7, 3 and 1. */
  beforeDays: number[];
  onDueDay: boolean;
  /** While overdue, every n working days (default 2). */
  overdueEveryWorkingDays: number;
  /** Escalate to leaders after this many overdue days (default 3). */
  escalateAfterDays: number;
  /** Days before each occurrence of a recurring item (default 1). */
  occurrenceLeadDays: number;
  /** Local time a reminder is planned for, before the calendar moves it (default 08:00). */
  sendAt: string;
  /**
   * Days past the due day after which an open assignment is no longer reminded (default 90):
   * nagging a unit about a year-old deadline helps no one; the office decides instead.
   */
  stopAfterDays: number;
}

export const DEFAULT_POLICY: ReminderPolicy = Object.freeze({
  beforeDays: [7, 3, 1],
  onDueDay: true,
  overdueEveryWorkingDays: 2,
  escalateAfterDays: 3,
  occurrenceLeadDays: 1,
  sendAt: "08:00",
  stopAfterDays: 90,
});

export type ReminderKind = "before" | "due" | "overdue" | "escalation" | "occurrence";

export interface PlannedReminder {
  at: Date;
  kind: ReminderKind;
  /** The day the rule named (before the calendar moved it): part of the dedupe key. */
  day: string;
}

/**
 * The reminders of one assignment between `from` (inclusive) and `until` (exclusive), oldest
 * first. A dated assignment gets the ladder, the due day, overdue reminders and one escalation,
 * none for a day more than `stopAfterDays` past the due day; a recurring one gets a reminder
 * before each open occurrence.
 *
 * @example
 * planReminders({ dueDate: "2020-06-30" }, { from: new Date("2020-06-20T01:00:00Z"), until: new Date("2020-07-20T00:00:00Z") })
 * // before 23/6 and 29/6, due 30/6, overdue 2/7, escalation 3/7, …
 */
export function planReminders(
  assignment: { dueDate: string | null; occurrences?: { dueDate: string }[] },
  window: { from: Date; until: Date },
  policy: ReminderPolicy = DEFAULT_POLICY,
  calendar: CalendarPolicy = DEFAULT_CALENDAR,
): PlannedReminder[] {
  const out: PlannedReminder[] = [];
  const add = (day: string, kind: ReminderKind) => {
    const at = nextAllowedMoment(atLocal(day, policy.sendAt), calendar);
    if (at >= window.from && at < window.until && !out.some((r) => r.kind === kind && r.day === day)) {
      out.push({ at, kind, day });
    }
  };
  if (assignment.dueDate) {
    const due = assignment.dueDate;
    // The last day a rule may name: later, the deadline is left to the office.
    const last = addDays(due, policy.stopAfterDays);
    for (const d of policy.beforeDays) add(addDays(due, -d), "before");
    if (policy.onDueDay) add(due, "due");
    if (policy.overdueEveryWorkingDays > 0) {
      for (let day = addWorkingDays(due, policy.overdueEveryWorkingDays, calendar); day <= last && atLocal(day, "00:00") < window.until; day = addWorkingDays(day, policy.overdueEveryWorkingDays, calendar)) {
        add(day, "overdue");
      }
    }
    if (policy.escalateAfterDays > 0 && policy.escalateAfterDays <= policy.stopAfterDays) add(addDays(due, policy.escalateAfterDays), "escalation");
  }
  for (const occurrence of assignment.occurrences ?? []) add(addDays(occurrence.dueDate, -policy.occurrenceLeadDays), "occurrence");
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}
