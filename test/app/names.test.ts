/**
 * Short names people use in chat: a directive's ("TB 05/6", "KH 12") and an item's label, made
 * at intake, unique in the org, editable by the office in any status; and the selector typed in a
 * message that picks one directive.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIntake, IntakeError, type Store } from "../../src/app/index.ts";
import { directiveName, findDirectiveSelector, fold, itemName, makeItemLabel, pickDirective } from "../../src/domain/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { SEED } from "../support/board-seed.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

describe("directive names", () => {
  it.each([
    [{ docType: "Thông báo kết luận", number: null, issuedDate: "2020-06-05" }, "TB 05/6"],
    [{ docType: "Kế hoạch", number: "12-KH/ĐU", issuedDate: "2020-06-10" }, "KH 12"],
    [{ docType: "Công văn", number: "6202/UBND-NN", issuedDate: null }, "CV 6202"],
    [{ docType: "Quyết định", number: "05/QĐ-UBND", issuedDate: null }, "QĐ 05"],
    [{ docType: null, number: null, issuedDate: null }, "VB"],
  ])("%o is called %s", (d, name) => {
    expect(directiveName({ ...d, shortName: null })).toBe(name);
    expect(directiveName({ ...d, shortName: " Chủ nhật xanh " })).toBe("Chủ nhật xanh");
  });

  it("finds a selector typed in a message and takes it out, but not a report's 'bc 6.2'", () => {
    expect(findDirectiveSelector("tình hình TB05 nv 6")).toEqual({ selector: "tb05", rest: "tình hình nv 6" });
    expect(findDirectiveSelector("/nhacnho KH 12 2")).toEqual({ selector: "kh 12", rest: "/nhacnho 2" });
    expect(findDirectiveSelector("bc 6.2 xong 245 hội viên")).toBeNull();
    expect(findDirectiveSelector("tình hình hội CCB")).toBeNull();
  });

  it("picks one directive by exact name or a unique prefix, never one of several", () => {
    const ds = [
      { id: "a", name: "TB 05/6" },
      { id: "b", name: "TB 05/6 (2)" },
      { id: "c", name: "KH 12" },
    ];
    expect(pickDirective("tb 05/6", ds)?.id).toBe("a");
    expect(pickDirective("kh12", ds)?.id).toBe("c");
    expect(pickDirective("kh", ds)?.id).toBe("c");
    expect(pickDirective("tb", ds)).toBeNull();
    expect(pickDirective("cv 3", ds)).toBeNull();
  });

  it("makes item labels cut between words, before a function word, never on one", () => {
    expect(makeItemLabel("Đoàn TNCS Hồ Chí Minh phường hoàn thành việc kiện toàn nhân sự Phó Bí thư Đoàn phường")).toBe("Kiện toàn nhân sự Phó Bí thư Đoàn phường");
    expect(makeItemLabel("Tiếp tục quan tâm xây dựng, củng cố tổ chức của Mặt trận và các Đoàn thể")).toBe("Xây dựng, củng cố tổ chức của Mặt trận");
    expect(makeItemLabel("Tăng cường công tác tuyên truyền, vận động các tầng lớp nhân dân")).toBe("Tăng cường công tác tuyên truyền");
    expect(makeItemLabel("Treo cờ Tổ quốc")).toBe("Treo cờ Tổ quốc");
    for (const s of ["Riêng đối với kiến nghị của Hội CCB phường về đề nghị giải quyết chế độ mai táng phí cho hội viên…", "Mặt trận các đoàn thể CTXH chủ động xây dựng Kế hoạch tổ chức triển khai thực hiện các nhiệm vụ còn…"]) {
      const label = makeItemLabel(s);
      expect(label.length).toBeLessThanOrEqual(48);
      expect(label).not.toMatch(/…|\s(của|và|các|cho|trong|về)$/u);
      expect(fold(s)).toContain(fold(label));
    }
    expect(itemName({ item: { ref: "6.2", label: null, summary: "Các đoàn thể CTXH phường hoàn thành việc rà soát, thống kê số liệu" }, directive: { shortName: null, docType: "Thông báo", number: null, issuedDate: "2020-06-05" } })).toBe("NV 6.2 (TB 05/6) Rà soát, thống kê số liệu");
  });
});

describe("names at intake and by the office", () => {
  let test: TestDatabase;
  let store: Store;
  let orgId: string;
  const intake = () => createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "names", name: "Phường tên" })).id;
  });
  afterAll(async () => {
    await test.drop();
  });

  it("names each imported directive once in the org and labels its items", async () => {
    const first = await intake().importDirective({ orgId, text: SEED, actor: "test" });
    expect(first.directive.shortName).toBe("TB 05/6");
    const second = await intake().importDirective({ orgId, text: `${SEED}\n\nLưu VP.`, actor: "test" });
    expect(second.directive.shortName).toBe("TB 05/6 (2)");
    const items = (await store.directives.get(orgId, first.directive.id))?.items ?? [];
    expect(items.find((i) => i.ref === "6.1")?.label).toBe("Kiện toàn nhân sự Phó Bí thư Đoàn phường");
  });

  it("lets the office rename a directive and relabel an item, refusing a taken or empty name in Vietnamese", async () => {
    const all = await store.directives.list(orgId);
    const a = all.find((d) => d.shortName === "TB 05/6");
    const b = all.find((d) => d.shortName === "TB 05/6 (2)");
    const item = (await store.directives.get(orgId, a!.id))?.items[0];
    const renamed = await intake().rename(orgId, a!.id, { shortName: "Chủ nhật xanh", labels: { [item!.id]: "Kế hoạch 6 tháng cuối năm" } }, "office");
    expect(renamed.directive.shortName).toBe("Chủ nhật xanh");
    expect(renamed.items[0]?.label).toBe("Kế hoạch 6 tháng cuối năm");
    await expect(intake().rename(orgId, b!.id, { shortName: "chu nhat xanh" }, "office")).rejects.toMatchObject({ code: "duplicate_name", status: 409, messageVi: 'Tên "chu nhat xanh" đã dùng cho văn bản khác.' });
    await expect(intake().rename(orgId, b!.id, { shortName: " / " }, "office")).rejects.toMatchObject({ code: "invalid_name", status: 400 });
    await expect(intake().rename(orgId, b!.id, { labels: { [item!.id]: "x" } }, "office")).rejects.toBeInstanceOf(IntakeError);
    expect((await store.directives.get(orgId, b!.id))?.directive.shortName).toBe("TB 05/6 (2)");
    expect((await store.audit.list(orgId, { limit: 100 })).some((e) => e.action === "directive.renamed")).toBe(true);
  });
});
