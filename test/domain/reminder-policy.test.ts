import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR } from "../../src/domain/calendar.ts";
import { DEFAULT_POLICY, planReminders } from "../../src/domain/reminder-policy.ts";
import { localIso } from "../../src/domain/time.ts";

const window = (from: string, until: string) => ({ from: new Date(from), until: new Date(until) });
const show = (rs: ReturnType<typeof planReminders>) => rs.map((r) => `${localIso(r.at).slice(0, 16)} ${r.kind}`);

describe("planReminders", () => {
  it("gives the seed's item 6 (due 2020-06-30) the default ladder, overdue reminders and one escalation", () => {
    const plan = planReminders({ dueDate: "2020-06-30" }, window("2020-06-20T08:00:00+07:00", "2020-07-10T00:00:00+07:00"));
    expect(show(plan)).toEqual([
      "2020-06-23T08:00 before", // 7 days before (Tuesday)
      "2020-06-27T08:00 before", // 3 days before: Saturday morning is a working morning
      "2020-06-29T08:00 before", // 1 day before
      "2020-06-30T08:00 due",
      "2020-07-02T08:00 overdue", // every 2 working days
      "2020-07-03T08:00 escalation", // after 3 overdue days
      "2020-07-04T08:00 overdue",
      "2020-07-07T08:00 overdue",
      "2020-07-09T08:00 overdue",
    ]);
  });

  it("moves a rung that falls on a Sunday or a holiday to the next allowed moment", () => {
    // Due Wednesday 2020-09-02 (Quốc khánh): 3 days before is Sunday 30/8 → Monday 07:00, the
    // first allowed moment; the due day itself is a holiday (with 1/9) → Thursday 3/9 07:00.
    const plan = planReminders({ dueDate: "2020-09-02" }, window("2020-08-20T00:00:00+07:00", "2020-09-03T12:00:00+07:00"), { ...DEFAULT_POLICY, beforeDays: [3], overdueEveryWorkingDays: 0, escalateAfterDays: 0 });
    expect(show(plan)).toEqual(["2020-08-31T07:00 before", "2020-09-03T07:00 due"]);
    // 3 days before Monday 2020-06-08 is Friday 5/6; 1 day before is Sunday 7/6 → Monday 07:00.
    const sunday = planReminders({ dueDate: "2020-06-08" }, window("2020-06-01T00:00:00+07:00", "2020-06-08T12:00:00+07:00"), { ...DEFAULT_POLICY, beforeDays: [1], overdueEveryWorkingDays: 0, escalateAfterDays: 0 });
    expect(show(sunday)).toEqual(["2020-06-08T07:00 before", "2020-06-08T08:00 due"]);
  });

  it("stops reminding a deadline more than stopAfterDays (default 90) past it", () => {
    expect(DEFAULT_POLICY.stopAfterDays).toBe(90);
    // Due 30/6/2020: 100 days later nothing is planned any more, however wide the window.
    expect(planReminders({ dueDate: "2020-06-30" }, window("2020-10-08T08:00:00+07:00", "2021-10-08T00:00:00+07:00"))).toEqual([]);
    // 80 days later: overdue reminders up to the 90th day (28/9), none after.
    const late = planReminders({ dueDate: "2020-06-30" }, window("2020-09-18T00:00:00+07:00", "2020-12-31T00:00:00+07:00"));
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((r) => r.kind === "overdue" && r.day <= "2020-09-28")).toBe(true);
    // An org's own limit; an escalation later than the limit is not planned either.
    const short = planReminders({ dueDate: "2020-06-30" }, window("2020-06-20T08:00:00+07:00", "2020-12-31T00:00:00+07:00"), { ...DEFAULT_POLICY, stopAfterDays: 2, escalateAfterDays: 3 });
    expect(show(short)).toEqual(["2020-06-23T08:00 before", "2020-06-27T08:00 before", "2020-06-29T08:00 before", "2020-06-30T08:00 due", "2020-07-02T08:00 overdue"]);
    // A recurring item's occurrences are reminded before each, whatever the limit.
    expect(show(planReminders({ dueDate: null, occurrences: [{ dueDate: "2020-06-21" }] }, window("2020-06-20T00:00:00+07:00", "2020-07-01T00:00:00+07:00"), { ...DEFAULT_POLICY, stopAfterDays: 1 }))).toEqual(["2020-06-20T08:00 occurrence"]);
  });

  it("keeps only the window, plans each rule once, and reminds before each occurrence", () => {
    const plan = planReminders({ dueDate: "2020-06-30" }, window("2020-06-29T09:00:00+07:00", "2020-07-01T00:00:00+07:00"));
    expect(show(plan)).toEqual(["2020-06-30T08:00 due"]);
    const weekly = planReminders({ dueDate: null, occurrences: [{ dueDate: "2020-06-21" }, { dueDate: "2020-06-28" }] }, window("2020-06-20T00:00:00+07:00", "2020-07-01T00:00:00+07:00"));
    expect(show(weekly)).toEqual(["2020-06-20T08:00 occurrence", "2020-06-27T08:00 occurrence"]);
    expect(planReminders({ dueDate: null }, window("2020-06-20T00:00:00+07:00", "2020-08-01T00:00:00+07:00"), DEFAULT_POLICY, DEFAULT_CALENDAR)).toEqual([]);
  });
});
