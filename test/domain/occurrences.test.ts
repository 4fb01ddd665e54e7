import { describe, expect, it } from "vitest";
import { NO_DEADLINE, type Deadline } from "../../src/domain/deadline.ts";
import { planOccurrences } from "../../src/domain/occurrences.ts";
import { addDays, dayStart, localDay, viDate, weekday } from "../../src/domain/time.ts";

const recurring = (d: Partial<Deadline>): Deadline => ({ ...NO_DEADLINE, kind: "recurring", ...d });

describe("planOccurrences", () => {
  it("weekly from the week containing the start, Monday to Sunday, teams alternating", () => {
    const plans = planOccurrences(recurring({ every: "week" }), { teams: 2, turn: "week", text: "" }, "2020-06-06", 4);
    expect(plans).toEqual([
      { periodStart: "2020-06-01", periodEnd: "2020-06-07", dueDate: "2020-06-07", team: 1 },
      { periodStart: "2020-06-08", periodEnd: "2020-06-14", dueDate: "2020-06-14", team: 2 },
      { periodStart: "2020-06-15", periodEnd: "2020-06-21", dueDate: "2020-06-21", team: 1 },
      { periodStart: "2020-06-22", periodEnd: "2020-06-28", dueDate: "2020-06-28", team: 2 },
    ]);
  });

  it("weekly on a stated weekday (thứ 5 hàng tuần)", () => {
    const plans = planOccurrences(recurring({ every: "week", weekday: 4 }), null, "2025-07-01", 2);
    expect(plans.map((p) => p.dueDate)).toEqual(["2025-07-03", "2025-07-10"]);
    expect(plans.every((p) => p.team === null)).toBe(true);
  });

  it("monthly on the last Sunday, on the Saturday of the second week, on day 7", () => {
    const lastSunday = planOccurrences(recurring({ every: "month", weekday: 0, weekOfPeriod: -1 }), null, "2024-01-15", 3);
    expect(lastSunday.map((p) => p.dueDate)).toEqual(["2024-01-28", "2024-02-25", "2024-03-31"]);
    const secondSaturday = planOccurrences(recurring({ every: "month", weekday: 6, weekOfPeriod: 2 }), null, "2024-01-01", 2);
    expect(secondSaturday.map((p) => p.dueDate)).toEqual(["2024-01-13", "2024-02-10"]);
    const day7 = planOccurrences(recurring({ every: "month", dayOfPeriod: 7 }), null, "2024-02-20", 2);
    expect(day7.map((p) => [p.periodStart, p.periodEnd, p.dueDate])).toEqual([
      ["2024-02-01", "2024-02-29", "2024-02-07"],
      ["2024-03-01", "2024-03-31", "2024-03-07"],
    ]);
  });

  it("twice a month splits each month in two", () => {
    const plans = planOccurrences(recurring({ every: "month", timesPerPeriod: 2 }), null, "2023-02-10", 1);
    expect(plans.map((p) => [p.periodStart, p.periodEnd])).toEqual([
      ["2023-02-01", "2023-02-14"],
      ["2023-02-15", "2023-02-28"],
    ]);
  });

  it("quarterly and yearly periods end on the period's last day", () => {
    const quarters = planOccurrences(recurring({ every: "quarter" }), null, "2023-08-15", 2);
    expect(quarters.map((p) => [p.periodStart, p.dueDate])).toEqual([
      ["2023-07-01", "2023-09-30"],
      ["2023-10-01", "2023-12-31"],
    ]);
    const years = planOccurrences(recurring({ every: "year" }), null, "2023-08-15");
    expect(years).toEqual([{ periodStart: "2023-01-01", periodEnd: "2023-12-31", dueDate: "2023-12-31", team: null }]);
  });
});

describe("time in Asia/Ho_Chi_Minh", () => {
  it("maps moments to local days and back", () => {
    expect(localDay(new Date("2020-06-05T16:59:59Z"))).toBe("2020-06-05");
    expect(localDay(new Date("2020-06-05T17:00:00Z"))).toBe("2020-06-06");
    expect(dayStart("2020-06-06").toISOString()).toBe("2020-06-05T17:00:00.000Z");
    expect(addDays("2020-12-31", 1)).toBe("2021-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(weekday("2020-06-07")).toBe(0);
    expect(viDate("2020-06-30")).toBe("30/06/2020");
  });
});
