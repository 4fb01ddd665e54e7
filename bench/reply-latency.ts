/**
 * How fast a cadre is answered while a big broadcast drains (issue: one way out).
 *   npx tsx bench/reply-latency.ts [REPO_DIR ...]
 * For each checkout given (default: this one), on a fresh PostgreSQL database: 10,000 Messenger
 * recipients, a real `dondoc start` of that checkout against a fake Graph API (which echoes every
 * delivery back, signed), a broadcast to all 10,000 at DELIVERY_RATES messenger=50, then one
 * signed cadre message every 500 ms for 30 s. Latency = from the webhook POST of the cadre's
 * message to the fake receiving the reply. Prints p50/p99 per checkout; asserts nothing.
 * Needs PostgreSQL and Redis on localhost (as the tests do).
 */
import { spawn } from "node:child_process";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { startFakeGraph } from "../test/fakes/graph-api.ts";
import { createEmptyPostgres } from "../test/support/databases.ts";
import { freePort } from "../test/support/ports.ts";

const SECRET = "bench-app-secret-1";
const RECIPIENTS = 10_000;
const repos = process.argv.slice(2).length > 0 ? process.argv.slice(2).map((r) => resolve(r)) : [process.cwd()];

async function run(repo: string) {
  const database = await createEmptyPostgres();
  const port = await freePort();
  const graph = await startFakeGraph({ echoTo: { url: `http://127.0.0.1:${port}/webhooks/messenger`, appSecret: SECRET, pageId: "PAGE" } });
  const cwd = mkdtempSync(join(tmpdir(), "dondoc-bench-reply-"));
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    DATABASE_URL: database.url,
    PORT: String(port),
    QUEUE_PREFIX: `bench-reply-${randomBytes(4).toString("hex")}`,
    ORG_SLUG: "bench-ward",
    SIMULATOR: "off",
    LOG_LEVEL: "warn",
    MESSENGER_APP_SECRET: SECRET,
    MESSENGER_VERIFY_TOKEN: "bench-verify-token",
    MESSENGER_PAGE_TOKEN: "bench-page-token",
    GRAPH_API_BASE: graph.baseUrl,
    DELIVERY_RATES: "messenger=50",
  };
  const dondoc = (args: string[]) => spawn(process.execPath, [join(repo, "bin/dondoc.js"), ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  await new Promise((ok) => dondoc(["migrate"]).on("exit", ok));
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  // Sends at any hour: the bench measures reply latency, not quiet hours.
  const orgId = (await client.query<{ id: string }>(`insert into orgs (slug, name, settings) values ('bench-ward', 'Phường đo', '{"calendar": {"quietStart": "00:00", "quietEnd": "00:00", "saturdayAfternoonOff": false, "sundayOff": false, "holidays": false}}') returning id`)).rows[0]?.id;
  await client.query(
    `with p as (insert into persons (org_id, full_name, roles) select $1, 'Cán bộ ' || g, '{cadre}' from generate_series(1, $2) g returning id, full_name)
     insert into identities (org_id, channel, external_id, person_id, last_inbound_at, linked_at) select $1, 'messenger', 'psid-' || split_part(full_name, ' ', 3), id, now(), now() from p`,
    [orgId, RECIPIENTS],
  );
  const office = (await client.query<{ id: string }>(`insert into persons (org_id, full_name, roles) values ($1, 'Văn phòng', '{office}') returning id`, [orgId])).rows[0]?.id;
  const token = randomBytes(24).toString("base64url");
  await client.query(`insert into api_tokens (org_id, person_id, token_hash) values ($1, $2, $3)`, [orgId, office, createHash("sha256").update(token).digest("hex")]);
  await client.end();

  const server = dondoc(["start"]);
  let log = "";
  server.stdout.on("data", (d: Buffer) => (log += d.toString()));
  server.stderr.on("data", (d: Buffer) => (log += d.toString()));
  for (let i = 0; i < 600; i++) {
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const sent = await fetch(`http://127.0.0.1:${port}/api/broadcasts`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ kind: "announcement", text: "Họp giao ban toàn phường 8h thứ Hai.", targets: { everyone: true } }),
  });
  if (sent.status !== 201) throw new Error(`broadcast: ${sent.status} ${await sent.text()}\n${log}`);
  await new Promise((r) => setTimeout(r, 3_000)); // the drain is under way
  const latencies: number[] = [];
  const cadre = "psid-7";
  for (let i = 0; i < 60; i++) {
    const before = graph.delivered.filter((d) => d.recipientId === cadre && d.messagingType === "RESPONSE").length;
    const raw = JSON.stringify({ object: "page", entry: [{ id: "PAGE", time: Date.now(), messaging: [{ sender: { id: cadre }, recipient: { id: "PAGE" }, timestamp: Date.now(), message: { mid: `m-bench-${i}-${Date.now()}`, text: "/trogiup" } }] }] });
    const start = Date.now();
    await fetch(`http://127.0.0.1:${port}/webhooks/messenger`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(raw).digest("hex")}` }, body: raw });
    for (const end = Date.now() + 20_000; Date.now() < end; ) {
      const replies = graph.delivered.filter((d) => d.recipientId === cadre && d.messagingType === "RESPONSE");
      if (replies.length > before) {
        latencies.push((replies[before]?.at ?? Date.now()) - start);
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const drained = graph.delivered.filter((d) => d.messagingType !== "RESPONSE").length;
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
  await graph.close();
  await database.drop();
  rmSync(cwd, { recursive: true, force: true });
  const s = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
  return { repo, answered: latencies.length, p50: q(0.5), p99: q(0.99), max: s[s.length - 1] ?? NaN, drained };
}

for (const repo of repos) {
  const r = await run(repo);
  console.log(`${r.repo}: ${r.answered}/60 answered while the broadcast drained (${r.drained} broadcast messages sent meanwhile); reply latency p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms`);
}
