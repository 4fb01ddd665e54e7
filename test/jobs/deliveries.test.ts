/**
 * The deliveries queue on real Redis and a real store: a queued outbox message is delivered by
 * the worker; a closed Messenger window falls back to the person's other account, queued and
 * delivered in turn; the sweep finds messages nobody queued.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messengerGateway } from "../../bots/messenger/index.ts";
import { simulatorGateway } from "../../bots/simulator/index.ts";
import { createDelivery } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { createDeliveryQueue, createRedis, startWorkers, type RunningWorkers } from "../../jobs/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { startFakeGraph } from "../fakes/graph-api.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { ALWAYS_OPEN } from "../support/queues.ts";
import { TEST_REDIS_URL } from "../support/env.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe("deliveries queue", () => {
  let test: TestDatabase;
  let store: Store;
  let workers: RunningWorkers;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  let orgId: string;
  const connection = createRedis(TEST_REDIS_URL);
  const prefix = `dlv-${randomUUID().slice(0, 8)}`;
  const queue = createDeliveryQueue(connection, prefix);
  const clock = new FakeClock("2020-06-20T01:00:00Z");

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "dlv", name: "Phường giao tin", settings: ALWAYS_OPEN })).id;
    graph = await startFakeGraph();
    const delivery = createDelivery({
      store,
      clock,
      gateways: {
        simulator: simulatorGateway(),
        messenger: messengerGateway({ graph: { baseUrl: graph.baseUrl, pageToken: "T" } }),
      },
    });
    workers = await startWorkers({
      connection,
      prefix,
      clock,
      logger: silent,
      processInbound: async () => [],
      deliver: (o, id, options) => delivery.deliver(o, id, options),
      routes: (o, ids) => store.outbound.routes(o, ids),
      pendingOutbox: () => delivery.pendingToDeliver(),
      deliveryChannels: [
        { channel: "messenger", ratePerSecond: 50 },
        { channel: "simulator", ratePerSecond: 200 },
      ],
    });
  });
  afterAll(async () => {
    await workers.close();
    await queue.close();
    await graph.close();
    connection.disconnect();
    await test.drop();
  });

  async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const v = await read();
      if (ok(v) || Date.now() > deadline) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("delivers a queued message, and falls back from a closed Messenger window to the simulator account", async () => {
    const person = await store.persons.create({ orgId, fullName: "Hoàng Văn Nam", roles: ["cadre"] });
    const fb = await store.chats.upsertIdentity({ orgId, channel: "messenger", externalId: "psid-q", lastInboundAt: new Date("2020-06-18T01:00:00Z") });
    const sim = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: "sim-q" });
    await store.chats.linkIdentity(orgId, fb.id, person.id, clock.now());
    await store.chats.linkIdentity(orgId, sim.id, person.id, clock.now());
    const message = await store.outbound.enqueue({ orgId, identityId: fb.id, text: "Nhắc: NV 6.2 hạn 30/06/2020." });

    await queue.dispatch([{ orgId, id: message.id, channel: "messenger" }]);
    const pending = await until(() => store.outbound.pending(orgId), (p) => p.length === 0);
    expect(pending).toEqual([]);
    expect((await store.outbound.get(orgId, message.id))?.status).toBe("failed");
    expect((await store.outbound.deliveries(orgId, message.id)).map((d) => d.outcome)).toEqual(["window_closed"]);
    expect(graph.requests).toHaveLength(0);
    const all = await store.outbound.deliveries(orgId, message.id);
    expect(all[0]?.errorMessage).toContain("chuyển sang simulator");
    // The fallback copy went to the simulator account and was delivered there.
    const board: unknown = await test.database.db.execute(sql`select id, status from outbound_messages where identity_id = ${sim.id}`);
    expect((board as { rows: { status: string }[] }).rows.map((r) => r.status)).toEqual(["sent"]);
  });

  it("sweeps outbox messages nobody queued once they are a minute old", async () => {
    const sim = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: "sim-sweep" });
    const message = await store.outbound.enqueue({ orgId, identityId: sim.id, text: "Thông báo họp giao ban." });
    // Real time: the row was created now, so the sweep cutoff (clock − 60 s) must pass it.
    clock.set(new Date(Date.now() + 120_000));
    await workers.queues.get("deliveries")?.add("sweep", { sweep: true });
    const delivered = await until(() => store.outbound.get(orgId, message.id), (m) => m?.status === "sent");
    expect(delivered?.status).toBe("sent");
    expect((await store.outbound.deliveries(orgId, message.id))[0]?.externalMessageId).toBe(`bot-${message.id}`);
  });
});
