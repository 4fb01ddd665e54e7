/**
 * End to end through the simulator channel over HTTP, against the real store (PostgreSQL, so
 * concurrent requests really run at once): linking, reports by ref / quote / free text,
 * leader queries, refusals, duplicates, extensions, bad input.
 */
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../src/domain/index.ts";
import { createIntake } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { buildApp } from "../../src/http/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { simHeaders, simulatorRig, type SimulatorRig } from "../support/simulator.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

const SEED = readFileSync(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");

interface SimReply {
  messageId: string;
  threadId: string;
  text: string;
}

describe("chat through the simulator", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let sim: SimulatorRig;
  let orgId: string;
  let officeToken: string;
  const clock = new FakeClock("2020-06-20T01:00:00Z"); // 08:00, Saturday 20 June 2020
  let seq = 0;

  async function send(senderId: string, text: string, extra: Record<string, string> = {}): Promise<SimReply[]> {
    const res = await app.inject({ method: "POST", url: "/api/simulator/messages", headers: simHeaders(), payload: { senderId, text, messageId: `m-${++seq}`, ...extra } });
    expect(res.statusCode).toBe(200);
    return res.json<{ replies: SimReply[] }>().replies;
  }
  const all = (replies: SimReply[]) => replies.map((r) => r.text).join("\n");

  interface InboxMessage {
    kind: string;
    status: string;
    text: string;
  }
  /** What a simulator user received, once something matching `want` is there (or after 5 s). */
  async function inboxUntil(senderId: string, want: (m: InboxMessage) => boolean): Promise<InboxMessage[]> {
    for (const end = Date.now() + 5_000; ; ) {
      const res = await app.inject({ url: `/api/simulator/inbox?senderId=${senderId}`, headers: simHeaders() });
      const found = res.json<{ inbox: InboxMessage[] }>().inbox.filter(want);
      if (found.length > 0 || Date.now() > end) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function unitId(name: string): Promise<string> {
    const unit = (await store.units.list(orgId)).find((u) => u.name === name);
    if (!unit) throw new Error(`no unit ${name}`);
    return unit.id;
  }
  async function assignment(ref: string, unitName: string) {
    const uid = await unitId(unitName);
    const row = (await store.tracking.board(orgId, localDay(clock.now()))).find((r) => r.item.ref === ref && r.unit.id === uid);
    if (!row) throw new Error(`no assignment ${ref} ${unitName}`);
    return row.assignment;
  }
  async function person(name: string, roles: ("cadre" | "leader" | "office")[], simulatorId: string, units: string[] = []) {
    const p = await store.persons.create({ orgId, fullName: name, roles });
    for (const u of units) await store.persons.addMembership({ orgId, personId: p.id, unitId: await unitId(u), role: "head" });
    const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: simulatorId });
    await store.chats.linkIdentity(orgId, identity.id, p.id, clock.now());
    return p;
  }

  beforeAll(async () => {
    test = await createMigratedDatabase("postgres");
    store = createStore(test.database.db);
    const org = await store.orgs.create({ slug: "sim-ward", name: "Đảng ủy phường mô phỏng" });
    orgId = org.id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    const { directive } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
    await intake.activate(orgId, directive.id, "test", { confirm: "all" });
    sim = await simulatorRig({ store, clock, orgId });
    const conversation = sim.conversation;
    app = await buildApp({
      logger: false,
      probes: [],
      office: { intake, authenticate: (t) => store.access.byToken(t), issueLinkCode: (o, p, a) => conversation.issueLinkCode(o, p, a) },
      channelPlugins: [sim.plugin],
    });
    const office = await person("Chánh Văn phòng", ["office"], "vanphong");
    officeToken = `Bearer ${(await store.access.createToken({ orgId, personId: office.id })).token}`;
    await person("Nguyễn Tiến Giang", ["leader"], "lanhdao");
    await person("Trần Văn Bình", ["cadre"], "canbo-ccb", ["Hội Cựu chiến binh"]);
    await person("Lê Thị Hoa", ["cadre"], "canbo-2dv", ["Hội Liên hiệp Phụ nữ", "Hội Nông dân"]);
  });
  afterAll(async () => {
    await app.close();
    await sim.close();
    await test.drop();
  });

  it("asks an unknown account to link, and links it with a one-time code (5 wrong tries an hour at most)", async () => {
    const before = (await store.tracking.reports(orgId, (await assignment("6.1", "Đoàn TNCS Hồ Chí Minh")).id)).length;
    expect(all(await send("zalo-moi", "bc 6.1 xong"))).toMatch(/chưa được liên kết/);
    expect((await store.tracking.reports(orgId, (await assignment("6.1", "Đoàn TNCS Hồ Chí Minh")).id)).length).toBe(before);

    const cadre = await store.persons.create({ orgId, fullName: "Phạm Minh Đức", roles: ["cadre"] });
    await store.persons.addMembership({ orgId, personId: cadre.id, unitId: await unitId("Đoàn TNCS Hồ Chí Minh") });
    const issued = await app.inject({ method: "POST", url: `/api/persons/${cadre.id}/link-codes`, headers: { authorization: officeToken } });
    expect(issued.statusCode).toBe(201);
    const { code, display, instructions } = issued.json<{ code: string; display: string; instructions: string }>();
    expect(code).toMatch(/^\d{12}$/);
    expect(display).toBe(code.replace(/(\d{4})(?=\d)/g, "$1 "));
    expect(instructions).toContain(`/dangky ${display}`);

    const wrong = code === "000000000000" ? "111111111111" : "000000000000";
    for (let i = 0; i < 5; i++) expect(all(await send("zalo-doan", `/dangky ${wrong}`))).toMatch(/Mã không đúng hoặc đã hết hạn/);
    expect(all(await send("zalo-doan", `/dangky ${code}`))).toMatch(/sai mã quá 5 lần/);
    clock.advance(61 * 60_000);
    // Typed the way the instructions show it, grouped by four.
    expect(all(await send("zalo-doan", `Đăng ký ${display} ạ`))).toMatch(/Đã liên kết tài khoản với Phạm Minh Đức \(Đoàn TNCS Hồ Chí Minh\)/);
    // Single use: another account cannot take the same code.
    expect(all(await send("zalo-khac", `/dangky ${code}`))).toMatch(/Mã không đúng/);
    clock.set("2020-06-20T01:00:00Z");
  });

  it("records a report with an explicit ref and acknowledges unit, item, status, due and timing", async () => {
    const replies = await send("zalo-doan", "bc 6.1 xong");
    const text = all(replies);
    expect(text).toContain("Đoàn TNCS Hồ Chí Minh · NV 6.1");
    expect(text).toContain("hoàn thành");
    expect(text).toContain("Hạn: 30/06/2020 — đúng hạn");
    expect((await assignment("6.1", "Đoàn TNCS Hồ Chí Minh")).status).toBe("done");
  });

  it("takes NFD input and a report by replying to the bot's message", async () => {
    const first = await send("canbo-ccb", "Báo cáo nhiệm vụ 6.2: đang làm 50%".normalize("NFD"));
    expect(all(first)).toContain("Hội Cựu chiến binh · NV 6.2");
    expect(all(first)).toContain("đang thực hiện 50%");
    const ack = first[0];
    if (!ack) throw new Error("no ack");
    // Talk about another item, so only the quote can point back at 6.2.
    expect(all(await send("canbo-ccb", "bc 1 đang triển khai"))).toContain("NV 1");
    const quoted = await send("canbo-ccb", "xong rồi ạ", { replyToMessageId: ack.messageId });
    expect(all(quoted)).toContain("NV 6.2");
    expect(await assignment("6.2", "Hội Cựu chiến binh")).toMatchObject({ status: "done", percent: 100 });
    expect((await assignment("1", "Hội Cựu chiến binh")).status).toBe("in_progress");
  });

  it("asks to confirm an item guessed from free text, then records it on 'có'", async () => {
    // Items 5 and 8 both speak of "phối hợp": too close to pick one without asking.
    const question = all(await send("canbo-ccb", "đang phối hợp ạ"));
    expect(question).toMatch(/^Có phải đồng chí báo cáo NV (\S+) \(TB 05\/6\) /);
    const ref = /^Có phải đồng chí báo cáo NV (\S+) /.exec(question)?.[1] ?? "";
    const confirmed = all(await send("canbo-ccb", "có ạ"));
    // A question left unanswered is dropped by the next message: a late "có" records nothing.
    // (A fresh thread, so "the last item asked" of the first thread plays no part.)
    const other = { threadId: "ccb-khac", threadKind: "group" };
    expect(all(await send("canbo-ccb", "đang phối hợp ạ", other))).toMatch(/^Có phải đồng chí báo cáo NV/);
    expect(all(await send("canbo-ccb", "/trogiup", other))).toMatch(/Các lệnh đồng chí có thể dùng/);
    expect(all(await send("canbo-ccb", "có", other))).not.toMatch(/Đã ghi nhận/);
    expect(confirmed).toContain(`NV ${ref}`);
    expect((await assignment(ref, "Hội Cựu chiến binh")).status).toBe("in_progress");
  });

  it("asks a cadre of two units which unit, and records for the chosen one", async () => {
    const question = all(await send("canbo-2dv", "bc 6.2 xong"));
    expect(question).toMatch(/đơn vị nào/);
    expect(question).toMatch(/1\. Hội Liên hiệp Phụ nữ/);
    expect(question).toMatch(/2\. Hội Nông dân/);
    expect(all(await send("canbo-2dv", "2"))).toContain("Hội Nông dân · NV 6.2");
    expect((await assignment("6.2", "Hội Nông dân")).status).toBe("done");
    expect((await assignment("6.2", "Hội Liên hiệp Phụ nữ")).status).toBe("not_reported");
  });

  it("takes the unit from a group thread bound to one unit instead of asking", async () => {
    const group = await store.chats.upsertThread({ orgId, channel: "simulator", externalId: "nhom-hoi-nong-dan", kind: "group" });
    await store.chats.bindThread(orgId, group.id, await unitId("Hội Nông dân"));
    const replies = await send("canbo-2dv", "bc 1 đang xây dựng kế hoạch 40%", { threadId: "nhom-hoi-nong-dan", threadKind: "group" });
    expect(all(replies)).toContain("Hội Nông dân · NV 1");
    expect(replies[0]?.threadId).toBe("nhom-hoi-nong-dan");
    expect(await assignment("1", "Hội Nông dân")).toMatchObject({ status: "in_progress", percent: 40 });
    expect((await assignment("1", "Hội Liên hiệp Phụ nữ")).status).toBe("not_reported");
  });

  it("answers leaders: status overall, per item, per unit by alias, overdue and unreported", async () => {
    const overall = all(await send("lanhdao", "/tinhhinh"));
    expect(overall).toMatch(/^Tình hình đến 20\/06\/2020: 1 văn bản, \d+ lượt giao\.\n\d+ hoàn thành/);
    expect(overall).toMatch(/\n• TB 05\/6: \d+\/\d+ xong/);
    const item = all(await send("lanhdao", "tinh hinh nv 6.2"));
    expect(item).toMatch(/^NV 6\.2 \(TB 05\/6\) /);
    expect(item).toMatch(/\n• Hội Cựu chiến binh: hoàn thành/);
    expect(item).toMatch(/\n• Hội Liên hiệp Phụ nữ: chưa báo cáo/);
    // A parent number covers its sub-points: "nv 6" is 6.1 and 6.2, and never 16 or 6 of nothing.
    const parent = all(await send("lanhdao", "tinh hinh nv 6"));
    expect(parent).toMatch(/^NV 6 \(TB 05\/6\) .* — gồm NV 6\.1, 6\.2: /);
    expect(parent).toMatch(/· NV 6\.1: /);
    expect(parent).toMatch(/• Hội Cựu chiến binh · NV 6\.2: hoàn thành/);
    expect(parent).not.toMatch(/NV [1-57-9]\b/);
    const unit = all(await send("lanhdao", "tình hình hội CCB ạ"));
    expect(unit).toMatch(/^Việc của Hội Cựu chiến binh/);
    expect(unit).not.toContain("Hội Nông dân ·");
    clock.set("2020-07-03T01:00:00Z");
    const overdue = all(await send("lanhdao", "những việc quá hạn"));
    expect(overdue).toMatch(/^Quá hạn: \d+ việc của \d+ đơn vị, lâu nhất trước:/);
    expect(overdue).toMatch(/\n• Hội Liên hiệp Phụ nữ: \d+ việc \(TB 05\/6: NV [^)]*6\.2[^)]*\), lâu nhất \d+ ngày/);
    expect(overdue).not.toMatch(/Hội Cựu chiến binh: .*6\.2/);
    const unreported = all(await send("vanphong", "ai chưa báo cáo nv 6.2"));
    expect(unreported).toMatch(/^Chưa báo cáo NV 6\.2: \d+ đơn vị, \d+ việc\./);
    expect(unreported).toContain("Hội Liên hiệp Phụ nữ");
    expect(unreported).not.toContain("Hội Nông dân");
    clock.set("2020-06-20T01:00:00Z");
  });

  it("refuses a cadre a leader command, and a leader a cadre report", async () => {
    expect(all(await send("canbo-ccb", "/tinhhinh"))).toBe("Chức năng này dành cho lãnh đạo và văn phòng.");
    expect(all(await send("lanhdao", "bc 6 xong"))).toBe("Chức năng này dành cho cán bộ các đơn vị.");
    expect(all(await send("canbo-ccb", "/thongbao họp lúc 8h"))).toBe("Chức năng này dành cho văn phòng.");
  });

  it("records the same message id once when it arrives twice at the same moment", async () => {
    const target = await assignment("6.2", "Hội Liên hiệp Phụ nữ");
    const payload = { senderId: "canbo-2dv", text: "bc 6.2 đang làm 30%", messageId: "dup-1" };
    const [a, b] = await Promise.all([
      app.inject({ method: "POST", url: "/api/simulator/messages", headers: simHeaders(), payload }),
      app.inject({ method: "POST", url: "/api/simulator/messages", headers: simHeaders(), payload }),
    ]);
    expect([a?.statusCode, b?.statusCode]).toEqual([200, 200]);
    const counts = [a, b].map((r) => r?.json<{ replies: SimReply[] }>().replies.length ?? 0).sort();
    expect(counts[0]).toBe(0);
    expect(counts[1]).toBeGreaterThan(0);
    // 6.2 of Hội Nông dân is done: the report goes to the open one, Hội Liên hiệp Phụ nữ, once.
    expect(all([a, b].flatMap((r) => r?.json<{ replies: SimReply[] }>().replies ?? []))).toContain("Hội Liên hiệp Phụ nữ · NV 6.2");
    expect(await store.tracking.reports(orgId, target.id)).toHaveLength(1);
  });

  it("notifies office and leaders of a blocked report, and lets a leader approve an extension", async () => {
    expect(all(await send("canbo-ccb", "bc 3 vướng kinh phí tổ chức"))).toContain("vướng mắc");
    // Office and leader are told: the alert reaches each one's inbox (delivered by the worker).
    for (const who of ["vanphong", "lanhdao"]) {
      const alerts = await inboxUntil(who, (m) => m.kind === "alert" && m.text.includes("vướng mắc"));
      expect(alerts).toHaveLength(1);
      expect(alerts[0]?.text).toContain("kinh phí");
    }

    // Hội Nông dân has finished 6.2: the extension is for the open assignment, Hội Liên hiệp Phụ nữ's.
    expect(all(await send("canbo-2dv", "/giahan 6.2 15/7/2020 chờ số liệu thống kê"))).toMatch(/Đã gửi đề nghị gia hạn NV 6.2 \(TB 05\/6\) của Hội Liên hiệp Phụ nữ đến 15\/07\/2020/);
    expect(all(await send("canbo-ccb", "duyệt gia hạn 6.2"))).toBe("Chức năng này dành cho lãnh đạo.");
    expect(all(await send("lanhdao", "duyệt gia hạn 6.2"))).toContain("Đã duyệt gia hạn NV 6.2 (Hội Liên hiệp Phụ nữ) đến 15/07/2020");
    expect((await assignment("6.2", "Hội Liên hiệp Phụ nữ")).dueDate).toBe("2020-07-15");
    expect(all(await send("lanhdao", "duyệt gia hạn 6.2"))).toMatch(/Không có đề nghị gia hạn nào đang chờ/);
  });

  it.each([
    ["empty text", "", /^Văn phòng Đảng ủy đã nhận tin của đồng chí\. Để báo cáo, gõ số nhiệm vụ và kết quả/],
    ["emoji only", "👍🙏🎉", /^Văn phòng Đảng ủy đã nhận tin của đồng chí\. Để báo cáo/],
    ["control characters", "\u0001\u0002\u0007", /^Văn phòng Đảng ủy đã nhận tin của đồng chí\./],
    ["10,000 characters", "a ".repeat(5_000), /chưa rõ ý đồng chí|nhiệm vụ nào/],
    ["an unknown item number", "bc 99 xong", /Không có nhiệm vụ số 99/],
    ["a date that does not exist", "/giahan 6.2 31/2/2020", /không có thật/],
  ])("answers %s helpfully in Vietnamese and records nothing wrong", async (_what, text, expected) => {
    const target = await assignment("6.2", "Hội Cựu chiến binh");
    const reportsBefore = (await store.tracking.reports(orgId, target.id)).length;
    const extensionsBefore = (await store.tracking.pendingExtensions(orgId)).length;
    const replies = await send("canbo-ccb", text);
    expect(replies.length).toBeGreaterThan(0);
    expect(all(replies)).toMatch(expected);
    expect((await store.tracking.reports(orgId, target.id)).length).toBe(reportsBefore);
    expect((await store.tracking.pendingExtensions(orgId)).length).toBe(extensionsBefore);
  });

  it("refuses malformed simulator bodies with a 400", async () => {
    for (const payload of [{}, { senderId: "x" }, { text: "hi" }, { senderId: "", text: "x" }, { senderId: "x", text: "y", extra: 1 }]) {
      const res = await app.inject({ method: "POST", url: "/api/simulator/messages", headers: simHeaders(), payload });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ message: string }>().message).toMatch(/không hợp lệ/);
    }
  });
});
