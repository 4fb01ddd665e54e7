/**
 * The office pages for people, groups, broadcasts and activity (issue 8 §4, §5, §7), through
 * Fastify inject against a real PGlite database: office changes things, a leader only reads,
 * every form needs its CSRF token, and names typed by people are escaped.
 */
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBroadcasts, createConversation, createGroups, createDirectory, createIntake, createOrgSettings, createWebAuth, type PasswordHasher } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import type { Unit } from "../../src/domain/entities.ts";
import { buildApp } from "../../src/http/index.ts";
import { webModules } from "../../src/main/web-modules.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { csrfOf, WebClient } from "../support/web.ts";

const SEED = readFileSync(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");
const PASSWORD = "mat-khau-du-dai";
const EVIL = "<script>alert(1)</script> Lê Văn Tư";
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** Fast and obviously fake: the argon2 hasher is tested in web-auth.test.ts. */
const hasher: PasswordHasher = { hash: async (p) => `h:${p}`, verify: async (h, p) => h === `h:${p}` };

describe("office pages: people, groups, broadcasts, activity", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let orgId: string;
  let office: WebClient;
  let leader: WebClient;
  let leaderId: string;
  let ccb: Unit;
  let cadreId = "";
  let groupId = "";
  let otherGroupId = "";
  let broadcastId = "";
  let conversation: ReturnType<typeof createConversation>;
  const clock = new FakeClock("2020-06-20T01:00:00Z");

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "web-office", name: "Đảng ủy phường 7" })).id;
    const intake = createIntake({ store, clock });
    const { directive } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
    await intake.activate(orgId, directive.id, "test", { confirm: "all" });
    ccb = (await store.units.list(orgId)).find((u) => u.key === "hoi-ccb")!;
    conversation = createConversation({ store, clock, messengerPage: "dondoc.phuong" });
    const deps = {
      store,
      clock,
      intake,
      directory: createDirectory({ store, clock }),
      conversation,
      broadcasts: createBroadcasts({ store, clock }),
      groups: createGroups({ store, clock }),
      settings: createOrgSettings({ store, clock }),
      messengerPage: "dondoc.phuong",
    };
    const auth = createWebAuth({ store, clock, hasher });
    app = await buildApp({ logger: false, probes: [], web: { auth, modules: webModules(deps) } });
    for (const [login, role] of [
      ["vanphong", "office"],
      ["lanhdao", "leader"],
    ] as const) {
      const person = await store.persons.create({ orgId, fullName: role === "office" ? "Nguyễn Thị Văn Phòng" : "Trần Lãnh Đạo", roles: [role] });
      await auth.createAccount({ orgId, personId: person.id, login, password: PASSWORD });
      if (role === "leader") leaderId = person.id;
    }
    office = new WebClient(app);
    leader = new WebClient(app);
    expect((await office.signIn("vanphong", PASSWORD)).statusCode).toBe(303);
    clock.advance(60_000);
    expect((await leader.signIn("lanhdao", PASSWORD)).statusCode).toBe(303);
    clock.advance(60_000);
  });
  afterAll(async () => {
    await app.close();
    await test.drop();
  });

  it("sends an anonymous visitor to the sign-in page", async () => {
    for (const url of ["/people", "/groups", "/broadcasts", "/broadcasts/new", "/activity"]) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
  });

  it("adds a unit with other names, then one more name", async () => {
    const added = await office.post("/units", { name: "Tổ dân phố 3", aliases: "TDP3, Tổ 3" }, { csrfFrom: "/people" });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe("/people?ok=unit");
    const unit = (await store.units.list(orgId)).find((u) => u.name === "Tổ dân phố 3")!;
    expect(await store.units.aliases(orgId, unit.id)).toEqual(["TDP3", "Tổ 3"]);

    const alias = await office.post(`/units/${unit.id}/aliases`, { alias: "Khu phố 3" }, { csrfFrom: "/people" });
    expect(alias.statusCode).toBe(303);
    const taken = await office.post(`/units/${unit.id}/aliases`, { alias: "tdp3" }, { csrfFrom: "/people" });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain("đã dùng cho đơn vị");
    const twice = await office.post("/units", { name: "tổ dân phố 3" }, { csrfFrom: "/people" });
    expect(twice.statusCode).toBe(422);

    const page = await office.get("/people?ok=alias");
    expect(page.body).toContain("Đã thêm tên gọi khác.");
    expect(page.body).toMatch(/<td>Tổ dân phố 3<\/td><td>Khu phố 3, TDP3, Tổ 3<\/td>/);
  });

  it("adds a person with roles and units; a name with <script> shows as text", async () => {
    const res = await office.post("/people", { fullName: EVIL, roles: ["cadre", "leader"], units: [ccb.id], membershipRole: "head" }, { csrfFrom: "/people" });
    expect(res.statusCode).toBe(303);
    const person = (await store.persons.list(orgId)).find((p) => p.fullName === EVIL)!;
    cadreId = person.id;
    expect(person.roles).toEqual(["cadre", "leader"]);
    expect(person.memberships).toMatchObject([{ unitId: ccb.id, role: "head" }]);

    const page = await office.get("/people");
    expect(page.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Lê Văn Tư");
    expect(page.body).not.toContain("<script>alert(1)");
    expect(page.body).toContain("Cán bộ đơn vị, Lãnh đạo");
    expect(page.body).toContain(`${ccb.name} (Trưởng)`);
    expect(page.body).toContain("Chưa liên kết");

    const noRole = await office.post("/people", { fullName: "Không vai trò" }, { csrfFrom: "/people" });
    expect(noRole.statusCode).toBe(422);
    expect(noRole.body).toContain("Hãy chọn ít nhất một vai trò.");
  });

  it("issues a link code with the Zalo instruction and the Messenger link as a QR code; the person then shows linked", async () => {
    const res = await office.post(`/people/${cadreId}/link-code`, {}, { csrfFrom: "/people" });
    expect(res.statusCode).toBe(200);
    const shown = /aria-label="Mã liên kết">(\d{4} \d{4} \d{4})</.exec(res.body)?.[1] ?? "";
    expect(shown).toMatch(/^\d{4} \d{4} \d{4}$/);
    const code = shown.replace(/ /g, "");
    expect(res.body).toContain(`Nhắn <strong>/dangky ${shown}</strong> cho tài khoản Zalo của Văn phòng`);
    expect(res.body).toContain("Hết hạn lúc <strong>08:02 23/06/2020</strong>");
    expect(res.body).toContain(`https://m.me/dondoc.phuong?ref=${code}`);
    expect(res.body).toContain('<img src="data:image/png;base64,');
    expect(res.body).toContain("&lt;script&gt;");
    expect(res.body).not.toContain("<script>alert(1)");

    const missing = await office.post("/people/00000000-0000-4000-8000-000000000000/link-code", {}, { csrfFrom: "/people" });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain("Không tìm thấy cán bộ này.");

    // The cadre sends the code from the simulator: the account is linked.
    await conversation.handle({ orgId, channel: "simulator", threadId: "tu", threadKind: "direct", senderId: "tu", senderName: "Tư", messageId: "m-link", text: `/dangky ${code}`, sentAt: clock.now() });
    const page = await office.get("/people");
    expect(page.body).toMatch(/Mô phỏng: Tư · <span class="muted">lần cuối nhắn: 08:02 20\/06\/2020<\/span>/);
  });

  it("binds a Zalo group to a unit and unbinds another", async () => {
    groupId = (await store.chats.upsertThread({ orgId, channel: "zalo", externalId: "g-ccb", kind: "group", title: "Nhóm Hội CCB phường" })).id;
    otherGroupId = (await store.chats.upsertThread({ orgId, channel: "zalo", externalId: "g-other", kind: "group", title: "Nhóm khác" })).id;
    const before = await office.get("/groups");
    expect(before.body).toContain("Nhóm Hội CCB phường");
    expect(before.body).toContain("Chưa gắn");

    const bound = await office.post(`/groups/${groupId}/unit`, { unit: ccb.id }, { csrfFrom: "/groups" });
    expect(bound.statusCode).toBe(303);
    expect(bound.headers.location).toBe("/groups?ok=bound");
    expect((await store.chats.threadById(orgId, groupId))?.unitId).toBe(ccb.id);
    await office.post(`/groups/${otherGroupId}/unit`, { unit: ccb.id }, { csrfFrom: "/groups" });
    const unbound = await office.post(`/groups/${otherGroupId}/unit`, { unit: "" }, { csrfFrom: "/groups" });
    expect(unbound.headers.location).toBe("/groups?ok=unbound");
    expect((await store.chats.threadById(orgId, otherGroupId))?.unitId).toBeNull();

    const after = await office.get("/groups?ok=bound");
    expect(after.body).toContain("Đã gắn nhóm với đơn vị.");
    expect(after.body).toContain(`<option value="${ccb.id}" selected>`);

    const missing = await office.post("/groups/00000000-0000-4000-8000-000000000000/unit", { unit: ccb.id }, { csrfFrom: "/groups" });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain("Không tìm thấy nhóm chat này.");
  });

  it("composes, previews the recipients with their channel without writing, and refuses bad drafts in Vietnamese", async () => {
    const compose = await office.get("/broadcasts/new");
    expect(compose.statusCode).toBe(200);
    expect(compose.body).toContain(`name="units" value="${ccb.id}"`);
    expect(compose.body).toContain(`name="people" value="${cadreId}"`);
    expect(compose.body).toContain(`name="groups" value="${groupId}"`);
    expect(compose.body).toContain('name="notReportedOn"');
    expect(compose.body).toContain('name="everyone"');

    const fields = { kind: "announcement", text: "Họp giao ban 8h thứ Hai", people: [cadreId], groups: [groupId] };
    const preview = await office.post("/broadcasts/preview", fields, { csrfFrom: "/broadcasts/new" });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain("Xem trước: 2 người nhận");
    expect(preview.body).toMatch(/<td>&lt;script&gt;alert\(1\)&lt;\/script&gt; Lê Văn Tư<\/td><td>Cá nhân<\/td><td>Mô phỏng<\/td>/);
    expect(preview.body).toMatch(/<td>Nhóm Hội CCB phường<\/td><td>Nhóm<\/td><td>Zalo<\/td><td[^>]*>📢 Họp giao ban 8h thứ Hai<\/td>/);
    expect(preview.body).toContain('<form method="post" action="/broadcasts">');
    expect(preview.body).toContain(`<input type="hidden" name="people" value="${cadreId}">`);
    expect(await store.broadcasts.list(orgId, 10)).toEqual([]);

    const remind = await office.post("/broadcasts/preview", { kind: "remind", notReportedOn: "*" }, { csrfFrom: "/broadcasts/new" });
    expect(remind.statusCode).toBe(200);
    expect(remind.body).toMatch(/<td>Nhóm Hội CCB phường<\/td><td>Nhóm<\/td><td>Zalo<\/td><td[^>]*>Văn phòng Đảng ủy nhắc /);

    const noText = await office.post("/broadcasts/preview", { kind: "announcement", groups: [groupId] }, { csrfFrom: "/broadcasts/new" });
    expect(noText.statusCode).toBe(422);
    expect(noText.body).toContain("Thiếu nội dung thông báo.");
    const nobody = await office.post("/broadcasts/preview", { kind: "announcement", text: "x" }, { csrfFrom: "/broadcasts/new" });
    expect(nobody.statusCode).toBe(422);
    expect(nobody.body).toContain("Hãy chọn ít nhất một nhóm người nhận.");
    const badItem = await office.post("/broadcasts", { kind: "remind", notReportedOn: "99" }, { csrfFrom: "/broadcasts/new" });
    expect(badItem.statusCode).toBe(422);
    expect(badItem.body).toContain("Không tìm thấy: nhiệm vụ &quot;99&quot;.");
    expect(await store.broadcasts.list(orgId, 10)).toEqual([]);
  });

  it("sends once when the preview's Gửi is pressed twice (its one-time key)", async () => {
    const fields = { kind: "announcement", text: "Nhắc nộp báo cáo tháng", people: [cadreId] };
    const preview = await office.post("/broadcasts/preview", fields, { csrfFrom: "/broadcasts/new" });
    const key = /name="key" value="([0-9a-f-]{36})"/.exec(preview.body)?.[1] ?? "";
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    const before = (await store.broadcasts.list(orgId, 50)).length;
    const first = await office.post("/broadcasts", { ...fields, key }, { csrfFrom: "/broadcasts/new" });
    const second = await office.post("/broadcasts", { ...fields, key }, { csrfFrom: "/broadcasts/new" });
    expect(first.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect((await store.broadcasts.list(orgId, 50)).length).toBe(before + 1);
    // A new preview gives a new key: sending the same text again on purpose still works.
    const again = await office.post("/broadcasts/preview", fields, { csrfFrom: "/broadcasts/new" });
    expect(/name="key" value="([0-9a-f-]{36})"/.exec(again.body)?.[1]).not.toBe(key);
  });

  it("sends, then shows progress live: counts, rows with reasons, and a refresh only while pending", async () => {
    const sent = await office.post("/broadcasts", { kind: "announcement", text: "Họp giao ban 8h thứ Hai", people: [cadreId], groups: [groupId] }, { csrfFrom: "/broadcasts/new" });
    expect(sent.statusCode).toBe(303);
    broadcastId = UUID.exec(String(sent.headers.location))?.[0] ?? "";
    expect(sent.headers.location).toBe(`/broadcasts/${broadcastId}`);

    const pending = await office.get(`/broadcasts/${broadcastId}`);
    expect(pending.statusCode).toBe(200);
    expect(pending.body).toContain('<strong data-count="pending">2</strong>');
    expect(pending.body).toContain('<meta http-equiv="refresh" content="5">');
    expect(pending.body).toContain(`data-url="/broadcasts/${broadcastId}/progress.json"`);
    // The live refresh is a script of the app's own (no inline script: the CSP forbids it).
    expect(pending.body).toContain('<script src="/assets/broadcast-progress.js" defer></script>');
    expect(pending.body).not.toMatch(/<script>/);
    const script = await office.get("/assets/broadcast-progress.js");
    expect(script.statusCode).toBe(200);
    expect(script.headers["content-type"]).toContain("text/javascript");
    expect(script.body).toContain("setTimeout(tick,2000)");
    const before = (await office.get(`/broadcasts/${broadcastId}/progress.json`)).json<{ counts: Record<string, number> }>();
    expect(before.counts).toEqual({ total: 2, sent: 0, failed: 0, pending: 2 });

    // The delivery worker: the group message goes out, the person's account is unreachable.
    const outbox = (await store.outbound.pending(orgId)).filter((m) => m.broadcastId === broadcastId);
    expect(outbox).toHaveLength(2);
    for (const m of outbox) {
      const ok = m.threadId === groupId;
      await store.outbound.recordDelivery({ orgId, outboundMessageId: m.id, channel: ok ? "zalo" : "simulator", attempt: 1, outcome: ok ? "sent" : "unreachable", attemptedAt: clock.now() });
      await store.outbound.setStatus(orgId, m.id, ok ? "sent" : "failed");
    }
    const after = (await office.get(`/broadcasts/${broadcastId}/progress.json`)).json<{ counts: Record<string, number>; recipients: { name: string; status: string; statusText: string; reason: string }[] }>();
    expect(after.counts).toEqual({ total: 2, sent: 1, failed: 1, pending: 0 });
    expect(after.recipients).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "Nhóm Hội CCB phường", status: "sent", statusText: "Đã gửi" }),
        expect.objectContaining({ name: EVIL, status: "failed", statusText: "Không gửi được", reason: "Không liên lạc được tài khoản này" }),
      ]),
    );

    const done = await office.get(`/broadcasts/${broadcastId}`);
    expect(done.body).not.toContain('http-equiv="refresh"');
    expect(done.body).toContain('<strong data-count="failed">1</strong>');
    expect(done.body).toContain("Không liên lạc được tài khoản này");
    expect(done.body).not.toContain("<script>alert(1)");

    const list = await office.get("/broadcasts");
    expect(list.body).toContain(`href="/broadcasts/${broadcastId}"`);
    expect(list.body).toMatch(/Họp giao ban 8h thứ Hai<\/a><\/td><td>2<\/td><td>1<\/td><td>1<\/td><td>0<\/td>/);
    expect((await office.get("/broadcasts/00000000-0000-4000-8000-000000000000")).statusCode).toBe(404);
  });

  it("shows the activity log in Vietnamese and local time, with failed deliveries, filtered by kind, person and dates", async () => {
    const all = await office.get("/activity");
    expect(all.statusCode).toBe(200);
    for (const what of ["Thêm đơn vị", "Thêm tên gọi khác của đơn vị", "Thêm cán bộ", "Cấp mã liên kết", "Liên kết tài khoản chat", "Gắn nhóm Zalo với đơn vị", "Bỏ gắn nhóm Zalo", "Gửi thông báo", "Đăng nhập trang web", "Kích hoạt theo dõi văn bản"]) {
      expect(all.body).toContain(what);
    }
    expect(all.body).toContain("08:00 20/06/2020");
    expect(all.body).toContain("Tin gửi không thành công");
    expect(all.body).toMatch(/<tr class="warn"><td>08:02 20\/06\/2020<\/td><td>&lt;script&gt;alert\(1\)&lt;\/script&gt; Lê Văn Tư<\/td><td>Mô phỏng<\/td><td>Không liên lạc được tài khoản này<\/td>/);
    expect(all.body).not.toContain("<script>alert(1)");

    const signins = await office.get("/activity?kind=signins");
    expect(signins.body).toContain("Đăng nhập trang web");
    expect(signins.body).not.toContain('data-action="unit.created"');
    expect(signins.body).not.toContain("Tin gửi không thành công");

    const changes = await office.get("/activity?kind=changes");
    expect(changes.body).toContain('data-action="unit.created"');
    expect(changes.body).not.toContain('data-action="web.signin"');

    const failed = await office.get("/activity?kind=failed");
    expect(failed.body).toContain("Tin gửi không thành công");
    expect(failed.body).toContain("Không liên lạc được tài khoản này");

    const byLeader = await office.get(`/activity?person=${leaderId}`);
    expect(byLeader.body.match(/data-action="/g)).toHaveLength(1);
    expect(byLeader.body).toMatch(/<td>Trần Lãnh Đạo<\/td><td>Đăng nhập trang web/);

    const aboutCadre = await office.get(`/activity?person=${cadreId}&kind=changes`);
    expect(aboutCadre.body).toContain('data-action="person.created"');
    expect(aboutCadre.body).toContain('data-action="link_code.issued"');
    expect(aboutCadre.body).not.toContain('data-action="unit.created"');

    const later = await office.get("/activity?from=2020-06-21&to=2020-06-30");
    expect(later.body).toContain("Không có mục nào khớp bộ lọc.");
    expect(later.body).not.toContain('<tr class="warn">');
    const thatDay = await office.get("/activity?from=2020-06-20&to=2020-06-20&kind=signins");
    expect(thatDay.body.match(/data-action="web.signin"/g)).toHaveLength(2);
  });

  it("lets a leader read every page and change nothing", async () => {
    for (const url of ["/people", "/groups", "/broadcasts", "/broadcasts/new", `/broadcasts/${broadcastId}`, `/broadcasts/${broadcastId}/progress.json`, "/activity"]) {
      const res = await leader.get(url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
    }
    const people = await leader.get("/people");
    expect(people.body).not.toContain('action="/units"');
    expect(people.body).not.toContain("/link-code");
    const csrf = csrfOf(people.body);
    const broadcastsBefore = (await store.broadcasts.list(orgId, 50)).length;
    const posts: [string, Record<string, string | string[]>][] = [
      ["/units", { name: "Đơn vị của lãnh đạo" }],
      [`/units/${ccb.id}/aliases`, { alias: "CCB lãnh đạo" }],
      ["/people", { fullName: "Người của lãnh đạo", roles: "cadre" }],
      [`/people/${cadreId}/link-code`, {}],
      [`/groups/${groupId}/unit`, { unit: "" }],
      ["/broadcasts/preview", { kind: "announcement", text: "x", everyone: "1" }],
      ["/broadcasts", { kind: "announcement", text: "x", everyone: "1" }],
    ];
    for (const [url, fields] of posts) {
      const res = await leader.post(url, fields, { csrf });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 403 });
    }
    expect((await store.units.list(orgId)).some((u) => u.name === "Đơn vị của lãnh đạo")).toBe(false);
    expect((await store.chats.threadById(orgId, groupId))?.unitId).toBe(ccb.id);
    expect(await store.broadcasts.list(orgId, 50)).toHaveLength(broadcastsBefore);
  });

  it("refuses a form posted without its CSRF token, even by office", async () => {
    for (const [url, fields] of [
      ["/units", { name: "Không có mã" }],
      ["/people", { fullName: "Không có mã", roles: "cadre" }],
      [`/groups/${groupId}/unit`, { unit: "" }],
      ["/broadcasts", { kind: "announcement", text: "x", everyone: "1" }],
    ] as const) {
      const res = await office.post(url, fields, { csrf: null });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 403 });
    }
    expect((await store.units.list(orgId)).some((u) => u.name === "Không có mã")).toBe(false);
    expect((await store.chats.threadById(orgId, groupId))?.unitId).toBe(ccb.id);
  });
});
