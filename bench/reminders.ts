/**
 * Reminder and delivery benchmark (run by hand: `npx tsx bench/reminders.ts`; needs the local
 * PostgreSQL and Redis). Prints figures; asserts nothing.
 *
 * 1. Plans reminders for 10,000 assignments (100 items × 100 units), then plans again.
 * 2. 2,000 reminders due at the same moment: lateness from their moment to their outbox row.
 * 3. 10,000 deliveries through a fake channel limited to 200/s: achieved rate, the most sends in
 *    any sliding second, duplicates and losses.
 * 4. Two channels broadcasting at once (200/s and 100/s), each keeping its own rate.
 * 5. For comparison, BullMQ's own limiter at 200 per second.
 *
 * ONLY_FIRE=1 stops after step 2.
 */
import { randomUUID } from "node:crypto";
import { Queue, Worker } from "bullmq";
import { sql } from "drizzle-orm";
import { createDelivery, createPlanner } from "../src/app/index.ts";
import type { ChannelGateway, Clock } from "../src/app/index.ts";
import { createStore } from "../src/store/index.ts";
import * as t from "../src/store/schema.ts";
import { createRedis, startWorkers } from "../jobs/index.ts";
import { createMigratedDatabase } from "../test/support/databases.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const clock: Clock = { now: () => new Date() };
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A channel that records when each outbox id reached it. */
function fakeChannel() {
  const sends: { id: string; at: number }[] = [];
  const gateway: ChannelGateway = {
    canSend: () => ({ ok: true }),
    async send(input) {
      sends.push({ id: input.outboundMessageId, at: performance.now() });
      await new Promise((r) => setTimeout(r, 1)); // a network call's worth of waiting
      return [{ attempt: 1, outcome: "sent", externalMessageId: `fake-${input.outboundMessageId}` }];
    },
  };
  return { gateway, sends };
}

function rateFigures(sends: { id: string; at: number }[], expected: Set<string>) {
  const times = sends.map((s) => s.at).sort((a, b) => a - b);
  let maxInSecond = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= 1_000) j++;
    maxInSecond = Math.max(maxInSecond, i - j + 1);
  }
  const seen = new Map<string, number>();
  for (const s of sends) seen.set(s.id, (seen.get(s.id) ?? 0) + 1);
  const duplicates = [...seen.values()].filter((n) => n > 1).length;
  const losses = [...expected].filter((id) => !seen.has(id)).length;
  const span = ((times[times.length - 1] ?? 0) - (times[0] ?? 0)) / 1_000;
  return { sends: sends.length, seconds: Number(span.toFixed(2)), rate: Number(((sends.length - 1) / span).toFixed(1)), maxInAnySecond: maxInSecond, duplicates, losses };
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;

async function main() {
  const test = await createMigratedDatabase("postgres");
  const db = test.database.db;
  const store = createStore(db);
  // Sends at any hour: the bench measures pacing, not quiet hours.
  const org = await store.orgs.create({ slug: `bench-${randomUUID().slice(0, 6)}`, name: "Phường đo tải", settings: { calendar: { quietStart: "00:00", quietEnd: "00:00", saturdayAfternoonOff: false, sundayOff: false, holidays: false } } });
  const orgId = org.id;

  // 100 units, each with one linked cadre on the simulator channel; 100 items assigned to all.
  const units = await db.insert(t.units).values(Array.from({ length: 100 }, (_, i) => ({ orgId, name: `Chi bộ ${i + 1}` }))).returning();
  const persons = await db.insert(t.persons).values(units.map((u) => ({ orgId, fullName: `Cán bộ ${u.name}`, roles: ["cadre" as const] }))).returning();
  await db.insert(t.unitMemberships).values(units.map((u, i) => ({ orgId, unitId: u.id, personId: persons[i]?.id ?? "" })));
  await db.insert(t.identities).values(persons.map((p, i) => ({ orgId, channel: "simulator" as const, externalId: `bench-${i}`, personId: p.id, lastInboundAt: new Date() })));
  const [directive] = await db.insert(t.directives).values({ orgId, status: "active", sourceText: "bench", sourceHash: randomUUID(), activatedAt: new Date() }).returning();
  const today = new Date();
  const items = await db
    .insert(t.items)
    .values(Array.from({ length: 100 }, (_, i) => ({ orgId, directiveId: directive?.id ?? "", ref: String(i + 1), position: i, text: `Nhiệm vụ ${i + 1}`, summary: `Nhiệm vụ ${i + 1}` })))
    .returning();
  const assignments = [];
  for (const [i, item] of items.entries()) {
    const due = new Date(today.getTime() + (5 + (i % 25)) * 86_400_000).toISOString().slice(0, 10);
    for (const u of units) assignments.push({ orgId, itemId: item.id, unitId: u.id, role: "lead" as const, dueDate: due });
  }
  for (let i = 0; i < assignments.length; i += 2_000) await db.insert(t.assignments).values(assignments.slice(i, i + 2_000));

  // 1. Planning.
  const planner = createPlanner({ store, clock });
  let t0 = performance.now();
  const planned = await planner.plan(orgId);
  const planMs = performance.now() - t0;
  t0 = performance.now();
  const again = await planner.plan(orgId);
  const againMs = performance.now() - t0;
  console.log(`plan: ${assignments.length} assignments → ${planned} reminders in ${planMs.toFixed(0)} ms; again: ${again} new in ${againMs.toFixed(0)} ms`);
  await db.execute(sql`update reminders set status = 'cancelled' where org_id = ${orgId}`);

  // 2. 2,000 reminders due at the same moment, fired by the worker's delayed job.
  const channel = fakeChannel();
  const delivery = createDelivery({ store, clock, gateways: { simulator: channel.gateway } });
  const connection = createRedis(REDIS_URL);
  const prefix = `bench-${randomUUID().slice(0, 6)}`;
  const moment = new Date(Date.now() + 3_000);
  const chosen = (await db.select({ id: t.assignments.id }).from(t.assignments).where(sql`org_id = ${orgId}`).limit(2_000)).map((a) => a.id);
  await store.outbound.planReminders(chosen.map((assignmentId) => ({ orgId, assignmentId, kind: "before", plannedAt: moment, dedupeKey: `${assignmentId}-bench` })));
  const workers = await startWorkers({
    connection,
    prefix,
    clock,
    logger: silent,
    processInbound: async () => [],
    deliver: (o, id, options) => delivery.deliver(o, id, options),
    routes: (o, ids) => store.outbound.routes(o, ids),
    pendingOutbox: async () => [],
    deliveryChannels: [{ channel: "simulator", ratePerSecond: 200 }],
    reminders: {
      plan: async () => 0,
      moments: () => planner.moments(orgId),
      fire: () => planner.fire(orgId),
      async prepareFire(at) {
        const prepared = await planner.prepare(orgId, at);
        return async () => {
          const s = performance.now();
          const lateAtStart = Date.now() - moment.getTime();
          const r = await planner.fire(orgId, { prepared });
          if (r.length) console.log(`  (fire started ${lateAtStart} ms after the moment, prepared before it; took ${(performance.now() - s).toFixed(0)} ms)`);
          return r;
        };
      },
    },
  });
  const waitFor = async (ok: () => Promise<boolean>, ms: number) => {
    const end = Date.now() + ms;
    while (!(await ok()) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  };
  const rowsOf = async <T>(q: ReturnType<typeof sql>): Promise<T[]> => {
    const result: unknown = await db.execute(q);
    return (result as { rows: T[] }).rows;
  };
  const countSql = async (q: ReturnType<typeof sql>) => Number((await rowsOf<{ n: string }>(q))[0]?.n ?? 0);
  await waitFor(async () => (await countSql(sql`select count(*) as n from outbound_messages where org_id = ${orgId}`)) >= 2_000, 20_000);
  const late = (await rowsOf<{ ms: string }>(sql`select extract(epoch from (m.created_at - r.planned_at)) * 1000 as ms from outbound_messages m join reminders r on r.id = m.reminder_id where m.org_id = ${orgId}`)).map((r) => Number(r.ms));
  console.log(`fire: ${late.length} reminders due at one moment → outbox; lateness p50 ${percentile(late, 50).toFixed(0)} ms, p99 ${percentile(late, 99).toFixed(0)} ms, max ${Math.max(...late).toFixed(0)} ms`);
  // Let those 2,000 go out (10 s at 200/s) before the big run.
  await waitFor(async () => (await countSql(sql`select count(*) as n from outbound_messages where org_id = ${orgId} and status = 'pending'`)) === 0, 30_000);
  channel.sends.length = 0;

  if (process.env.ONLY_FIRE) { await workers.close(); connection.disconnect(); await test.drop(); return; }
  // 3. 10,000 deliveries at 200/s.
  const identities = await db.select({ id: t.identities.id }).from(t.identities).where(sql`org_id = ${orgId}`);
  const rows = Array.from({ length: 10_000 }, (_, i) => ({ orgId, identityId: identities[i % identities.length]?.id ?? null, text: `Thông báo ${i}` }));
  t0 = performance.now();
  const ids = await store.outbound.enqueueMany(rows);
  await workers.dispatch(ids.map((id) => ({ orgId, id, channel: "simulator" as const })));
  console.log(`queue: 10,000 outbox rows written and queued in ${(performance.now() - t0).toFixed(0)} ms`);
  await waitFor(async () => channel.sends.length >= 10_000 && (await countSql(sql`select count(*) as n from outbound_messages where org_id = ${orgId} and status = 'pending'`)) === 0, 120_000);
  console.log("deliver 10,000 at 200/s:", rateFigures(channel.sends, new Set(ids)));
  await workers.close();

  // 4. Two channels at once: simulator 200/s and messenger (another fake) 100/s, 2,000 each.
  const a = fakeChannel();
  const b = fakeChannel();
  const delivery2 = createDelivery({ store, clock, gateways: { simulator: a.gateway, messenger: b.gateway } });
  const fb = await db.insert(t.identities).values(persons.map((p, i) => ({ orgId, channel: "messenger" as const, externalId: `psid-${i}`, personId: p.id, lastInboundAt: new Date() }))).returning();
  const workers2 = await startWorkers({
    connection,
    prefix: `${prefix}-2`,
    clock,
    logger: silent,
    processInbound: async () => [],
    deliver: (o, id, options) => delivery2.deliver(o, id, options),
    routes: (o, list) => store.outbound.routes(o, list),
    pendingOutbox: async () => [],
    deliveryChannels: [
      { channel: "simulator", ratePerSecond: 200 },
      { channel: "messenger", ratePerSecond: 100 },
    ],
  });
  const simIds = await store.outbound.enqueueMany(Array.from({ length: 2_000 }, (_, i) => ({ orgId, identityId: identities[i % 100]?.id ?? null, text: `A ${i}` })));
  const fbIds = await store.outbound.enqueueMany(Array.from({ length: 2_000 }, (_, i) => ({ orgId, identityId: fb[i % 100]?.id ?? null, text: `B ${i}` })));
  await workers2.dispatch([...simIds.map((id) => ({ orgId, id, channel: "simulator" as const })), ...fbIds.map((id) => ({ orgId, id, channel: "messenger" as const }))]);
  await waitFor(async () => a.sends.length >= 2_000 && b.sends.length >= 2_000, 60_000);
  console.log("two channels, simulator at 200/s:", rateFigures(a.sends, new Set(simIds)));
  console.log("two channels, messenger at 100/s:", rateFigures(b.sends, new Set(fbIds)));
  await workers2.close();

  // 5. For comparison: BullMQ's own limiter (max 200 per 1,000 ms), 4,000 trivial jobs.
  const limited = new Queue("limiter-only", { connection, prefix });
  const stamps: { id: string; at: number }[] = [];
  const plain = new Worker("limiter-only", async (job) => void stamps.push({ id: job.id ?? "", at: performance.now() }), {
    connection,
    prefix,
    concurrency: 32,
    limiter: { max: 200, duration: 1_000 },
  });
  await limited.addBulk(Array.from({ length: 4_000 }, (_, i) => ({ name: "x", data: {}, opts: { jobId: `l-${i}` } })));
  await waitFor(async () => stamps.length >= 4_000, 60_000);
  console.log("BullMQ limiter alone, 200 per second:", rateFigures(stamps, new Set(stamps.map((x) => x.id))));
  await plain.close();
  await limited.close();

  const keys = await connection.keys(`${prefix}*`);
  for (let i = 0; i < keys.length; i += 500) await connection.del(...keys.slice(i, i + 500));
  connection.disconnect();
  await test.drop();
}

await main();
