import type { Redis } from "ioredis";

/**
 * A per-channel send pacer shared by every worker process: each send claims the next slot
 * `1 / rate` seconds after the previous one, on Redis's clock, and waits for it.
 *
 * Why not BullMQ's limiter alone: it counts jobs per window, so it holds the average but lets
 * bursts of 1.4–1.7× the rate into a single second (measured, README "Reminders"). Evenly spaced
 * slots keep every sliding second at or under the limit; `headroom` (default 1 %) absorbs the
 * few milliseconds between a slot and the channel seeing the send.
 */
const CLAIM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then slot = now end
redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', 60000)
return string.format('%.0f', slot - now)
`;

/**
 * The last guard, just before the channel call: at most `limit` sends in any sliding second,
 * counted on Redis's clock at the moment of sending. Slots alone are even, but a worker that
 * wakes late (a busy event loop, a GC pause) would bunch its send with the next one.
 */
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 1000000)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[1], 2000)
  return '0'
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return string.format('%.0f', tonumber(oldest[2]) + 1000000 - now + 1)
`;

export interface Pacer {
  /**
   * Waits, then calls `send` in the same tick as the last check (nothing can run in between).
   * Bulk sends (broadcasts, reminders) take evenly spaced slots and may fill the sliding second
   * only up to `bulkPerWindow`; the rest of each second is kept for `lane: "reply"`, which skips
   * the slots, so an answer is not held behind a broadcast nor left racing it for room.
   */
  run<T>(send: () => Promise<T>, options?: { lane?: "reply" | "bulk" }): Promise<T>;
  /** Sends per second this pacer allows. */
  readonly rate: number;
  /** Of those, what bulk sends may use (the rest is kept for replies). */
  readonly bulkPerWindow: number;
}

/**
 * The share of each second kept for replies: 5 % (at least one send) when the channel allows
 * 3 or more a second; none on slower channels, where a reply simply takes the next room.
 */
export function replyReserve(perWindow: number): number {
  return perWindow >= 3 ? Math.max(1, Math.round(perWindow * 0.05)) : 0;
}

/**
 * @example
 * const pacer = createPacer(connection, "dondoc", "messenger", 20);
 * const attempts = await pacer.run(() => gateway.send(message)); // in its slot
 */
export function createPacer(
  redis: Redis,
  prefix: string,
  channel: string,
  perSecond: number,
  options: { headroom?: number; sleep?: (ms: number) => Promise<void> } = {},
): Pacer {
  if (!(perSecond > 0)) throw new Error(`rate for ${channel} must be > 0 (got ${perSecond})`);
  const headroom = options.headroom ?? 0.01;
  const key = `${prefix}:pace:${channel}`;
  const windowKey = `${prefix}:pace:${channel}:sent`;
  // The same headroom as the slots: a send that reaches the channel a few ms late cannot push a
  // second over the limit.
  const perWindow = Math.max(1, Math.floor(perSecond * (1 - headroom)));
  const bulkPerWindow = perWindow - replyReserve(perWindow);
  // Bulk slots are spaced for what bulk may use, so bulk sends do not pile up at the window.
  const intervalUs = 1_000_000 / Math.min(perSecond * (1 - headroom), bulkPerWindow);
  let seq = 0;
  const recent: number[] = [];
  const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pacer: Pacer = {
    rate: perSecond,
    bulkPerWindow,
    async run(send, runOptions = {}) {
      const reply = runOptions.lane === "reply";
      const limit = reply ? perWindow : bulkPerWindow;
      await claimAndAdmit(reply, limit);
      for (;;) {
        const now = performance.now();
        while (recent.length > 0 && now - (recent[0] ?? 0) >= 1_000) recent.shift();
        if (recent.length < limit) {
          recent.push(now);
          return send();
        }
        await sleep(Math.max(1, 1_000 - (now - (recent[0] ?? now))));
      }
    },
  };
  return pacer;

  async function claimAndAdmit(reply: boolean, limit: number) {
    if (!reply) {
      const waitUs = Number(await redis.eval(CLAIM, 1, key, String(intervalUs)));
      if (waitUs > 500) await sleep(waitUs / 1000);
    }
    const member = `${token}-${seq++}`;
    for (;;) {
      const again = Number(await redis.eval(ADMIT, 1, windowKey, String(limit), member));
      if (again === 0) break;
      await sleep(Math.max(1, again / 1000));
    }
    // Then the same count on this process's clock (in run()), checked and recorded in the tick
    // that calls the channel: a Redis reply handled late (a busy event loop) cannot bunch sends.
  }
}
