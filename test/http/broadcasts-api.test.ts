import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBroadcasts, createIntake, createOrgSettings } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { buildApp } from "../../src/http/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

const SEED = readFileSync(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

interface View {
  id: string;
  kind: string;
  text: string;
  counts: { total: number; sent: number; failed: number; pending: number };
  recipients: { name: string | null; channel: string | null; status: string; via: string | null; error: string | null; at: string | null }[];
}

describe("broadcasts and settings API", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let office: string;
  let leader: string;
  let orgId: string;
  let officeId: string;
  const clock = new FakeClock("2020-06-20T01:00:00Z");

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    app = await buildApp({
      logger: false,
      probes: [],
      office: {
        intake,
        authenticate: (token) => store.access.byToken(token),
        broadcasts: createBroadcasts({ store, clock }),
        settings: createOrgSettings({ store, clock }),
      },
    });
    orgId = (await store.orgs.create({ slug: "bc-api", name: "Phường API thông báo" })).id;
    const { directive } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
    await intake.activate(orgId, directive.id, "test", { confirm: "all" });
    const token = async (fullName: string, roles: ("office" | "leader")[]) => {
      const person = await store.persons.create({ orgId, fullName, roles });
      return { id: person.id, header: `Bearer ${(await store.access.createToken({ orgId, personId: person.id })).token}` };
    };
    const o = await token("Văn phòng", ["office"]);
    office = o.header;
    officeId = o.id;
    leader = (await token("Lãnh đạo", ["leader"])).header;

    // Two linked cadres of Hội CCB, one on Messenger.
    const ccb = (await store.units.list(orgId)).find((u) => u.key === "hoi-ccb");
    for (const [name, channel, ext] of [["Trần Văn An", "messenger", "an"], ["Ngô Giang", "simulator", "giang"]] as const) {
      const p = await store.persons.create({ orgId, fullName: name, roles: ["cadre"] });
      await store.persons.addMembership({ orgId, personId: p.id, unitId: ccb?.id ?? "" });
      const identity = await store.chats.upsertIdentity({ orgId, channel, externalId: ext, lastInboundAt: clock.now() });
      await store.chats.linkIdentity(orgId, identity.id, p.id, clock.now());
    }
  });
  afterAll(async () => {
    await app.close();
    await test.drop();
  });

  const post = (payload: unknown, authorization = office) => app.inject({ method: "POST", url: "/api/broadcasts", headers: { authorization }, payload: payload as object });

  it("POST /api/broadcasts queues it: 201 with id and recipients; GET shows it per recipient", async () => {
    const res = await post({ text: "Họp giao ban 8h thứ Hai", targets: { units: ["Hội CCB"] } });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: string; recipients: number }>();
    expect(body).toEqual({ id: expect.any(String), recipients: 2 });
    // Defaults to an announcement, by the caller.
    expect(await store.broadcasts.get(orgId, body.id)).toMatchObject({ kind: "announcement", text: "Họp giao ban 8h thứ Hai", createdBy: officeId, targets: { units: ["Hội CCB"] } });

    const rows = await store.broadcasts.recipients(orgId, body.id);
    const an = rows.find((r) => r.personName === "Trần Văn An");
    await store.outbound.recordDelivery({ orgId, outboundMessageId: an?.outboundMessageId ?? "", channel: "messenger", attempt: 1, outcome: "sent", attemptedAt: new Date("2020-06-20T01:05:00Z") });

    const got = await app.inject({ url: `/api/broadcasts/${body.id}`, headers: { authorization: office } });
    expect(got.statusCode).toBe(200);
    const view = got.json<View>();
    expect(view).toMatchObject({ id: body.id, kind: "announcement", text: "Họp giao ban 8h thứ Hai" });
    expect(view.counts).toEqual({ total: 2, sent: 1, failed: 0, pending: 1 });
    expect(view.recipients.map((r) => `${r.name} ${r.channel} ${r.status}`).sort()).toEqual(["Ngô Giang simulator pending", "Trần Văn An messenger sent"]);
    expect(view.recipients.find((r) => r.name === "Trần Văn An")?.at).toBe("2020-06-20T01:05:00.000Z");

    const list = await app.inject({ url: "/api/broadcasts", headers: { authorization: office } });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ broadcasts: { id: string }[] }>().broadcasts.map((b) => b.id)).toContain(body.id);
  });

  it("a reminder to the units that have not reported", async () => {
    const res = await post({ kind: "remind", targets: { notReportedOn: "6.2" } });
    expect(res.statusCode).toBe(201);
    // Of 6.2's units, only Hội CCB has linked cadres.
    expect(res.json()).toMatchObject({ recipients: 2 });
    // Narrowed to one directive: another directive's 6.2 is not this one's.
    const elsewhere = await post({ kind: "remind", targets: { notReportedOn: "6.2", notReportedIn: "00000000-0000-4000-8000-000000000000" } });
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json()).toMatchObject({ message: 'Không tìm thấy: nhiệm vụ "6.2".' });
  });

  it.each([
    ["no targets", { text: "x" }, "targets"],
    ["empty targets", { text: "x", targets: {} }, "chọn ít nhất một nhóm người nhận"],
    ["everyone: false only", { text: "x", targets: { everyone: false } }, "chọn ít nhất một nhóm người nhận"],
    ["an unknown key", { text: "x", targets: { everyone: true }, urgent: true }, "nội dung"],
    ["an unknown target key", { text: "x", targets: { unit: ["Hội CCB"] } }, "targets"],
    ["a digest", { kind: "digest", text: "x", targets: { everyone: true } }, "kind"],
    ["a person id that is not a uuid", { text: "x", targets: { people: ["an"] } }, "targets.people.0"],
    ["text over 2,000 characters", { text: "a".repeat(2_001), targets: { everyone: true } }, "text"],
  ])("400 for %s, sending nothing", async (_what, payload, where) => {
    const before = (await store.broadcasts.list(orgId, 1_000)).length;
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: string; message: string }>();
    expect(body.error).toBe("invalid_request");
    expect(body.message).toMatch(/^Dữ liệu không hợp lệ ở "/);
    expect(body.message).toContain(where);
    expect(await store.broadcasts.list(orgId, 1_000)).toHaveLength(before);
  });

  it("422 with the Vietnamese reason for targets that do not resolve", async () => {
    const before = (await store.broadcasts.list(orgId, 1_000)).length;
    const unknownUnit = await post({ text: "x", targets: { units: ["Hội Không Có"] } });
    expect(unknownUnit.statusCode).toBe(422);
    expect(unknownUnit.json()).toMatchObject({ error: "broadcast_rejected", message: 'Không tìm thấy: đơn vị "Hội Không Có".' });
    const noText = await post({ targets: { everyone: true } });
    expect(noText.statusCode).toBe(422);
    expect(noText.json()).toMatchObject({ message: "Thiếu nội dung thông báo." });
    const nobody = await post({ text: "x", targets: { units: ["Hội Nông dân"] } });
    expect(nobody.statusCode).toBe(422);
    expect(nobody.json()).toMatchObject({ message: "Không có người nhận nào đã liên kết tài khoản chat." });
    expect(await store.broadcasts.list(orgId, 1_000)).toHaveLength(before);
  });

  it("401 without a token; a leader reads (200) but cannot send (403)", async () => {
    for (const [method, url] of [["POST", "/api/broadcasts"], ["GET", "/api/broadcasts"], ["GET", `/api/broadcasts/${UNKNOWN_ID}`], ["GET", "/api/settings"], ["PUT", "/api/settings"]] as const) {
      const res = await app.inject({ method, url, payload: method === "GET" ? undefined : { text: "x", targets: { everyone: true } } });
      expect(res.statusCode).toBe(401);
    }
    const before = (await store.broadcasts.list(orgId, 1_000)).length;
    const send = await post({ text: "Lãnh đạo gửi", targets: { everyone: true } }, leader);
    expect(send.statusCode).toBe(403);
    expect(await store.broadcasts.list(orgId, 1_000)).toHaveLength(before);
    const list = await app.inject({ url: "/api/broadcasts", headers: { authorization: leader } });
    expect(list.statusCode).toBe(200);
    const [latest] = list.json<{ broadcasts: { id: string }[] }>().broadcasts;
    const one = await app.inject({ url: `/api/broadcasts/${latest?.id}`, headers: { authorization: leader } });
    expect(one.statusCode).toBe(200);
    const put = await app.inject({ method: "PUT", url: "/api/settings", headers: { authorization: leader }, payload: { digest: { enabled: false } } });
    expect(put.statusCode).toBe(403);
  });

  it("404 for an unknown broadcast or another org's; 400 for a malformed id", async () => {
    const missing = await app.inject({ url: `/api/broadcasts/${UNKNOWN_ID}`, headers: { authorization: office } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: "not_found", message: "Không tìm thấy thông báo này." });
    const bad = await app.inject({ url: "/api/broadcasts/abc", headers: { authorization: office } });
    expect(bad.statusCode).toBe(400);

    const other = await store.orgs.create({ slug: "bc-api-other", name: "Phường khác" });
    const person = await store.persons.create({ orgId: other.id, fullName: "Văn phòng khác", roles: ["office"] });
    const otherToken = `Bearer ${(await store.access.createToken({ orgId: other.id, personId: person.id })).token}`;
    const [mine] = await store.broadcasts.list(orgId, 1);
    const foreign = await app.inject({ url: `/api/broadcasts/${mine?.id}`, headers: { authorization: otherToken } });
    expect(foreign.statusCode).toBe(404);
    const list = await app.inject({ url: "/api/broadcasts", headers: { authorization: otherToken } });
    expect(list.json()).toEqual({ broadcasts: [] });
  });

  it("PUT /api/settings validates (400, Vietnamese) and GET returns what was stored", async () => {
    const empty = await app.inject({ url: "/api/settings", headers: { authorization: leader } });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ settings: {} });

    const settings = { reminders: { beforeDays: [2], sendAt: "07:30" }, calendar: { extraDaysOff: ["2020-09-01"] }, digest: { enabled: false } };
    const put = await app.inject({ method: "PUT", url: "/api/settings", headers: { authorization: office }, payload: settings });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ settings });

    for (const [payload, message] of [
      [{ calendar: { quietStart: "9:00" } }, "Cấu hình calendar.quietStart: giờ phải có dạng HH:MM, ví dụ 07:30."],
      [{ calendar: { extraDaysOff: ["1/9/2020"] } }, "Cấu hình calendar.extraDaysOff.0: ngày phải có dạng YYYY-MM-DD."],
      [{ reminder: { beforeDays: [1] } }, "Cấu hình settings: khóa không hợp lệ: reminder."],
    ] as const) {
      const res = await app.inject({ method: "PUT", url: "/api/settings", headers: { authorization: office }, payload });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: "invalid_settings", message });
    }

    const got = await app.inject({ url: "/api/settings", headers: { authorization: office } });
    expect(got.json()).toEqual({ settings });
    expect(await store.audit.count(orgId, "org.settings", orgId, new Date(0))).toBe(1);
  });
});
