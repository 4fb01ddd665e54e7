/**
 * The supervised listener against the real database (messages stored once through a real
 * InboundHandler) and real Redis (the account lock), with zca-js faked and time on a fake clock.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Redis } from "ioredis";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSendGuard,
  createZaloListener,
  credentialStore,
  zaloGateway,
  ZaloListenerLockedError,
} from "../../../bots/zalo/index.ts";
import { ThreadType, ZaloApiError } from "../../../bots/zalo/sdk.ts";
import { createConversation, type Conversation } from "../../../src/app/index.ts";
import type { Store } from "../../../src/app/index.ts";
import { createStore } from "../../../src/store/index.ts";
import { FakeClock } from "../../fakes/clock.ts";
import { FakeZcaApi, fakeLogin, groupMessage, userMessage } from "../../fakes/zca-js.ts";
import { createMigratedDatabase, type TestDatabase } from "../../support/databases.ts";
import { TEST_REDIS_URL } from "../../support/env.ts";
import { useTempDirs } from "../../support/temp-dirs.ts";
import { FakeScheduler, settle, until } from "./fake-scheduler.ts";

const BOT = "8000000000000000001";
const GROUP = "5012345678901234567";
type Raw = Parameters<typeof groupMessage>[1];
const fixture = (name: string): Raw => JSON.parse(readFileSync(new URL(`../../fixtures/zalo/${name}.json`, import.meta.url), "utf8")) as Raw;
const tempDir = useTempDirs("dondoc-zalo-listener-");

describe("Zalo listener", () => {
  let test: TestDatabase;
  let store: Store;
  let orgId: string;
  let conversation: Conversation;
  const clock = new FakeClock("2020-06-20T01:05:00Z");
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "zalo-ward", name: "Phường Zalo" })).id;
    conversation = createConversation({ store, clock });
  });
  afterAll(async () => {
    redis.disconnect();
    await test.drop();
  });

  async function stored(messageId: string): Promise<{ n: number; reply: string | null }> {
    const result: unknown = await test.database.db.execute(
      sql`select count(*)::int as n, max(reply_to_external_id) as reply from inbound_messages where channel = 'zalo' and external_message_id = ${messageId}`,
    );
    const row = (result as { rows: { n: number; reply: string | null }[] }).rows[0];
    return { n: row?.n ?? 0, reply: row?.reply ?? null };
  }

  async function build(options: { lockKey?: string } = {}) {
    const scheduler = new FakeScheduler(clock);
    const login = fakeLogin(BOT);
    const enqueued: string[] = [];
    const needsQr: string[] = [];
    const key = randomBytes(32);
    const dataDir = tempDir();
    const credentials = credentialStore({ dataDir, account: "default", key, clock });
    await credentials.save({ imei: "imei-1", cookie: [{ key: "zpw_sek", value: "v1", domain: "chat.zalo.me" }], userAgent: "UA" });
    const lockKey = options.lockKey ?? `test:zalo:${randomUUID()}`;
    const listener = createZaloListener({
      orgId,
      account: "default",
      credentials,
      login: login.login,
      handler: conversation,
      onMessage: async (id) => {
        enqueued.push(id);
      },
      onNeedsQr: (reason) => {
        needsQr.push(reason);
      },
      clock,
      scheduler,
      // A long lock lifetime keeps its refresh timer out of the way of the reconnect timers.
      lock: { redis, key: lockKey, ttlMs: 3_600_000 },
    });
    /** The reconnect/login waits pending (not the lock refresh or the cookie saver). */
    const loginWaits = () => scheduler.waiting().filter((ms) => ms < 100_000);
    return { loginWaits, scheduler, login, enqueued, needsQr, credentials, listener, lockKey, dataDir, key };
  }

  async function connected(z: Awaited<ReturnType<typeof build>>, logins: number): Promise<FakeZcaApi> {
    await until(() => z.login.apis.length >= logins && z.listener.state() === "connected");
    expect(z.login.apis).toHaveLength(logins);
    expect(z.listener.state()).toBe("connected");
    return z.login.apis[logins - 1] as FakeZcaApi;
  }

  it("stores direct and addressed group messages once and hands their ids on; group chatter is ignored", async () => {
    const z = await build();
    await z.listener.start();
    const api = await connected(z, 1);
    expect(api.listener.starts).toEqual([{ retryOnClose: false }]);
    const chatter = { ...fixture("group-chatter"), msgId: "7312345678901230001" };
    api.listener.deliver(userMessage(BOT, { ...fixture("direct-text"), msgId: "7312345678901230002" }));
    api.listener.deliver(groupMessage(BOT, { ...fixture("group-mention"), msgId: "7312345678901230003" }));
    api.listener.deliver(groupMessage(BOT, chatter));
    api.listener.deliver(userMessage(BOT, { ...fixture("direct-text"), msgId: "7312345678901230004", uidFrom: "0", idTo: "2984561230987654321" }));
    await z.listener.idle();
    expect(z.enqueued).toHaveLength(2);
    expect((await stored("7312345678901230002")).n).toBe(1);
    expect((await stored("7312345678901230003")).n).toBe(1);
    expect((await stored("7312345678901230001")).n).toBe(0);
    expect((await stored("7312345678901230004")).n).toBe(0);
    const thread = await store.chats.thread(orgId, "zalo", GROUP);
    expect(thread?.kind).toBe("group");
    await z.listener.stop();
    expect(z.listener.state()).toBe("stopped");
  });

  it("after a 1006 close it logs in afresh after a short backoff, fetches missed messages and records duplicates once", async () => {
    const z = await build();
    await z.listener.start();
    const first = await connected(z, 1);
    const a = groupMessage(BOT, { ...fixture("group-mention"), msgId: "7312345678901231001" });
    first.listener.deliver(a);
    await z.listener.idle();
    expect(z.enqueued).toHaveLength(1);

    const second = new FakeZcaApi(BOT);
    const missedB = groupMessage(BOT, { ...fixture("group-mention"), msgId: "7312345678901231002", content: "/trogiup", mentions: undefined });
    const aAgain = groupMessage(BOT, { ...fixture("group-mention"), msgId: "7312345678901231001" });
    const tooOld = groupMessage(BOT, { ...fixture("group-mention"), msgId: "7312345678901231003", ts: String(clock.now().getTime() - 13 * 3_600_000) });
    second.listener.missed[ThreadType.Group] = [aAgain, missedB, tooOld];
    z.login.script.push(second);

    first.listener.close(1006, "");
    await until(() => z.loginWaits().length > 0);
    expect(z.listener.state()).toBe("reconnecting");
    expect(z.listener.api()).toBeNull();
    expect(z.loginWaits()).toEqual([1_000]);
    expect(z.login.calls).toHaveLength(1);
    await z.scheduler.advance(1_000);
    await connected(z, 2);
    expect(z.login.calls[1]).toMatchObject({ imei: "imei-1", userAgent: "UA" });
    await settle();
    await z.listener.idle();
    // Asked from the last group message seen.
    expect(second.listener.oldRequests).toContainEqual({ type: ThreadType.Group, lastId: "7312345678901231001" });
    expect((await stored("7312345678901231001")).n).toBe(1);
    expect((await stored("7312345678901231002")).n).toBe(1);
    expect((await stored("7312345678901231003")).n).toBe(0);
    expect(z.enqueued).toHaveLength(2);
    await z.listener.stop();
  });

  it.each([3000, 3003])("after close code %i it waits at least 60 s before logging in again", async (code) => {
    const z = await build();
    await z.listener.start();
    const api = await connected(z, 1);
    api.listener.close(code, "another connection is opened");
    await until(() => z.loginWaits().length > 0);
    expect(z.loginWaits()).toEqual([60_000]);
    await z.scheduler.advance(59_000);
    expect(z.login.calls).toHaveLength(1);
    await z.scheduler.advance(1_000);
    await connected(z, 2);
    await z.listener.stop();
  });

  it("backs off exponentially while logins fail on the network, without asking for a QR", async () => {
    const z = await build();
    z.login.script.push(new TypeError("fetch failed"), new TypeError("fetch failed"), new TypeError("fetch failed"));
    await z.listener.start();
    await until(() => z.loginWaits().length > 0);
    expect(z.loginWaits()).toEqual([1_000]);
    await z.scheduler.advance(1_000);
    await until(() => z.loginWaits().length > 0);
    expect(z.loginWaits()).toEqual([2_000]);
    await z.scheduler.advance(2_000);
    await until(() => z.loginWaits().length > 0);
    expect(z.loginWaits()).toEqual([4_000]);
    await z.scheduler.advance(4_000);
    await connected(z, 1);
    expect(z.needsQr).toEqual([]);
    await z.listener.stop();
  });

  it("asks for a QR when Zalo rejects the saved session, then resumes from the newly saved one", async () => {
    const z = await build();
    z.login.script.push(new ZaloApiError("Đăng nhập thất bại"), new ZaloApiError("Đăng nhập thất bại"));
    await z.listener.start();
    await until(() => z.loginWaits().length > 0);
    await z.scheduler.advance(1_000);
    await until(() => z.needsQr.length > 0);
    expect(z.needsQr).toHaveLength(1);
    expect(z.needsQr[0]).toMatch(/từ chối phiên/);
    expect(z.listener.state()).toBe("needs_qr");
    await z.scheduler.advance(60_000);
    expect(z.login.calls).toHaveLength(2); // no login attempts with the rejected session meanwhile
    clock.advance(1);
    await z.credentials.save({ imei: "imei-2", cookie: [{ key: "zpw_sek", value: "v2", domain: "chat.zalo.me" }], userAgent: "UA" });
    await z.scheduler.advance(30_000);
    await connected(z, 1);
    expect(z.login.calls).toHaveLength(3);
    expect(z.login.calls[2]).toMatchObject({ imei: "imei-2" });
    expect(z.needsQr).toHaveLength(1);
    await z.listener.stop();
  });

  it("saves refreshed cookies while connected", async () => {
    const z = await build();
    await z.listener.start();
    const api = await connected(z, 1);
    api.cookies = [{ key: "zpw_sek", value: "refreshed-by-zalo", domain: "chat.zalo.me" }];
    await z.scheduler.advance(10 * 60_000);
    await settle();
    const reread = credentialStore({ dataDir: z.dataDir, account: "default", key: z.key, clock });
    expect((await reread.load())?.cookie).toEqual(api.cookies);
    await z.listener.stop();
  });

  it("refuses a second listener for the same account until the first stops", async () => {
    const lockKey = `test:zalo:${randomUUID()}`;
    const one = await build({ lockKey });
    const two = await build({ lockKey });
    await one.listener.start();
    await expect(two.listener.start()).rejects.toThrow(ZaloListenerLockedError);
    await expect(two.listener.start()).rejects.toThrow(/already has a listener/);
    expect(two.login.calls).toHaveLength(0);
    await one.listener.stop();
    expect(await redis.get(lockKey)).toBeNull();
    const three = await build({ lockKey });
    await three.listener.start();
    expect(await redis.get(lockKey)).not.toBeNull();
    await three.listener.stop();
  });

  it("a quote of our reply arrives with replyToMessageId = the id our send returned, and leads to its outbox row", async () => {
    const z = await build();
    await z.listener.start();
    const api = await connected(z, 1);
    const question = groupMessage(BOT, { ...fixture("group-mention"), msgId: "7312345678901232001" });
    api.listener.deliver(question);
    await z.listener.idle();
    const thread = await store.chats.thread(orgId, "zalo", GROUP);
    const outbox = await store.outbound.enqueue({ orgId, threadId: thread?.id ?? null, text: "Đã ghi nhận NV 6.2: 50%" });
    const guard = createSendGuard({ hourlyCap: 300 }, { clock });
    const gateway = zaloGateway({ api: () => z.listener.api(), guard, recent: z.listener.recent, isLinked: async () => false });
    // Zalo's global ids exceed 2^53 in this test on purpose: the send result carries a safe one.
    api.script.push({ message: { msgId: 7_312_345_678_901 }, attachment: [] });
    // What the delivery use case does with a reply: send it quoting what it answers, record the id.
    const [attempt] = await gateway.send({ orgId, outboundMessageId: outbox.id, externalId: GROUP, threadKind: "group", text: "Đã ghi nhận NV 6.2: 50%", quoteExternalId: "7312345678901232001", kind: "response" });
    expect(attempt).toMatchObject({ outcome: "sent", externalMessageId: "7312345678901" });
    await conversation.recordSent({ orgId, outboundMessageId: outbox.id, channel: "zalo", externalMessageId: attempt?.externalMessageId ?? "" });
    expect(api.sent[0]?.content.quote?.msgId).toBe("7312345678901232001");
    const sentId = "7312345678901";

    const reply = groupMessage(BOT, { ...fixture("group-quote-bot"), msgId: "7312345678901232002", quote: { ...fixture("group-quote-bot").quote!, globalMsgId: sentId } });
    api.listener.deliver(reply);
    await z.listener.idle();
    expect(await stored("7312345678901232002")).toEqual({ n: 1, reply: sentId });
    expect((await store.outbound.byExternalId(orgId, "zalo", sentId))?.id).toBe(outbox.id);
    await z.listener.stop();
  });
});
