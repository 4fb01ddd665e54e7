/**
 * The activity page answers "who was reminded when": reminder messages the planner fired, with
 * recipient, channel, item and unit, filtered by person and dates.
 */
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBroadcasts, createConversation, createGroups, createDirectory, createIntake, createOrgSettings, createPlanner, createWebAuth } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { buildApp } from "../../src/http/index.ts";
import { webModules } from "../../src/main/web-modules.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { plainHasher, WebClient } from "../support/web.ts";

const SEED = readFileSync(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");

describe("activity: reminders sent", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let office: WebClient;
  let cadreId: string;
  let otherId: string;
  const clock = new FakeClock("2020-06-23T01:00:00Z"); // the 7-days-before rung of 6.2

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    const orgId = (await store.orgs.create({ slug: "act", name: "Phường nhật ký" })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    const { directive } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
    await intake.activate(orgId, directive.id, "test", { confirm: "all" });
    const ccb = (await store.units.list(orgId)).find((u) => u.name === "Hội Cựu chiến binh");
    const cadre = await store.persons.create({ orgId, fullName: "Phạm Văn Nhắc", roles: ["cadre"] });
    cadreId = cadre.id;
    otherId = (await store.persons.create({ orgId, fullName: "Người khác", roles: ["cadre"] })).id;
    await store.persons.addMembership({ orgId, personId: cadre.id, unitId: ccb?.id ?? "" });
    const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: "nhac" });
    await store.chats.linkIdentity(orgId, identity.id, cadre.id, clock.now());
    const planner = createPlanner({ store, clock });
    await planner.plan(orgId);
    expect((await planner.fire(orgId)).length).toBeGreaterThan(0);

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

  const rows = (body: string) => [...body.matchAll(/<tr data-reminder="([a-z]+)"[^>]*>(.*?)<\/tr>/gs)].map((m) => `${m[1]} ${(m[2] ?? "").replace(/<[^>]+>/g, "|")}`);

  it("lists each reminder with who got it, on which channel, about which item and unit", async () => {
    const page = await office.get("/activity?kind=reminders");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Nhắc việc đã gửi");
    const list = rows(page.body);
    expect(list.some((r) => r.startsWith("before") && r.includes("Phạm Văn Nhắc") && r.includes("NV 6.2 · Hội Cựu chiến binh") && r.includes("Trước hạn"))).toBe(true);
  });

  it("filters by person and by dates", async () => {
    expect(rows((await office.get(`/activity?kind=reminders&person=${cadreId}`)).body).length).toBeGreaterThan(0);
    expect(rows((await office.get(`/activity?kind=reminders&person=${otherId}`)).body)).toEqual([]);
    // Rows carry the time they were written (today, by the database clock); a range in 2020 excludes them.
    expect(rows((await office.get("/activity?kind=reminders&from=2020-01-01&to=2020-01-31")).body)).toEqual([]);
  });
});
