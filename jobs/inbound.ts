import { Queue, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { InboundQueue, Reply } from "../src/app/index.ts";
import { jobId, type QueuePayloads } from "./queues.ts";

/**
 * The producer webhooks use: one job per stored message, its id derived from the message, so a
 * webhook retried by the platform cannot queue it twice.
 *
 * @example
 * const queue = createInboundQueue(connection, "dondoc");
 * await queue.enqueueInbound(orgId, inboundMessageId);
 */
export function createInboundQueue(connection: Redis, prefix: string): InboundQueue & { close(): Promise<void> } {
  const queue = new Queue<QueuePayloads["inbound"]>("inbound", { connection, prefix });
  return {
    async enqueueInbound(orgId, inboundMessageId) {
      await queue.add(
        "process",
        { orgId, inboundMessageId },
        {
          jobId: jobId("inbound", inboundMessageId),
          attempts: 5,
          backoff: { type: "exponential", delay: 1_000 },
          removeOnComplete: 1_000,
          removeOnFail: 5_000,
        },
      );
    },
    close: () => queue.close(),
  };
}

/**
 * The processor: interpret and answer the stored message. Thin: the conversation writes its
 * replies to the outbox and hands them to the delivery queues (replies first), like every other
 * message dondoc sends.
 */
export function createInboundProcessor(deps: { process(orgId: string, inboundMessageId: string): Promise<Reply[]> }) {
  return async (job: Job<QueuePayloads["inbound"]>): Promise<number> => {
    const { orgId, inboundMessageId } = job.data;
    return (await deps.process(orgId, inboundMessageId)).length;
  };
}
