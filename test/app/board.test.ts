import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cellClass, cellLabel, createBoardView, createIntake, isProposal, type BoardView, type CellClass } from "../../src/app/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { CCB, DOAN, LHPN, seedBoard, type BoardSeed } from "../support/board-seed.ts";

describe("cell classes and labels", () => {
  const a = (status: "not_reported" | "in_progress" | "done" | "blocked", dueDate: string | null, doneAt: string | null = null, percent: number | null = null) => ({
    status,
    dueDate,
    percent,
    doneAt: doneAt ? new Date(doneAt) : null,
  });

  it.each<[ReturnType<typeof a>, CellClass]>([
    [a("done", "2020-06-30", "2020-06-30T16:00:00Z"), "done_on_time"], // 23:00 local on the due day
    [a("done", "2020-06-30", "2020-06-30T17:00:00Z"), "done_late"], // 00:00 local the next day
    [a("done", null, "2021-01-01T00:00:00Z"), "done_on_time"],
    [a("blocked", "2020-06-01"), "blocked"],
    [a("in_progress", "2020-07-02"), "overdue"],
    [a("in_progress", "2020-07-03"), "in_progress"], // due today is not late yet
    [a("not_reported", "2020-07-02"), "overdue"],
    [a("not_reported", null), "not_reported"],
  ])("%j on 03/07/2020 is %s", (assignment, cls) => {
    expect(cellClass(assignment, "2020-07-03")).toBe(cls);
  });

  it("labels say status, percent, due day and timing", () => {
    expect(cellLabel(a("in_progress", "2020-06-30", null, 80), "2020-06-20")).toBe("Đang thực hiện 80% · hạn 30/06/2020 (còn 10 ngày)");
    expect(cellLabel(a("not_reported", "2020-06-30"), "2020-06-30")).toBe("Chưa báo cáo · hạn 30/06/2020 (hôm nay là hạn)");
    expect(cellLabel(a("blocked", null), "2020-06-30")).toBe("Vướng mắc");
  });

  it.each([
    ["vướng kinh phí, đề nghị UBND hỗ trợ", true],
    ["Kiến nghị cấp trên giải quyết", true],
    ["đã đề xuất phương án", true],
    ["dang lam, de nghi bo sung kinh phi", true],
    ["xin để nghỉ phép", false], // folds to "de nghi" but has diacritics: not a proposal
    ["đang làm 80%", false],
  ])("isProposal(%s) is %s", (text, expected) => {
    expect(isProposal(text)).toBe(expected);
  });
});

describe("status board", () => {
  let seed: BoardSeed;
  let view: ReturnType<typeof createBoardView>;
  let board: BoardView;
  const cell = (b: BoardView, ref: string, unit: string) => {
    const item = b.items.find((i) => i.ref === ref);
    const u = b.units.find((x) => x.name === unit);
    const found = b.cells.find((c) => c.itemId === item?.id && c.unitId === u?.id);
    if (!found) throw new Error(`no cell ${ref} × ${unit}`);
    return found;
  };

  beforeAll(async () => {
    seed = await seedBoard("board");
    view = createBoardView({ store: seed.store, clock: seed.clock });
    const b = await view.board(seed.orgId, seed.directiveId);
    if (!b) throw new Error("no board");
    board = b;
  }, 60_000);
  afterAll(async () => {
    await seed.test.drop();
  });

  it("has the directive header, its assigned items in order and its units", () => {
    expect(board.directive).toMatchObject({
      id: seed.directiveId,
      number: null,
      docType: "Thông báo kết luận",
      issuedDate: "2020-06-05",
      status: "active",
      title: "KẾT LUẬN CỦA BAN THƯỜNG VỤ ĐẢNG ỦY Tại phiên làm việc với Mặt trận, các đoàn thể CTXH phường",
    });
    expect(board.today).toBe("2020-07-03");
    // Heading items (4, 6, 9) carry no assignment of their own.
    expect(board.items.map((i) => i.ref)).toEqual(["1", "2", "3", "4.1", "5", "6.1", "6.2", "7", "8", "9.1", "9.2", "9.3"]);
    expect(board.items.find((i) => i.ref === "1")?.deadlineText).toBe("hạn 31/12/2020");
    expect(board.items.find((i) => i.ref === "2")?.deadlineText).toBe("hằng tuần");
    expect(board.items.find((i) => i.ref === "7")?.deadlineText).toBe("thường xuyên");
    expect(board.units.map((u) => u.name)).toEqual(expect.arrayContaining([CCB, DOAN, LHPN, "Ủy ban nhân dân"]));
    // One cell per assignment, each on a listed item and unit.
    const itemIds = new Set(board.items.map((i) => i.id));
    const unitIds = new Set(board.units.map((u) => u.id));
    expect(board.cells.every((c) => itemIds.has(c.itemId) && unitIds.has(c.unitId))).toBe(true);
    expect(new Set(board.cells.map((c) => c.assignmentId)).size).toBe(board.cells.length);
  });

  it("classes every cell by status and timing on the clock's day", () => {
    expect(cell(board, "6.1", DOAN)).toMatchObject({ cls: "done_on_time", status: "done", percent: 100, label: "Hoàn thành · hạn 30/06/2020 (đúng hạn)" });
    expect(cell(board, "6.2", CCB)).toMatchObject({ cls: "done_late", label: "Hoàn thành · hạn 30/06/2020 (trễ hạn 2 ngày)" });
    expect(cell(board, "1", CCB)).toMatchObject({ cls: "in_progress", percent: 80, dueDate: "2020-12-31", label: "Đang thực hiện 80% · hạn 31/12/2020 (còn 181 ngày)" });
    expect(cell(board, "3", CCB)).toMatchObject({ cls: "blocked", label: "Vướng mắc" });
    // Blocked past its due day stays blocked; open work past it is overdue, reported or not.
    expect(cell(board, "6.2", DOAN)).toMatchObject({ cls: "blocked", label: "Vướng mắc · hạn 30/06/2020 (quá hạn 3 ngày)" });
    expect(cell(board, "6.2", LHPN)).toMatchObject({ cls: "overdue", status: "in_progress", label: "Đang thực hiện 40% · hạn 30/06/2020 (quá hạn 3 ngày)" });
    expect(cell(board, "6.2", "Hội Nông dân")).toMatchObject({ cls: "overdue", status: "not_reported", label: "Chưa báo cáo · hạn 30/06/2020 (quá hạn 3 ngày)" });
    expect(cell(board, "5", CCB)).toMatchObject({ cls: "not_reported", label: "Chưa báo cáo", lastReport: null });

    const n = board.cells.length;
    expect(board.counts).toEqual({ done_on_time: 1, done_late: 1, in_progress: 3, blocked: 2, overdue: 2, not_reported: n - 9 });
    expect(board.progress).toBeCloseTo(2 / n, 10);
  });

  it("the same data on the due day reads differently: classes follow the clock", async () => {
    const before = await createBoardView({ store: seed.store, clock: new FakeClock("2020-06-30T01:00:00Z") }).board(seed.orgId, seed.directiveId);
    if (!before) throw new Error("no board");
    expect(cell(before, "6.2", "Hội Nông dân")).toMatchObject({ cls: "not_reported", label: "Chưa báo cáo · hạn 30/06/2020 (hôm nay là hạn)" });
    expect(cell(before, "6.2", LHPN).cls).toBe("in_progress");
  });

  it("shows the last report by its own time, with its text and who sent it", () => {
    // 80% (22/6) is the last word: the 60% message arrived later but was written on 21/6.
    expect(cell(board, "1", CCB).lastReport).toEqual({ text: "đang làm 80% đã triển khai ở 5 tổ", at: new Date("2020-06-22T02:00:00Z"), by: "Trần Văn An" });
    expect(cell(board, "6.2", DOAN).lastReport).toEqual({ text: "vướng thiếu số liệu hội viên", at: new Date("2020-06-28T03:00:00Z"), by: "Lê Thị Bình" });
  });

  it("filters by unit: that unit's column only; counts and progress of that unit", async () => {
    const b = await view.board(seed.orgId, seed.directiveId, { unitId: seed.unitId(CCB) });
    expect(b?.units.map((u) => u.name)).toEqual([CCB]);
    expect(b?.cells.every((c) => c.unitId === seed.unitId(CCB))).toBe(true);
    expect(b?.items.map((i) => i.ref)).toEqual(["1", "2", "3", "4.1", "5", "6.2", "7", "8", "9.2"]);
    expect(b?.counts).toEqual({ done_on_time: 0, done_late: 1, in_progress: 3, blocked: 1, overdue: 0, not_reported: 4 });
    expect(b?.progress).toBeCloseTo(1 / 9, 10);
  });

  it("filters by class: only those cells, their items and units; counts stay those of the whole scope", async () => {
    const b = await view.board(seed.orgId, seed.directiveId, { status: "overdue" });
    expect(b?.cells.map((c) => c.cls)).toEqual(["overdue", "overdue"]);
    expect(b?.items.map((i) => i.ref)).toEqual(["6.2"]);
    expect(b?.units.map((u) => u.name).sort()).toEqual([LHPN, "Hội Nông dân"].sort());
    expect(b?.counts).toEqual(board.counts);

    const both = await view.board(seed.orgId, seed.directiveId, { unitId: seed.unitId(DOAN), status: "blocked" });
    expect(both?.cells).toHaveLength(1);
    expect(both?.items.map((i) => i.ref)).toEqual(["6.2"]);
    expect(both?.counts.done_on_time).toBe(1);
  });

  it("returns null for a directive of another org or an unknown one", async () => {
    const other = await seed.store.orgs.create({ slug: "board-other", name: "Phường khác" });
    expect(await view.board(other.id, seed.directiveId)).toBeNull();
    expect(await view.board(seed.orgId, "00000000-0000-0000-0000-000000000000")).toBeNull();
    expect(await view.reportDraft(other.id, seed.directiveId)).toBeNull();
  });

  it("unit view: the unit's cells across active directives, with the same classes", async () => {
    const u = await view.unitView(seed.orgId, seed.unitId(CCB));
    expect(u?.unit.name).toBe(CCB);
    expect(u?.directives).toHaveLength(1);
    const group = u?.directives[0];
    expect(group?.directive.id).toBe(seed.directiveId);
    expect(group?.items.map((i) => i.ref)).toEqual(["1", "2", "3", "4.1", "5", "6.2", "7", "8", "9.2"]);
    expect(group?.items.find((i) => i.ref === "6.2")?.deadlineText).toBe("hạn 30/06/2020");
    expect(group?.cells.map((c) => c.cls)).toEqual(["in_progress", "not_reported", "blocked", "in_progress", "not_reported", "done_late", "in_progress", "not_reported", "not_reported"]);
    expect(group?.cells.every((c) => c.unitId === seed.unitId(CCB))).toBe(true);
    expect(group?.cells[0]?.lastReport?.text).toBe("đang làm 80% đã triển khai ở 5 tổ");
    expect(u?.counts.done_late).toBe(1);
    expect(u?.progress).toBeCloseTo(1 / 9, 10);
    expect(await view.unitView(seed.orgId, "00000000-0000-0000-0000-000000000000")).toBeNull();
  });

  it("directive progress: every directive with its totals; a draft has none", async () => {
    const text = readFileSync(new URL("../fixtures/directives/24-cong-van-muc-1-1.txt", import.meta.url), "utf8");
    const { directive: draft } = await createIntake({ store: seed.store, clock: seed.clock }).importDirective({ orgId: seed.orgId, text, actor: "test" });
    const progress = await view.directiveProgress(seed.orgId);
    const n = board.cells.length;
    expect(progress.find((p) => p.id === seed.directiveId)).toEqual({ id: seed.directiveId, number: null, docType: "Thông báo kết luận", status: "active", total: n, done: 2, overdue: 3, share: 2 / n });
    expect(progress.find((p) => p.id === draft.id)).toMatchObject({ status: "draft", total: 0, done: 0, overdue: 0, share: 0 });
    expect(progress).toHaveLength(2);
  });

  describe("report draft", () => {
    it("lists every item in order, headings marked, each with its units' status", async () => {
      const draft = await view.reportDraft(seed.orgId, seed.directiveId);
      if (!draft) throw new Error("no draft");
      expect(draft.items.map((i) => i.ref)).toEqual(["1", "2", "3", "4", "4.1", "5", "6", "6.1", "6.2", "7", "8", "9", "9.1", "9.2", "9.3"]);
      expect(draft.items.filter((i) => i.isGroup).map((i) => i.ref)).toEqual(["4", "6", "9"]);
      expect(draft.items.find((i) => i.ref === "6")?.units).toEqual([]);
      const six2 = draft.items.find((i) => i.ref === "6.2");
      expect(six2?.units.find((u) => u.unitName === CCB)).toMatchObject({ cls: "done_late", statusText: "Hoàn thành · hạn 30/06/2020 (trễ hạn 2 ngày)" });
      expect(six2?.units.find((u) => u.unitName === DOAN)).toMatchObject({ cls: "blocked", lastReport: { text: "vướng thiếu số liệu hội viên" } });
      expect(draft).toMatchObject({ today: "2020-07-03", total: board.cells.length, done: 2, counts: board.counts });
    });

    it("difficulties are the texts of blocked reports, once per unit and text", async () => {
      const draft = await view.reportDraft(seed.orgId, seed.directiveId);
      const item = (ref: string) => draft?.items.find((i) => i.ref === ref);
      // Hội CCB sent the same block twice (24/6 and 26/6): listed once, the first time.
      expect(item("3")?.difficulties).toEqual([{ unitName: CCB, text: "vướng kinh phí, đề nghị UBND hỗ trợ", at: new Date("2020-06-24T02:00:00Z"), by: "Trần Văn An" }]);
      expect(item("6.2")?.difficulties.map((d) => `${d.unitName}: ${d.text}`)).toEqual([`${DOAN}: vướng thiếu số liệu hội viên`]);
      expect(item("1")?.difficulties).toEqual([]);
      expect(item("4.1")?.difficulties).toEqual([]);
    });

    it("proposals are report texts asking for something, with or without diacritics", async () => {
      const draft = await view.reportDraft(seed.orgId, seed.directiveId);
      const item = (ref: string) => draft?.items.find((i) => i.ref === ref);
      expect(item("3")?.proposals.map((p) => p.text)).toEqual(["vướng kinh phí, đề nghị UBND hỗ trợ"]);
      expect(item("4.1")?.proposals).toMatchObject([{ unitName: CCB, text: "đang làm, kiến nghị UBND thị xã sớm giải quyết chế độ" }]);
      expect(item("7")?.proposals.map((p) => p.text)).toEqual(["dang lam, de nghi bo sung kinh phi"]);
      expect(item("1")?.proposals).toEqual([]);
      expect(item("6.2")?.proposals).toEqual([]);
    });
  });
});
