import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createStore, MIGRATIONS_DIR, openDatabase } from "../../src/store/index.ts";
import { runDondoc } from "../support/cli.ts";
import { useTempDirs } from "../support/temp-dirs.ts";
import { createEmptyPostgres } from "../support/databases.ts";
import { TEST_REDIS_URL } from "../support/env.ts";
import { freePort } from "../support/ports.ts";
import { startRedisServer } from "../support/redis-server.ts";

const tempDir = useTempDirs("dondoc-cli-");

const baseEnv = { REDIS_URL: TEST_REDIS_URL, PORT: "0" };

async function healthz(url: string) {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("dondoc start on the embedded database", () => {
  it("creates ./data, answers /healthz, stops cleanly on SIGTERM, and a second start reuses the data", async () => {
    const cwd = tempDir();
    const env = { ...baseEnv, QUEUE_PREFIX: `cli-${Date.now()}` };

    const first = runDondoc(["start"], { cwd, env });
    const listening = await first.waitForLog("web listening");
    expect(listening.database).toBe("pglite");
    expect(existsSync(join(cwd, "data", "PG_VERSION"))).toBe(true);
    const health = await healthz(String(listening.url));
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok", checks: { database: { ok: true }, redis: { ok: true } } });
    expect(first.stdout()).toContain('"msg":"created org"');
    // The first start leaves an office token so the API can be used while the server holds the data.
    const tokenFile = join(cwd, "data", "office-token.txt");
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, "utf8").trim();
    const api = await fetch(`${String(listening.url)}/api/directives`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
    expect(await api.json()).toEqual({ directives: [] });
    expect((await fetch(`${String(listening.url)}/api/directives`)).status).toBe(401);
    expect(await first.stop("SIGTERM")).toBe(0);
    expect(existsSync(join(cwd, "data", "dondoc.lock"))).toBe(false);

    const second = runDondoc(["start"], { cwd, env });
    const again = await second.waitForLog("web listening");
    expect((await healthz(String(again.url))).status).toBe(200);
    expect(second.stdout()).not.toContain('"msg":"created org"');

    // While one process holds the embedded database, another refuses in one line.
    const intruder = runDondoc(["start"], { cwd, env: { ...env } });
    expect(await intruder.exited()).toBe(1);
    expect(intruder.stderr().trim().split("\n")).toHaveLength(1);
    expect(intruder.stderr()).toMatch(/in use by another dondoc process/);

    expect(await second.stop("SIGINT")).toBe(0);

    // The data survived both runs: one org, created once, and its audit entry.
    const database = await openDatabase({ dataDir: join(cwd, "data") });
    try {
      const store = createStore(database.db);
      const org = await store.orgs.bySlug("phuong-demo");
      expect(org).not.toBeNull();
      expect((await store.audit.list(org?.id ?? "")).map((e) => e.action)).toEqual(["org.created"]);
      // The token of the first start still works after the second.
      expect((await store.access.byToken(readFileSync(join(cwd, "data", "office-token.txt"), "utf8").trim()))?.org.id).toBe(org?.id);
      expect(await database.migrate()).toBe(0);
    } finally {
      await database.close();
    }
  });
});

describe("dondoc start without Redis", () => {
  it("says so in one line naming the URL and how to start Redis, and exits non-zero", async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const proc = runDondoc(["start"], { cwd: tempDir(), env: { ...baseEnv, REDIS_URL: url } });
    const code = await proc.exited();
    expect(code).not.toBe(0);
    const lines = proc.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Cannot reach Redis at ${url}`);
    expect(lines[0]).toMatch(/redis-server/);
  });
});

describe("dondoc web while Redis goes away", () => {
  it("turns /healthz to 503 naming Redis", async () => {
    const redis = await startRedisServer();
    const cwd = tempDir();
    const proc = runDondoc(["start"], { cwd, env: { ...baseEnv, REDIS_URL: redis.url, SHUTDOWN_TIMEOUT_MS: "4000" } });
    try {
      const { url } = await proc.waitForLog("web listening");
      expect((await healthz(String(url))).status).toBe(200);
      await redis.stop();
      const down = await healthz(String(url));
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ down: ["redis"] });
    } finally {
      await redis.stop();
      // Shutdown is bounded even with Redis gone, and the database lock is released.
      await proc.stop("SIGTERM");
      expect(existsSync(join(cwd, "data", "dondoc.lock"))).toBe(false);
    }
  });
});

describe("dondoc with bad configuration", () => {
  it("stops with one line naming the variable and the expected form, no stack trace", async () => {
    const proc = runDondoc(["start"], { cwd: tempDir(), env: { ...baseEnv, PORT: "eighty" } });
    expect(await proc.exited()).toBe(2);
    expect(proc.stderr().trim()).toBe(
      'Invalid configuration: PORT must be a TCP port number, 0-65535 (got "eighty")',
    );
  });
});

describe("dondoc start on PostgreSQL", () => {
  it("serves /healthz from the pool, with the simulator off unless configured", async () => {
    const pg = await createEmptyPostgres();
    const proc = runDondoc(["start"], { cwd: tempDir(), env: { ...baseEnv, DATABASE_URL: pg.url } });
    try {
      const listening = await proc.waitForLog("web listening");
      expect(listening).toMatchObject({ database: "postgres", simulator: false });
      expect((await healthz(String(listening.url))).status).toBe(200);
      const sim = await fetch(`${String(listening.url)}/api/simulator/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ senderId: "x", text: "help" }) });
      expect(sim.status).toBe(404);
      expect(await proc.stop()).toBe(0);
    } finally {
      await proc.stop();
      await pg.drop();
    }
  });
});

describe("dondoc migrate on PostgreSQL", () => {
  it("applies the migrations to an empty database, then reports it up to date", async () => {
    const pg = await createEmptyPostgres();
    try {
      const env = { ...baseEnv, DATABASE_URL: pg.url };
      const first = runDondoc(["migrate"], { cwd: tempDir(), env });
      expect(await first.exited()).toBe(0);
      const migrations = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql")).length;
      expect(first.stdout()).toMatch(new RegExp(`^Applied ${migrations} migration\\(s\\) to postgres: postgres://127\\.0\\.0\\.1:5432/dondoc_test_`));
      expect(first.stdout()).not.toContain("postgres:postgres@");
      const second = runDondoc(["migrate"], { cwd: tempDir(), env });
      expect(await second.exited()).toBe(0);
      expect(second.stdout()).toMatch(/^Database is up to date/);
    } finally {
      await pg.drop();
    }
  });
});
