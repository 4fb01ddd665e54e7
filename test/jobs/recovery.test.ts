/**
 * Recovery after Redis loses everything (FLUSHALL on a Redis of its own): the store is the truth.
 * The restarted worker upserts its schedulers, plans again (nothing new), wakes for every
 * pending reminder's moment, and the outbox sweep queues the broadcast whose jobs were lost;
 * what was already delivered is not sent again.
 */
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulatorGateway } from "../../bots/simulator/index.ts";
import { createBroadcasts, createDelivery, createPlanner } from "../../src/app/index.ts";
import type { ChannelGateway, Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { createDeliveryQueue, createRedis, startWorkers, type RunningWorkers } from "../../jobs/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { activateSeed, CCB, linkedCadre } from "../support/board-seed.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { ALWAYS_OPEN } from "../support/queues.ts";
import { startRedisServer } from "../support/redis-server.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe("after Redis loses everything", () => {
  let test: TestDatabase;
  let store: Store;
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let orgId: string;
  let cadreIdentity: string;
  const prefix = `rec-${randomUUID().slice(0, 8)}`;
  const clock = new FakeClock("2020-06-23T01:00:00Z"); // 08:00 on 23/6: the 7-days-before rung of 6.2
  const calls: string[] = [];
  const inner = simulatorGateway();
  const counting: ChannelGateway = {
    canSend: (target, now) => inner.canSend(target, now),
    send: async (input) => {
      calls.push(input.outboundMessageId);
      return inner.send(input);
    },
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "rec", name: "Phường phục hồi", settings: ALWAYS_OPEN })).id;
    await activateSeed(store, orgId);
    cadreIdentity = (await linkedCadre(store, orgId, { unit: CCB, fullName: "Chủ tịch Hội CCB", externalId: "ccb", at: clock.now() })).identityId;
  });
  afterAll(async () => {
    await redis.stop();
    await test.drop();
  });

  async function startWorker(connection: ReturnType<typeof createRedis>): Promise<RunningWorkers> {
    const planner = createPlanner({ store, clock });
    const delivery = createDelivery({ store, clock, gateways: { simulator: counting } });
    return startWorkers({
      connection,
      prefix,
      clock,
      logger: silent,
      processInbound: async () => [],
      deliver: (o, id, options) => delivery.deliver(o, id, options),
      routes: (o, ids) => store.outbound.routes(o, ids),
      pendingOutbox: () => delivery.pendingToDeliver(),
      deliveryChannels: [{ channel: "simulator", ratePerSecond: 200 }],
      reminders: { plan: () => planner.plan(orgId), moments: () => planner.moments(orgId), fire: () => planner.fire(orgId) },
    });
  }

  async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await read();
      if (ok(v) || Date.now() > end) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const sentToCadre = async () =>
    (await store.outbound.pending(orgId)).length === 0
      ? calls.length
      : -1;

  it("restores pending reminders and lost deliveries, and sends nothing twice", async () => {
    const connection = createRedis(redis.url);
    let workers = await startWorker(connection);
    // The plan job at start writes the reminders and wakes at 08:00 on 23/6 (now): one reminder.
    await until(sentToCadre, (n) => n === 1);
    expect(calls).toHaveLength(1);
    const firstReminder = await store.outbound.get(orgId, calls[0] ?? "");
    expect(firstReminder?.text).toMatch(/^Nhắc Hội Cựu chiến binh: NV 6\.2 .*\(còn 7 ngày\)/);
    const pendingReminders = (await store.outbound.pendingMoments(orgId, new Date("2020-08-01T00:00:00Z"))).length;
    expect(pendingReminders).toBeGreaterThan(0);

    // A broadcast whose delivery jobs are queued but not yet taken (the queue is paused)…
    const paused = new Queue("deliver-simulator", { connection, prefix });
    await paused.pause();
    const producer = createDeliveryQueue(connection, prefix);
    const broadcasts = createBroadcasts({ store, clock, dispatch: (routes) => producer.dispatch(routes) });
    const { recipients } = await broadcasts.send(orgId, { kind: "announcement", text: "Họp giao ban 8h thứ Hai.", targets: { people: [(await store.chats.identityById(orgId, cadreIdentity))?.personId ?? ""] } });
    expect(recipients).toBe(1);
    // Queued and not taken (a broadcast rides below replies: BullMQ keeps it with the prioritized jobs).
    const counts = await paused.getJobCounts("wait", "prioritized", "active");
    expect((counts.wait ?? 0) + (counts.prioritized ?? 0)).toBe(1);
    expect(counts.active).toBe(0);

    // …then Redis loses everything: schedulers, the delayed wake-ups, the queued delivery.
    await producer.close();
    await paused.close();
    await workers.close();
    await connection.flushall();
    expect(await connection.dbsize()).toBe(0);

    // Four days later (27/6 08:00, the 3-days-before rung) a worker starts on the empty Redis.
    clock.set("2020-06-27T01:00:00Z");
    workers = await startWorker(connection);
    await until(async () => calls.length, (n) => n >= 2);
    expect(calls).toHaveLength(2);
    expect((await store.outbound.get(orgId, calls[1] ?? ""))?.text).toMatch(/^Nhắc Hội Cựu chiến binh: NV 6\.2 .*\(còn 3 ngày\)/);

    // The sweep finds the broadcast's outbox row once it has waited a minute (by the clock).
    clock.set(new Date(Date.now() + 120_000));
    await workers.queues.get("deliveries")?.add("sweep", { sweep: true });
    await until(async () => (await store.outbound.pending(orgId)).filter((m) => m.broadcastId).length, (n) => n === 0);
    const broadcastSends = [];
    for (const id of calls) if ((await store.outbound.get(orgId, id))?.broadcastId) broadcastSends.push(id);
    expect(broadcastSends).toHaveLength(1);

    // Nothing went twice: every send is a distinct outbox row, and the first reminder stays sent.
    expect(new Set(calls).size).toBe(calls.length);
    expect((await store.outbound.get(orgId, calls[0] ?? ""))?.status).toBe("sent");
    await workers.close();
    connection.disconnect();
  }, 90_000);
});
