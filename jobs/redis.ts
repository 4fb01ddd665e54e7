import { Redis, type RedisOptions } from "ioredis";

/** Redis could not be reached: the message is one line that names the URL and how to fix it. */
export class RedisUnavailableError extends Error {
  readonly code = "redis_unavailable";
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(
      `Cannot reach Redis at ${url} (${reason}). Start Redis (for example "redis-server --daemonize yes", or "systemctl start redis-server") or set REDIS_URL.`,
    );
    this.name = "RedisUnavailableError";
  }
}

export function redactRedisUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString().replace(/\/$/, "");
}

/**
 * A connection for BullMQ: `maxRetriesPerRequest: null` is what its workers require; it
 * reconnects forever, so a Redis restart is survived.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, ...options });
  // Without a listener ioredis prints every reconnect failure; health checks report it instead.
  client.on("error", () => undefined);
  return client;
}

/**
 * Connects once, without retries, and pings. Used at start-up so a missing Redis is one clear
 * line rather than a stream of reconnect errors.
 */
export async function assertRedisReachable(url: string, timeoutMs = 3_000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new RedisUnavailableError(redactRedisUrl(url), e.code ?? e.message);
  } finally {
    client.disconnect();
  }
}

/**
 * A client for liveness checks: fails fast while Redis is down (no offline queue) and keeps
 * reconnecting in the background, so health turns green again when Redis returns.
 */
export function createHealthRedis(url: string): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  client.on("error", () => undefined);
  return client;
}

/** Resolves once the client is connected (or rejects after timeoutMs). */
export async function waitForReady(client: Redis, timeoutMs = 3_000): Promise<void> {
  if (client.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      reject(new RedisUnavailableError(redactRedisUrl(client.options.host ? `redis://${client.options.host}:${client.options.port}` : "redis"), "not ready"));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once("ready", onReady);
  });
}
