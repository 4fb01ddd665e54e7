/**
 * Binding group threads (Zalo groups) to units through the office API, on a real database.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroups, createIntake } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { buildApp } from "../../src/http/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

describe("office API: group threads and their unit", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let orgId: string;
  let office: string;
  let leader: string;
  let groupId: string;
  let directId: string;
  let ccbId: string;

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    const clock = new FakeClock("2020-06-20T01:00:00Z");
    app = await buildApp({
      logger: false,
      probes: [],
      office: { intake: createIntake({ store, clock }), authenticate: (token) => store.access.byToken(token), groups: createGroups({ store, clock }) },
    });
    orgId = (await store.orgs.create({ slug: "threads-api", name: "Phường nhóm" })).id;
    const token = async (roles: ("office" | "leader")[]) => {
      const person = await store.persons.create({ orgId, fullName: roles.join("+"), roles });
      return `Bearer ${(await store.access.createToken({ orgId, personId: person.id })).token}`;
    };
    office = await token(["office"]);
    leader = await token(["leader"]);
    ccbId = (await store.units.create({ orgId, name: "Hội Cựu chiến binh", key: "hoi-ccb" })).id;
    await store.units.create({ orgId, name: "Chi bộ 3" });
    groupId = (await store.chats.upsertThread({ orgId, channel: "zalo", externalId: "5012345678901234567", kind: "group", title: "Hội CCB phường" })).id;
    directId = (await store.chats.upsertThread({ orgId, channel: "zalo", externalId: "101", kind: "direct" })).id;
  });
  afterAll(async () => {
    await app.close();
    await test.drop();
  });

  const put = (id: string, body: unknown, auth = office) =>
    app.inject({ method: "PUT", url: `/api/threads/${id}/unit`, headers: { authorization: auth }, payload: body as Record<string, unknown> });

  it("lets office bind a group to a unit named by its usual short name, audited, and lists it", async () => {
    const res = await put(groupId, { unit: "hội ccb" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ thread: { id: groupId, kind: "group", unit: { id: ccbId, name: "Hội Cựu chiến binh" } } });
    expect((await store.chats.threadById(orgId, groupId))?.unitId).toBe(ccbId);
    expect((await store.audit.list(orgId)).filter((e) => e.action === "thread.bound").map((e) => e.entityId)).toEqual([groupId]);

    const list = await app.inject({ method: "GET", url: "/api/threads?kind=group", headers: { authorization: leader } });
    expect(list.statusCode).toBe(200);
    const threads = list.json<{ threads: { id: string; unit: { name: string } | null }[] }>().threads;
    // The direct chat is not listed.
    expect(threads.map((t) => [t.id, t.unit?.name ?? null])).toEqual([[groupId, "Hội Cựu chiến binh"]]);
  });

  it("binds by exact name or id, and unbinds with null", async () => {
    expect((await put(groupId, { unit: "Chi bộ 3" })).json()).toMatchObject({ thread: { unit: { name: "Chi bộ 3" } } });
    expect((await put(groupId, { unit: ccbId })).json()).toMatchObject({ thread: { unit: { id: ccbId } } });
    expect((await put(groupId, { unit: null })).json()).toMatchObject({ thread: { unit: null } });
    expect((await store.chats.threadById(orgId, groupId))?.unitId).toBeNull();
  });

  it("refuses a leader (403), an unknown unit or thread (404) and a direct chat, in Vietnamese", async () => {
    const byLeader = await put(groupId, { unit: "Hội CCB" }, leader);
    expect(byLeader.statusCode).toBe(403);
    const unknownUnit = await put(groupId, { unit: "Hội Chữ thập đỏ" });
    expect(unknownUnit.statusCode).toBe(404);
    expect(unknownUnit.json()).toMatchObject({ error: "unit_not_found", message: 'Không tìm thấy đơn vị "Hội Chữ thập đỏ".' });
    const unknownThread = await put("00000000-0000-4000-8000-000000000000", { unit: "Hội CCB" });
    expect(unknownThread.statusCode).toBe(404);
    expect(unknownThread.json()).toMatchObject({ error: "thread_not_found", message: "Không tìm thấy nhóm chat này." });
    const direct = await put(directId, { unit: "Hội CCB" });
    expect(direct.statusCode).toBe(422);
    expect((await put(groupId, { unit: 5 })).statusCode).toBe(400);
    // Nothing changed.
    expect((await store.chats.threadById(orgId, groupId))?.unitId).toBeNull();
    expect((await store.chats.threadById(orgId, directId))?.unitId).toBeNull();
  });
});
