import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIntake, IntakeError, type Intake } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, DRIVERS, type TestDatabase } from "../support/databases.ts";

const SEED = readFileSync(
  new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url),
  "utf8",
);

async function rejection(promise: Promise<unknown>): Promise<IntakeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IntakeError) return error;
    throw error;
  }
  throw new Error("expected an IntakeError");
}

describe.each(DRIVERS)("directive intake on %s", (driver) => {
  let test: TestDatabase;
  let store: Store;
  let intake: Intake;
  const clock = new FakeClock("2020-06-06T01:00:00Z"); // 08:00 on Saturday 6 June 2020 in Hà Nội
  let slug = 0;

  beforeAll(async () => {
    test = await createMigratedDatabase(driver);
    store = createStore(test.database.db);
    intake = createIntake({ store, clock });
  });
  afterAll(async () => {
    await test.drop();
  });

  const newOrg = () => store.orgs.create({ slug: `intake-${driver}-${slug++}`, name: "Đảng ủy phường thử" });

  async function assignmentCount(orgId: string, directiveId: string): Promise<number> {
    const found = await store.directives.get(orgId, directiveId);
    let n = 0;
    for (const item of found?.items ?? []) n += (await store.tracking.assignmentsOfItem(orgId, item.id)).length;
    return n;
  }

  it("imports the seed as a draft with its header and items, tracking nothing yet", async () => {
    const org = await newOrg();
    const result = await intake.importDirective({ orgId: org.id, text: SEED, sourceName: "seed.md", actor: "test" });
    expect(result.created).toBe(true);
    expect(result.directive).toMatchObject({
      status: "draft",
      docType: "Thông báo kết luận",
      issuedDate: "2020-06-05",
      signer: "Nguyễn Tiến Giang",
      sourceName: "seed.md",
    });
    expect(result.directive.recipients).toContain("BTV Thị ủy");
    const topLevel = result.items.filter((i) => i.parentRef === null).map((i) => i.ref);
    expect(topLevel).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    const item1 = result.items.find((i) => i.ref === "1");
    expect(item1).toMatchObject({ dueDate: "2020-12-31", deadline: { kind: "half-year" } });
    expect(result.items.find((i) => i.ref === "2")?.rotation).toMatchObject({ teams: 2, turn: "week" });
    expect(await assignmentCount(org.id, result.directive.id)).toBe(0);
    expect((await store.audit.list(org.id)).map((e) => e.action)).toEqual(["directive.imported"]);
  });

  it("imports the same text once per org, whatever its line endings and trailing spaces", async () => {
    const org = await newOrg();
    const first = await intake.importDirective({ orgId: org.id, text: SEED, actor: "test" });
    const again = await intake.importDirective({
      orgId: org.id,
      text: `\n${SEED.replace(/\n/g, "  \r\n")}\n\n`,
      actor: "test",
    });
    expect(again.created).toBe(false);
    expect(again.directive.id).toBe(first.directive.id);
    expect(await store.directives.list(org.id)).toHaveLength(1);
  });

  it.each([
    ["empty_text", "   \n\n  ", /Văn bản trống/],
    ["no_items", "Kính gửi các đồng chí.\n\nTrân trọng.", /Không tìm thấy nhiệm vụ nào/],
  ])("refuses %s with a Vietnamese message and saves nothing", async (code, text, vi) => {
    const org = await newOrg();
    const error = await rejection(intake.importDirective({ orgId: org.id, text, actor: "test" }));
    expect(error.code).toBe(code);
    expect(error.messageVi).toMatch(vi);
    expect(await store.directives.list(org.id)).toEqual([]);
    expect(await store.audit.list(org.id)).toEqual([]);
  });

  it("lets office fix a deadline and units in review, and refuses what it cannot understand", async () => {
    const org = await newOrg();
    const { directive, items } = await intake.importDirective({ orgId: org.id, text: SEED, actor: "test" });
    const item5 = items.find((i) => i.ref === "5");
    if (!item5) throw new Error("no item 5");

    const fixed = await intake.updateItem(org.id, directive.id, item5.id, {
      deadline: "trước ngày 15/7",
      assignees: [
        { name: "UBND phường", role: "lead" },
        { name: "Hội CCB", role: "support" },
      ],
    }, "test");
    expect(fixed.dueDate).toBe("2020-07-15"); // the year comes from the document
    expect(fixed.deadline).toMatchObject({ kind: "date", due: "2020-07-15" });
    expect(fixed.assignees).toEqual([
      { name: "UBND phường", role: "lead", unitKey: expect.any(String) },
      { name: "Hội CCB", role: "support", unitKey: "hoi-ccb" },
    ]);

    const bad = await rejection(intake.updateItem(org.id, directive.id, item5.id, { deadline: "khi nào xong thì thôi" }, "test"));
    expect(bad.code).toBe("invalid_item");
    expect(bad.messageVi).toMatch(/Không hiểu thời hạn/);
    expect((await store.directives.item(org.id, item5.id))?.dueDate).toBe("2020-07-15");

    const duplicate = await rejection(intake.updateItem(org.id, directive.id, item5.id, { ref: "6" }, "test"));
    expect(duplicate.code).toBe("duplicate_ref");
  });

  it("activates: assignments per unit with groups expanded, occurrences with teams on duty, then locks the draft", async () => {
    const org = await newOrg();
    const { directive } = await intake.importDirective({ orgId: org.id, text: SEED, actor: "test" });
    const extra = await intake.addItem(org.id, directive.id, { ref: "10", text: "Việc chưa giao cho ai." }, "test");

    const refused = await rejection(intake.activate(org.id, directive.id, "test"));
    expect(refused.code).toBe("unassigned_items");
    expect(refused.messageVi).toContain("10");
    expect(await assignmentCount(org.id, directive.id)).toBe(0);

    await intake.removeItem(org.id, directive.id, extra.id, "test");
    const result = await intake.activate(org.id, directive.id, "test");
    expect(result.directive.status).toBe("active");
    expect(result.assignments).toBeGreaterThan(10);
    expect(result.assignments).toBe(await assignmentCount(org.id, directive.id));

    const units = await store.units.list(org.id);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const { items } = (await store.directives.get(org.id, directive.id)) ?? { items: [] };
    const unitsOf = async (ref: string) => {
      const item = items.find((i) => i.ref === ref);
      const assignments = await store.tracking.assignmentsOfItem(org.id, item?.id ?? "");
      return assignments.map((a) => ({ unit: unitName.get(a.unitId), role: a.role, due: a.dueDate, id: a.id }));
    };

    // 6.1: the Đoàn TNCS sub-point, due end of June 2020.
    expect(await unitsOf("6.1")).toEqual([{ unit: "Đoàn TNCS Hồ Chí Minh", role: "lead", due: "2020-06-30", id: expect.any(String) }]);
    // 6.2: "các đoàn thể CTXH" becomes one assignment per member unit, all due 30/6.
    const review = await unitsOf("6.2");
    expect(review.map((a) => a.unit).sort()).toEqual(
      ["Hội Cựu chiến binh", "Hội Liên hiệp Phụ nữ", "Hội Nông dân", "Đoàn TNCS Hồ Chí Minh"].sort(),
    );
    expect(new Set(review.map((a) => a.due))).toEqual(new Set(["2020-06-30"]));
    // 6 itself is tracked through its sub-points.
    expect(await unitsOf("6")).toEqual([]);
    // 4: ongoing → no due date.
    expect((await unitsOf("4")).every((a) => a.due === null)).toBe(true);

    // 2: weekly, two teams alternating; each assignment gets the coming weeks.
    const weekly = await unitsOf("2");
    expect(weekly.length).toBeGreaterThan(0);
    const occurrences = await store.tracking.occurrences(org.id, weekly[0]?.id ?? "");
    expect(occurrences.length).toBe(8);
    expect(occurrences.slice(0, 3).map((o) => [o.periodStart, o.periodEnd, o.dueDate, unitName.get(o.onDutyUnitId ?? "")])).toEqual([
      ["2020-06-01", "2020-06-07", "2020-06-07", "Tổ 1"],
      ["2020-06-08", "2020-06-14", "2020-06-14", "Tổ 2"],
      ["2020-06-15", "2020-06-21", "2020-06-21", "Tổ 1"],
    ]);
    expect(result.occurrences).toBe(8 * weekly.length);

    // Nothing can be edited or activated twice once tracking started.
    const twice = await rejection(intake.activate(org.id, directive.id, "test"));
    expect(twice.code).toBe("not_draft");
    const edit = await rejection(intake.updateItem(org.id, directive.id, items[0]?.id ?? "", { summary: "x" }, "test"));
    expect(edit.code).toBe("not_draft");
    expect(await assignmentCount(org.id, directive.id)).toBe(result.assignments);
    expect((await store.audit.list(org.id)).map((e) => e.action)).toContain("directive.activated");
  });

  it("uses the org's own units and aliases when matching and activating", async () => {
    const org = await newOrg();
    const ccb = await store.units.create({
      orgId: org.id,
      name: "Hội CCB phường 7",
      key: "hoi-ccb",
      aliases: [{ alias: "Hội Cựu chiến binh", folded: "hoi cuu chien binh" }],
    });
    const text = [
      "KẾ HOẠCH",
      "Ngày 10 tháng 3 năm 2024",
      "1. Hội Cựu chiến binh rà soát hội viên, hoàn thành trước ngày 31/3/2024.",
      "2. Hội CCB tổ chức gặp mặt, chậm nhất ngày 15/4.",
    ].join("\n");
    const { directive, items } = await intake.importDirective({ orgId: org.id, text, actor: "test" });
    expect(items.map((i) => i.dueDate)).toEqual(["2024-03-31", "2024-04-15"]);
    await intake.activate(org.id, directive.id, "test");
    for (const item of items) {
      const [assignment] = await store.tracking.assignmentsOfItem(org.id, item.id);
      expect(assignment?.unitId).toBe(ccb.id);
    }
    expect((await store.units.list(org.id)).map((u) => u.name)).toEqual(["Hội CCB phường 7"]);
  });
});
