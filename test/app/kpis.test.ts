/**
 * The Tổng quan KPIs (issue 15) on a hand-made ward: every number below is counted by hand in the
 * comments, from board rows and the occurrences of one weekly item.
 */
import { describe, expect, it } from "vitest";
import { computeKpis, createKpiView } from "../../src/app/index.ts";
import type { AssignmentStatus, BoardRow, Occurrence } from "../../src/domain/index.ts";
import { CCB, DOAN, LHPN, seedBoard } from "../support/board-seed.ts";

const TODAY = "2020-07-03"; // a Friday; its week is 29/06–05/07

const D1 = { id: "d1", number: "05-TB/ĐU", docType: "Thông báo", issuedDate: "2020-06-05", shortName: "TB 05/6", activatedAt: new Date("2020-06-06T01:00:00Z") };
const D2 = { id: "d2", number: "12-KL/ĐU", docType: "Kết luận", issuedDate: "2019-12-20", shortName: null, activatedAt: new Date("2020-01-01T01:00:00Z") };
const U1 = { id: "u1", name: "Hội Cựu chiến binh" };
const U2 = { id: "u2", name: "Đoàn <b>Thanh niên</b>" };
const U3 = { id: "u3", name: "Hội Liên hiệp Phụ nữ" };

let n = 0;
function row(directive: BoardRow["directive"], unit: BoardRow["unit"], a: { status: AssignmentStatus; dueDate: string | null; doneAt?: string; recurring?: boolean }): BoardRow {
  n += 1;
  return {
    assignment: { id: `a${n}`, orgId: "o", itemId: `i${n}`, unitId: unit.id, role: "lead", status: a.status, dueDate: a.dueDate, percent: null, statusChangedAt: null, doneAt: a.doneAt ? new Date(a.doneAt) : null, createdAt: new Date("2020-01-01T00:00:00Z") },
    occurrence: a.recurring && a.dueDate ? { id: `o${n}`, periodStart: "2020-06-29", periodEnd: "2020-07-05", dueDate: a.dueDate, onDutyUnitId: null, onDutyUnitName: null } : null,
    item: { id: `i${n}`, ref: String(n), summary: `Việc ${n}`, label: null, text: "", parentRef: null, deadline: a.recurring ? { kind: "recurring", every: "week" } as BoardRow["item"]["deadline"] : null },
    unit,
    directive,
  };
}

function occurrence(assignmentId: string, dueDate: string, status: AssignmentStatus, doneAt?: string): Occurrence {
  return { id: `${assignmentId}-${dueDate}`, orgId: "o", assignmentId, periodStart: dueDate, periodEnd: dueDate, dueDate, onDutyUnitId: null, status, percent: null, statusChangedAt: null, doneAt: doneAt ? new Date(doneAt) : null, createdAt: new Date("2020-06-01T00:00:00Z") };
}

const rows = [
  row(D1, U1, { status: "done", dueDate: "2020-06-30", doneAt: "2020-06-29T03:00:00Z" }), // 1: done on time
  row(D1, U2, { status: "done", dueDate: "2020-06-30", doneAt: "2020-07-02T02:00:00Z" }), // 2: done 2 days late
  row(D1, U3, { status: "in_progress", dueDate: "2020-06-20" }), // 3: overdue 13 days (≤ 30)
  row(D2, U1, { status: "not_reported", dueDate: "2020-05-01" }), // 4: overdue 63 days (> 30)
  row(D2, U2, { status: "blocked", dueDate: "2020-02-01" }), // 5: overdue 153 days (> 120)
  row(D2, U3, { status: "in_progress", dueDate: "2020-07-10" }), // 6: in term
  row(D2, U1, { status: "not_reported", dueDate: null }), // 7: no term, silent since 01/01 → stale
  // 8: weekly, the current occurrence (due Sunday 05/07) not due yet, so not counted.
  row(D1, U2, { status: "in_progress", dueDate: "2020-07-05", recurring: true }),
];
const weekly = rows[7]!.assignment.id;
const occurrences = new Map([
  [
    weekly,
    [
      occurrence(weekly, "2020-06-21", "done", "2020-06-20T03:00:00Z"), // on time
      occurrence(weekly, "2020-06-28", "not_reported"), // overdue 5 days (≤ 30)
      occurrence(weekly, "2020-07-05", "in_progress"), // not come due: not counted
    ],
  ],
]);

describe("computeKpis", () => {
  const k = computeKpis({ today: TODAY, rows, occurrences, titles: new Map([["d2", "KẾT LUẬN CỦA BAN THƯỜNG VỤ"]]) });

  it("counts the ward by hand: 7 assignments + 2 occurrences come due", () => {
    expect(k.overall).toEqual({
      total: 9,
      done: 3, // rows 1, 2 and the 21/06 occurrence
      doneOnTime: 2,
      doneLate: 1,
      inTerm: 1,
      noTerm: 0,
      stale: 1,
      overdue: 4, // rows 3, 4, 5 and the 28/06 occurrence
      overdueUpTo30: 2,
      overdueOver30: 1,
      overdueOver120: 1,
      completionRate: 3 / 9,
      onTimeRate: 2 / 3,
      overdueRate: 4 / 9,
    });
  });

  it("per directive, with the short name and the title", () => {
    const [d1, d2] = k.directives;
    expect(d1).toMatchObject({ id: "d1", name: "TB 05/6", title: null, total: 5, done: 3, doneOnTime: 2, overdue: 2, overdueUpTo30: 2, completionRate: 3 / 5 });
    expect(d2).toMatchObject({ id: "d2", name: "KL 12", title: "KẾT LUẬN CỦA BAN THƯỜNG VỤ", total: 4, done: 0, overdue: 2, overdueOver30: 1, overdueOver120: 1, inTerm: 1, stale: 1, completionRate: 0, onTimeRate: null });
  });

  it("per unit, and units ranked worst first", () => {
    const unit = (id: string) => k.units.find((u) => u.id === id);
    expect(unit("u1")).toMatchObject({ total: 3, done: 1, overdue: 1, stale: 1 });
    expect(unit("u2")).toMatchObject({ total: 4, done: 2, doneOnTime: 1, doneLate: 1, overdue: 2, overdueUpTo30: 1, overdueOver120: 1 });
    expect(unit("u3")).toMatchObject({ total: 2, done: 0, overdue: 1, inTerm: 1 });
    // u2 and u3 are both half overdue; u2 has more overdue work.
    expect(k.ranking.map((u) => u.id)).toEqual(["u2", "u3", "u1"]);
  });

  it("done vs due, week by week over the last 12 weeks", () => {
    expect(k.weeks).toHaveLength(12);
    expect(k.weeks[0]).toMatchObject({ start: "2020-04-13", end: "2020-04-19" });
    expect(k.weeks[11]).toMatchObject({ start: "2020-06-29", end: "2020-07-05", due: 3, done: 2 }); // rows 1, 2 and the 05/07 occurrence
    const at = (start: string) => k.weeks.find((w) => w.start === start);
    expect(at("2020-06-22")).toMatchObject({ due: 1, done: 0 }); // 28/06 occurrence
    expect(at("2020-06-15")).toMatchObject({ due: 2, done: 1 }); // row 3, 21/06 occurrence
    expect(at("2020-04-27")).toMatchObject({ due: 1, done: 0 }); // row 4
    expect(k.weeks.reduce((s, w) => s + w.due, 0)).toBe(7); // rows 5, 6 are outside, row 7 has no due day
  });

  it("has no rates when there is nothing to count", () => {
    const empty = computeKpis({ today: TODAY, rows: [] });
    expect(empty.overall).toMatchObject({ total: 0, completionRate: null, onTimeRate: null });
    expect(empty.weeks.every((w) => w.due === 0)).toBe(true);
  });
});

describe("createKpiView through a real store (the seed board on 03/07/2020)", () => {
  it("counts the seed by hand, each weekly occurrence come due included", async () => {
    const seed = await seedBoard("kpis");
    try {
      const k = await createKpiView({ store: seed.store, clock: seed.clock }).overview(seed.orgId);
      expect(k.today).toBe("2020-07-03");
      // 46 assignments: item 2 is weekly (Sunday) for 6 units, each with 4 occurrences come due
      // (07/06, 14/06, 21/06, 28/06), none reported → 40 + 24 = 64 pieces of work.
      expect(k.overall).toMatchObject({
        total: 64,
        done: 2, // 6.1 Đoàn on 25/06 (due 30/06), 6.2 CCB on 02/07 (late)
        doneOnTime: 1,
        doneLate: 1,
        inTerm: 5, // item 1, due 31/12, 5 units
        overdue: 27, // 24 occurrences + 6.2 of LHPN, Nông dân, Đoàn (blocked): all ≤ 30 days
        overdueUpTo30: 27,
        overdueOver30: 0,
        overdueOver120: 0,
        noTerm: 30,
        stale: 0,
        completionRate: 2 / 64,
        onTimeRate: 0.5,
      });
      const unit = (name: string) => k.units.find((u) => u.id === seed.unitId(name));
      expect(unit(DOAN)).toMatchObject({ doneOnTime: 1, doneLate: 0, overdue: 5 });
      expect(unit(CCB)).toMatchObject({ doneOnTime: 0, doneLate: 1, overdue: 4 });
      expect(unit(LHPN)).toMatchObject({ done: 0, overdue: 5 });
      expect(k.directives).toHaveLength(1);
      expect(k.directives[0]).toMatchObject({ id: seed.directiveId, total: 64 });
      // The 4 Sundays before, 6 occurrences each; this week: 6.1/6.2 (due 30/06) and 05/07's 6.
      expect(k.weeks.slice(-5).map((w) => [w.start, w.due, w.done])).toEqual([
        ["2020-06-01", 6, 0],
        ["2020-06-08", 6, 0],
        ["2020-06-15", 6, 0],
        ["2020-06-22", 6, 0],
        ["2020-06-29", 11, 2],
      ]);
    } finally {
      await seed.test.drop();
    }
  }, 60_000);
});
