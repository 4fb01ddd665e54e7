/**
 * The working calendar of a Vietnamese organisation: quiet hours, weekends, public holidays
 * (Labour Code 2019, Điều 112) and the Vietnamese lunar calendar they depend on.
 *
 * Pure: days are `YYYY-MM-DD` strings in Asia/Ho_Chi_Minh (UTC+7), moments are Dates passed in.
 */
import { addDays, dayStart, daysBetween, isoDay, localDay, weekday } from "./time.ts";

/**
 * When the bot may send messages and which days count as working days.
 *
 * @example
 * const policy: CalendarPolicy = { ...DEFAULT_CALENDAR, extraDaysOff: ["2025-05-19"], workingDays: ["2025-04-26"] };
 */
export interface CalendarPolicy {
  /** "HH:MM" local time from which no message is sent, e.g. "21:00". */
  quietStart: string;
  /** "HH:MM" local time until which no message is sent, e.g. "07:00" (the span may cross midnight). */
  quietEnd: string;
  /** Saturday from 12:00 is off (the morning is a working morning). */
  saturdayAfternoonOff: boolean;
  /** Sunday is off all day. */
  sundayOff: boolean;
  /** Vietnamese public holidays (see {@link publicHolidays}) are off. */
  holidays: boolean;
  /** The organisation's own days off (YYYY-MM-DD), e.g. compensatory days (nghỉ bù). */
  extraDaysOff: string[];
  /** Swapped working days (YYYY-MM-DD): a Saturday, Sunday or holiday made a full working day. */
  workingDays: string[];
}

/**
 * Quiet 21:00–07:00, Saturday afternoon and Sunday off, public holidays off.
 *
 * @example
 * isDayOff("2025-09-02", DEFAULT_CALENDAR) // true
 */
export const DEFAULT_CALENDAR: CalendarPolicy = {
  quietStart: "21:00",
  quietEnd: "07:00",
  saturdayAfternoonOff: true,
  sundayOff: true,
  holidays: true,
  extraDaysOff: [],
  workingDays: [],
};

// ---------------------------------------------------------------------------------------------
// Lunar calendar — Hồ Ngọc Đức's algorithm (astronomical new moons and solar terms), UTC+7.
// ---------------------------------------------------------------------------------------------

const TZ = 7;
const SYNODIC = 29.530588853;
const K_EPOCH = 2415021.076998695;
/** Julian day number of 1970-01-01. */
const JDN_UNIX_EPOCH = 2440588;

function jdn(day: string): number {
  return daysBetween("1970-01-01", day) + JDN_UNIX_EPOCH;
}

function fromJdn(n: number): string {
  return addDays("1970-01-01", n - JDN_UNIX_EPOCH);
}

/** Julian date of the k-th new moon after 1900-01-01 13:51 GMT. */
function newMoon(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const dr = Math.PI / 180;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 = jd1 + 0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * dr);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3;
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3;
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3;
  let c1 = (0.1734 - 0.000393 * T) * Math.sin(M * dr) + 0.0021 * Math.sin(2 * dr * M);
  c1 = c1 - 0.4068 * Math.sin(Mpr * dr) + 0.0161 * Math.sin(dr * 2 * Mpr);
  c1 = c1 - 0.0004 * Math.sin(dr * 3 * Mpr);
  c1 = c1 + 0.0104 * Math.sin(dr * 2 * F) - 0.0051 * Math.sin(dr * (M + Mpr));
  c1 = c1 - 0.0074 * Math.sin(dr * (M - Mpr)) + 0.0004 * Math.sin(dr * (2 * F + M));
  c1 = c1 - 0.0004 * Math.sin(dr * (2 * F - M)) - 0.0006 * Math.sin(dr * (2 * F + Mpr));
  c1 = c1 + 0.001 * Math.sin(dr * (2 * F - Mpr)) + 0.0005 * Math.sin(dr * (2 * Mpr + M));
  const deltaT =
    T < -11
      ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
      : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + c1 - deltaT;
}

/** Sun's ecliptic longitude (radians, 0..2π) at Julian date `jd`. */
function sunLongitude(jd: number): number {
  const T = (jd - 2451545.0) / 36525;
  const T2 = T * T;
  const dr = Math.PI / 180;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  let dl = (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(dr * M);
  dl = dl + (0.019993 - 0.000101 * T) * Math.sin(dr * 2 * M) + 0.00029 * Math.sin(dr * 3 * M);
  const l = (L0 + dl) * dr;
  return l - Math.PI * 2 * Math.floor(l / (Math.PI * 2));
}

/** The solar-term sector (0..11) of the sun at the start of local day number `dayNumber`. */
function sunSector(dayNumber: number): number {
  return Math.floor((sunLongitude(dayNumber - 0.5 - TZ / 24) / Math.PI) * 6);
}

/** Local day number on which the k-th new moon falls. */
function newMoonDay(k: number): number {
  return Math.floor(newMoon(k) + 0.5 + TZ / 24);
}

/** Day number of the start of lunar month 11 (the month containing the winter solstice) of `year`. */
function lunarMonth11(year: number): number {
  const off = jdn(isoDay(year, 12, 31)) - 2415021;
  const k = Math.floor(off / SYNODIC);
  const nm = newMoonDay(k);
  return sunSector(nm) >= 9 ? newMoonDay(k - 1) : nm;
}

/** Offset (in months after month 11 starting at `a11`) of the leap month: the first month with no major solar term. */
function leapMonthOffset(a11: number): number {
  const k = Math.floor((a11 - K_EPOCH) / SYNODIC + 0.5);
  let i = 1;
  let arc = sunSector(newMoonDay(k + i));
  let last: number;
  do {
    last = arc;
    i++;
    arc = sunSector(newMoonDay(k + i));
  } while (arc !== last && i < 14);
  return i - 1;
}

/**
 * The solar day of a Vietnamese lunar date (UTC+7, Hồ Ngọc Đức's algorithm). `leapMonth` asks
 * for the leap (nhuận) copy of `lunarMonth`. Throws RangeError for a leap month the year does
 * not have, or a day beyond the month's length (29 or 30).
 *
 * @example
 * lunarToSolar(2025, 1, 1)        // "2025-01-29" (Tết Ất Tỵ)
 * lunarToSolar(2023, 2, 1, true)  // "2023-03-22" (1 tháng 2 nhuận)
 */
export function lunarToSolar(lunarYear: number, lunarMonth: number, lunarDay: number, leapMonth = false): string {
  if (!Number.isInteger(lunarMonth) || lunarMonth < 1 || lunarMonth > 12 || !Number.isInteger(lunarDay) || lunarDay < 1) {
    throw new RangeError(`Invalid lunar date ${lunarYear}-${lunarMonth}-${lunarDay}`);
  }
  const [a11, b11] =
    lunarMonth < 11
      ? [lunarMonth11(lunarYear - 1), lunarMonth11(lunarYear)]
      : [lunarMonth11(lunarYear), lunarMonth11(lunarYear + 1)];
  const k = Math.floor(0.5 + (a11 - K_EPOCH) / SYNODIC);
  let off = lunarMonth - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11);
    let leap = leapOff - 2;
    if (leap < 0) leap += 12;
    if (leapMonth && lunarMonth !== leap) {
      throw new RangeError(`Lunar year ${lunarYear} has no leap month ${lunarMonth}`);
    }
    if (leapMonth || off >= leapOff) off += 1;
  } else if (leapMonth) {
    throw new RangeError(`Lunar year ${lunarYear} has no leap month`);
  }
  const start = newMoonDay(k + off);
  const length = newMoonDay(k + off + 1) - start;
  if (lunarDay > length) {
    throw new RangeError(`Lunar month ${lunarMonth}/${lunarYear} has ${length} days`);
  }
  return fromJdn(start + lunarDay - 1);
}

/**
 * The Vietnamese lunar date of a solar day (UTC+7, Hồ Ngọc Đức's algorithm).
 *
 * @example
 * solarToLunar("2024-02-10") // { year: 2024, month: 1, day: 1, leap: false }
 */
export function solarToLunar(day: string): { year: number; month: number; day: number; leap: boolean } {
  const dayNumber = jdn(day);
  const yy = Number(day.slice(0, 4));
  const k = Math.floor((dayNumber - K_EPOCH) / SYNODIC);
  let monthStart = newMoonDay(k + 1);
  if (monthStart > dayNumber) monthStart = newMoonDay(k);
  let a11 = lunarMonth11(yy);
  let b11 = a11;
  let year: number;
  if (a11 >= monthStart) {
    year = yy;
    a11 = lunarMonth11(yy - 1);
  } else {
    year = yy + 1;
    b11 = lunarMonth11(yy + 1);
  }
  const lunarDay = dayNumber - monthStart + 1;
  const diff = Math.floor((monthStart - a11) / 29);
  let leap = false;
  let month = diff + 11;
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11);
    if (diff >= leapDiff) {
      month = diff + 10;
      if (diff === leapDiff) leap = true;
    }
  }
  if (month > 12) month -= 12;
  if (month >= 11 && diff < 4) year -= 1;
  return { year, month, day: lunarDay, leap };
}

// ---------------------------------------------------------------------------------------------
// Public holidays
// ---------------------------------------------------------------------------------------------

const holidayCache = new Map<number, readonly { date: string; name: string }[]>();

/**
 * Public holidays of a solar year per the Labour Code 2019 (Bộ luật Lao động 2019, Điều 112),
 * sorted by date:
 * - Tết Dương lịch: 1/1.
 * - Tết Nguyên Đán: 5 days — the last day of the lunar year (30 or 29 tháng Chạp) plus mùng 1–4.
 *   The law fixes only the count; the government announces the exact days each year and may
 *   shift them (e.g. to join a weekend). This returns the canonical eve + mùng 1–4; put the
 *   announced variation into `extraDaysOff` / `workingDays`.
 * - Giỗ Tổ Hùng Vương: 10/3 âm lịch (the regular, non-leap 3rd month).
 * - Ngày Chiến thắng: 30/4; Quốc tế Lao động: 1/5.
 * - Quốc khánh: 2/9 plus one adjacent day. The law lets the government choose 1/9 or 3/9 each
 *   year; this always returns 1/9 — record a year that uses 3/9 via `extraDaysOff` / `workingDays`.
 * Compensatory days (nghỉ bù) for holidays falling on a weekly rest day are not generated.
 *
 * @example
 * publicHolidays(2025).filter((h) => h.name.startsWith("Tết Nguyên Đán")).map((h) => h.date)
 * // ["2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01"]
 */
export function publicHolidays(year: number): { date: string; name: string }[] {
  let list = holidayCache.get(year);
  if (!list) {
    const tet = lunarToSolar(year, 1, 1);
    const computed = [
      { date: isoDay(year, 1, 1), name: "Tết Dương lịch" },
      { date: addDays(tet, -1), name: "Tết Nguyên Đán (30 Tết)" },
      { date: tet, name: "Tết Nguyên Đán (mùng 1)" },
      { date: addDays(tet, 1), name: "Tết Nguyên Đán (mùng 2)" },
      { date: addDays(tet, 2), name: "Tết Nguyên Đán (mùng 3)" },
      { date: addDays(tet, 3), name: "Tết Nguyên Đán (mùng 4)" },
      { date: lunarToSolar(year, 3, 10), name: "Giỗ Tổ Hùng Vương" },
      { date: isoDay(year, 4, 30), name: "Ngày Chiến thắng" },
      { date: isoDay(year, 5, 1), name: "Quốc tế Lao động" },
      { date: isoDay(year, 9, 1), name: "Quốc khánh (ngày liền kề)" },
      { date: isoDay(year, 9, 2), name: "Quốc khánh" },
    ].sort((a, b) => a.date.localeCompare(b.date));
    list = Object.freeze(computed);
    holidayCache.set(year, list);
  }
  return list.map((h) => ({ ...h }));
}

function isHoliday(day: string): boolean {
  const year = Number(day.slice(0, 4));
  if (!holidayCache.has(year)) publicHolidays(year);
  return (holidayCache.get(year) ?? []).some((h) => h.date === day);
}

// ---------------------------------------------------------------------------------------------
// Days off, quiet hours, working days
// ---------------------------------------------------------------------------------------------

/**
 * Off all day: a Sunday (when `sundayOff`), a public holiday (when `holidays`) or one of
 * `extraDaysOff` — unless the day is listed in `workingDays`. Being a Saturday never makes a day
 * off all day (only its afternoon, see {@link nextAllowedMoment}).
 *
 * @example
 * isDayOff("2025-01-29")                                          // true (mùng 1 Tết)
 * isDayOff("2025-06-02")                                          // false (a Monday)
 * isDayOff("2025-06-01", { ...DEFAULT_CALENDAR, workingDays: ["2025-06-01"] }) // false
 */
export function isDayOff(day: string, policy: CalendarPolicy = DEFAULT_CALENDAR): boolean {
  if (policy.workingDays.includes(day)) return false;
  if (policy.extraDaysOff.includes(day)) return true;
  if (policy.sundayOff && weekday(day) === 0) return true;
  return policy.holidays && isHoliday(day);
}

const MINUTE_MS = 60 * 1000;
const NOON = 12 * 60;

function parseHm(hm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hm.trim());
  if (!m) throw new RangeError(`Expected "HH:MM", got "${hm}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Is `minute` (0..1439 of the local day) inside quiet hours? A zero-length span means none. */
function isQuiet(minute: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start > end ? minute >= start || minute < end : minute >= start && minute < end;
}

function isAllowedAt(day: string, minute: number, policy: CalendarPolicy, start: number, end: number): boolean {
  if (isDayOff(day, policy)) return false;
  if (isQuiet(minute, start, end)) return false;
  const saturdayAfternoon =
    policy.saturdayAfternoonOff && weekday(day) === 6 && minute >= NOON && !policy.workingDays.includes(day);
  return !saturdayAfternoon;
}

/**
 * The first moment ≥ `moment` at which a message may be sent: outside quiet hours, not on a
 * day off, not on a Saturday afternoon (unless that Saturday is a swapped working day). A
 * moment that has to move lands at `quietEnd` of the next allowed day — the same day when it
 * was before `quietEnd` on an allowed day. Gives up (RangeError) after 400 days of days off.
 *
 * @example
 * nextAllowedMoment(new Date("2025-06-04T22:00:00+07:00")).toISOString() // "2025-06-05T00:00:00.000Z" (07:00 +07:00)
 * nextAllowedMoment(new Date("2025-06-07T14:00:00+07:00")).toISOString() // "2025-06-09T00:00:00.000Z" (Monday 07:00)
 */
export function nextAllowedMoment(moment: Date, policy: CalendarPolicy = DEFAULT_CALENDAR): Date {
  const start = parseHm(policy.quietStart);
  const end = parseHm(policy.quietEnd);
  const day = localDay(moment);
  const minute = Math.floor((moment.getTime() - dayStart(day).getTime()) / MINUTE_MS);
  if (isAllowedAt(day, minute, policy, start, end)) return moment;
  const at = (d: string): Date => new Date(dayStart(d).getTime() + end * MINUTE_MS);
  if (at(day).getTime() > moment.getTime() && isAllowedAt(day, end, policy, start, end)) return at(day);
  for (let i = 1; i <= 400; i++) {
    const d = addDays(day, i);
    if (isAllowedAt(d, end, policy, start, end)) return at(d);
  }
  throw new RangeError(`No allowed moment within 400 days of ${moment.toISOString()}`);
}

/**
 * Adds `n` working days (days for which {@link isDayOff} is false; a Saturday counts as a
 * working day because only its afternoon is off). Negative `n` counts backwards; `n = 0`
 * returns `day` unchanged even when it is off.
 *
 * @example
 * addWorkingDays("2025-06-06", 1) // "2025-06-07" (Friday → Saturday)
 * addWorkingDays("2025-06-07", 1) // "2025-06-09" (Saturday → Monday, skipping Sunday)
 * addWorkingDays("2025-01-27", 1) // "2025-02-03" (Monday → after Tết 28/1–1/2 and Sunday)
 */
export function addWorkingDays(day: string, n: number, policy: CalendarPolicy = DEFAULT_CALENDAR): string {
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer, got ${n}`);
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let d = day;
  while (left > 0) {
    d = addDays(d, step);
    if (!isDayOff(d, policy)) left--;
  }
  return d;
}
