import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../src/domain/index.ts";
import { createConversation, createIntake, createPlanner } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { localIso } from "../../src/domain/time.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

const SEED = readFileSync(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");

describe("reminder planner", () => {
  let test: TestDatabase;
  let store: Store;
  let orgId: string;
  const clock = new FakeClock("2020-06-20T01:00:00Z"); // 08:00 Saturday 20/6/2020
  const planner = () => createPlanner({ store, clock });
  let doanCadre: string;
  let leaderIdentity: string;

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "plan", name: "Phường lập kế hoạch" })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    const { directive } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
    await intake.activate(orgId, directive.id, "test", { confirm: "all" });
    const doan = (await store.units.list(orgId)).find((u) => u.name === "Đoàn TNCS Hồ Chí Minh");
    const cadre = await store.persons.create({ orgId, fullName: "Bí thư Đoàn", roles: ["cadre"] });
    await store.persons.addMembership({ orgId, personId: cadre.id, unitId: doan?.id ?? "" });
    const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: "doan" });
    await store.chats.linkIdentity(orgId, identity.id, cadre.id, clock.now());
    doanCadre = identity.id;
    const leader = await store.persons.create({ orgId, fullName: "Bí thư", roles: ["leader"] });
    const li = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: "lanhdao" });
    await store.chats.linkIdentity(orgId, li.id, leader.id, clock.now());
    leaderIdentity = li.id;
  });
  afterAll(async () => {
    await test.drop();
  });

  async function assignmentOf(ref: string, unit: string) {
    const row = (await store.tracking.board(orgId, localDay(clock.now()))).find((r) => r.item.ref === ref && r.unit.name === unit);
    if (!row) throw new Error(`no ${ref} ${unit}`);
    return row.assignment;
  }

  it("writes the ladder once: planning twice adds nothing", async () => {
    const first = await planner().plan(orgId);
    expect(first).toBeGreaterThan(20);
    expect(await planner().plan(orgId)).toBe(0);
    const a = await assignmentOf("6.1", "Đoàn TNCS Hồ Chí Minh");
    const reminders = await store.outbound.reminders(orgId, a.id);
    expect(reminders.slice(0, 5).map((r) => `${localIso(r.plannedAt).slice(0, 16)} ${r.kind}`)).toEqual([
      "2020-06-23T08:00 before",
      "2020-06-27T08:00 before",
      "2020-06-29T08:00 before",
      "2020-06-30T08:00 due",
      "2020-07-02T08:00 overdue",
    ]);
  });

  it("fires due reminders once, as outbox messages with quick-reply context, to the unit's cadres", async () => {
    clock.set("2020-06-23T01:00:00Z");
    const routes = await planner().fire(orgId);
    expect(new Set(routes.map((r) => r.channel))).toEqual(new Set(["simulator"]));
    const mine = [];
    for (const { id } of routes) {
      const m = await store.outbound.get(orgId, id);
      if (m?.identityId === doanCadre) mine.push(m);
    }
    // Đoàn has two items due 30/6 (6.1 and its share of 6.2): the 7-days-before rung of each.
    expect(mine.map((m) => m.text).sort()).toEqual([
      expect.stringMatching(/^Nhắc Đoàn TNCS Hồ Chí Minh: NV 6\.1 .*hạn 30\/06\/2020 \(còn 7 ngày\)/),
      expect.stringMatching(/^Nhắc Đoàn TNCS Hồ Chí Minh: NV 6\.2 .*hạn 30\/06\/2020 \(còn 7 ngày\)/),
    ]);
    expect(mine[0]?.reminderId).toBeTruthy();
    expect((await store.outbound.reminder(orgId, mine[0]?.reminderId ?? ""))?.status).toBe("queued");
    expect(await planner().fire(orgId)).toEqual([]);
  });

  it("cancels what is pending when the unit reports done, and escalates the others to leaders", async () => {
    const conversation = createConversation({ store, clock });
    await conversation.handle({ orgId, channel: "simulator", threadId: "doan", threadKind: "direct", senderId: "doan", messageId: "done-61", text: "bc 6.1 xong", sentAt: clock.now() });
    const a = await assignmentOf("6.1", "Đoàn TNCS Hồ Chí Minh");
    const statuses = (await store.outbound.reminders(orgId, a.id)).map((r) => r.status);
    expect(statuses.filter((s) => s === "pending")).toEqual([]);
    expect(statuses).toContain("cancelled");

    clock.set("2020-07-03T01:00:00Z");
    const fired = await planner().fire(orgId);
    const texts = [];
    for (const { id } of fired) {
      const m = await store.outbound.get(orgId, id);
      if (m?.identityId === leaderIdentity) texts.push(m.text);
      expect(m?.text ?? "").not.toContain("NV 6.1 ");
    }
    expect(texts.some((t) => /^⚠ Báo cáo lãnh đạo: Đoàn TNCS Hồ Chí Minh chưa hoàn thành NV 6\.2 .*quá hạn 3 ngày/.test(t))).toBe(true);
  });
});
