/**
 * The send pacer on the real Redis: bulk sends leave part of every second to replies, so an
 * answer is admitted at once while a broadcast holds the channel at its rate.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createPacer, createRedis, replyReserve } from "../../jobs/index.ts";
import { TEST_REDIS_URL } from "../support/env.ts";

const connection = createRedis(TEST_REDIS_URL);
afterAll(async () => {
  await connection.quit();
});

describe("pacer", () => {
  it("keeps 5 % of each second for replies on fast channels and none on slow ones", () => {
    expect(replyReserve(49)).toBe(2);
    expect(replyReserve(20)).toBe(1);
    expect(replyReserve(3)).toBe(1);
    expect(replyReserve(2)).toBe(0);
    expect(replyReserve(1)).toBe(0);
  });

  it("admits a reply without waiting while bulk sends have used their share of the second", async () => {
    const waits: { lane: string; ms: number }[] = [];
    let lane = "bulk";
    let sleepsThisRun = 0;
    const pacer = createPacer(connection, `t-${randomUUID().slice(0, 8)}`, "messenger", 20, {
      sleep: async (ms) => {
        waits.push({ lane, ms });
        // Time does not pass in this test. A bulk send sleeps once for its slot; a second sleep
        // is a wait for room in the sliding second, which would never come.
        if (lane === "bulk" && ++sleepsThisRun > 1) throw new Error("bulk would wait for the window");
      },
    });
    const bulk = () => {
      sleepsThisRun = 0;
      return pacer.run(async () => sent++);
    };
    expect(pacer.bulkPerWindow).toBe(18); // floor(20 × 0.99) = 19, one kept for replies
    let sent = 0;
    for (let i = 0; i < pacer.bulkPerWindow; i++) await bulk();
    expect(sent).toBe(18);
    // The next bulk send has no room left in this second…
    await expect(bulk()).rejects.toThrow("bulk would wait for the window");
    // …but a reply does, and goes without a single wait.
    lane = "reply";
    await pacer.run(async () => sent++, { lane: "reply" });
    expect(sent).toBe(19);
    expect(waits.filter((w) => w.lane === "reply")).toEqual([]);
  });
});
