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
    // A fresh org knows nobody yet; item 4's own units are dropped since 4.1 carries its own.
    const warnings = await intake.activationWarnings(org.id, directive.id);
    expect(warnings.map((w) => w.kind)).toEqual(["unreachable_units", "dropped_parents"]);
    expect(warnings[1]?.items.map((i) => i.ref)).toEqual(["4"]);
    expect((await rejection(intake.activate(org.id, directive.id, "test"))).code).toBe("needs_confirmation");
    const result = await intake.activate(org.id, directive.id, "test", { confirm: "all" });
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
    const twice = await rejection(intake.activate(org.id, directive.id, "test", { confirm: "all" }));
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
    await intake.activate(org.id, directive.id, "test", { confirm: ["unreachable_units"] });
    for (const item of items) {
      const [assignment] = await store.tracking.assignmentsOfItem(org.id, item.id);
      expect(assignment?.unitId).toBe(ccb.id);
    }
    expect((await store.units.list(org.id)).map((u) => u.name)).toEqual(["Hội CCB phường 7"]);
  });

  describe("activation warnings", () => {
    // 08:00 on Friday 5 April 2024 in Hà Nội: item 1 (due 31/3) is already past.
    const april = new FakeClock("2024-04-05T01:00:00Z");
    const TEXT = [
      "KẾ HOẠCH",
      "Ngày 10 tháng 3 năm 2024",
      "1. Hội Cựu chiến binh rà soát hội viên, hoàn thành trước ngày 31/3/2024.",
      "2. Hội Cựu chiến binh và Trưởng các khóm tổ chức gặp mặt hội viên, chậm nhất ngày 30/4/2024:",
      "2.1. Hội Cựu chiến binh lập danh sách hội viên, chậm nhất ngày 20/4/2024.",
      "3. Trưởng các khóm báo cáo tình hình an ninh trật tự, trước ngày 30/4/2024.",
    ].join("\n");

    /** An org whose Hội CCB has a cadre on Zalo; "Trưởng các khóm" is unknown and has nobody. */
    async function draftWithTrouble() {
      const org = await newOrg();
      const ccb = await store.units.create({ orgId: org.id, name: "Hội Cựu chiến binh", key: "hoi-ccb", aliases: [{ alias: "Hội CCB", folded: "hoi ccb" }] });
      const cadre = await store.persons.create({ orgId: org.id, fullName: "Trần Văn An", roles: ["cadre"] });
      await store.persons.addMembership({ orgId: org.id, personId: cadre.id, unitId: ccb.id });
      const zalo = await store.chats.upsertIdentity({ orgId: org.id, channel: "zalo", externalId: "ccb-an" });
      await store.chats.linkIdentity(org.id, zalo.id, cadre.id, april.now());
      const mine = createIntake({ store, clock: april });
      const { directive, items } = await mine.importDirective({ orgId: org.id, text: TEXT, actor: "test" });
      const two = items.find((i) => i.ref === "2");
      if (!two) throw new Error("no item 2");
      // The parser reads only the first unit of item 2; office adds the other in review.
      await mine.updateItem(org.id, directive.id, two.id, { assignees: [{ name: "Hội Cựu chiến binh", role: "lead" }, { name: "Trưởng các khóm", role: "support" }] }, "test");
      return { org, ccb, intake: mine, directiveId: directive.id };
    }

    it("finds a past deadline, an unreachable unit and a parent's dropped unit, in Vietnamese", async () => {
      const { org, intake: mine, directiveId } = await draftWithTrouble();
      const warnings = await mine.activationWarnings(org.id, directiveId);
      expect(warnings.map((w) => w.kind)).toEqual(["past_deadlines", "unreachable_units", "dropped_parents"]);
      const [past, unreachable, dropped] = warnings;
      expect(past?.items).toEqual([{ id: expect.any(String), ref: "1", dueDate: "2024-03-31", units: ["Hội Cựu chiến binh"], children: [] }]);
      expect(past?.message).toContain("nhiệm vụ 1 (hạn 31/03/2024)");
      expect(past?.message).toContain("hôm nay 05/04/2024");
      // Item 2.1 due 20/4 and item 3 due 30/4 are not past; item 2 is not tracked itself.
      expect(unreachable?.units).toEqual([{ id: null, name: "Trưởng các khóm", isNew: true }]);
      expect(unreachable?.message).toMatch(/^1\/2 đơn vị chưa liên lạc được qua tin nhắn: Trưởng các khóm\. Các đơn vị này chưa có trong danh sách đơn vị, sẽ được tạo khi kích hoạt\./);
      expect(dropped?.items).toEqual([{ id: expect.any(String), ref: "2", dueDate: "2024-04-30", units: ["Trưởng các khóm"], children: ["2.1"] }]);
      expect(dropped?.message).toContain("Mục 2 được theo dõi qua các mục con 2.1, nên Trưởng các khóm (giao ở mục 2) sẽ không được giao việc");
      for (const w of warnings) expect(w.message).not.toMatch(/\b(bạn|mình)\b/i);
      // Reading the warnings creates nothing.
      expect((await store.units.list(org.id)).map((u) => u.name)).toEqual(["Hội Cựu chiến binh"]);
    });

    it("refuses to activate until every kind is confirmed, then says truthfully who will be reminded", async () => {
      const { org, intake: mine, directiveId } = await draftWithTrouble();
      const none = await rejection(mine.activate(org.id, directiveId, "test"));
      expect(none.code).toBe("needs_confirmation");
      expect(none.status).toBe(409);
      expect(none.unconfirmed).toEqual(["past_deadlines", "unreachable_units", "dropped_parents"]);
      expect(none.warnings).toHaveLength(3);
      expect(none.messageVi).toMatch(/^Chưa kích hoạt: đồng chí cần xác nhận đã biết có nhiệm vụ đã quá hạn/);
      expect(none.messageVi).toContain("Trưởng các khóm");

      const some = await rejection(mine.activate(org.id, directiveId, "test", { confirm: ["past_deadlines", "dropped_parents"] }));
      expect(some.unconfirmed).toEqual(["unreachable_units"]);
      expect(some.messageVi).toContain("có đơn vị chưa liên lạc được qua tin nhắn");
      expect(some.messageVi).not.toContain("quá hạn trước ngày kích hoạt (hôm nay");
      expect(await assignmentCount(org.id, directiveId)).toBe(0);
      expect((await store.directives.get(org.id, directiveId))?.directive.status).toBe("draft");

      const result = await mine.activate(org.id, directiveId, "test", { confirm: ["past_deadlines", "unreachable_units", "dropped_parents"] });
      expect(result.directive.status).toBe("active");
      expect(result.unitsCreated).toEqual(["Trưởng các khóm"]);
      expect(result.reach).toEqual({ units: 2, reachable: 1, unreachable: 1, unreachableUnits: ["Trưởng các khóm"] });
      expect(result.warnings.map((w) => w.kind)).toEqual(["past_deadlines", "unreachable_units", "dropped_parents"]);
      expect(result.message).toContain("1/2 đơn vị sẽ được nhắc hạn qua tin nhắn");
      expect(result.message).toContain("1 đơn vị chưa liên lạc được (Trưởng các khóm)");
      expect(result.message).not.toContain("Cả ");
      const audit = (await store.audit.list(org.id)).find((e) => e.action === "directive.activated");
      expect(audit?.data).toMatchObject({ confirmed: ["past_deadlines", "unreachable_units", "dropped_parents"], reach: { reachable: 1, unreachable: 1 } });
    });

    it("needs no confirmation when every unit is reachable and nothing is past or dropped", async () => {
      const org = await newOrg();
      const ccb = await store.units.create({ orgId: org.id, name: "Hội Cựu chiến binh", key: "hoi-ccb" });
      const cadre = await store.persons.create({ orgId: org.id, fullName: "Trần Văn An", roles: ["cadre"] });
      await store.persons.addMembership({ orgId: org.id, personId: cadre.id, unitId: ccb.id });
      const zalo = await store.chats.upsertIdentity({ orgId: org.id, channel: "zalo", externalId: "ccb-an-2" });
      await store.chats.linkIdentity(org.id, zalo.id, cadre.id, april.now());
      const mine = createIntake({ store, clock: april });
      const { directive } = await mine.importDirective({ orgId: org.id, text: "KẾ HOẠCH\nNgày 10 tháng 3 năm 2024\n1. Hội Cựu chiến binh lập danh sách hội viên, chậm nhất ngày 20/4/2024.", actor: "test" });
      expect(await mine.activationWarnings(org.id, directive.id)).toEqual([]);
      const result = await mine.activate(org.id, directive.id, "test");
      expect(result.reach).toEqual({ units: 1, reachable: 1, unreachable: 0, unreachableUnits: [] });
      expect(result.message).toBe("Đã bắt đầu theo dõi: 1 lượt giao việc. Đơn vị được giao việc sẽ được nhắc hạn qua tin nhắn.");
      expect(await mine.activationWarnings(org.id, directive.id)).toEqual([]);
    });
  });
});
