import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIntake } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { buildApp } from "../../src/http/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

const fixture = (name: string) => new URL(`../fixtures/directives/${name}`, import.meta.url);
const SEED = readFileSync(fixture("20-seed-thong-bao-ket-luan-2020-06-05.md"), "utf8");
const DOCX = readFileSync(fixture("28-ke-hoach-word.docx"));

async function multipart(bytes: Uint8Array, filename: string) {
  const form = new FormData();
  form.append("file", new Blob([bytes]), filename);
  const response = new Response(form);
  return {
    payload: Buffer.from(await response.arrayBuffer()),
    headers: { "content-type": response.headers.get("content-type") ?? "" },
  };
}

describe("office API", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let office: string;
  let leader: string;
  let cadre: string;
  let orgId: string;

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    app = await buildApp({
      logger: false,
      probes: [],
      office: { intake, authenticate: (token) => store.access.byToken(token), failedDeliveries: (org) => store.outbound.failed(org, 50) },
    });
    const org = await store.orgs.create({ slug: "api-org", name: "Đảng ủy phường API" });
    orgId = org.id;
    const token = async (roles: ("office" | "leader" | "cadre")[]) => {
      const person = await store.persons.create({ orgId, fullName: roles.join("+"), roles });
      return `Bearer ${(await store.access.createToken({ orgId, personId: person.id })).token}`;
    };
    office = await token(["office"]);
    leader = await token(["leader"]);
    cadre = await token(["cadre"]);
  });
  afterAll(async () => {
    await app.close();
    await test.drop();
  });

  const ID = "00000000-0000-4000-8000-000000000000";
  const routes: [string, string][] = [
    ["GET", "/api/directives"],
    ["POST", "/api/directives"],
    ["GET", `/api/directives/${ID}`],
    ["PATCH", `/api/directives/${ID}/items/${ID}`],
    ["POST", `/api/directives/${ID}/items`],
    ["DELETE", `/api/directives/${ID}/items/${ID}`],
    ["POST", `/api/directives/${ID}/activate`],
    ["GET", "/api/deliveries/failed"],
    ["POST", `/api/persons/${ID}/link-codes`],
  ];

  it.each(routes)("refuses %s %s without a valid token (401, Vietnamese)", async (method, url) => {
    for (const authorization of [undefined, "Bearer not-a-token", "Basic abc"]) {
      const res = await app.inject({
        method: method as "GET",
        url,
        headers: authorization ? { authorization } : {},
        payload: method === "GET" || method === "DELETE" ? undefined : { text: SEED },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: "unauthorized", message: expect.stringContaining("mã truy cập") });
    }
    expect(await store.directives.list(orgId)).toEqual([]);
  });

  it("refuses cadres, and leaders when they try to change something", async () => {
    const asCadre = await app.inject({ url: "/api/directives", headers: { authorization: cadre } });
    expect(asCadre.statusCode).toBe(403);
    const leaderRead = await app.inject({ url: "/api/directives", headers: { authorization: leader } });
    expect(leaderRead.statusCode).toBe(200);
    const failed = await app.inject({ url: "/api/deliveries/failed", headers: { authorization: leader } });
    expect(failed.json()).toEqual({ failed: [] });
    const leaderWrite = await app.inject({ method: "POST", url: "/api/directives", headers: { authorization: leader }, payload: { text: SEED } });
    expect(leaderWrite.statusCode).toBe(403);
    expect(leaderWrite.json<{ message: string }>().message).toMatch(/lãnh đạo chỉ xem/);
    expect(await store.directives.list(orgId)).toEqual([]);
  });

  it("imports pasted text (JSON or text/plain) as a draft once, reviews, edits and activates it", async () => {
    const created = await app.inject({ method: "POST", url: "/api/directives", headers: { authorization: office }, payload: { text: SEED, name: "seed.md" } });
    expect(created.statusCode).toBe(201);
    const body = created.json<{ directive: { id: string; status: string }; items: { id: string; ref: string; parentRef: string | null }[] }>();
    expect(body.directive.status).toBe("draft");
    expect(body.items.filter((i) => i.parentRef === null)).toHaveLength(9);

    const plain = await app.inject({ method: "POST", url: "/api/directives", headers: { authorization: office, "content-type": "text/plain; charset=utf-8" }, payload: SEED });
    expect(plain.statusCode).toBe(200);
    expect(plain.json<{ created: boolean; directive: { id: string } }>()).toMatchObject({ created: false, directive: { id: body.directive.id } });

    const id = body.directive.id;
    const got = await app.inject({ url: `/api/directives/${id}`, headers: { authorization: leader } });
    expect(got.statusCode).toBe(200);
    expect(got.json<{ items: unknown[] }>().items).toHaveLength(body.items.length);
    // The review shows what activation would need confirmed: nobody in the new org is on chat yet.
    const kinds = got.json<{ warnings: { kind: string; message: string }[] }>().warnings.map((w) => w.kind);
    expect(kinds).toEqual(["unreachable_units", "dropped_parents"]);

    const item5 = body.items.find((i) => i.ref === "5");
    const patched = await app.inject({ method: "PATCH", url: `/api/directives/${id}/items/${item5?.id}`, headers: { authorization: office }, payload: { deadline: "30/9/2020" } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ item: { dueDate: "2020-09-30" } });

    const badPhrase = await app.inject({ method: "PATCH", url: `/api/directives/${id}/items/${item5?.id}`, headers: { authorization: office }, payload: { deadline: "sớm nhất có thể" } });
    expect(badPhrase.statusCode).toBe(400);
    expect(badPhrase.json<{ message: string }>().message).toMatch(/Không hiểu thời hạn/);
    const unknownField = await app.inject({ method: "PATCH", url: `/api/directives/${id}/items/${item5?.id}`, headers: { authorization: office }, payload: { status: "done" } });
    expect(unknownField.statusCode).toBe(400);

    const added = await app.inject({ method: "POST", url: `/api/directives/${id}/items`, headers: { authorization: office }, payload: { ref: "10", text: "Báo cáo sơ kết 6 tháng.", deadline: "trước 15/7", assignees: [{ name: "Văn phòng Đảng ủy" }] } });
    expect(added.statusCode).toBe(201);
    const addedItem = added.json<{ item: { id: string; dueDate: string } }>().item;
    expect(addedItem.dueDate).toBe("2020-07-15");
    const removed = await app.inject({ method: "DELETE", url: `/api/directives/${id}/items/${addedItem.id}`, headers: { authorization: office } });
    expect(removed.statusCode).toBe(204);

    // Without the confirmations: a 409 in Vietnamese naming what to confirm, nothing activated.
    const unconfirmed = await app.inject({ method: "POST", url: `/api/directives/${id}/activate`, headers: { authorization: office } });
    expect(unconfirmed.statusCode).toBe(409);
    const refusal = unconfirmed.json<{ error: string; message: string; unconfirmed: string[]; warnings: { kind: string }[] }>();
    expect(refusal.error).toBe("needs_confirmation");
    expect(refusal.message).toMatch(/^Chưa kích hoạt: đồng chí cần xác nhận đã biết có đơn vị chưa liên lạc được qua tin nhắn và có đơn vị của mục lớn không được giao việc\./);
    expect(refusal.unconfirmed).toEqual(["unreachable_units", "dropped_parents"]);
    expect(refusal.warnings.map((w) => w.kind)).toEqual(["unreachable_units", "dropped_parents"]);
    const partly = await app.inject({ method: "POST", url: `/api/directives/${id}/activate`, headers: { authorization: office }, payload: { confirm: ["unreachable_units"] } });
    expect(partly.statusCode).toBe(409);
    expect(partly.json<{ unconfirmed: string[] }>().unconfirmed).toEqual(["dropped_parents"]);
    const unknownKind = await app.inject({ method: "POST", url: `/api/directives/${id}/activate`, headers: { authorization: office }, payload: { confirm: ["everything"] } });
    expect(unknownKind.statusCode).toBe(400);
    expect(unknownKind.json<{ message: string }>().message).toMatch(/Dữ liệu không hợp lệ ở "confirm": cần là "all" hoặc danh sách các loại cảnh báo đã xác nhận \(past_deadlines, unreachable_units, dropped_parents\)/);
    expect((await store.directives.get(orgId, id))?.directive.status).toBe("draft");

    const activated = await app.inject({ method: "POST", url: `/api/directives/${id}/activate`, headers: { authorization: office }, payload: { confirm: ["unreachable_units", "dropped_parents"] } });
    expect(activated.statusCode).toBe(200);
    expect(activated.json()).toMatchObject({ directive: { status: "active" }, assignments: expect.any(Number), reach: { reachable: 0, unreachable: expect.any(Number) } });
    expect(activated.json<{ message: string }>().message).toMatch(/0\/\d+ đơn vị sẽ được nhắc hạn qua tin nhắn/);
    const tracked = await app.inject({ url: `/api/directives/${id}`, headers: { authorization: leader } });
    expect(tracked.json<{ warnings: unknown[] }>().warnings).toEqual([]);
    const again = await app.inject({ method: "POST", url: `/api/directives/${id}/activate`, headers: { authorization: office }, payload: { confirm: "all" } });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ message: string }>().message).toMatch(/đã được kích hoạt/);
  });

  it("imports an uploaded Word file", async () => {
    const upload = await multipart(DOCX, "ke-hoach.docx");
    const res = await app.inject({ method: "POST", url: "/api/directives", headers: { authorization: office, ...upload.headers }, payload: upload.payload });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ directive: { sourceName: string }; items: unknown[] }>();
    expect(body.directive.sourceName).toBe("ke-hoach.docx");
    expect(body.items.length).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ["an empty file", new Uint8Array(), "trong.txt", 400, "empty"],
    ["a broken Word file", new TextEncoder().encode("PK\u0003\u0004 not really a zip"), "hong.docx", 400, "unreadable_docx"],
    ["a binary file named .txt", new Uint8Array([0, 159, 146, 150, 0, 1, 2]), "nhi-phan.txt", 400, "binary"],
    ["a PDF", new TextEncoder().encode("%PDF-1.4"), "van-ban.pdf", 400, "unsupported_type"],
    ["a file over 2 MB", new Uint8Array(2 * 1024 * 1024 + 10).fill(65), "lon.txt", 413, "too_large"],
    ["a text with no items", new TextEncoder().encode("Kính gửi các đồng chí.\nTrân trọng."), "khong-co-muc.txt", 422, "no_items"],
    ["a text too long to parse", new TextEncoder().encode("1. Việc cần làm trước ngày 30/6/2020.\n".repeat(6_000)), "qua-dai.txt", 413, "too_long"],
  ])("refuses %s clearly and saves nothing", async (_what, bytes, filename, status, code) => {
    const before = (await store.directives.list(orgId)).length;
    const upload = await multipart(bytes, filename);
    const res = await app.inject({ method: "POST", url: "/api/directives", headers: { authorization: office, ...upload.headers }, payload: upload.payload });
    expect(res.statusCode).toBe(status);
    const body = res.json<{ error: string; message: string; messageEn: string }>();
    expect(body.error).toBe(code);
    expect(body.message).toMatch(/[ăâđêôơưàáảãạ]/i); // Vietnamese, with diacritics
    expect(body.messageEn).toBeTruthy();
    expect(await store.directives.list(orgId)).toHaveLength(before);
  });

  it("answers malformed requests with 400/404, never 500", async () => {
    const badJson = await app.inject({ method: "POST", url: "/api/directives", headers: { authorization: office, "content-type": "application/json" }, payload: "{not json" });
    expect(badJson.statusCode).toBe(400);
    const wrongShape = await app.inject({ method: "POST", url: "/api/directives", headers: { authorization: office }, payload: { body: "x" } });
    expect(wrongShape.statusCode).toBe(400);
    const badId = await app.inject({ url: "/api/directives/not-a-uuid", headers: { authorization: office } });
    expect(badId.statusCode).toBe(400);
    const missing = await app.inject({ url: `/api/directives/${ID}`, headers: { authorization: office } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ message: string }>().message).toMatch(/Không tìm thấy/);
  });

  it("keeps each org's directives to itself", async () => {
    const other = await store.orgs.create({ slug: "api-other", name: "Phường khác" });
    const person = await store.persons.create({ orgId: other.id, fullName: "Văn phòng khác", roles: ["office"] });
    const otherToken = `Bearer ${(await store.access.createToken({ orgId: other.id, personId: person.id })).token}`;
    const mine = await store.directives.list(orgId);
    expect(mine.length).toBeGreaterThan(0);
    const res = await app.inject({ url: `/api/directives/${mine[0]?.id}`, headers: { authorization: otherToken } });
    expect(res.statusCode).toBe(404);
    const list = await app.inject({ url: "/api/directives", headers: { authorization: otherToken } });
    expect(list.json()).toEqual({ directives: [] });
  });
});
