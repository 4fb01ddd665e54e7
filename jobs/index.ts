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
export { BULK_PRIORITY, createDeliveryQueue, createDeliveryProcessor, startDeliveryWorker, DELIVERY_ATTEMPTS, SWEEP_EVERY_MS } from "./deliveries.ts";
export type { DeliveryQueue, DeliveryWorkerOptions } from "./deliveries.ts";
export { createPacer, replyReserve } from "./pacer.ts";
export type { Pacer } from "./pacer.ts";
export { deliveryQueueName } from "./queues.ts";
export type { DeliveryJob } from "./queues.ts";
