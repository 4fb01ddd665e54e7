/**
 * The crash test (issue: reminders, broadcasts): a real `dondoc start` process broadcasting to
 * 2,000 Messenger recipients (a fake Graph API that echoes every delivered message back to the
 * webhook, signed, retrying while the app is down, as Meta does) is killed with SIGKILL in the
 * middle and started again. Nothing may be lost, the broadcast must finish within 15 s of the
 * restart, and the number sent twice is reported (the aim, and the assertion, is zero): a send
 * is marked `sending` before the channel call, and after the restart a message in that state
 * waits for its echo before it is sent again.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import * as t from "../../src/store/schema.ts";
import { createRedis } from "../../jobs/index.ts";
import { startFakeGraph, type FakeGraph } from "../fakes/graph-api.ts";
import { runDondoc, type RunningProcess } from "../support/cli.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { ALWAYS_OPEN } from "../support/queues.ts";
import { TEST_REDIS_URL } from "../support/env.ts";
import { freePort } from "../support/ports.ts";
import { useTempDirs } from "../support/temp-dirs.ts";

const RECIPIENTS = 2_000;
const APP_SECRET = "crash-app-secret";
const PAGE_ID = "104000000000001";

describe("a worker killed in the middle of a 2,000-recipient broadcast", () => {
  const tempDir = useTempDirs("dondoc-crash-");
  let test: TestDatabase;
  let store: Store;
  let graph: FakeGraph;
  let token: string;
  let env: Record<string, string>;
  let port: number;
  const prefix = `crash-${randomUUID().slice(0, 8)}`;
  const running: RunningProcess[] = [];

  beforeAll(async () => {
    test = await createMigratedDatabase("postgres");
    store = createStore(test.database.db);
    const org = await store.orgs.create({ slug: "phuong-crash", name: "Phường thử sập", settings: ALWAYS_OPEN });
    const db = test.database.db;
    const people = await db
      .insert(t.persons)
      .values(Array.from({ length: RECIPIENTS }, (_, i) => ({ orgId: org.id, fullName: `Cán bộ ${i + 1}`, roles: ["cadre" as const] })))
      .returning({ id: t.persons.id });
    await db.insert(t.identities).values(people.map((p, i) => ({ orgId: org.id, channel: "messenger" as const, externalId: `psid-${i + 1}`, personId: p.id, lastInboundAt: new Date() })));
    const office = await store.persons.create({ orgId: org.id, fullName: "Văn phòng", roles: ["office"] });
    token = (await store.access.createToken({ orgId: org.id, personId: office.id })).token;
    port = await freePort();
    graph = await startFakeGraph({ echoTo: { url: `http://127.0.0.1:${port}/webhooks/messenger`, appSecret: APP_SECRET, pageId: PAGE_ID } });
    env = {
      DATABASE_URL: test.where,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      ORG_SLUG: "phuong-crash",
      SIMULATOR: "off",
      MESSENGER_APP_SECRET: APP_SECRET,
      MESSENGER_VERIFY_TOKEN: "crash-verify-token",
      MESSENGER_PAGE_TOKEN: "crash-page-token",
      GRAPH_API_BASE: graph.baseUrl,
      DELIVERY_RATES: "messenger=400",
      DELIVERY_LOCK_MS: "3000",
    };
  });

  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill("SIGKILL");
    await graph.close();
    const redis = createRedis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    redis.disconnect();
    await test.drop();
  });

  async function start(): Promise<RunningProcess> {
    const proc = runDondoc(["start"], { cwd: tempDir(), env });
    running.push(proc);
    await proc.waitForLog("worker running", 60_000);
    await proc.waitForLog("web listening", 60_000);
    return proc;
  }

  const sentCount = async () => {
    const result: unknown = await test.database.db.execute(sql`select count(*)::int as n from outbound_messages where broadcast_id is not null and status = 'sent'`);
    return (result as { rows: { n: number }[] }).rows[0]?.n ?? 0;
  };

  it("loses none, finishes within 15 s of the restart, and sends none twice", async () => {
    const first = await start();
    const res = await fetch(`http://127.0.0.1:${port}/api/broadcasts`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ kind: "announcement", text: "Họp giao ban toàn phường 8h thứ Hai.", targets: { everyone: true } }),
    });
    expect(res.status).toBe(201);
    const { id, recipients } = (await res.json()) as { id: string; recipients: number };
    expect(recipients).toBe(RECIPIENTS);

    // Kill it mid-way: some delivered, most still queued, a few in flight.
    const killAt = 500;
    for (const end = Date.now() + 30_000; graph.delivered.length < killAt && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
    first.child.kill("SIGKILL");
    await first.exited();
    const deliveredAtKill = graph.delivered.length;
    expect(deliveredAtKill).toBeGreaterThanOrEqual(killAt);
    expect(deliveredAtKill).toBeLessThan(RECIPIENTS);

    // The ledger names what is in doubt: marked `sending`, no outcome yet.
    const doubt: unknown = await test.database.db.execute(sql`select count(*)::int as n from deliveries d where d.outcome = 'sending'`);
    const inDoubt = (doubt as { rows: { n: number }[] }).rows[0]?.n ?? 0;
    const restartedAt = Date.now();
    const second = runDondoc(["start"], { cwd: tempDir(), env });
    running.push(second);
    let finishedAt = 0;
    for (const end = restartedAt + 40_000; Date.now() < end; ) {
      const distinct = new Set(graph.delivered.map((d) => d.metadata)).size;
      if (distinct >= RECIPIENTS && (await sentCount()) >= RECIPIENTS) {
        finishedAt = Date.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const byOutbox = new Map<string, number>();
    for (const d of graph.delivered) byOutbox.set(d.metadata ?? "", (byOutbox.get(d.metadata ?? "") ?? 0) + 1);
    const twice = [...byOutbox.values()].filter((n) => n > 1).length;
    const seconds = finishedAt ? (finishedAt - restartedAt) / 1_000 : null;
    console.log(`crash test: delivered ${deliveredAtKill} before the kill, ${inDoubt} in doubt (marked sending); all ${byOutbox.size} done ${seconds ?? "never"} s after the restart; sent twice: ${twice}`);

    expect(byOutbox.size).toBe(RECIPIENTS); // none lost
    expect(await sentCount()).toBe(RECIPIENTS);
    expect(seconds).not.toBeNull();
    expect(seconds ?? Infinity).toBeLessThan(15);
    expect(twice).toBe(0);

    const view = (await (await fetch(`http://127.0.0.1:${port}/api/broadcasts/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { counts: Record<string, number> };
    expect(view.counts).toEqual({ total: RECIPIENTS, sent: RECIPIENTS, failed: 0, pending: 0 });
    await second.stop("SIGTERM");
  }, 150_000);
});
