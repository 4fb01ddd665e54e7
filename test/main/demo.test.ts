/**
 * The demo ward lives today: the seed directive moved to the first start's clock, with items
 * due this week and today, a few days overdue, this week's Green Sunday and reports already in.
 */
import { readFileSync } from "node:fs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/app/index.ts";
import type { BoardRow, Org } from "../../src/domain/index.ts";
import { addDays, daysBetween, localDay, parseDirective, viDate } from "../../src/domain/index.ts";
import { demoDirective, ensureDemoWard, type DemoPerson } from "../../src/main/demo.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

const SEED = readFileSync(new URL("../../src/main/demo/thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");

describe("demo directive text", () => {
  // A Wednesday, a Sunday, the first days of a year, a leap day.
  it.each(["2026-03-11", "2026-03-15", "2027-01-04", "2028-02-29"])("is the seed issued three weeks before %s, its dates in the text", (today) => {
    const demo = demoDirective(SEED, today);
    expect(demo.issuedDate).toBe(addDays(today, -21));
    expect(demo.text).not.toContain("2020");
    const parsed = parseDirective(demo.text);
    expect(parsed.issuedDate).toBe(demo.issuedDate);
    expect(parsed.items.map((i) => i.ref)).toEqual(parseDirective(SEED).items.map((i) => i.ref));
    const due = Object.fromEntries(parsed.items.filter((i) => i.deadline.due).map((i) => [i.ref, i.deadline.due]));
    expect(due).toEqual({ "1": addDays(today, 3), "6.1": today, "6.2": addDays(today, -5) });
    for (const ref of ["1", "6.1", "6.2"]) expect(parsed.items.find((i) => i.ref === ref)?.text).toContain(viDate(due[ref] ?? ""));
    expect(parsed.items.find((i) => i.ref === "2")?.deadline).toMatchObject({ kind: "recurring", every: "week" });
    expect(parsed.items.find((i) => i.ref === "2")?.rotation?.teams).toBe(2);
  });
});

describe("ensureDemoWard", () => {
  let test: TestDatabase;
  let store: Store;
  let org: Org;
  let people: DemoPerson[];
  const clock = new FakeClock("2026-03-11T02:00:00Z"); // Wednesday 11/3/2026, 09:00 in Hà Nội
  const today = localDay(clock.now());
  let board: BoardRow[];
  const logger = pino({ level: "silent" });

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    org = await store.orgs.create({ slug: "phuong-demo", name: "Đảng ủy phường (demo)" });
    people = await ensureDemoWard(store, org, logger, clock);
    board = await store.tracking.board(org.id, today);
  });
  afterAll(async () => {
    await test.drop();
  });

  /** The dated (not recurring) assignments, with their own due day. */
  async function dated() {
    const out = [];
    for (const row of board) {
      const assignment = await store.tracking.assignment(org.id, row.assignment.id);
      if (assignment?.dueDate) out.push({ row, assignment });
    }
    return out;
  }

  it("imports the seed issued three weeks ago and activates it", async () => {
    const directives = await store.directives.list(org.id);
    expect(directives).toHaveLength(1);
    expect(directives[0]?.status).toBe("active");
    expect(directives[0]?.issuedDate).toBe("2026-02-18");
    const found = await store.directives.get(org.id, directives[0]?.id ?? "");
    expect(found?.directive.sourceText).toContain("Ngày 18 tháng 2 năm 2026, Ban Thường vụ Đảng ủy");
    expect(found?.directive.sourceText).not.toContain("2020");
  });

  it("has one assignment due today, some due this week, a few days overdue and nothing long overdue", async () => {
    const rows = await dated();
    const dueToday = rows.filter((r) => r.assignment.dueDate === today);
    expect(dueToday.map((r) => `${r.row.item.ref} ${r.row.unit.name}`)).toEqual(["6.1 Đoàn TNCS Hồ Chí Minh"]);
    const thisWeek = rows.filter((r) => (r.assignment.dueDate ?? "") > today && (r.assignment.dueDate ?? "") <= addDays(today, 7));
    expect(thisWeek.length).toBeGreaterThan(1);
    const overdue = rows.filter((r) => (r.assignment.dueDate ?? "") < today && r.assignment.status !== "done");
    expect(overdue.length).toBeGreaterThan(0);
    for (const r of overdue) expect(daysBetween(r.assignment.dueDate ?? "", today)).toBeLessThanOrEqual(10);
    for (const r of rows) expect(daysBetween(r.assignment.dueDate ?? "", today)).toBeLessThanOrEqual(30);
  });

  it("has this week's Green Sunday with the team on duty", async () => {
    const green = board.filter((r) => r.item.ref === "2");
    expect(green.length).toBeGreaterThan(0);
    const units = new Map((await store.units.list(org.id)).map((u) => [u.id, u.name]));
    for (const row of green) {
      const current = (await store.tracking.occurrences(org.id, row.assignment.id)).find((o) => o.periodStart <= today && today <= o.periodEnd);
      expect(current, row.unit.name).toBeDefined();
      expect(current?.dueDate).toBe("2026-03-15"); // Sunday
      expect(units.get(current?.onDutyUnitId ?? "")).toMatch(/^Tổ [12]$/);
    }
  });

  it("has the reports already in: one done on time, one done late, one blocked with its reason", async () => {
    const directive = (await store.directives.list(org.id))[0];
    const reports = await store.tracking.reportsOfDirective(org.id, directive?.id ?? "");
    const due = addDays(today, -5);
    const byUnit = new Map(reports.map((r) => [r.unitName, r]));
    expect(reports).toHaveLength(3);
    const onTime = byUnit.get("Hội Liên hiệp Phụ nữ");
    expect(onTime).toMatchObject({ status: "done", personName: "Cán bộ Hội Liên hiệp Phụ nữ" });
    expect(localDay(onTime?.reportedAt ?? new Date(0)) <= due).toBe(true);
    const late = byUnit.get("Hội Nông dân");
    expect(late).toMatchObject({ status: "done" });
    expect(localDay(late?.reportedAt ?? new Date(0)) > due).toBe(true);
    const blocked = byUnit.get("Đoàn TNCS Hồ Chí Minh");
    expect(blocked).toMatchObject({ status: "blocked" });
    expect(blocked?.text).toMatch(/^Vướng mắc: .{10,}/);
    for (const r of reports) expect(r.reportedAt.getTime()).toBeLessThan(clock.now().getTime());
    const statuses = Object.fromEntries(board.filter((r) => r.item.ref === "6.2").map((r) => [r.unit.name, r.assignment.status]));
    expect(statuses).toMatchObject({ "Hội Liên hiệp Phụ nữ": "done", "Hội Nông dân": "done", "Đoàn TNCS Hồ Chí Minh": "blocked" });
    expect(statuses["Hội Cựu chiến binh"]).not.toBe("done"); // the README's example report is still to make
  });

  it("keeps the data on a later start and lists the same people", async () => {
    clock.advance(7 * 86_400_000);
    const again = await ensureDemoWard(store, org, logger, clock);
    expect(again).toEqual(people);
    expect(await store.directives.list(org.id)).toHaveLength(1);
    expect(people.map((p) => p.simulatorId)).toEqual(expect.arrayContaining(["lanhdao", "vanphong", "canbo-hoi-cuu-chien-binh"]));
  });
});
