export { startWorkers } from "./worker.ts";
export type { RunningWorkers, WorkerDeps } from "./worker.ts";
export { jobId } from "./queues.ts";
export type { QueueName, QueuePayloads } from "./queues.ts";
export { lastHeartbeat, heartbeatKey } from "./heartbeat.ts";
export {
  assertRedisReachable,
  createHealthRedis,
  createRedis,
  redactRedisUrl,
  RedisUnavailableError,
  waitForReady,
} from "./redis.ts";
export { createInboundQueue, createInboundProcessor } from "./inbound.ts";
export type { ReplySender } from "./inbound.ts";
export { createDeliveryQueue, createDeliveryProcessor, SWEEP_EVERY_MS } from "./deliveries.ts";
export type { DeliveryQueue } from "./deliveries.ts";
