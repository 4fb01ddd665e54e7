/**
 * Quiet hours and days off at send time (DESIGN.md §9): every proactive message passes the
 * delivery use case, so a reminder released late (an outage) or a broadcast queued at night
 * waits for the morning; an answer to someone who just wrote does not wait. Through the real
 * delivery queue: the job is delayed (not failed, no try used up) until the allowed moment.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { simulatorGateway } from "../../bots/simulator/index.ts";
import { createDelivery, type Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { createRedis } from "../../jobs/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { TEST_REDIS_URL } from "../support/env.ts";
import { queueRig } from "../support/queues.ts";

describe("quiet hours at send time", () => {
  let test: TestDatabase;
  let store: Store;
  let orgId: string;
  let identityId: string;
  let inboundId: string;
  // Wednesday 03/06/2020, 22:30 in Vietnam: past the 21:00 start of quiet hours.
  const clock = new FakeClock("2020-06-03T15:30:00Z");
  const rig = queueRig();

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "quiet", name: "Phường yên tĩnh" })).id;
    const person = await store.persons.create({ orgId, fullName: "Cán bộ", roles: ["cadre"] });
    const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: "sim-quiet", lastInboundAt: clock.now() });
    await store.chats.linkIdentity(orgId, identity.id, person.id, clock.now());
    identityId = identity.id;
    inboundId = (await store.inbound.accept({ orgId, channel: "simulator", senderId: "sim-quiet", threadId: "sim-quiet", threadKind: "direct", messageId: "q-1", text: "tình hình", sentAt: clock.now() })) ?? "";
  });
  afterAll(async () => {
    await rig.close();
    await test.drop();
  });

  it("holds a reminder released at 22:30 until 07:00 the next morning, and sends a reply at 22:30", async () => {
    const delivery = createDelivery({ store, clock, gateways: { simulator: simulatorGateway() } });
    const reminder = await store.outbound.enqueue({ orgId, identityId, text: "Nhắc: NV 6.2 đến hạn ngày mai." });
    const held = await delivery.deliver(orgId, reminder.id);
    expect(held.status).toBe("later");
    expect(held.retryInMs).toBe(8.5 * 3_600_000);
    expect((await store.outbound.get(orgId, reminder.id))?.status).toBe("pending");
    expect(await store.outbound.deliveries(orgId, reminder.id)).toEqual([]);

    const reply = await store.outbound.enqueue({ orgId, identityId, text: "Tình hình chung: …", inReplyTo: inboundId });
    expect(await delivery.deliver(orgId, reply.id)).toEqual({ status: "sent" });

    clock.set("2020-06-04T00:00:00Z"); // 07:00 Thursday
    expect(await delivery.deliver(orgId, reminder.id)).toEqual({ status: "sent" });
    clock.set("2020-06-03T15:30:00Z");
  });

  it("waits out a Sunday, and an org's own quiet hours", async () => {
    const delivery = createDelivery({ store, clock, gateways: { simulator: simulatorGateway() } });
    clock.set("2020-06-07T03:00:00Z"); // Sunday 10:00
    const notice = await store.outbound.enqueue({ orgId, identityId, text: "Thông báo họp." });
    expect(await delivery.deliver(orgId, notice.id)).toMatchObject({ status: "later", retryInMs: 21 * 3_600_000 }); // Monday 07:00
    await store.orgs.setSettings(orgId, { calendar: { sundayOff: false, quietStart: "22:00", quietEnd: "06:00" } });
    const fresh = createDelivery({ store, clock, gateways: { simulator: simulatorGateway() } });
    expect(await fresh.deliver(orgId, notice.id)).toEqual({ status: "sent" });
    await store.orgs.setSettings(orgId, {});
    clock.set("2020-06-03T15:30:00Z");
  });

  it("through the queue: the held job waits delayed until the morning (no try used), the reply goes at once", async () => {
    const delivery = createDelivery({ store, clock, gateways: { simulator: simulatorGateway() }, dispatch: rig.dispatch });
    await rig.start({ clock, process: async () => [], delivery, store, channels: ["simulator"] });
    const reminder = await store.outbound.enqueue({ orgId, identityId, text: "Nhắc lúc 22:30." });
    const reply = await store.outbound.enqueue({ orgId, identityId, text: "Trả lời lúc 22:30.", inReplyTo: inboundId });
    await rig.dispatch(await store.outbound.routes(orgId, [reminder.id]));
    await rig.dispatch(await store.outbound.routes(orgId, [reply.id]), { priority: "reply" });
    for (const end = Date.now() + 5_000; (await store.outbound.get(orgId, reply.id))?.status !== "sent" && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
    expect((await store.outbound.get(orgId, reply.id))?.status).toBe("sent");
    const connection = createRedis(TEST_REDIS_URL);
    const queue = new Queue("deliver-simulator", { connection, prefix: rig.prefix });
    try {
      let job = await queue.getJob(`delivery-${reminder.id}`);
      for (const end = Date.now() + 5_000; (await job?.getState()) !== "delayed" && Date.now() < end; job = await queue.getJob(`delivery-${reminder.id}`)) await new Promise((r) => setTimeout(r, 20));
      expect(await job?.getState()).toBe("delayed");
      expect(job?.attemptsMade).toBe(0);
      // Due about 8.5 hours from now (BullMQ's delay is on the real clock).
      expect((job?.delay ?? 0) / 3_600_000).toBeGreaterThan(8.4);
      expect((await store.outbound.get(orgId, reminder.id))?.status).toBe("pending");
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});
