import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { DeliveryRoute, DispatchOptions, Logger } from "../src/app/index.ts";
import type { DeliverOptions, DeliveryResult } from "../src/app/index.ts";
import type { Channel } from "../src/domain/index.ts";
import { groupBy } from "../src/domain/index.ts";
import { createPacer } from "./pacer.ts";
import { deliveryQueueName, jobId, type DeliveryJob } from "./queues.ts";

/** How often the worker looks for outbox messages nobody queued, and how old they must be. */
export const SWEEP_EVERY_MS = 15_000;

/** Retries of a transient failure: exponential from 2 s with jitter, six tries in all (~1 min). */
export const DELIVERY_ATTEMPTS = 6;
const BACKOFF = { type: "exponential", delay: 2_000, jitter: 0.5 } as const;

/**
 * BullMQ runs jobs without a priority before prioritized ones: replies carry none, everything
 * else this one, so an answer overtakes a 10,000-message broadcast already queued.
 */
export const BULK_PRIORITY = 10;

/** Hands outbox messages to their channel's queue (bulk adds, deterministic job ids). */
export interface DeliveryQueue {
  dispatch(routes: DeliveryRoute[], options?: DispatchOptions): Promise<void>;
  close(): Promise<void>;
}

/**
 * @example
 * const deliveries = createDeliveryQueue(connection, "dondoc");
 * await deliveries.dispatch([{ orgId, id: outboundMessageId, channel: "messenger" }]);
 */
export function createDeliveryQueue(connection: Redis, prefix: string): DeliveryQueue {
  const queues = new Map<Channel, Queue<DeliveryJob>>();
  const queueFor = (channel: Channel) => {
    let q = queues.get(channel);
    if (!q) {
      q = new Queue<DeliveryJob>(deliveryQueueName(channel), { connection, prefix });
      queues.set(channel, q);
    }
    return q;
  };
  return {
    async dispatch(routes, options = {}) {
      const reply = options.priority === "reply";
      // One addBulk per channel, whatever the count: the jobs are queued in one round trip each.
      await Promise.all(
        [...groupBy(routes, (r) => r.channel)].map(([channel, list]) =>
          queueFor(channel).addBulk(
            list.map((r) => ({
              name: "deliver",
              data: { orgId: r.orgId, outboundMessageId: r.id, ...(reply ? { reply: true } : {}) },
              opts: {
                // One job per outbox message: the sweep or a second dispatch cannot queue it twice.
                jobId: jobId("delivery", r.id),
                ...(reply ? {} : { priority: BULK_PRIORITY }),
                attempts: DELIVERY_ATTEMPTS,
                backoff: BACKOFF,
                removeOnComplete: { count: 2_000 },
                removeOnFail: { count: 5_000 },
              },
            })),
          ),
        ),
      );
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}

export interface DeliveryWorkerOptions {
  connection: Redis;
  prefix: string;
  channel: Channel;
  /** Sends per second on this channel, across every worker process. */
  ratePerSecond: number;
  /** Jobs in flight per process; enough to keep the rate while the store is written. */
  concurrency?: number;
  /** A crashed worker's jobs are taken over after about this long (BullMQ lock and stalled check). */
  lockMs?: number;
  logger: Logger;
  deliver: (orgId: string, outboundMessageId: string, options: DeliverOptions) => Promise<DeliveryResult>;
  queue: Pick<DeliveryQueue, "dispatch">;
  routes: (orgId: string, ids: string[]) => Promise<DeliveryRoute[]>;
}

/**
 * The processor of one channel's queue. Thin: the delivery use case asks the channel adapter and
 * writes the ledger; this turns its answer into BullMQ's terms — a transient failure throws (retry
 * with backoff and jitter), a permanent one throws `UnrecoverableError`, a send in doubt waits
 * for the channel's own record (delayed, not counted as a try).
 */
export function createDeliveryProcessor(deps: Pick<DeliveryWorkerOptions, "deliver" | "queue" | "routes"> & { pace?: (lane: "reply" | "bulk") => <T>(send: () => Promise<T>) => Promise<T> }) {
  return async (job: Job<DeliveryJob>, token?: string): Promise<string> => {
    const { orgId, outboundMessageId } = job.data;
    const finalTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const pace = deps.pace?.(job.data.reply ? "reply" : "bulk");
    const result = await deps.deliver(orgId, outboundMessageId, { finalTry, ...(pace ? { pace } : {}) });
    if (result.fallbackId) await deps.queue.dispatch(await deps.routes(orgId, [result.fallbackId]));
    switch (result.status) {
      case "retry":
        throw new Error(result.detail ?? "transient delivery failure");
      case "in_doubt":
      case "later":
        // Not a try: waiting for the channel's echo, or for the end of quiet hours.
        await job.moveToDelayed(Date.now() + (result.retryInMs ?? 1_000), token);
        throw new DelayedError();
      case "failed":
        throw new UnrecoverableError(result.detail ?? "delivery failed");
      default:
        return result.status;
    }
  };
}

/**
 * One channel's delivery worker with its pacer. The Zalo account's queue runs only in the
 * process that holds the Zalo session; the others in `dondoc worker`.
 *
 * @example
 * const worker = startDeliveryWorker({ connection, prefix, channel: "messenger", ratePerSecond: 20, logger, deliver, queue, routes });
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): Worker<DeliveryJob> {
  const pacer = createPacer(options.connection, options.prefix, options.channel, options.ratePerSecond);
  const lockMs = options.lockMs ?? 10_000;
  const worker = new Worker<DeliveryJob>(
    deliveryQueueName(options.channel),
    createDeliveryProcessor({ deliver: options.deliver, queue: options.queue, routes: options.routes, pace: (lane) => (send) => pacer.run(send, { lane }) }),
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 32,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A crash (or several) must not fail a message: the ledger decides what is in doubt.
      maxStalledCount: 10,
    },
  );
  worker.on("failed", (job, err) => {
    if (err instanceof UnrecoverableError || (job && job.attemptsMade >= (job.opts.attempts ?? 1))) {
      options.logger.warn({ queue: deliveryQueueName(options.channel), jobId: job?.id, err: err.message }, "delivery failed");
    }
  });
  worker.on("error", (err) => options.logger.warn({ queue: deliveryQueueName(options.channel), err }, "worker error"));
  return worker;
}
