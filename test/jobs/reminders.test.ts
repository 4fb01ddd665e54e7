/**
 * The reminder jobs on real Redis and a real store: the worker plans at start, a "fire" job turns
 * due reminders into outbox messages, and the deliveries queue sends them (simulator channel).
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulatorGateway } from "../../bots/simulator/index.ts";
import { createDelivery, createPlanner } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { createRedis, startWorkers, type RunningWorkers } from "../../jobs/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { activateSeed, CCB, linkedCadre } from "../support/board-seed.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { TEST_REDIS_URL } from "../support/env.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe("reminder jobs", () => {
  let test: TestDatabase;
  let store: Store;
  let workers: RunningWorkers;
  let orgId: string;
  let cadreIdentity: string;
  const connection = createRedis(TEST_REDIS_URL);
  const clock = new FakeClock("2020-06-23T01:00:00Z"); // 08:00 on 23/6: the 7-days-before rung of 6.x

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "jobs-rem", name: "Phường nhắc việc" })).id;
    await activateSeed(store, orgId);
    cadreIdentity = (await linkedCadre(store, orgId, { unit: CCB, fullName: "Chủ tịch Hội CCB", externalId: "ccb", at: clock.now() })).identityId;

    const planner = createPlanner({ store, clock });
    const delivery = createDelivery({ store, clock, gateways: { simulator: simulatorGateway() } });
    workers = await startWorkers({
      connection,
      prefix: `rem-${randomUUID().slice(0, 8)}`,
      clock,
      logger: silent,
      processInbound: async () => [],
      deliver: (o, id, options) => delivery.deliver(o, id, options),
      routes: (o, ids) => store.outbound.routes(o, ids),
      pendingOutbox: () => delivery.pendingToDeliver(),
      deliveryChannels: [{ channel: "simulator", ratePerSecond: 200 }],
      reminders: {
        plan: () => planner.plan(orgId),
        fire: () => planner.fire(orgId),
      },
    });
  });
  afterAll(async () => {
    await workers.close();
    connection.disconnect();
    await test.drop();
  });

  it("plans at start, fires on a fire job, and delivers through the deliveries queue", async () => {
    const schedulers = await workers.queues.get("reminders")?.getJobSchedulers();
    expect(schedulers?.map((s) => [s.key, s.pattern ?? null, s.tz ?? null]).sort()).toEqual([
      ["reminders-fire-v1", null, null],
      ["reminders-plan-v2", "*/15 * * * *", "Asia/Ho_Chi_Minh"],
    ]);
    const sentTexts = async () => {
      const rows: unknown = await test.database.db.execute(sql`select text from outbound_messages where identity_id = ${cadreIdentity} and status = 'sent'`);
      return (rows as { rows: { text: string }[] }).rows.map((r) => r.text);
    };
    const deadline = Date.now() + 15_000;
    let delivered: string[] = [];
    while (delivered.length === 0 && Date.now() < deadline) {
      await workers.queues.get("reminders")?.add("fire", { kind: "fire" });
      await new Promise((r) => setTimeout(r, 300));
      delivered = await sentTexts();
    }
    // On 23/6 the Hội CCB's only rung is 7 days before 6.2 (due 30/6); firing again sends nothing more.
    expect(delivered).toEqual([expect.stringMatching(/^Nhắc Hội Cựu chiến binh: NV 6\.2 .*\(còn 7 ngày\)/)]);
    await workers.queues.get("reminders")?.add("fire", { kind: "fire" });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await sentTexts()).toHaveLength(1);
  });
});
