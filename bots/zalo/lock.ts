/**
 * One listener per Zalo account, across processes and machines: a Redis key taken with
 * SET NX PX and kept alive while the listener runs. Two listeners on one session make Zalo
 * close both sockets (close codes 3000/3003), so a second process must refuse to start.
 */
import { randomUUID } from "node:crypto";
import type { Scheduler } from "./types.ts";

/**
 * The two Redis commands the lock needs; an ioredis client fits as is.
 *
 * @example
 * const redis: LockRedis = new Redis(config.REDIS_URL);
 */
export interface LockRedis {
  set(key: string, value: string, px: "PX", ms: number, nx: "NX"): Promise<"OK" | null>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Thrown when another process already holds the account. */
export class ZaloListenerLockedError extends Error {
  readonly code = "zalo_listener_locked";
  constructor(readonly account: string, holder: string | null) {
    super(
      `Zalo account "${account}" already has a listener${holder ? ` (${holder})` : ""}. Only one process may listen per account, or Zalo closes both connections (3000/3003). Stop the other "dondoc zalo" (or "dondoc start") first, or wait for its lock to expire.`,
    );
    this.name = "ZaloListenerLockedError";
  }
}

const REFRESH = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const HOLDER = `return redis.call("get", KEYS[1])`;

/**
 * Takes the account's lock or throws `ZaloListenerLockedError`. The key expires after `ttlMs`
 * unless refreshed; it is refreshed every `ttlMs / 3` until `release()`. If a refresh finds the
 * key gone or someone else's, `onLost` is called once (the listener must stop).
 *
 * @example
 * const lock = await acquireAccountLock({ redis, key: "dondoc:zalo:listener:default", account: "default", scheduler, onLost: () => listener.stop() });
 * // … later
 * await lock.release();
 */
export async function acquireAccountLock(opts: {
  redis: LockRedis;
  key: string;
  account: string;
  scheduler: Scheduler;
  ttlMs?: number;
  /** Who holds it, shown to a second process (host and pid). */
  holder?: string;
  onLost?: () => void;
}): Promise<{ release(): Promise<void>; token: string }> {
  const ttlMs = opts.ttlMs ?? 30_000;
  const token = `${opts.holder ?? `pid ${process.pid}`}#${randomUUID()}`;
  const ok = await opts.redis.set(opts.key, token, "PX", ttlMs, "NX");
  if (ok !== "OK") {
    const current = await opts.redis.eval(HOLDER, 1, opts.key).catch(() => null);
    throw new ZaloListenerLockedError(opts.account, typeof current === "string" ? current.split("#")[0] ?? null : null);
  }
  const stop = new AbortController();
  const refresh = (async () => {
    for (;;) {
      await opts.scheduler.sleep(Math.max(1, Math.floor(ttlMs / 3)), stop.signal);
      if (stop.signal.aborted) return;
      const kept = await opts.redis.eval(REFRESH, 1, opts.key, token, ttlMs).catch(() => null);
      if (stop.signal.aborted) return;
      // A Redis hiccup (null) is tried again at the next tick; a key that is gone or taken is lost.
      if (kept === 0) {
        opts.onLost?.();
        return;
      }
    }
  })();
  return {
    token,
    async release() {
      stop.abort();
      await refresh;
      await opts.redis.eval(RELEASE, 1, opts.key, token).catch(() => undefined);
    },
  };
}
