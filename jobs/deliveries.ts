import { Queue, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { jobId, type QueuePayloads } from "./queues.ts";

/** How often the worker looks for outbox messages nobody queued, and how old they must be. */
export const SWEEP_EVERY_MS = 15_000;

export interface DeliveryQueue {
  enqueueDelivery(orgId: string, outboundMessageId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * @example
 * const deliveries = createDeliveryQueue(connection, "dondoc");
 * await deliveries.enqueueDelivery(orgId, outboundMessageId);
 */
export function createDeliveryQueue(connection: Redis, prefix: string): DeliveryQueue {
  const queue = new Queue<QueuePayloads["deliveries"]>("deliveries", { connection, prefix });
  return {
    async enqueueDelivery(orgId, outboundMessageId) {
      await queue.add("deliver", { orgId, outboundMessageId }, { jobId: jobId("delivery", outboundMessageId), removeOnComplete: 1_000, removeOnFail: 5_000 });
    },
    close: () => queue.close(),
  };
}

/**
 * Thin: deliver one message (the use case asks the channel adapter and records the outcome) and
 * queue the fallback it created; or, on the sweep, queue what is pending.
 */
export function createDeliveryProcessor(deps: {
  deliver(orgId: string, outboundMessageId: string): Promise<{ status: string; fallbackId?: string }>;
  pending(): Promise<{ orgId: string; id: string }[]>;
  queue: Pick<DeliveryQueue, "enqueueDelivery">;
}) {
  return async (job: Job<QueuePayloads["deliveries"]>): Promise<string> => {
    if ("sweep" in job.data) {
      const pending = await deps.pending();
      for (const m of pending) await deps.queue.enqueueDelivery(m.orgId, m.id);
      return `queued ${pending.length}`;
    }
    const { orgId, outboundMessageId } = job.data;
    const result = await deps.deliver(orgId, outboundMessageId);
    if (result.fallbackId) await deps.queue.enqueueDelivery(orgId, result.fallbackId);
    return result.status;
  };
}
