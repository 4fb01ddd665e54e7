/**
 * The activity log in plain Vietnamese (issue 15): no field codes, dates dd/mm/yyyy, extension
 * decisions with item, unit and date, reports with unit, item and status; the date filter typed
 * dd/mm/yyyy (never `<input type="date">`), a bad date refused in Vietnamese.
 */
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../src/domain/index.ts";
import { createBroadcasts, createConversation, createGroups, createDirectory, createIntake, createOrgSettings, createWebAuth } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { buildApp } from "../../src/http/index.ts";
import { webModules } from "../../src/main/web-modules.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { plainHasher, WebClient } from "../support/web.ts";

const SEED = readFileSync(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");
const at = (iso: string) => new Date(iso);

describe("activity: rows in plain Vietnamese", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let office: WebClient;
  const clock = new FakeClock("2020-06-20T01:00:00Z");

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    const orgId = (await store.orgs.create({ slug: "act-vi", name: "Phường nhật ký" })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    const { directive } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
    await intake.activate(orgId, directive.id, "test", { confirm: "all" });
    const { items } = (await store.directives.get(orgId, directive.id))!;
    const board = await store.tracking.board(orgId, localDay(clock.now()));
    const row = board.find((r) => r.item.ref === "6.2" && r.unit.name === "Hội Cựu chiến binh")!;
    const other = board.find((r) => r.assignment.id !== row.assignment.id && r.assignment.dueDate)!;
    const cadre = await store.persons.create({ orgId, fullName: "Phạm Văn Báo", roles: ["cadre"] });
    const leader = await store.persons.create({ orgId, fullName: "Trần Lãnh Đạo", roles: ["leader"] });
    const append = (action: string, entity: string, entityId: string, data: Record<string, unknown>, when: string, actor = `person:${cadre.id}`) =>
      store.audit.append({ orgId, actor, action, entity, entityId, data, at: at(when) });

    // As src/app writes them (chat/reports.ts, chat/commands/decide.ts, intake.ts, planner.ts).
    await append("report.recorded", "assignment", row.assignment.id, { status: "in_progress", percent: 80, count: 12, countNoun: "hộ", occurrenceId: null, messageId: "m-1" }, "2020-06-21T02:00:00Z");
    const ext = await store.tracking.requestExtension({ orgId, assignmentId: row.assignment.id, requestedBy: cadre.id, toDate: "2020-07-15", reason: null });
    await append("extension.requested", "extension", ext.id, { assignmentId: row.assignment.id, toDate: "2020-07-15", fromDate: row.assignment.dueDate }, "2020-06-21T03:00:00Z");
    await append("extension.approved", "extension", ext.id, { assignmentId: row.assignment.id, toDate: "2020-07-15", fromDate: row.assignment.dueDate }, "2020-06-21T04:00:00Z", `person:${leader.id}`);
    // Written before decisions carried their request: the request's entry says what was asked.
    const oldExt = await store.tracking.requestExtension({ orgId, assignmentId: other.assignment.id, requestedBy: cadre.id, toDate: "2020-08-01", reason: null });
    await append("extension.requested", "extension", oldExt.id, { assignmentId: other.assignment.id, toDate: "2020-08-01" }, "2020-06-21T05:00:00Z");
    await append("extension.rejected", "extension", oldExt.id, {}, "2020-06-21T06:00:00Z", `person:${leader.id}`);
    await append("item.edited", "item", items.find((i) => i.ref === "7")!.id, { text: "Nội dung mới", summary: "Tóm tắt mới", dueDate: "2026-12-31", assignees: [{ name: "Hội Cựu chiến binh", role: "lead" }] }, "2020-06-21T07:00:00Z", "office");
    await append("reminders.stopped", "assignment", row.assignment.id, { dueDate: "2020-06-30", overdueDays: 15, stopAfterDays: 14, notified: 2 }, "2020-06-21T08:00:00Z", "system");
    await append("link.failed", "identity", "00000000-0000-4000-8000-000000000001", { reason: "wrong_channel" }, "2020-06-21T09:00:00Z", "identity:x");
    await append("inbound.rejected", "channel", "zalo", { reason: "no sender id" }, "2020-06-21T10:00:00Z", "system");

    const auth = createWebAuth({ store, clock, hasher: plainHasher });
    const person = await store.persons.create({ orgId, fullName: "Văn phòng", roles: ["office"] });
    await auth.createAccount({ orgId, personId: person.id, login: "vanphong", password: "mật khẩu đủ dài" });
    app = await buildApp({
      logger: false,
      probes: [],
      web: { auth, modules: webModules({ store, clock, intake, directory: createDirectory({ store, clock }), conversation: createConversation({ store, clock }), broadcasts: createBroadcasts({ store, clock }), groups: createGroups({ store, clock }), settings: createOrgSettings({ store, clock }), messengerPage: null }) },
    });
    office = new WebClient(app);
    await office.signIn("vanphong", "mật khẩu đủ dài");
  });
  afterAll(async () => {
    await app.close();
    await test.drop();
  });

  /** The log's rows as text (newest first): action code, then the cells. */
  const entries = (body: string) =>
    [...body.matchAll(/<tr data-action="([a-z_.]+)">(.*?)<\/tr>/gs)].map((m) => [m[1] ?? "", (m[2] ?? "").replace(/<\/td><td[^>]*>/g, " | ").replace(/<[^>]+>/g, "")] as const);
  /** The newest row of each action. */
  const rows = (body: string) => new Map(entries(body).reverse());
  const logOf = (body: string) => body.slice(body.indexOf("<h2>Nhật ký"));

  it("shows a report with the unit, the item and the status in Vietnamese", async () => {
    const list = rows((await office.get("/activity?kind=reports")).body);
    expect(list.get("report.recorded")).toBe("09:00 21/06/2020 | Phạm Văn Báo | Báo cáo nhiệm vụ: NV 6.2 (TB 05/6) · Hội Cựu chiến binh | trạng thái: đang thực hiện 80% · số lượng: 12 hộ");
  });

  it("shows extension requests and decisions with the item, the unit and the dates", async () => {
    const list = rows((await office.get("/activity?kind=reports")).body);
    expect(list.get("extension.requested")).toMatch(/^12:00 21\/06\/2020 \| Phạm Văn Báo \| Xin gia hạn: NV [\d.]+ \(TB 05\/6\) · .+ \| xin gia hạn đến 01\/08\/2020$/);
    expect(entries((await office.get("/activity?kind=reports")).body).find(([, line]) => line.startsWith("10:00"))?.[1]).toBe(
      "10:00 21/06/2020 | Phạm Văn Báo | Xin gia hạn: NV 6.2 (TB 05/6) · Hội Cựu chiến binh | xin gia hạn đến 15/07/2020 · hạn cũ: 30/06/2020",
    );
    expect(list.get("extension.approved")).toBe("11:00 21/06/2020 | Trần Lãnh Đạo | Duyệt gia hạn: NV 6.2 (TB 05/6) · Hội Cựu chiến binh | hạn mới: 15/07/2020 · hạn cũ: 30/06/2020");
    expect(list.get("extension.rejected")).toMatch(/^13:00 21\/06\/2020 \| Trần Lãnh Đạo \| Không duyệt gia hạn: NV [\d.]+ \(TB 05\/6\) · .+ \| đề nghị gia hạn đến 01\/08\/2020 không được duyệt$/);
  });

  it("never shows a field code or an ISO date", async () => {
    const page = await office.get("/activity");
    const log = logOf(page.body);
    const list = rows(page.body);
    const edited = list.get("item.edited") ?? "";
    expect(edited).toMatch(/^14:00 21\/06\/2020 \| Văn phòng \| Sửa nhiệm vụ: NV 7 \(TB 05\/6\) \| /);
    for (const part of ["nội dung: Nội dung mới", "tóm tắt: Tóm tắt mới", "hạn: 31/12/2026", "đơn vị thực hiện: Hội Cựu chiến binh (chủ trì)"]) expect(edited).toContain(part);
    expect(list.get("reminders.stopped")).toContain("Dừng nhắc tự động (hạn đã quá lâu): NV 6.2 (TB 05/6) · Hội Cựu chiến binh | hạn: 30/06/2020 · quá hạn 15 ngày");
    expect(list.get("link.failed")).toContain("lý do: mã dành cho kênh chat khác");
    expect(list.get("inbound.rejected")).toContain("Bỏ qua tin nhắn đến không hợp lệ");
    expect(list.get("inbound.rejected")).toContain("lý do: thiếu người gửi");
    for (const code of ["text:", "summary:", "dueDate:", "toDate:", "status:", "reason:", "assignees:", "in_progress", "wrong_channel", "no sender id"]) expect(log).not.toContain(code);
    expect(log).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    for (const [action, line] of list) expect(line, action).not.toContain(action);
  });

  it("filters by dates typed dd/mm/yyyy (d/m/yyyy too) in text fields, never <input type=date>", async () => {
    const page = await office.get("/activity?from=21/6/2020&to=21/06/2020&kind=reports");
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('type="date"');
    expect(page.body).toMatch(/<input type="text" name="from" value="21\/06\/2020" inputmode="numeric" pattern="[^"]+" placeholder="dd\/mm\/yyyy"/);
    expect(page.body).toContain('name="to" value="21/06/2020"');
    expect(entries(page.body)).toHaveLength(5);
    expect(entries((await office.get("/activity?from=22/06/2020&kind=reports")).body)).toHaveLength(0);
    // An older link's YYYY-MM-DD still works, shown back as dd/mm/yyyy.
    const iso = await office.get("/activity?from=2020-06-21&to=2020-06-21&kind=reports");
    expect(entries(iso.body)).toHaveLength(5);
    expect(iso.body).toContain('name="from" value="21/06/2020"');
  });

  it("refuses a date that does not exist in Vietnamese, keeping what was typed", async () => {
    const page = await office.get("/activity?from=31/02/2020&kind=reports");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Từ ngày “31/02/2020” không hợp lệ. Đề nghị nhập theo dạng ngày/tháng/năm, ví dụ 30/06/2020.");
    expect(page.body).toContain('name="from" value="31/02/2020"');
  });
});
