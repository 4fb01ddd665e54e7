/**
 * Load on the Messenger webhook beside a bare Fastify route, in the same run (run by hand:
 * `npx tsx bench/webhook.ts [seconds]`; needs Redis). Each request is a distinct signed body, so
 * every one is verified, stored and queued. Prints requests/s and p50/p99 latency at full load
 * (10 connections), then at a steady 300 events/s.
 */
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { once } from "node:events";
import { createInterface } from "node:readline";
import autocannon from "autocannon";

const seconds = Number(process.argv[2] ?? 10);
const steadySeconds = Number(process.argv[3] ?? 60);
const server = spawn(process.execPath, ["--import", "tsx", new URL("./webhook-server.ts", import.meta.url).pathname], {
  stdio: ["ignore", "pipe", "inherit"],
  env: process.env,
});
const [line] = (await once(createInterface({ input: server.stdout }), "line")) as [string];
const urls = JSON.parse(line) as { bare: string; webhook: string; driver: string };

let n = 0;
function body(): { body: string; signature: string } {
  n++;
  const raw = JSON.stringify({
    object: "page",
    entry: [{ id: "PAGE", time: Date.now(), messaging: [{ sender: { id: `psid-${n % 500}` }, recipient: { id: "PAGE" }, timestamp: Date.now(), message: { mid: `m_bench_${process.pid}_${n}`, text: "bc 6 xong rồi ạ" } }] }],
  });
  return { body: raw, signature: `sha256=${createHmac("sha256", "bench-secret-123").update(raw).digest("hex")}` };
}

async function load(url: string, options: { duration: number; connections: number; overallRate?: number }) {
  const result = await autocannon({
    url: `${url}/webhooks/messenger`,
    method: "POST",
    duration: options.duration,
    connections: options.connections,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        setupRequest: (req) => {
          const { body: b, signature } = body();
          return { ...req, body: b, headers: { "content-type": "application/json", "x-hub-signature-256": signature } };
        },
      },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

const rows: [string, Awaited<ReturnType<typeof load>>][] = [];
rows.push(["bare route, full load", await load(urls.bare, { duration: seconds, connections: 10 })]);
rows.push([`webhook (${urls.driver}), full load`, await load(urls.webhook, { duration: seconds, connections: 10 })]);
rows.push([`webhook (${urls.driver}), steady 300/s`, await load(urls.webhook, { duration: steadySeconds, connections: 10, overallRate: 300 })]);

console.log("\nrun".padEnd(36), "req/s".padStart(8), "p50 ms".padStart(8), "p99 ms".padStart(8), "non-2xx".padStart(8), "errors".padStart(7));
for (const [name, r] of rows) {
  console.log(name.padEnd(35), r.rps.toFixed(0).padStart(8), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.non2xx).padStart(8), String(r.errors).padStart(7));
}
const [bare, full] = [rows[0]?.[1], rows[1]?.[1]];
if (bare && full) console.log(`webhook / bare throughput: ${(full.rps / bare.rps).toFixed(3)}`);
server.kill("SIGTERM");
await once(server, "exit");
