/**
 * How statuses and timing read in chat: short Vietnamese lines that fit a phone screen.
 * Timing is derived from status, due day and done moment, never stored (DESIGN.md §2).
 */
import type { AssignmentStatus } from "./entities.ts";
import { daysBetween, localDay, viDate } from "./time.ts";

export const STATUS_VI: Record<AssignmentStatus, string> = {
  not_reported: "chưa báo cáo",
  in_progress: "đang thực hiện",
  done: "hoàn thành",
  blocked: "vướng mắc",
};

export type TimingClass = "on_time" | "done_late" | "overdue" | "open" | "no_due";

export interface Timing {
  class: TimingClass;
  /** Days late (done_late, overdue) or left (open); 0 otherwise. */
  days: number;
}

/**
 * @example
 * timing({ status: "in_progress", dueDate: "2020-06-30", doneAt: null }, "2020-07-03") // { class: "overdue", days: 3 }
 */
export function timing(
  a: { status: AssignmentStatus; dueDate: string | null; doneAt: Date | null },
  today: string,
): Timing {
  if (!a.dueDate) return { class: "no_due", days: 0 };
  if (a.status === "done") {
    const doneDay = a.doneAt ? localDay(a.doneAt) : today;
    const late = daysBetween(a.dueDate, doneDay);
    return late > 0 ? { class: "done_late", days: late } : { class: "on_time", days: 0 };
  }
  const left = daysBetween(today, a.dueDate);
  return left < 0 ? { class: "overdue", days: -left } : { class: "open", days: left };
}

/** "đúng hạn" · "trễ hạn 2 ngày" · "quá hạn 3 ngày" · "còn 5 ngày" · "hôm nay là hạn" · "" */
export function timingText(t: Timing): string {
  switch (t.class) {
    case "on_time":
      return "đúng hạn";
    case "done_late":
      return `trễ hạn ${t.days} ngày`;
    case "overdue":
      return `quá hạn ${t.days} ngày`;
    case "open":
      return t.days === 0 ? "hôm nay là hạn" : `còn ${t.days} ngày`;
    case "no_due":
      return "";
  }
}

/** "hạn 30/06/2020 (quá hạn 3 ngày)" or "thường xuyên" when there is no due day. */
export function dueText(dueDate: string | null, t: Timing): string {
  if (!dueDate) return "không có hạn";
  const when = timingText(t);
  return when ? `hạn ${viDate(dueDate)} (${when})` : `hạn ${viDate(dueDate)}`;
}

/** What a status looks like with its percent: "đang thực hiện 80%". */
export function statusText(status: AssignmentStatus, percent: number | null): string {
  return status === "in_progress" && percent !== null ? `${STATUS_VI[status]} ${percent}%` : STATUS_VI[status];
}

/** Cuts a summary for a one-line list entry. */
export function shorten(text: string, max = 60): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * Splits lines into messages no longer than a phone screen (maxLines) or the channel limit
 * (maxChars); a line is never cut unless it alone is too long.
 *
 * @example
 * splitMessages(["a", "b", "c"], { maxLines: 2, maxChars: 2000 }) // ["a\nb", "c"]
 */
export function splitMessages(lines: string[], limits: { maxLines: number; maxChars: number }): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let size = 0;
  const flush = () => {
    if (current.length > 0) out.push(current.join("\n"));
    current = [];
    size = 0;
  };
  for (const raw of lines) {
    const line = [...raw].length > limits.maxChars ? [...raw].slice(0, limits.maxChars - 1).join("") + "…" : raw;
    const added = (current.length > 0 ? 1 : 0) + line.length;
    if (current.length >= limits.maxLines || size + added > limits.maxChars) flush();
    current.push(line);
    size += (current.length > 1 ? 1 : 0) + line.length;
  }
  flush();
  return out;
}

/**
 * Where a piece of work stands, in the classes the state's task-tracking system uses (Văn phòng
 * Chính phủ's "theo dõi nhiệm vụ"): finished on time or late; unfinished within its term or
 * overdue (with age buckets over 30 and over 120 days); and work without a term (ongoing,
 * undated) flagged when nobody has reported on it for 3 months. One definition for chat, the
 * board, the digest and the exports.
 */
export type StandingClass = "done_on_time" | "done_late" | "in_term" | "overdue" | "no_term" | "stale";

export interface Standing {
  class: StandingClass;
  /** Days late (done_late, overdue), left (in_term), or without a report (stale); 0 otherwise. */
  days: number;
  /** Overdue age: over 30 or over 120 days. */
  bucket: "over_30" | "over_120" | null;
}

/** Days without a report after which work without a term is flagged. */
export const STALE_AFTER_DAYS = 90;

export const STANDING_VI: Record<StandingClass, string> = {
  done_on_time: "hoàn thành đúng hạn",
  done_late: "hoàn thành quá hạn",
  in_term: "đang thực hiện trong hạn",
  overdue: "quá hạn",
  no_term: "không có thời hạn",
  stale: "quá 3 tháng chưa báo cáo",
};

/**
 * @example
 * standing({ status: "in_progress", dueDate: "2020-06-30", doneAt: null }, "2020-08-15") // { class: "overdue", days: 46, bucket: "over_30" }
 * standing({ status: "not_reported", dueDate: null, doneAt: null, statusChangedAt: null }, "2020-12-01", new Date("2020-06-05")) // { class: "stale", … }
 */
export function standing(
  a: { status: AssignmentStatus; dueDate: string | null; doneAt: Date | null; statusChangedAt?: Date | null },
  today: string,
  since: Date | null = null,
): Standing {
  const t = timing(a, today);
  switch (t.class) {
    case "on_time":
      return { class: "done_on_time", days: 0, bucket: null };
    case "done_late":
      return { class: "done_late", days: t.days, bucket: null };
    case "open":
      return { class: "in_term", days: t.days, bucket: null };
    case "overdue":
      return { class: "overdue", days: t.days, bucket: t.days > 120 ? "over_120" : t.days > 30 ? "over_30" : null };
    case "no_due": {
      if (a.status === "done") return { class: "done_on_time", days: 0, bucket: null };
      const last = a.statusChangedAt ?? since;
      const silent = last ? daysBetween(localDay(last), today) : 0;
      return silent > STALE_AFTER_DAYS ? { class: "stale", days: silent, bucket: null } : { class: "no_term", days: 0, bucket: null };
    }
  }
}

/** "đợt 30/11–06/12": the period of a recurring item's occurrence, as lists and cells name it. */
export function periodSpan(o: { periodStart: string; periodEnd: string }): string {
  return `đợt ${viDate(o.periodStart).slice(0, 5)}–${viDate(o.periodEnd).slice(0, 5)}`;
}
