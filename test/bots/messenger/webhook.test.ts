/**
 * The Messenger webhook end to end: signed raw bytes in, stored once, processed from a real
 * BullMQ queue by a real worker, answered through the Send API of a fake Graph server.
 */
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../../src/domain/index.ts";
import { sql } from "drizzle-orm";
import { messengerGateway, messengerWebhook } from "../../../bots/messenger/index.ts";
import { createConversation, createDelivery, createIntake, type Conversation } from "../../../src/app/index.ts";
import type { Store } from "../../../src/app/index.ts";
import { buildApp } from "../../../src/http/index.ts";
import { createStore } from "../../../src/store/index.ts";
import { createInboundQueue, createRedis } from "../../../jobs/index.ts";
import { FakeClock } from "../../fakes/clock.ts";
import { startFakeGraph } from "../../fakes/graph-api.ts";
import { createMigratedDatabase, type TestDatabase } from "../../support/databases.ts";
import { TEST_REDIS_URL } from "../../support/env.ts";
import { queueRig } from "../../support/queues.ts";

const SECRET = "test-app-secret-123";
const VERIFY = "verify-token-456";
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/messenger/webhook-${name}.json`, import.meta.url));
const SEED = readFileSync(new URL("../../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");
const sign = (raw: Buffer) => `sha256=${createHmac("sha256", SECRET).update(raw).digest("hex")}`;

describe("Messenger webhook", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let orgId: string;
  let conversation: Conversation;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  const rig = queueRig();
  const clock = new FakeClock("2020-06-20T01:00:00Z");

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "fb-ward", name: "Phường Messenger" })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    const { directive } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
    await intake.activate(orgId, directive.id, "test", { confirm: "all" });
    conversation = createConversation({ store, clock, messengerPage: "phuongdemo", dispatch: rig.dispatch });
    graph = await startFakeGraph();
    const delivery = createDelivery({ store, clock, gateways: { messenger: messengerGateway({ graph: { baseUrl: graph.baseUrl, pageToken: "PAGE-TOKEN" } }) }, dispatch: rig.dispatch });
    await rig.start({ clock, process: (o, id) => conversation.process(o, id), delivery, store, channels: ["messenger"] });
    app = await buildApp({ logger: false, probes: [], channelPlugins: [messengerWebhook({ appSecret: SECRET, verifyToken: VERIFY, orgId, handler: conversation, queue: rig.inbound })] });
  });
  afterAll(async () => {
    await app.close();
    await rig.close();
    await graph.close();
    await test.drop();
  });

  /** Until every stored message is answered and nothing waits in the outbox (or 10 s). */
  async function drained(): Promise<void> {
    for (const end = Date.now() + 10_000; Date.now() < end; ) {
      const result: unknown = await test.database.db.execute(sql`select
        (select count(*)::int from inbound_messages where processed_at is null) as inbound,
        (select count(*)::int from outbound_messages where status = 'pending') as outbound`);
      const row = (result as { rows: { inbound: number; outbound: number }[] }).rows[0];
      if (row?.inbound === 0 && row.outbound === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the queues did not drain within 10 s");
  }

  /** `signature: null` sends no header at all. */
  const post = (raw: Buffer, signature: string | null = sign(raw)) =>
    app.inject({ method: "POST", url: "/webhooks/messenger", headers: { "content-type": "application/json", ...(signature === null ? {} : { "x-hub-signature-256": signature }) }, payload: raw });

  async function inboundCount(): Promise<number> {
    const result: unknown = await test.database.db.execute(sql`select count(*)::int as n from inbound_messages where channel = 'messenger'`);
    return (result as { rows: { n: number }[] }).rows[0]?.n ?? 0;
  }
  async function sendsTo(psid: string, atLeast: number): Promise<string[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const texts = graph.requests.filter((r) => r.body.recipient.id === psid).map((r) => ("text" in r.body.message ? String(r.body.message.text) : ""));
      if (texts.length >= atLeast || Date.now() > deadline) return texts;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("answers the subscribe handshake only with the right token", async () => {
    const ok = await app.inject({ url: `/webhooks/messenger?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe("1158201444");
    for (const query of [`hub.mode=subscribe&hub.verify_token=wrong-token&hub.challenge=1`, `hub.verify_token=${VERIFY}&hub.challenge=1`, `hub.mode=unsubscribe&hub.verify_token=${VERIFY}&hub.challenge=1`]) {
      expect((await app.inject({ url: `/webhooks/messenger?${query}` })).statusCode).toBe(403);
    }
  });

  it("refuses anything but the exact signed bytes with 401, storing nothing", async () => {
    const raw = fixture("text");
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString("utf8"))), "utf8");
    const flipped = Buffer.from(raw);
    flipped[40] = (flipped[40] ?? 0) ^ 1;
    const digest = sign(raw).slice("sha256=".length);
    const cases: [Buffer, string | null][] = [
      [reserialised, sign(raw)],
      [flipped, sign(raw)],
      [raw, null],
      [raw, `sha1=${digest}`],
      [raw, `sha256=${digest.slice(0, 62)}`],
      [raw, `sha256=${digest}00`],
    ];
    for (const [i, [body, signature]] of cases.entries()) {
      const res = await post(body, signature);
      expect([i, res.statusCode]).toEqual([i, 401]);
    }
    expect(await inboundCount()).toBe(0);
    // The re-serialised body verifies only with its own signature: the check is over bytes.
    expect(reserialised.equals(raw)).toBe(false);
  });

  it("stores a signed text once, however often it arrives, and answers through the Send API once", async () => {
    const raw = fixture("text");
    expect((await post(raw)).statusCode).toBe(200);
    expect((await post(raw)).statusCode).toBe(200);
    expect(await inboundCount()).toBe(1);
    // Everything the two posts set off has run: only then is "one answer" a fact, not a race.
    await sendsTo("7001", 1);
    await drained();
    const texts = await sendsTo("7001", 2);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/chưa được liên kết/);
    const request = graph.requests.find((r) => r.body.recipient.id === "7001");
    expect(request?.body.messaging_type).toBe("RESPONSE");
    expect(request?.body.message.metadata).toMatch(/^outbox:[0-9a-f-]{36}$/);
    expect(request?.headers.authorization).toBe("Bearer PAGE-TOKEN");
    expect(request?.path).not.toContain("PAGE-TOKEN");
  });

  it("handles every event of a batch, and ignores echoes, reads, deliveries and dashboard tests", async () => {
    const before = await inboundCount();
    expect((await post(fixture("batch-3"))).statusCode).toBe(200);
    expect(await inboundCount()).toBe(before + 3);
    for (const psid of ["7002", "7003", "7004"]) expect((await sendsTo(psid, 1)).length).toBe(1);

    const after = await inboundCount();
    expect((await post(fixture("echo-read-delivery"))).statusCode).toBe(200);
    expect((await post(fixture("dashboard-test"))).statusCode).toBe(200);
    expect(await inboundCount()).toBe(after);
  });

  it("links on first contact from an m.me ref link, then records a quick-reply tap on a reminder", async () => {
    const cadre = await store.persons.create({ orgId, fullName: "Vũ Thị Lan", roles: ["cadre"] });
    const unit = (await store.units.list(orgId)).find((u) => u.name === "Hội Liên hiệp Phụ nữ");
    await store.persons.addMembership({ orgId, personId: cadre.id, unitId: unit?.id ?? "" });
    const issued = await conversation.issueLinkCode(orgId, cadre.id, "test");
    expect(issued?.messengerLink).toBe(`https://m.me/phuongdemo?ref=${issued?.code}`);
    expect(issued?.instructions).toContain(issued?.messengerLink ?? "");
    const referral = Buffer.from(fixture("referral").toString("utf8").replace("CODE", issued?.code ?? ""));
    expect((await post(referral)).statusCode).toBe(200);
    expect((await sendsTo("7010", 1))[0]).toMatch(/Đã liên kết tài khoản với Vũ Thị Lan/);

    const row = (await store.tracking.board(orgId, localDay(clock.now()))).find((r) => r.item.ref === "6.2" && r.unit.id === unit?.id);
    const tap = Buffer.from(fixture("quick-reply").toString("utf8").replace("ASSIGNMENT", row?.assignment.id ?? ""));
    expect((await post(tap)).statusCode).toBe(200);
    expect((await sendsTo("7010", 2))[1]).toContain("Hội Liên hiệp Phụ nữ · NV 6.2");
    expect((await store.tracking.assignment(orgId, row?.assignment.id ?? ""))?.status).toBe("done");
  });

  it("gives a bare Get Started instructions", async () => {
    expect((await post(fixture("get-started"))).statusCode).toBe(200);
    expect((await sendsTo("7011", 1))[0]).toMatch(/\/dangky/);
  });

  it("answers 200 having only stored and queued: nothing interpreted, nothing answered, nothing sent", async () => {
    // A route whose queue no worker reads: whatever it did before the 200 is all it does.
    const connection = createRedis(TEST_REDIS_URL);
    const prefix = `msg-idle-${randomUUID().slice(0, 8)}`;
    const idle = createInboundQueue(connection, prefix);
    const route = await buildApp({ logger: false, probes: [], channelPlugins: [messengerWebhook({ appSecret: SECRET, verifyToken: VERIFY, orgId, handler: conversation, queue: idle })] });
    try {
      const raw = Buffer.from(fixture("batch-3").toString("utf8").replace(/m_batch_/g, "m_fast_").replace(/"700([234])"/g, '"710$1"'));
      const requestsBefore = graph.requests.length;
      const res = await route.inject({ method: "POST", url: "/webhooks/messenger", headers: { "content-type": "application/json", "x-hub-signature-256": sign(raw) }, payload: raw });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe("EVENT_RECEIVED");
      const result: unknown = await test.database.db.execute(sql`select m.processed_at, (select count(*)::int from outbound_messages o where o.in_reply_to = m.id) as replies
        from inbound_messages m where m.external_message_id like 'm_fast_%'`);
      const rows = (result as { rows: { processed_at: Date | null; replies: number }[] }).rows;
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r.processed_at === null && r.replies === 0)).toBe(true);
      expect(graph.requests.length).toBe(requestsBefore);
      expect(await connection.zcard(`${prefix}:inbound:prioritized`) + (await connection.llen(`${prefix}:inbound:wait`))).toBe(3);
    } finally {
      await route.close();
      await idle.close();
      const keys = await connection.keys(`${prefix}:*`);
      if (keys.length > 0) await connection.del(...keys);
      connection.disconnect();
    }
  });
});
