/**
 * Periods of a recurring item (weekly Green Sunday, monthly report…) and who is on duty in each.
 * Pure: days in, days out (Asia/Ho_Chi_Minh calendar days, see time.ts).
 */
import type { Deadline, Period, Rotation } from "./deadline.ts";
import { addDays, daysBetween, endOfMonth, isoDay, weekday } from "./time.ts";

export interface OccurrencePlan {
  periodStart: string;
  periodEnd: string;
  /** The day the occurrence is due: the stated weekday or day of the period, else its last day. */
  dueDate: string;
  /** 1-based team on duty when the item has a rotation, else null. */
  team: number | null;
}

/** How many periods ahead activation plans; the reminder planner extends them later. */
export const OCCURRENCE_HORIZON: Record<Period, number> = { week: 8, month: 3, quarter: 2, year: 1 };

function periodContaining(every: Period, day: string): { start: string; end: string } {
  if (every === "week") {
    // Vietnamese weeks run Monday (thứ hai) to Sunday (chủ nhật).
    const start = addDays(day, -((weekday(day) + 6) % 7));
    return { start, end: addDays(start, 6) };
  }
  const [y, m] = day.split("-").map(Number) as [number, number];
  const firstMonth = every === "month" ? m : every === "quarter" ? m - ((m - 1) % 3) : 1;
  const months = every === "month" ? 1 : every === "quarter" ? 3 : 12;
  return { start: isoDay(y, firstMonth, 1), end: endOfMonth(isoDay(y, firstMonth + months - 1, 1)) };
}

function dueWithin(start: string, end: string, deadline: Deadline): string {
  const clamp = (day: string) => (day > end ? end : day);
  if (deadline.dayOfPeriod !== null) {
    return clamp(addDays(start, deadline.dayOfPeriod - 1));
  }
  if (deadline.weekday !== null) {
    const wanted = deadline.weekday;
    if (deadline.weekOfPeriod === -1) {
      let day = end;
      while (weekday(day) !== wanted) day = addDays(day, -1);
      return day;
    }
    let day = start;
    while (weekday(day) !== wanted) day = addDays(day, 1);
    if (deadline.weekOfPeriod !== null && deadline.weekOfPeriod > 1) {
      day = addDays(day, 7 * (deadline.weekOfPeriod - 1));
    }
    return clamp(day);
  }
  return end;
}

/**
 * The occurrences of a recurring deadline from the period containing `from`, `count` periods
 * long. "mỗi tháng 02 lần" splits each period into that many equal parts. A rotation names the
 * team on duty, turn by turn from the first occurrence.
 *
 * @example
 * planOccurrences({ ...NO_DEADLINE, kind: "recurring", every: "week" }, { teams: 2, turn: "week", text: "" }, "2020-06-06", 2)
 * // [{ periodStart: "2020-06-01", periodEnd: "2020-06-07", dueDate: "2020-06-07", team: 1 },
 * //  { periodStart: "2020-06-08", periodEnd: "2020-06-14", dueDate: "2020-06-14", team: 2 }]
 */
export function planOccurrences(
  deadline: Deadline,
  rotation: Rotation | null,
  from: string,
  count?: number,
): OccurrencePlan[] {
  const every = deadline.every ?? "month";
  const periods = count ?? OCCURRENCE_HORIZON[every];
  const parts = Math.max(1, Math.min(deadline.timesPerPeriod ?? 1, 31));
  const out: OccurrencePlan[] = [];
  let cursor = from;
  for (let p = 0; p < periods; p++) {
    const { start, end } = periodContaining(every, cursor);
    if (parts === 1) {
      out.push({ periodStart: start, periodEnd: end, dueDate: dueWithin(start, end, deadline), team: null });
    } else {
      const length = daysBetween(start, end) + 1;
      for (let i = 0; i < parts; i++) {
        const partStart = addDays(start, Math.floor((length * i) / parts));
        const partEnd = i === parts - 1 ? end : addDays(start, Math.floor((length * (i + 1)) / parts) - 1);
        out.push({ periodStart: partStart, periodEnd: partEnd, dueDate: partEnd, team: null });
      }
    }
    cursor = addDays(end, 1);
  }
  if (rotation && rotation.teams > 1) {
    // Teams take turns, one occurrence each, starting with team 1.
    out.forEach((o, i) => {
      o.team = (i % rotation.teams) + 1;
    });
  }
  return out;
}
