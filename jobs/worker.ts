import { Queue, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Clock, DeliveryRoute, Logger, Reply } from "../src/app/index.ts";
import type { DeliverOptions, DeliveryResult } from "../src/app/index.ts";
import type { Channel } from "../src/domain/index.ts";
import { createInboundProcessor } from "./inbound.ts";
import { createDeliveryQueue, startDeliveryWorker, SWEEP_EVERY_MS, type DeliveryQueue } from "./deliveries.ts";
import { createHeartbeatProcessor, HEARTBEAT_EVERY_MS } from "./heartbeat.ts";
import { jobId, type QueueName, type QueuePayloads } from "./queues.ts";

/** How long before a reminder moment its fire job wakes to read what it needs. */
export const FIRE_LEAD_MS = 300;

export interface WorkerDeps {
  /** Connection for BullMQ (maxRetriesPerRequest: null); workers duplicate it. */
  connection: Redis;
  prefix: string;
  clock: Clock;
  logger: Logger;
  /** Interprets and answers a stored inbound message (the conversation use case, which queues its replies). */
  processInbound(orgId: string, inboundMessageId: string): Promise<Reply[]>;
  /** Delivers one outbox message through its channel (the delivery use case). */
  deliver?(orgId: string, outboundMessageId: string, options: DeliverOptions): Promise<DeliveryResult>;
  /** The channel of each outbox message (which queue takes it). */
  routes?(orgId: string, ids: string[]): Promise<DeliveryRoute[]>;
  /** Outbox messages waiting for a delivery (the sweep). */
  pendingOutbox?(): Promise<DeliveryRoute[]>;
  /** The channels this process delivers for, each with its rate (sends per second). */
  deliveryChannels?: { channel: Channel; ratePerSecond: number }[];
  deliveryConcurrency?: number;
  /** How soon a crashed worker's deliveries are taken over (BullMQ lock; default 10 s). */
  deliveryLockMs?: number;
  /** The planner: plan writes reminders; fire and digest return outbox messages to deliver now. */
  reminders?: {
    plan(): Promise<number>;
    /** When pending reminders are due: the queue wakes at each (delayed jobs, one per moment). */
    moments?(): Promise<Date[]>;
    fire(): Promise<DeliveryRoute[]>;
    /** Reads what firing at `at` needs and returns the fire itself, so the worker can prepare just before the moment. */
    prepareFire?(at: Date): Promise<() => Promise<DeliveryRoute[]>>;
    digest?(): Promise<DeliveryRoute[]>;
    /** When the weekly digest goes (cron in Asia/Ho_Chi_Minh; default Monday 07:30). */
    digestCron?: string;
  };
}

export interface RunningWorkers {
  queues: Map<QueueName, Queue>;
  /** Queues outbox messages on their channels' queues. */
  dispatch: DeliveryQueue["dispatch"];
  /** Stops taking jobs, waits for running ones, closes connections. */
  close(): Promise<void>;
}

type Processor<N extends QueueName> = (job: Job<QueuePayloads[N]>) => Promise<unknown>;

/**
 * Starts one BullMQ worker per queue and the job schedulers the worker owns.
 *
 * @example
 * const workers = await startWorkers({ connection, prefix: "dondoc", clock, logger });
 * process.on("SIGTERM", () => void workers.close());
 */
export async function startWorkers(deps: WorkerDeps): Promise<RunningWorkers> {
  const deliveryQueue = createDeliveryQueue(deps.connection, deps.prefix);
  const reminderQueue = new Queue<QueuePayloads["reminders"]>("reminders", { connection: deps.connection, prefix: deps.prefix });
  const processors: { [N in "heartbeat" | "inbound" | "reminders" | "deliveries"]: Processor<N> } = {
    heartbeat: createHeartbeatProcessor({
      redis: deps.connection,
      clock: deps.clock,
      prefix: deps.prefix,
    }),
    inbound: createInboundProcessor({ process: (orgId, id) => deps.processInbound(orgId, id) }),
    reminders: async (job: Job<QueuePayloads["reminders"]>) => {
      if (!deps.reminders) return "no planner";
      if (job.data.kind === "plan") {
        const planned = await deps.reminders.plan();
        const moments = deps.reminders.moments ? await deps.reminders.moments() : [];
        const now = deps.clock.now().getTime();
        // One delayed job per moment, its id derived from it: planning again (or after Redis lost
        // everything) adds only what is missing. Past moments fire at once.
        await reminderQueue.addBulk(
          moments.map((at) => ({
            name: "fire",
            data: { kind: "fire" as const, at: at.getTime() },
            // Woken a little early: it reads what it needs first, then fires at the moment itself.
            opts: { jobId: jobId("fire-at", at.getTime()), delay: Math.max(0, at.getTime() - FIRE_LEAD_MS - now), removeOnComplete: 100, removeOnFail: 100 },
          })),
        );
        return `planned ${planned}, ${moments.length} moments`;
      }
      let due: DeliveryRoute[];
      if (job.data.kind === "digest") due = (await deps.reminders.digest?.()) ?? [];
      else if (job.data.at !== undefined && deps.reminders.prepareFire) {
        const fire = await deps.reminders.prepareFire(new Date(job.data.at));
        const wait = job.data.at - deps.clock.now().getTime();
        // Bounded: a clock that does not move (tests) must not hold the worker.
        if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, FIRE_LEAD_MS * 2)));
        due = await fire();
      } else due = await deps.reminders.fire();
      await deliveryQueue.dispatch(due);
      return `${job.data.kind === "digest" ? "digests" : "fired"} ${due.length}`;
    },
    deliveries: async () => {
      const pending = deps.pendingOutbox ? await deps.pendingOutbox() : [];
      await deliveryQueue.dispatch(pending);
      return `queued ${pending.length}`;
    },
  };
  const queues = new Map<QueueName, Queue>();
  const workers: Worker[] = [];
  for (const name of Object.keys(processors) as (keyof typeof processors)[]) {
    const queue = new Queue(name, { connection: deps.connection, prefix: deps.prefix });
    queues.set(name, queue);
    // The map is typed per queue above; BullMQ's Worker takes one payload type, hence the widening.
    const processor = processors[name] as (job: Job) => Promise<unknown>;
    const worker = new Worker(name, processor, {
      connection: deps.connection,
      prefix: deps.prefix,
    });
    worker.on("failed", (job, err) => {
      deps.logger.error({ queue: name, jobId: job?.id, err }, "job failed");
    });
    worker.on("error", (err) => {
      deps.logger.warn({ queue: name, err }, "worker error");
    });
    workers.push(worker);
  }
  const deliveryWorkers = deps.deliver
    ? (deps.deliveryChannels ?? []).map(({ channel, ratePerSecond }) =>
        startDeliveryWorker({
          connection: deps.connection,
          prefix: deps.prefix,
          channel,
          ratePerSecond,
          ...(deps.deliveryConcurrency ? { concurrency: deps.deliveryConcurrency } : {}),
          ...(deps.deliveryLockMs ? { lockMs: deps.deliveryLockMs } : {}),
          logger: deps.logger,
          deliver: (orgId, id, options) => deps.deliver!(orgId, id, options),
          queue: deliveryQueue,
          routes: (orgId, ids) => (deps.routes ? deps.routes(orgId, ids) : Promise.resolve([])),
        }),
      )
    : [];

  // Versioned scheduler id: changing the schedule means a new id, never a silent mix.
  await queues
    .get("heartbeat")
    ?.upsertJobScheduler(
      "heartbeat-v1",
      { every: HEARTBEAT_EVERY_MS },
      { name: "beat", data: { kind: "beat" }, opts: { removeOnComplete: 10, removeOnFail: 50 } },
    );

  if (deps.reminders) {
    const reminders = queues.get("reminders");
    // Versioned scheduler ids; cron in Asia/Ho_Chi_Minh. Redis losing them is harmless: they are
    // upserted again at start, and the reminders themselves live in the store.
    // Planning is idempotent and one pass: every 15 minutes picks up directives activated since.
    await reminders?.removeJobScheduler("reminders-plan-v1");
    await reminders?.upsertJobScheduler("reminders-plan-v2", { pattern: "*/15 * * * *", tz: "Asia/Ho_Chi_Minh" }, { name: "plan", data: { kind: "plan" }, opts: { removeOnComplete: 10, removeOnFail: 50 } });
    await reminders?.upsertJobScheduler("reminders-fire-v1", { every: 60_000 }, { name: "fire", data: { kind: "fire" }, opts: { removeOnComplete: 10, removeOnFail: 50 } });
    if (deps.reminders.digest) {
      await reminders?.upsertJobScheduler("reminders-digest-v1", { pattern: deps.reminders.digestCron ?? "30 7 * * 1", tz: "Asia/Ho_Chi_Minh" }, { name: "digest", data: { kind: "digest" }, opts: { removeOnComplete: 10, removeOnFail: 50 } });
    }
    await reminders?.add("plan", { kind: "plan" }, { removeOnComplete: 10, removeOnFail: 50 });
  }
  if (deps.deliver) {
    await queues
      .get("deliveries")
      ?.upsertJobScheduler("outbox-sweep-v1", { every: SWEEP_EVERY_MS }, { name: "sweep", data: { sweep: true }, opts: { removeOnComplete: 10, removeOnFail: 50 } });
  }

  return {
    queues,
    dispatch: (routes) => deliveryQueue.dispatch(routes),
    async close() {
      await Promise.all([...workers, ...deliveryWorkers].map((w) => w.close()));
      await deliveryQueue.close();
      await reminderQueue.close();
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
