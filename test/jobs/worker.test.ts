import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createRedis, jobId, lastHeartbeat, startWorkers, type RunningWorkers } from "../../jobs/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { TEST_REDIS_URL } from "../support/env.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe("workers", () => {
  let workers: RunningWorkers | undefined;
  const connection = createRedis(TEST_REDIS_URL);
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
  });

  it("run the heartbeat scheduler, leave the mark /healthz can read, and close", async () => {
    // Each test its own prefix: no shared queue state between tests or runs.
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    const clock = new FakeClock("2020-06-20T01:00:00Z");
    expect(await lastHeartbeat(connection, prefix)).toBeNull();
    workers = await startWorkers({ connection, prefix, clock, logger: silent, processInbound: async () => [] });

    const deadline = Date.now() + 10_000;
    let beat: string | null = null;
    while (!beat && Date.now() < deadline) {
      beat = await lastHeartbeat(connection, prefix);
      if (!beat) await new Promise((r) => setTimeout(r, 100));
    }
    expect(beat).toBe("2020-06-20T01:00:00.000Z");

    const schedulers = await workers.queues.get("heartbeat")?.getJobSchedulers();
    expect(schedulers?.map((s) => s.key)).toEqual(["heartbeat-v1"]);
    await workers.close();
    workers = undefined;
    await connection.del(`${prefix}:worker:heartbeat`);
  });
});

describe("jobId", () => {
  it("joins parts deterministically and refuses ':'", () => {
    expect(jobId("reminder", "a1", "before", "2020-06-23")).toBe("reminder-a1-before-2020-06-23");
    expect(jobId("reminder", "a1", "before", "2020-06-23")).toBe(jobId("reminder", "a1", "before", "2020-06-23"));
    expect(() => jobId("x", "08:00")).toThrow(/may not contain ":"/);
  });
});
