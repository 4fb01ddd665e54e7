import type { Redis } from "ioredis";
import type { Clock } from "../src/app/index.ts";

/** How often the worker beats, and how long a beat counts. */
export const HEARTBEAT_EVERY_MS = 15_000;
const HEARTBEAT_TTL_S = 60;

export function heartbeatKey(prefix: string): string {
  return `${prefix}:worker:heartbeat`;
}

/** The processor: records when a worker last ran a job. */
export function createHeartbeatProcessor(deps: { redis: Redis; clock: Clock; prefix: string }) {
  return async (): Promise<string> => {
    const at = deps.clock.now().toISOString();
    await deps.redis.set(heartbeatKey(deps.prefix), at, "EX", HEARTBEAT_TTL_S);
    return at;
  };
}

/** When a worker last beat (ISO time), or null when none has within the TTL. */
export async function lastHeartbeat(redis: Redis, prefix: string): Promise<string | null> {
  return redis.get(heartbeatKey(prefix));
}
