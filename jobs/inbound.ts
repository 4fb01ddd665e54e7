import { Queue, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { InboundQueue, Reply } from "../src/app/ports.ts";
import type { Channel } from "../src/domain/entities.ts";
import { groupBy } from "../src/domain/index.ts";
import { jobId, type QueuePayloads } from "./queues.ts";

/** Sends a channel's replies (a bot's send path, wired in src/main). */
export type ReplySender = (orgId: string, replies: Reply[]) => Promise<void>;

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
 * The processor: interpret and answer the stored message, then hand the replies to the
 * channel's sender. Thin: the use case and the bot do the work.
 */
export function createInboundProcessor(deps: {
  process(orgId: string, inboundMessageId: string): Promise<Reply[]>;
  senders: Partial<Record<Channel, ReplySender>>;
}) {
  return async (job: Job<QueuePayloads["inbound"]>): Promise<number> => {
    const { orgId, inboundMessageId } = job.data;
    const replies = await deps.process(orgId, inboundMessageId);
    for (const [channel, list] of groupBy(replies, (r) => r.channel)) {
      const send = deps.senders[channel];
      if (!send) throw new Error(`no sender for channel ${channel}`);
      await send(orgId, list);
    }
    return replies.length;
  };
}
