import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/http/index.ts";
import { createHealthRedis, waitForReady } from "../../jobs/index.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { startRedisServer } from "../support/redis-server.ts";

describe("GET /healthz", () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
  });
  afterAll(async () => {
    await test.drop();
  });

  it("answers 200 with each state while the database and Redis are up, 503 naming Redis once it goes away", async () => {
    const redisServer = await startRedisServer();
    const redis = createHealthRedis(redisServer.url);
    let app: FastifyInstance | undefined;
    try {
      await waitForReady(redis);
      app = await buildApp({
        logger: false,
        probes: [
          { name: "database", check: () => test.database.ping() },
          { name: "redis", check: async () => void (await redis.ping()) },
        ],
      });
      const up = await app.inject({ url: "/healthz" });
      expect(up.statusCode).toBe(200);
      expect(up.json()).toEqual({
        status: "ok",
        down: [],
        checks: { database: { ok: true }, redis: { ok: true } },
      });

      await redisServer.stop();
      const down = await app.inject({ url: "/healthz" });
      expect(down.statusCode).toBe(503);
      const body = down.json<{ status: string; down: string[]; checks: Record<string, { ok: boolean; error?: string }> }>();
      expect(body.status).toBe("down");
      expect(body.down).toEqual(["redis"]);
      expect(body.checks.database).toEqual({ ok: true });
      expect(body.checks.redis?.ok).toBe(false);
      expect(body.checks.redis?.error).toBeTruthy();
    } finally {
      await app?.close();
      redis.disconnect();
      await redisServer.stop();
    }
  });

  it("answers 503 within its timeout when a probe hangs", async () => {
    const app = await buildApp({
      logger: false,
      probes: [{ name: "database", check: () => new Promise(() => undefined) }],
    });
    const started = performance.now();
    const res = await app.inject({ url: "/healthz" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ down: ["database"], checks: { database: { ok: false, error: expect.stringContaining("no answer") } } });
    expect(performance.now() - started).toBeLessThan(5_000);
    await app.close();
  });

  it("answers unknown routes with a Vietnamese 404", async () => {
    const app = await buildApp({ logger: false, probes: [] });
    const res = await app.inject({ url: "/nope" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: "not_found", message: expect.stringContaining("Không tìm thấy") });
    await app.close();
  });
});
