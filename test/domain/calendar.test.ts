import { describe, expect, it } from "vitest";
import {
  addWorkingDays,
  DEFAULT_CALENDAR,
  isDayOff,
  lunarToSolar,
  nextAllowedMoment,
  publicHolidays,
  solarToLunar,
  type CalendarPolicy,
} from "../../src/domain/calendar.ts";
import { addDays } from "../../src/domain/time.ts";

/** A local (UTC+7) moment from "YYYY-MM-DDTHH:MM". */
const at = (local: string): Date => new Date(`${local}:00+07:00`);
const next = (local: string, policy?: CalendarPolicy): string => nextAllowedMoment(at(local), policy).toISOString();
const iso = (local: string): string => at(local).toISOString();

describe("lunar calendar", () => {
  // Mùng 1 Tết and Giỗ Tổ (10/3 âm lịch), Vietnamese calendar (UTC+7).
  // 2030: the brief's table said 2030-02-03, which is the *Chinese* (UTC+8) New Year. The new moon
  // falls at 2030-02-02 16:08 UTC = 23:08 in Hà Nội, so Vietnam's Tết Canh Tuất is 2030-02-02,
  // one day before China's (a known divergence, like 2007 and 2053).
  const table: [number, string, string][] = [
    [2020, "2020-01-25", "2020-04-02"],
    [2021, "2021-02-12", "2021-04-21"],
    [2022, "2022-02-01", "2022-04-10"],
    [2023, "2023-01-22", "2023-04-29"],
    [2024, "2024-02-10", "2024-04-18"],
    [2025, "2025-01-29", "2025-04-07"],
    [2026, "2026-02-17", "2026-04-26"],
    [2027, "2027-02-06", "2027-04-16"],
    [2028, "2028-01-26", "2028-04-04"],
    [2029, "2029-02-13", "2029-04-23"],
    [2030, "2030-02-02", "2030-04-12"],
  ];

  it.each(table)("%i: Tết %s, Giỗ Tổ %s", (year, tet, gioTo) => {
    expect(lunarToSolar(year, 1, 1)).toBe(tet);
    expect(lunarToSolar(year, 3, 10)).toBe(gioTo);
    expect(solarToLunar(tet)).toEqual({ year, month: 1, day: 1, leap: false });
    expect(solarToLunar(gioTo)).toEqual({ year, month: 3, day: 10, leap: false });
  });

  it("handles leap months (2020: 4th, 2023: 2nd)", () => {
    expect(lunarToSolar(2020, 4, 1, true)).toBe("2020-05-23");
    expect(lunarToSolar(2020, 4, 1)).toBe("2020-04-23");
    expect(lunarToSolar(2020, 5, 1)).toBe("2020-06-21");
    expect(lunarToSolar(2023, 2, 1, true)).toBe("2023-03-22");
    expect(lunarToSolar(2023, 2, 1)).toBe("2023-02-20");
    expect(solarToLunar("2023-03-22")).toEqual({ year: 2023, month: 2, day: 1, leap: true });
    expect(solarToLunar("2020-05-23")).toEqual({ year: 2020, month: 4, day: 1, leap: true });
  });

  it("rejects a leap month the year does not have, and impossible days", () => {
    expect(() => lunarToSolar(2023, 3, 1, true)).toThrow(RangeError);
    expect(() => lunarToSolar(2024, 2, 1, true)).toThrow(RangeError);
    expect(() => lunarToSolar(2024, 13, 1)).toThrow(RangeError);
    expect(() => lunarToSolar(2024, 1, 31)).toThrow(RangeError);
  });

  it("puts the days before Tết in the previous lunar year's 12th month", () => {
    expect(solarToLunar("2025-01-28")).toEqual({ year: 2024, month: 12, day: 29, leap: false });
    expect(solarToLunar("2024-02-09")).toEqual({ year: 2023, month: 12, day: 30, leap: false });
  });

  it("round-trips every day of 2019–2031", () => {
    let day = "2019-01-01";
    const bad: string[] = [];
    while (day < "2032-01-01") {
      const l = solarToLunar(day);
      if (lunarToSolar(l.year, l.month, l.day, l.leap) !== day) bad.push(day);
      day = addDays(day, 1);
    }
    expect(bad).toEqual([]);
  });
});

describe("publicHolidays", () => {
  it("lists the Labour Code 2019 holidays of 2025", () => {
    expect(publicHolidays(2025).map((h) => h.date)).toEqual([
      "2025-01-01",
      "2025-01-28",
      "2025-01-29",
      "2025-01-30",
      "2025-01-31",
      "2025-02-01",
      "2025-04-07",
      "2025-04-30",
      "2025-05-01",
      "2025-09-01",
      "2025-09-02",
    ]);
  });

  it("takes the last day of the lunar year as the Tết eve (30 or 29 tháng Chạp)", () => {
    const tet = (y: number): string[] =>
      publicHolidays(y)
        .filter((h) => h.name.startsWith("Tết Nguyên Đán"))
        .map((h) => h.date);
    expect(tet(2024)).toEqual(["2024-02-09", "2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13"]);
    expect(tet(2023)).toEqual(["2023-01-21", "2023-01-22", "2023-01-23", "2023-01-24", "2023-01-25"]);
  });

  it("has 11 days every year and returns copies", () => {
    for (let y = 2020; y <= 2030; y++) expect(publicHolidays(y)).toHaveLength(11);
    const list = publicHolidays(2026);
    list.pop();
    expect(publicHolidays(2026)).toHaveLength(11);
  });
});

describe("isDayOff", () => {
  it("is off on Sunday and holidays, not on Saturday or weekdays", () => {
    expect(isDayOff("2025-06-06")).toBe(false); // Friday
    expect(isDayOff("2025-06-07")).toBe(false); // Saturday (only the afternoon is off)
    expect(isDayOff("2025-06-08")).toBe(true); // Sunday
    expect(isDayOff("2025-01-29")).toBe(true); // mùng 1 Tết
    expect(isDayOff("2025-01-28")).toBe(true); // 29 tháng Chạp, the last day of the year
    expect(isDayOff("2025-04-07")).toBe(true); // Giỗ Tổ
    expect(isDayOff("2025-09-01")).toBe(true);
    expect(isDayOff("2025-02-03")).toBe(false); // back to work after Tết
  });

  it("follows the policy switches, extra days off and swapped working days", () => {
    expect(isDayOff("2025-06-08", { ...DEFAULT_CALENDAR, sundayOff: false })).toBe(false);
    expect(isDayOff("2025-01-29", { ...DEFAULT_CALENDAR, holidays: false })).toBe(false);
    expect(isDayOff("2025-06-05", { ...DEFAULT_CALENDAR, extraDaysOff: ["2025-06-05"] })).toBe(true);
    expect(isDayOff("2025-04-30", { ...DEFAULT_CALENDAR, workingDays: ["2025-04-30"] })).toBe(false);
    expect(isDayOff("2025-06-08", { ...DEFAULT_CALENDAR, workingDays: ["2025-06-08"] })).toBe(false);
  });
});

describe("nextAllowedMoment", () => {
  it("moves 22:00 on a weekday to 07:00 the next day", () => {
    expect(next("2025-06-04T22:00")).toBe(iso("2025-06-05T07:00"));
  });

  it("moves 06:30 to 07:00 the same day", () => {
    expect(next("2025-06-05T06:30")).toBe(iso("2025-06-05T07:00"));
  });

  it("treats the quiet boundaries as [21:00, 07:00)", () => {
    expect(next("2025-06-04T20:59")).toBe(iso("2025-06-04T20:59"));
    expect(next("2025-06-04T21:00")).toBe(iso("2025-06-05T07:00"));
    expect(next("2025-06-05T07:00")).toBe(iso("2025-06-05T07:00"));
    expect(next("2025-06-05T00:30")).toBe(iso("2025-06-05T07:00"));
  });

  it("sends Saturday afternoon to Monday 07:00, keeps Saturday morning", () => {
    expect(next("2025-06-07T14:00")).toBe(iso("2025-06-09T07:00"));
    expect(next("2025-06-07T12:00")).toBe(iso("2025-06-09T07:00"));
    expect(next("2025-06-07T11:59")).toBe(iso("2025-06-07T11:59"));
    expect(next("2025-06-06T22:00")).toBe(iso("2025-06-07T07:00")); // Friday night → Saturday morning
  });

  it("sends Sunday to Monday 07:00", () => {
    expect(next("2025-06-08T10:00")).toBe(iso("2025-06-09T07:00"));
    expect(next("2025-06-08T03:00")).toBe(iso("2025-06-09T07:00"));
  });

  it("skips Tết: from its eve to the first working day after the holiday", () => {
    // Tết Ất Tỵ: 28/1 (29 tháng Chạp) – 1/2 (Sat, mùng 4); 2/2 is a Sunday.
    expect(next("2025-01-27T22:00")).toBe(iso("2025-02-03T07:00"));
    expect(next("2025-01-28T10:00")).toBe(iso("2025-02-03T07:00"));
    expect(next("2025-01-27T10:00")).toBe(iso("2025-01-27T10:00"));
  });

  it("skips an org's extra day off", () => {
    const policy = { ...DEFAULT_CALENDAR, extraDaysOff: ["2025-06-05"] };
    expect(next("2025-06-04T22:00", policy)).toBe(iso("2025-06-06T07:00"));
    expect(next("2025-06-05T10:00", policy)).toBe(iso("2025-06-06T07:00"));
  });

  it("keeps a swapped working Saturday (or holiday) allowed, afternoon included", () => {
    const policy = { ...DEFAULT_CALENDAR, workingDays: ["2025-06-07", "2025-04-30"] };
    expect(next("2025-06-07T14:00", policy)).toBe(iso("2025-06-07T14:00"));
    expect(next("2025-04-30T09:00", policy)).toBe(iso("2025-04-30T09:00"));
    expect(next("2025-06-07T22:00", policy)).toBe(iso("2025-06-09T07:00")); // quiet hours still apply
  });

  it("returns an allowed moment unchanged", () => {
    const m = at("2025-06-04T10:15");
    expect(nextAllowedMoment(m)).toBe(m);
  });

  it("honours a custom quiet window", () => {
    const policy = { ...DEFAULT_CALENDAR, quietStart: "22:30", quietEnd: "06:00" };
    expect(next("2025-06-04T22:00", policy)).toBe(iso("2025-06-04T22:00"));
    expect(next("2025-06-04T23:00", policy)).toBe(iso("2025-06-05T06:00"));
  });
});

describe("addWorkingDays", () => {
  it("counts Saturday as working and skips Sunday", () => {
    expect(addWorkingDays("2025-06-06", 1)).toBe("2025-06-07");
    expect(addWorkingDays("2025-06-07", 1)).toBe("2025-06-09");
    expect(addWorkingDays("2025-06-05", 3)).toBe("2025-06-09");
  });

  it("skips Tết", () => {
    expect(addWorkingDays("2025-01-27", 1)).toBe("2025-02-03");
    expect(addWorkingDays("2025-01-24", 3)).toBe("2025-02-03"); // Fri → Sat 25, Mon 27, Mon 3/2
  });

  it("counts backwards and treats 0 as no move", () => {
    expect(addWorkingDays("2025-02-03", -1)).toBe("2025-01-27");
    expect(addWorkingDays("2025-06-09", -1)).toBe("2025-06-07");
    expect(addWorkingDays("2025-06-08", 0)).toBe("2025-06-08");
  });

  it("uses the policy's extra days off and swapped working days", () => {
    expect(addWorkingDays("2025-06-04", 1, { ...DEFAULT_CALENDAR, extraDaysOff: ["2025-06-05"] })).toBe("2025-06-06");
    expect(addWorkingDays("2025-06-07", 1, { ...DEFAULT_CALENDAR, workingDays: ["2025-06-08"] })).toBe("2025-06-08");
  });
});
