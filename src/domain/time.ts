/**
 * Calendar days in Asia/Ho_Chi_Minh (UTC+7, no daylight saving): the one place that knows the
 * zone. Days are `YYYY-MM-DD` strings; moments are Dates passed in (never read from the wall).
 */
export const TIME_ZONE = "Asia/Ho_Chi_Minh";
const OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The numbers of a day written `y-m-d`. */
export interface DayParts {
  y: number;
  m: number;
  d: number;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Days in month `m` (1–12) of year `y` (Gregorian leap years); 0 for any other month. @example daysInMonth(2020, 2) // 29 */
export function daysInMonth(y: number, m: number): number {
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

/** Whether day `d` of month `m` of year `y` exists on the calendar. @example dayExists(2021, 2, 29) // false */
export function dayExists(y: number, m: number, d: number): boolean {
  return d >= 1 && d <= daysInMonth(y, m);
}

/** Whether a year written in a date is plausible (1900–2200); others are typos or not years. @example plausibleYear(2020) // true */
export function plausibleYear(y: number): boolean {
  return y >= 1900 && y <= 2200;
}

/** The `YYYY-MM-DD` day of year, month, day (not checked: see {@link dayExists}). @example isoDay(2020, 6, 5) // "2020-06-05" */
export function isoDay(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** The numbers of a `YYYY-MM-DD` string, or null for another shape (the day is not checked). @example parseDay("2020-06-05") // { y: 2020, m: 6, d: 5 } */
export function parseDay(text: string): DayParts | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null;
}

/** A time of day as `HH:MM`. @example clockTime(8, 5) // "08:05" */
export function clockTime(hours: number, minutes: number): string {
  return `${pad(hours)}:${pad(minutes)}`;
}

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

/** The last day of the month of `day`. @example endOfMonth("2020-02-10") // "2020-02-29" */
export function endOfMonth(day: string): string {
  const [y, m] = day.split("-").map(Number) as [number, number];
  return isoDay(y, m, daysInMonth(y, m));
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
