/**
 * Pure resolver for Vietnamese deadline phrases (DESIGN.md §3).
 *
 * Matching runs on folded text (see `fold` in text.ts): lower case, no diacritics, đ → d,
 * whitespace collapsed. Positions map back to the source so `Deadline.text` is always the
 * exact original substring. Calendar dates are `YYYY-MM-DD` strings in Asia/Ho_Chi_Minh;
 * day arithmetic comes from time.ts.
 */
import { foldWithMap, sourceSlice, type FoldedText } from "./text.ts";
import { clockTime, dayExists, daysBetween, daysInMonth, endOfMonth, isoDay, parseDay, plausibleYear, type DayParts } from "./time.ts";

/** The shape of a resolved deadline. */
export type DeadlineKind = "date" | "month" | "quarter" | "half-year" | "year" | "recurring" | "ongoing" | "none";

/** A recurrence or rotation period. */
export type Period = "week" | "month" | "quarter" | "year";

/**
 * A resolved deadline phrase.
 *
 * @example
 * // "trước 14 giờ ngày 05/12/2017"
 * const d: Deadline = { kind: "date", text: "trước 14 giờ ngày 05/12/2017", due: "2017-12-05",
 *   every: null, timesPerPeriod: null, weekday: null, weekOfPeriod: null, dayOfPeriod: null, time: "14:00" };
 */
export interface Deadline {
  kind: DeadlineKind;
  /** The exact phrase as it stands in the source (original casing/diacritics). */
  text: string | null;
  /** YYYY-MM-DD: the last day of the period / the stated day; null for recurring/ongoing/none. */
  due: string | null;
  /** Recurring period. */
  every: Period | null;
  /** "mỗi tháng 02 lần" -> 2 */
  timesPerPeriod: number | null;
  /** 0 = Sunday (chủ nhật) … 6 = Saturday (thứ bảy); "thứ 5" = 4 */
  weekday: number | null;
  /** "tuần thứ hai hàng tháng" -> 2; "chủ nhật cuối cùng hằng tháng" -> -1 */
  weekOfPeriod: number | null;
  /** "ngày 07 hàng tháng" -> 7 */
  dayOfPeriod: number | null;
  /** "trước 14 giờ ngày 05/12/2017" -> "14:00" */
  time: string | null;
}

/**
 * A duty rotation between teams.
 *
 * @example
 * // "chia làm 02 tổ … luân phiên nhau, mỗi tổ sẽ đảm nhận 01 tuần"
 * const r: Rotation = { teams: 2, turn: "week", text: "chia làm 02 tổ … 01 tuần" };
 */
export interface Rotation {
  teams: number;
  turn: Period;
  text: string;
}

/**
 * What anchors a missing year and relative phrases.
 *
 * @example
 * const ctx: DeadlineContext = { documentDate: "2020-06-05" };
 */
export interface DeadlineContext {
  /** YYYY-MM-DD, or null when the document date is unknown. */
  documentDate: string | null;
  /**
   * YYYY-MM-DD: the last day of the holiday break the document itself announces ("được nghỉ 04
   * ngày, từ … đến Chủ nhật ngày 04/9/2022"); "trong các ngày nghỉ lễ" then resolves to it.
   * Absent or null: such phrases are not deadlines.
   */
  holidayEnd?: string | null;
}

/**
 * No deadline at all (frozen; copy it before changing anything).
 *
 * @example
 * findDeadline("Tăng cường công tác phối hợp", { documentDate: null }); // deep-equals NO_DEADLINE
 */
export const NO_DEADLINE: Deadline = Object.freeze({
  kind: "none",
  text: null,
  due: null,
  every: null,
  timesPerPeriod: null,
  weekday: null,
  weekOfPeriod: null,
  dayOfPeriod: null,
  time: null,
});

// ---------------------------------------------------------------------------------------------
// Calendar helpers (calendar days only; the arithmetic lives in time.ts)

/** A `YYYY-MM-DD` day that exists, as numbers; null otherwise. */
function parseIso(s: string | null): DayParts | null {
  const p = s === null ? null : parseDay(s);
  return p !== null && dayExists(p.y, p.m, p.d) ? p : null;
}

/** Is day/month valid (for an unknown year, 29/2 is allowed)? */
function validDayMonth(d: number, m: number, y: number | null): boolean {
  return dayExists(y ?? 2000, m, d);
}

/**
 * The year of a day/month given without one: the document's year, or the next year when that
 * would put the day more than about six months before the document (a December notice saying
 * "trước 15/1" means January of the next year).
 */
function inferYear(m: number, d: number | "last", doc: DayParts | null): number | null {
  if (doc === null) return null;
  const last = daysInMonth(doc.y, m);
  const day = isoDay(doc.y, m, d === "last" ? last : Math.min(d, last));
  return daysBetween(day, isoDay(doc.y, doc.m, doc.d)) > 183 ? doc.y + 1 : doc.y;
}

/** Last day of the month before month m of year y ("trước tháng 7" → 30/6). */
function endOfPreviousMonth(y: number, m: number): string {
  return m === 1 ? isoDay(y - 1, 12, 31) : endOfMonth(isoDay(y, m - 1, 1));
}

// ---------------------------------------------------------------------------------------------
// Vocabulary (folded forms)

const R = String.raw;

const NUM_WORDS: Readonly<Record<string, number>> = {
  mot: 1,
  hai: 2,
  ba: 3,
  bon: 4,
  tu: 4,
  nam: 5,
  sau: 6,
  bay: 7,
  tam: 8,
  chin: 9,
  muoi: 10,
};

const NUM = R`(?:\d{1,2}|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi)`;

function parseNum(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  return NUM_WORDS[s] ?? null;
}

/** "thứ 2" … "thứ 7", "thứ hai" … "thứ bảy", "chủ nhật". */
const WD = R`(?:(?:thu\s+(?:[2-7]|hai|ba|tu|nam|sau|bay)|chu\s+nhat)(?![a-z0-9]))`;

const WEEKDAY_WORDS: Readonly<Record<string, number>> = { hai: 1, ba: 2, tu: 3, nam: 4, sau: 5, bay: 6 };

function parseWeekday(s: string): number | null {
  const t = s.replace(/\s+/g, " ").trim();
  if (t === "chu nhat") return 0;
  const m = /^thu ([a-z0-9]+)$/.exec(t);
  if (!m || m[1] === undefined) return null;
  if (/^\d$/.test(m[1])) return Number(m[1]) - 1;
  return WEEKDAY_WORDS[m[1]] ?? null;
}

/** Position of a weekday or week inside the period: first … fifth, last. */
const ORD = R`(?:dau\s+tien|dau|cuoi\s+cung|cuoi|thu\s+(?:nhat|hai|ba|tu|nam|[1-5])(?![a-z0-9])|[1-5](?!\d))`;

function parseOrdinal(s: string): number | null {
  const t = s.replace(/\s+/g, " ").trim();
  if (t.startsWith("dau")) return 1;
  if (t.startsWith("cuoi")) return -1;
  const m = /^(?:thu )?([a-z0-9]+)$/.exec(t);
  if (!m || m[1] === undefined) return null;
  if (m[1] === "nhat") return 1;
  return parseNum(m[1]);
}

const PERIOD_WORDS: Readonly<Record<string, Period>> = { tuan: "week", thang: "month", quy: "quarter", nam: "year" };

const VERB = R`(?:hoan\s+thanh|xong|ket\s+thuc)`;
const PREP = R`(?:truoc|cham\s+nhat(?:\s+la)?|muon\s+nhat(?:\s+la)?|(?:thoi\s+)?han(?:\s+chot)?(?:\s+la)?|vao|den(?:\s+het)?|trong)`;
/** A deadline lead-in: "hoàn thành trước", "chậm nhất là", "hạn:", "trong", "xong" … */
const LEAD = R`(?:(?:${VERB}\s+)?${PREP}(?:\s*:)?|${VERB})`;

/** Does the (folded) lead-in say "before" ("trước")? */
function leadIsBefore(lead: string | undefined): boolean {
  return lead !== undefined && /truoc(?:\s*:)?$/.test(lead);
}

/** d/m, d/m/yyyy with / . or - between. */
const DATE_NUM = R`(?<![\d/.\-])\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{4})?(?!\d|[/.\-]\d)`;
/** "15 tháng 7 năm 2023", "15 tháng 7/2023", "15 tháng 7". */
const DATE_TXT = R`(?<!\d)\d{1,2}\s+thang\s+\d{1,2}(?:\s*,?\s*nam\s+\d{4}|[/.\-]\d{4})?(?!\d)`;
const DATE_CORE = R`(?:${DATE_NUM}|${DATE_TXT})`;
/** "14 giờ", "14h", "14h30", "14 giờ 30 phút". */
const TIME = R`(?<!\d)\d{1,2}\s*(?:gio|h)(?![a-z])(?:\s*\d{1,2}(?![\d/.\-])(?:\s*(?:phut|p)(?![a-z]))?)?`;
/** Start of a range: a day alone or a full date. */
const RANGE_START = R`(?<!\d)\d{1,2}(?:\s+thang\s+\d{1,2}(?:\s*,?\s*nam\s+\d{4})?|[/.\-]\d{1,2}(?:[/.\-]\d{4})?)?`;
const YEAR_TAIL = R`(?:\s*,?\s*nam\s+|\s*[/.\-]\s*)(\d{4})(?!\d)`;

interface DateParts {
  d: number;
  m: number;
  y: number | null;
}

function parseDateParts(s: string): DateParts | null {
  const m = /(\d{1,2})\s*(?:[/.-]|\s+thang\s+)(\d{1,2})(?:(?:\s*,?\s*nam\s+|[/.-])(\d{4}))?/.exec(s);
  if (!m) return null;
  return { d: Number(m[1]), m: Number(m[2]), y: m[3] === undefined ? null : Number(m[3]) };
}

function parseTime(s: string): string | null {
  const m = /(\d{1,2})\s*(?:gio|h)\s*(\d{1,2})?/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return null;
  return clockTime(h, min);
}

function romanOrArabic(s: string): number | null {
  const map: Readonly<Record<string, number>> = { i: 1, ii: 2, iii: 3, iv: 4, "1": 1, "2": 2, "3": 3, "4": 4 };
  return map[s] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Candidates

/** How much a phrase says about the deadline; the highest wins, then the earliest. */
const PRIO = {
  exactDate: 100,
  period: 90,
  recurringDetailed: 85,
  recurring: 80,
  barePeriodWithYear: 70,
  relativePeriod: 70,
  bareDate: 60,
  bareDayMonth: 55,
  perTeamRecurring: 50,
  periodic: 35,
  ongoing: 30,
  bareYear: 25,
  /** "trong các ngày nghỉ lễ": the document's own holiday break; anything more specific wins. */
  holiday: 28,
  pastBareDate: 10,
  /** Never chosen; only hides what it contains. */
  blocked: -1,
} as const;

type Fields = Omit<Deadline, "text">;

interface Candidate {
  start: number;
  end: number;
  prio: number;
  /** Only a deadline when it is the whole phrase (resolveDeadline), never inside a long text. */
  weak: boolean;
  fields: Fields;
}

function fields(partial: Partial<Fields> & { kind: DeadlineKind }): Fields {
  // Everything NO_DEADLINE says is null, except the phrase, which the caller finds.
  const { text: _text, ...nulls } = NO_DEADLINE;
  return {
    ...nulls,
    ...partial,
  };
}

interface Scan {
  f: string;
  doc: DayParts | null;
  /** The document's holiday break ends on this day (see DeadlineContext.holidayEnd). */
  holidayEnd: string | null;
  out: Candidate[];
}

function add(scan: Scan, start: number, end: number, prio: number, f: Fields, weak = false): void {
  scan.out.push({ start, end, prio, weak, fields: f });
}

/** An invalid date ("ngày 31 tháng 2 năm 2020"): nothing inside it may be read as a deadline. */
function block(scan: Scan, start: number, end: number): void {
  scan.out.push({ start, end, prio: PRIO.blocked, weak: false, fields: fields({ kind: "none" }) });
}

function* matches(re: RegExp, s: string): Generator<RegExpExecArray> {
  const g = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
  for (let m = g.exec(s); m !== null; m = g.exec(s)) {
    yield m;
    if (m[0].length === 0) g.lastIndex++;
  }
}

/** Resolve day/month/year (year possibly missing) to a due date, or undefined when invalid. */
function dueOfDate(p: DateParts, doc: DayParts | null): string | null | undefined {
  if (p.y !== null && !plausibleYear(p.y)) return undefined;
  if (!validDayMonth(p.d, p.m, p.y)) return undefined;
  const y = p.y ?? inferYear(p.m, p.d, doc);
  if (y === null) return null;
  if (!validDayMonth(p.d, p.m, y)) return undefined; // 29/2 in a common year
  return isoDay(y, p.m, p.d);
}

/** A document number just before a date ("Quyết định 142/2008/QĐ-TTg, ngày 27/10/2008"). */
function isCitation(before: string): boolean {
  return /\d[a-z0-9]*[/-][a-z0-9/.-]*[a-z0-9]\s*,?\s*(?:ban\s+hanh\s+|ky\s+)?(?:ngay\s+)?$/.test(before);
}

function scanDates(scan: Scan): void {
  const { f, doc } = scan;

  // Ranges: "từ ngày 09/10/2023 đến hết ngày 11/10/2023" → the end.
  const range = new RegExp(
    R`(?<![a-z0-9])(?:${VERB}\s+)?(?:tu|ke\s+tu|bat\s+dau\s+tu)\s+(?:${WD}\s*,?\s*)?(?:ngay\s+)?(${RANGE_START})\s*(?:den|toi|cho\s+den|-|–|—)\s*(?:het\s+)?(?:${WD}\s*,?\s*)?(?:ngay\s+)?(${DATE_CORE})`,
  );
  for (const m of matches(range, f)) {
    const end = parseDateParts(m[2] ?? "");
    if (!end) continue;
    const startParts = parseDateParts(m[1] ?? "");
    if (end.y === null && startParts?.y != null) end.y = startParts.y;
    const due = dueOfDate(end, doc);
    if (due === undefined) continue;
    add(scan, m.index, m.index + m[0].length, PRIO.exactDate, fields({ kind: "date", due }));
  }

  // Time then date: "trước 14 giờ ngày 05/12/2017".
  const timed = new RegExp(
    R`(?<![a-z0-9])(?:(${LEAD})\s*)?(${TIME})\s*,?\s*(?:(?:cua\s+|vao\s+)?ngay\s+)?(${DATE_CORE})`,
  );
  for (const m of matches(timed, f)) {
    const p = parseDateParts(m[3] ?? "");
    const time = parseTime(m[2] ?? "");
    if (!p || time === null) continue;
    const due = dueOfDate(p, doc);
    if (due === undefined) continue;
    add(scan, m.index, m.index + m[0].length, PRIO.exactDate, fields({ kind: "date", due, time }));
  }

  // Date then time: "ngày 05/12/2017 lúc 14 giờ".
  const timedAfter = new RegExp(
    R`(?<![a-z0-9])(?:(${LEAD})\s*)?(?:ngay\s+)?(${DATE_CORE})\s*,?\s*(?:vao\s+)?luc\s+(${TIME})`,
  );
  for (const m of matches(timedAfter, f)) {
    const p = parseDateParts(m[2] ?? "");
    const time = parseTime(m[3] ?? "");
    if (!p || time === null) continue;
    const due = dueOfDate(p, doc);
    if (due === undefined) continue;
    add(scan, m.index, m.index + m[0].length, PRIO.exactDate, fields({ kind: "date", due, time }));
  }

  // Led dates: "trước ngày 15/7/2023", "chậm nhất ngày 15 tháng 7 năm 2023", "hạn 15/07".
  const led = new RegExp(R`(?<![a-z0-9])(${LEAD})\s*(?:ngay\s+)?(${DATE_CORE})`);
  for (const m of matches(led, f)) {
    const p = parseDateParts(m[2] ?? "");
    if (!p) continue;
    const due = dueOfDate(p, doc);
    if (due === undefined) continue;
    add(scan, m.index, m.index + m[0].length, PRIO.exactDate, fields({ kind: "date", due }));
  }

  // Bare dates: "ngày 15/7/2023", "15/7/2023"; citations of other documents are skipped.
  const bare = new RegExp(R`(?<![a-z0-9])(ngay\s+)?(${DATE_CORE})`);
  for (const m of matches(bare, f)) {
    const core = m[2] ?? "";
    const p = parseDateParts(core);
    if (!p) continue;
    const due = dueOfDate(p, doc);
    if (due === undefined) {
      block(scan, m.index, m.index + m[0].length);
      continue;
    }
    if (isCitation(f.slice(Math.max(0, m.index - 80), m.index))) continue;
    const hasNgay = m[1] !== undefined;
    const textual = /thang/.test(core);
    let prio: number = p.y !== null ? PRIO.bareDate : PRIO.bareDayMonth;
    const weak = p.y === null ? !hasNgay : textual && !hasNgay;
    if (p.y !== null && due !== null && doc !== null && due < isoDay(doc.y, doc.m, doc.d)) prio = PRIO.pastBareDate;
    add(scan, m.index, m.index + m[0].length, prio, fields({ kind: "date", due }), weak);
  }
}

function scanPeriods(scan: Scan): void {
  const { f, doc } = scan;

  // Months: "trong tháng 6 năm 2020", "tháng 6/2020", "trước tháng 3/2019", "cuối tháng 6".
  const month = new RegExp(R`(?<![a-z0-9])(?:(${LEAD})\s*)?(?:(cuoi)\s+)?thang\s+(\d{1,2})(?!\d)(?:${YEAR_TAIL})?`);
  for (const m of matches(month, f)) {
    const mo = Number(m[3]);
    const y0 = m[4] === undefined ? null : Number(m[4]);
    if (mo < 1 || mo > 12 || (y0 !== null && !plausibleYear(y0))) continue;
    const lead = m[1];
    const before = leadIsBefore(lead) && m[2] === undefined;
    const y = y0 ?? inferYear(mo, "last", doc);
    const due = y === null ? null : before ? endOfPreviousMonth(y, mo) : endOfMonth(isoDay(y, mo, 1));
    const explicit = lead !== undefined || m[2] !== undefined;
    const prio = explicit ? PRIO.period : PRIO.barePeriodWithYear;
    add(scan, m.index, m.index + m[0].length, prio, fields({ kind: "month", due }), !explicit && y0 === null);
  }

  // Quarters: "quý III/2023", "quý I-2019", "trong quý 3", "quý 4 năm 2022".
  const quarter = new RegExp(
    R`(?<![a-z0-9])(?:(${LEAD})\s*)?(?:(cuoi)\s+)?quy\s+(iv|i{1,3}|[1-4])(?![a-z0-9])(?:${YEAR_TAIL})?`,
  );
  for (const m of matches(quarter, f)) {
    const q = romanOrArabic(m[3] ?? "");
    const y0 = m[4] === undefined ? null : Number(m[4]);
    if (q === null || (y0 !== null && !plausibleYear(y0))) continue;
    const lastMonth = q * 3;
    const before = leadIsBefore(m[1]) && m[2] === undefined;
    const y = y0 ?? inferYear(lastMonth, "last", doc);
    const due = y === null ? null : before ? endOfPreviousMonth(y, lastMonth - 2) : endOfMonth(isoDay(y, lastMonth, 1));
    const explicit = m[1] !== undefined || m[2] !== undefined || y0 !== null;
    add(scan, m.index, m.index + m[0].length, explicit ? PRIO.period : PRIO.barePeriodWithYear, fields({ kind: "quarter", due }));
  }

  // Half-years: "6 tháng cuối năm 2020", "06 tháng đầu năm", "nửa cuối năm".
  const half = new RegExp(R`(?<![a-z0-9/])(?:(${LEAD})\s*)?(?:(?:0?6|sau)\s+thang|nua)\s+(dau|cuoi)\s+nam(?:\s*,?\s*(\d{4})(?!\d))?`);
  for (const m of matches(half, f)) {
    const y0 = m[3] === undefined ? null : Number(m[3]);
    if (y0 !== null && !plausibleYear(y0)) continue;
    const y = y0 ?? doc?.y ?? null;
    const due = y === null ? null : m[2] === "dau" ? isoDay(y, 6, 30) : isoDay(y, 12, 31);
    add(scan, m.index, m.index + m[0].length, PRIO.period, fields({ kind: "half-year", due }));
  }

  // Mid-year: "giữa năm 2019", "kỳ họp giữa năm" → the end of the first half (30/6).
  const midYear = new RegExp(R`(?<![a-z0-9])(?:(${LEAD})\s*)?giua\s+nam(?![a-z0-9])(?:\s*,?\s*(\d{4})(?!\d))?`);
  for (const m of matches(midYear, f)) {
    const y0 = m[2] === undefined ? null : Number(m[2]);
    if (y0 !== null && !plausibleYear(y0)) continue;
    const y = y0 ?? doc?.y ?? null;
    add(scan, m.index, m.index + m[0].length, PRIO.period, fields({ kind: "half-year", due: y === null ? null : isoDay(y, 6, 30) }));
  }

  // Years: "trong năm 2021", "cuối năm 2023", "trước năm 2020", bare "năm 2021".
  const year = new RegExp(R`(?<![a-z0-9])(?:(${LEAD})\s*)?(?:(cuoi)\s+)?nam\s+(\d{4})(?!\d)`);
  for (const m of matches(year, f)) {
    const y = Number(m[3]);
    if (!plausibleYear(y)) continue;
    const before = leadIsBefore(m[1]) && m[2] === undefined;
    const due = before ? isoDay(y - 1, 12, 31) : isoDay(y, 12, 31);
    const explicit = m[1] !== undefined || m[2] !== undefined;
    add(scan, m.index, m.index + m[0].length, explicit ? PRIO.period : PRIO.bareYear, fields({ kind: "year", due }));
  }

  // "cuối năm" without a year: the document's year.
  const endOfYear = new RegExp(R`(?<![a-z0-9])(?:(${LEAD})\s*)?cuoi\s+nam(?![a-z0-9])(?!\s*,?\s*\d)`);
  for (const m of matches(endOfYear, f)) {
    const due = doc === null ? null : isoDay(doc.y, 12, 31);
    add(scan, m.index, m.index + m[0].length, PRIO.relativePeriod, fields({ kind: "year", due }));
  }

  // "trong các ngày nghỉ lễ", "trong dịp nghỉ lễ": the holiday break the document announces.
  if (scan.holidayEnd !== null) {
    const holiday = /(?<![a-z0-9])(?:trong|suot)\s+(?:(?:cac|nhung)\s+)?(?:ngay|dip|ky|thoi gian)\s+(?:nghi\s+)?(?:le|tet)(?![a-z0-9])/;
    for (const m of matches(holiday, f)) {
      add(scan, m.index, m.index + m[0].length, PRIO.holiday, fields({ kind: "date", due: scan.holidayEnd }));
    }
  }
}

/** Text before a recurrence: "chậm nhất là ngày 07 ", "vào thứ 5 ", "chủ nhật cuối cùng ", "thứ bảy tuần thứ hai ". */
const RECUR_PREFIX = new RegExp(
  R`(?<![a-z0-9])(?:(${LEAD})\s*)?(?:(${TIME})\s*,?\s*)?(?:(?:vao|trong)\s+)?` +
    R`(?:(?:cac\s+)?ngay\s+(\d{1,2})\s+(?:cua\s+)?|(?:(?:cac\s+)?ngay\s+)?(${WD})(?:\s+(${ORD}))?\s+(?:cua\s+)?)?` +
    R`(?:tuan\s+(${ORD})\s+(?:cua\s+)?)?(?:(?:cua|trong)\s+)?$`,
);
/** Text after a recurrence: "/02 lần", " 2 lần", " vào thứ 5", " vào ngày 15". */
const RECUR_SUFFIX = new RegExp(
  R`^(?:\s*[/,]?\s*(${NUM})\s*lan(?![a-z]))?` +
    R`(?:\s*,?\s*(?:vao\s+)?(?:(?:cac\s+)?ngay\s+)?(${WD})|\s*,?\s*(?:vao\s+)?(?:cac\s+)?ngay\s+(\d{1,2})(?![\d/.\-]))?`,
);
/** "… / tổ": a frequency per team, not of the task. */
const PER_TEAM = /^\s*\/?\s*(?:moi\s+|mot\s+|0?1\s+)?to(?![a-z])/;

function scanRecurrences(scan: Scan): void {
  const { f } = scan;

  const core = /(?<![a-z0-9])(?:hang|moi)\s+(tuan|thang|quy|nam)(?![a-z0-9])/g;
  for (const m of matches(core, f)) {
    const every = PERIOD_WORDS[m[1] ?? ""];
    if (every === undefined) continue;
    const coreStart = m.index;
    const coreEnd = m.index + m[0].length;

    const windowStart = Math.max(0, coreStart - 100);
    const pre = RECUR_PREFIX.exec(f.slice(windowStart, coreStart));
    let start = coreStart;
    let time: string | null = null;
    let dayOfPeriod: number | null = null;
    let weekday: number | null = null;
    let weekOfPeriod: number | null = null;
    if (pre && pre[0].length > 0) {
      start = windowStart + pre.index;
      if (pre[2] !== undefined) time = parseTime(pre[2]);
      if (pre[3] !== undefined) dayOfPeriod = Number(pre[3]);
      if (pre[4] !== undefined) weekday = parseWeekday(pre[4]);
      if (pre[5] !== undefined) weekOfPeriod = parseOrdinal(pre[5]);
      if (pre[6] !== undefined) weekOfPeriod = parseOrdinal(pre[6]);
    } else {
      const dk = /(?<![a-z0-9])dinh\s+ky\s+$/.exec(f.slice(windowStart, coreStart));
      if (dk) start = windowStart + dk.index;
    }

    const suf = RECUR_SUFFIX.exec(f.slice(coreEnd));
    let end = coreEnd;
    let timesPerPeriod: number | null = null;
    if (suf && suf[0].length > 0) {
      const usesWeekday = suf[2] !== undefined && weekday === null && dayOfPeriod === null;
      const usesDay = suf[3] !== undefined && weekday === null && dayOfPeriod === null;
      if (suf[1] !== undefined) timesPerPeriod = parseNum(suf[1]);
      if (usesWeekday) weekday = parseWeekday(suf[2] ?? "");
      if (usesDay) dayOfPeriod = Number(suf[3]);
      if (suf[1] !== undefined || usesWeekday || usesDay) {
        // Keep only the parts used.
        const onlyTimes = /^\s*[/,]?\s*[a-z0-9]+\s*lan/.exec(f.slice(coreEnd));
        end = coreEnd + (usesWeekday || usesDay ? suf[0].length : (onlyTimes?.[0].length ?? 0));
      }
    }
    if (dayOfPeriod !== null && (dayOfPeriod < 1 || dayOfPeriod > 31)) continue;

    const detailed =
      time !== null || dayOfPeriod !== null || weekday !== null || weekOfPeriod !== null || timesPerPeriod !== null;
    const perTeam = PER_TEAM.test(f.slice(end));
    const prio = perTeam ? PRIO.perTeamRecurring : detailed ? PRIO.recurringDetailed : PRIO.recurring;
    add(
      scan,
      start,
      end,
      prio,
      fields({ kind: "recurring", every, timesPerPeriod, weekday, weekOfPeriod, dayOfPeriod, time }),
    );
  }

  // "02 lần/tháng", "2 lần mỗi tháng", "hai lần một tuần".
  const times = new RegExp(
    R`(?<![a-z0-9])(${NUM})\s*lan\s*(?:/\s*|(?:tren|moi|mot|trong\s+(?:mot|moi))\s+)(tuan|thang|quy|nam)(?![a-z0-9])`,
  );
  for (const m of matches(times, f)) {
    const every = PERIOD_WORDS[m[2] ?? ""];
    const n = parseNum(m[1] ?? "");
    if (every === undefined || n === null) continue;
    const end = m.index + m[0].length;
    const prio = PER_TEAM.test(f.slice(end)) ? PRIO.perTeamRecurring : PRIO.recurringDetailed;
    add(scan, m.index, end, prio, fields({ kind: "recurring", every, timesPerPeriod: n }));
  }

  // A table cell listing the days: "Ngày 03; 10; 17; 24; 31 (Thứ 5)".
  const dayList = new RegExp(R`(?<![a-z0-9])ngay\s+\d{1,2}(?:\s*[;,]\s*\d{1,2}){1,}\s*\(\s*(${WD})\s*\)`);
  for (const m of matches(dayList, f)) {
    const weekday = parseWeekday(m[1] ?? "");
    add(scan, m.index, m.index + m[0].length, PRIO.recurringDetailed, fields({ kind: "recurring", every: "week", weekday }));
  }

  // Bare "định kỳ": periodic, period unknown.
  for (const m of matches(/(?<![a-z0-9])dinh\s+ky(?![a-z0-9])/, f)) {
    add(scan, m.index, m.index + m[0].length, PRIO.periodic, fields({ kind: "recurring" }));
  }

  // Ongoing: no due date.
  for (const m of matches(/(?<![a-z0-9])(?:thuong\s+xuyen|kip\s+thoi|hang\s+ngay)(?![a-z0-9])/, f)) {
    add(scan, m.index, m.index + m[0].length, PRIO.ongoing, fields({ kind: "ongoing" }));
  }
}

function collect(folded: FoldedText, ctx: DeadlineContext): Candidate[] {
  const holidayEnd = parseIso(ctx.holidayEnd ?? null) === null ? null : (ctx.holidayEnd ?? null);
  const scan: Scan = { f: folded.text, doc: parseIso(ctx.documentDate), holidayEnd, out: [] };
  scanDates(scan);
  scanPeriods(scan);
  scanRecurrences(scan);
  return scan.out;
}

/** Keep the candidates not inside a longer one, then take the best: priority, earliest, longest. */
function pick(cands: Candidate[]): Candidate | null {
  const kept = cands.filter(
    (a) => !cands.some((b) => b !== a && b.start <= a.start && b.end >= a.end && b.end - b.start > a.end - a.start),
  );
  let best: Candidate | null = null;
  for (const c of kept) {
    if (c.prio < 0) continue;
    if (
      best === null ||
      c.prio > best.prio ||
      (c.prio === best.prio && (c.start < best.start || (c.start === best.start && c.end > best.end)))
    ) {
      best = c;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Resolve one phrase ("trong tháng 6 năm 2020") — null when it holds no deadline.
 * `text` is the phrase itself, trimmed. Forms that are too loose inside running text
 * ("tháng 6", "30/6" with no lead-in) are accepted when they are the whole phrase.
 *
 * @example
 * resolveDeadline("quý III/2023", { documentDate: null });
 * // { kind: "quarter", text: "quý III/2023", due: "2023-09-30", every: null, … }
 * resolveDeadline("tháng 6", { documentDate: "2020-06-05" })?.due; // "2020-06-30"
 * resolveDeadline("Ghi chú", { documentDate: null });              // null
 */
export function resolveDeadline(phrase: string, ctx: DeadlineContext): Deadline | null {
  const folded = foldWithMap(phrase);
  const f = folded.text;
  const whole = (c: Candidate): boolean =>
    /^[^a-z0-9]*$/.test(f.slice(0, c.start)) && /^[^a-z0-9]*$/.test(f.slice(c.end));
  const best = pick(collect(folded, ctx).filter((c) => !c.weak || whole(c)));
  if (best === null) return null;
  return { ...best.fields, text: phrase.trim() };
}

/**
 * Find the deadline phrase inside a longer task text and resolve it; a copy of
 * {@link NO_DEADLINE} when there is none. The most specific phrase wins: exact dates and
 * ranges, then months/quarters/half-years/years, then recurrences, then ongoing words
 * ("thường xuyên", "kịp thời"). Dates citing other documents ("Quyết định 142/2008/QĐ-TTg,
 * ngày 27/10/2008") are ignored. `text` is the exact substring of the input.
 *
 * @example
 * findDeadline("Các đoàn thể hoàn thành rà soát trong tháng 6 năm 2020.", { documentDate: "2020-06-05" });
 * // { kind: "month", text: "trong tháng 6 năm 2020", due: "2020-06-30", … }
 * findDeadline("Tiếp công dân vào thứ 5 hàng tuần", { documentDate: null });
 * // { kind: "recurring", text: "vào thứ 5 hàng tuần", every: "week", weekday: 4, … }
 */
export function findDeadline(text: string, ctx: DeadlineContext): Deadline {
  const folded = foldWithMap(text);
  const best = pick(collect(folded, ctx).filter((c) => !c.weak));
  if (best === null) return { ...NO_DEADLINE };
  return { ...best.fields, text: sourceSlice(text, folded, best.start, best.end) };
}

/**
 * Find a duty rotation between teams: "chia làm 02 tổ … luân phiên … mỗi tổ đảm nhận 01 tuần".
 * `text` is the exact substring from "chia" to the turn length.
 *
 * @example
 * findRotation("chia thành 3 tổ, luân phiên mỗi tổ 01 tháng");
 * // { teams: 3, turn: "month", text: "chia thành 3 tổ, luân phiên mỗi tổ 01 tháng" }
 * findRotation("Tổ chức ra quân"); // null
 */
export function findRotation(text: string): Rotation | null {
  const folded = foldWithMap(text);
  const f = folded.text;
  const heads = [
    new RegExp(R`(?<![a-z0-9])chia\s+(?:lam|thanh|ra)\s+(${NUM})\s+(?:to|nhom|kip|doi|ca)(?![a-z0-9])`, "g"),
    new RegExp(R`(?<![a-z0-9])luan\s+phien\s+(?:giua\s+)?(?:cac\s+)?(${NUM})\s+(?:to|nhom|kip|doi|ca)(?![a-z0-9])`, "g"),
  ];
  for (const head of heads) {
    for (const m of matches(head, f)) {
      const teams = parseNum(m[1] ?? "");
      if (teams === null || teams < 2) continue;
      const from = m.index + m[0].length;
      const stop = f.slice(from).search(/\.(?:\s|$)/);
      const windowEnd = Math.min(f.length, from + (stop < 0 ? 400 : stop), from + 400);
      const rest = f.slice(from, windowEnd);
      const isHeadRotation = m[0].startsWith("luan");
      const lp = isHeadRotation ? 0 : rest.search(/(?<![a-z0-9])luan\s+phien(?![a-z0-9])/);
      if (lp < 0) continue;
      const turnRe = /(?<![a-z0-9])(?:0?1|mot|moi|hang|theo)\s+(tuan|thang|quy|nam)(?![a-z0-9])/g;
      turnRe.lastIndex = lp;
      const t = turnRe.exec(rest);
      const turn = t ? PERIOD_WORDS[t[1] ?? ""] : undefined;
      if (!t || turn === undefined) continue;
      const end = from + t.index + t[0].length;
      return { teams, turn, text: sourceSlice(text, folded, m.index, end) };
    }
  }
  return null;
}
