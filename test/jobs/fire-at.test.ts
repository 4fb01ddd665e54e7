/**
 * A reminder moment wakes its own delayed job a little early: the worker reads what it needs
 * (prepareFire), then fires at the moment, not before it and not a minute late.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../src/domain/index.ts";
import { simulatorGateway } from "../../bots/simulator/index.ts";
import { createDelivery, createPlanner } from "../../src/app/index.ts";
import type { Clock, Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { createRedis, startWorkers, type RunningWorkers } from "../../jobs/index.ts";
import { activateSeed, CCB, linkedCadre } from "../support/board-seed.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { TEST_REDIS_URL } from "../support/env.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
// Real time: BullMQ's delays are real, and so is "at the moment".
const clock: Clock = { now: () => new Date() };

describe("a reminder fires at its moment", () => {
  let test: TestDatabase;
  let store: Store;
  let workers: RunningWorkers;
  let orgId: string;
  let assignmentId: string;
  const prepared: number[] = [];
  const connection = createRedis(TEST_REDIS_URL);
  const prefix = `fire-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "fire-at", name: "Phường đúng giờ" })).id;
    await activateSeed(store, orgId);
    const { unitId } = await linkedCadre(store, orgId, { unit: CCB, fullName: "Chủ tịch Hội CCB", externalId: "ccb-at", at: clock.now() });
    assignmentId = (await store.tracking.board(orgId, localDay(clock.now()))).find((r) => r.unit.id === unitId && r.item.ref === "6.2")?.assignment.id ?? "";
  });
  afterAll(async () => {
    await workers?.close();
    const keys = await connection.keys(`${prefix}:*`);
    if (keys.length > 0) await connection.del(...keys);
    connection.disconnect();
    await test.drop();
  });

  it("prepares before the moment and writes the outbox row at it", async () => {
    const moment = new Date(Date.now() + 2_000);
    await store.outbound.planReminders([{ orgId, assignmentId, kind: "before", plannedAt: moment, dedupeKey: `${assignmentId}-test-moment` }]);
    const planner = createPlanner({ store, clock });
    const delivery = createDelivery({ store, clock, gateways: { simulator: simulatorGateway() } });
    workers = await startWorkers({
      connection,
      prefix,
      clock,
      logger: silent,
      processInbound: async () => [],
      deliver: (o, id, options) => delivery.deliver(o, id, options),
      routes: (o, ids) => store.outbound.routes(o, ids),
      deliveryChannels: [{ channel: "simulator", ratePerSecond: 200 }],
      reminders: {
        plan: async () => 0,
        moments: () => planner.moments(orgId),
        fire: () => planner.fire(orgId),
        async prepareFire(at) {
          prepared.push(Date.now() - at.getTime());
          const ready = await planner.prepare(orgId, at);
          return () => planner.fire(orgId, { prepared: ready });
        },
      },
    });
    let rows: { created_at: string | Date }[] = [];
    for (const end = Date.now() + 10_000; rows.length === 0 && Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      const result: unknown = await test.database.db.execute(sql`select m.created_at from outbound_messages m join reminders r on r.id = m.reminder_id where r.dedupe_key = ${`${assignmentId}-test-moment`}`);
      rows = (result as { rows: { created_at: string | Date }[] }).rows;
    }
    expect(rows).toHaveLength(1);
    const lateness = new Date(rows[0]?.created_at ?? 0).getTime() - moment.getTime();
    // Prepared ahead (woken ~300 ms early), written at the moment: never before it, and well
    // inside the minute the safety-net job would take.
    expect(prepared.some((ms) => ms < 0)).toBe(true);
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThan(5_000);
  }, 30_000);
});
