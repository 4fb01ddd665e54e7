/**
 * The attack suite against `dondoc start --demo`, the README's own install, as a real process:
 * the simulator's door, a zip bomb uploaded with the office token while the server's memory is
 * watched, the data directory's permissions, and a deployment that refuses the simulator.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/index.ts";
import { zip } from "../files/zip-writer.ts";
import { runDondoc } from "../support/cli.ts";
import { createEmptyPostgres } from "../support/databases.ts";
import { TEST_REDIS_URL } from "../support/env.ts";
import { simHeaders } from "../support/simulator.ts";
import { useTempDirs } from "../support/temp-dirs.ts";

const tempDir = useTempDirs("dondoc-spawned-");

/** The resident memory of a process, in MB (Linux). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** A .docx whose word/document.xml unpacks to `mb` megabytes: about 100 KB on disk per 100 MB. */
function zipBomb(mb: number, declared?: number): Buffer {
  const xml = Buffer.alloc(mb * 1024 * 1024, "a");
  const raw = deflateRawSync(xml, { level: 9 });
  return zip([
    { name: "[Content_Types].xml", data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    { name: "word/document.xml", data: xml, raw, ...(declared !== undefined ? { declaredSize: declared } : {}) },
  ]);
}

function modes(dir: string): { path: string; mode: number; dir: boolean }[] {
  const out: { path: string; mode: number; dir: boolean }[] = [{ path: dir, mode: statSync(dir).mode & 0o777, dir: true }];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...modes(path));
    else if (entry.isFile()) out.push({ path, mode: statSync(path).mode & 0o777, dir: false });
  }
  return out;
}

/** The rows of a query (both drivers answer `{ rows }`). */
async function rowsOf<T>(db: { execute(query: ReturnType<typeof sql>): Promise<unknown> }, query: ReturnType<typeof sql>): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

describe("dondoc start --demo under attack", () => {
  it("keeps the simulator local and secret, survives a zip bomb under 512 MB, and keeps its data directory private", async () => {
    const cwd = tempDir();
    const proc = runDondoc(["start", "--demo"], { cwd, env: { REDIS_URL: TEST_REDIS_URL, PORT: "0", QUEUE_PREFIX: `spawned-${Date.now()}` } });
    try {
      const { url } = (await proc.waitForLog("web listening")) as { url: string };
      const secret = readFileSync(join(cwd, "data", "simulator-secret.txt"), "utf8").trim();
      const token = readFileSync(join(cwd, "data", "office-token.txt"), "utf8").trim();
      // The banner shows how to call it with the secret.
      for (const end = Date.now() + 5_000; !proc.stdout().includes("X-Simulator-Secret") && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
      expect(proc.stdout()).toContain('-H "X-Simulator-Secret: $(cat data/simulator-secret.txt)"');

      // 1. Speaking as the office through the simulator: refused without the secret, or through a proxy.
      const forged = JSON.stringify({ senderId: "vanphong", text: "/thongbao Tin giả mạo qua mô phỏng" });
      expect((await fetch(`${url}/api/simulator/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: forged })).status).toBe(401);
      expect((await fetch(`${url}/api/simulator/messages`, { method: "POST", headers: { ...simHeaders(secret), "x-forwarded-for": "203.0.113.9" }, body: forged })).status).toBe(403);
      const ok = await fetch(`${url}/api/simulator/messages`, { method: "POST", headers: simHeaders(secret), body: JSON.stringify({ senderId: "lanhdao", text: "/trogiup" }) });
      expect(ok.status).toBe(200);

      // 3. A zip bomb with the office token: refused, memory bounded, the server still answers.
      const pid = proc.child.pid ?? 0;
      const baseline = rssMb(pid);
      let peak = baseline;
      const watcher = setInterval(() => {
        peak = Math.max(peak, rssMb(pid));
      }, 20);
      const results: number[] = [];
      try {
        for (const bomb of [zipBomb(100), zipBomb(100, 1_024), zipBomb(60, 3 * 1024 * 1024)]) {
          const form = new FormData();
          form.append("file", new Blob([bomb]), "thong-bao.docx");
          const res = await fetch(`${url}/api/directives`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
          results.push(res.status);
          console.log(`bomb ${bomb.length} bytes: ${res.status}, peak so far ${peak.toFixed(0)} MB`);
          const body = (await res.json()) as { message: string };
          expect(body.message).toMatch(/Tệp|tệp/);
          expect([400, 413]).toContain(res.status);
        }
      } finally {
        clearInterval(watcher);
      }
      console.log(`zip bombs: statuses ${results.join(", ")}, server RSS ${baseline.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB`);
      expect(results.every((s) => s >= 400 && s < 500)).toBe(true);
      expect(peak).toBeLessThan(512);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const listed = (await (await fetch(`${url}/api/directives`, { headers: { authorization: `Bearer ${token}` } })).json()) as { directives: unknown[] };
      expect(listed.directives).toHaveLength(1); // the demo's seed only

      // 7. The data directory is the owner's alone (PGlite writes pg_hba.conf 0666 on its own).
      const loose = modes(join(cwd, "data")).filter((m) => (m.dir ? m.mode !== 0o700 : m.mode & 0o077));
      expect(loose).toEqual([]);
    } finally {
      expect(await proc.stop()).toBe(0);
    }

    // Nothing forged was stored; the simulator's "vanphong" is a demo person of its own, not the office API user.
    const database = await openDatabase({ dataDir: join(cwd, "data") });
    try {
      const forgedRows = { rows: await rowsOf<{ n: number }>(database.db, sql`select count(*)::int as n from inbound_messages where text like '%giả mạo%'`) };
      expect(forgedRows.rows[0]?.n).toBe(0);
      const broadcasts = { rows: await rowsOf<{ n: number }>(database.db, sql`select count(*)::int as n from broadcasts`) };
      expect(broadcasts.rows[0]?.n).toBe(0);
      const who = { rows: await rowsOf<{ chat: string | null; api: string | null }>(database.db, sql`
        select (select person_id from identities where channel = 'simulator' and external_id = 'vanphong') as chat,
               (select person_id from api_tokens limit 1) as api`) };
      expect(who.rows[0]?.chat).toBeTruthy();
      expect(who.rows[0]?.chat).not.toBe(who.rows[0]?.api);
    } finally {
      await database.close();
    }
  }, 120_000);

  it.each([
    ["PostgreSQL", { SIMULATOR: "on", DATABASE_URL: "postgres://postgres:postgres@127.0.0.1:5432/postgres" }, /DATABASE_URL is set/],
    ["a public HOST", { SIMULATOR: "on", HOST: "0.0.0.0" }, /HOST is 0.0.0.0/],
    ["production", { SIMULATOR: "on", NODE_ENV: "production" }, /NODE_ENV is production/],
  ])("refuses to start a deployment on %s with the simulator on, in one line", async (_what, env, why) => {
    const proc = runDondoc(["start"], { cwd: tempDir(), env: { REDIS_URL: TEST_REDIS_URL, PORT: "0", ...env } });
    expect(await proc.exited()).toBe(2);
    expect(proc.stderr().trim().split("\n")).toHaveLength(1);
    expect(proc.stderr()).toMatch(/SIMULATOR must be off or auto in a deployment/);
    expect(proc.stderr()).toMatch(why);
  });

  it("serves no simulator on PostgreSQL with SIMULATOR=auto", async () => {
    const pg = await createEmptyPostgres();
    const proc = runDondoc(["start"], { cwd: tempDir(), env: { REDIS_URL: TEST_REDIS_URL, PORT: "0", DATABASE_URL: pg.url, QUEUE_PREFIX: `spawned-pg-${Date.now()}` } });
    try {
      const { url } = (await proc.waitForLog("web listening")) as { url: string };
      expect((await fetch(`${url}/api/simulator/messages`, { method: "POST", headers: simHeaders("x".repeat(32)), body: JSON.stringify({ senderId: "x", text: "help" }) })).status).toBe(404);
    } finally {
      await proc.stop();
      await pg.drop();
    }
  });
});
