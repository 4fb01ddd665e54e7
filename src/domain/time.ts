/**
 * Calendar days in Asia/Ho_Chi_Minh (UTC+7, no daylight saving): the one place that knows the
 * zone. Days are `YYYY-MM-DD` strings; moments are Dates passed in (never read from the wall).
 */
export const TIME_ZONE = "Asia/Ho_Chi_Minh";
const OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The local calendar day of a moment. @example localDay(new Date("2020-06-05T18:00:00Z")) // "2020-06-06" */
export function localDay(moment: Date): string {
  return new Date(moment.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The moment a local day starts. @example dayStart("2020-06-06").toISOString() // "2020-06-05T17:00:00.000Z" */
export function dayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS);
}

/** Adds whole days. @example addDays("2020-06-30", 1) // "2020-07-01" */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** The last day of the month of `day`. */
export function endOfMonth(day: string): string {
  const [y, m] = day.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Formats a day the Vietnamese way. @example viDate("2020-06-30") // "30/06/2020" */
export function viDate(day: string): string {
  const [y, m, d] = day.split("-");
  return `${d}/${m}/${y}`;
}

/** A moment as local ISO time with its offset. @example localIso(new Date("2020-06-23T01:00:00Z")) // "2020-06-23T08:00:00+07:00" */
export function localIso(moment: Date): string {
  return `${new Date(moment.getTime() + OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

/** The moment of a local day and "HH:MM". @example atLocal("2020-06-23", "08:00").toISOString() // "2020-06-23T01:00:00.000Z" */
export function atLocal(day: string, time: string): Date {
  return new Date(Date.parse(`${day}T${time}:00+07:00`));
}
