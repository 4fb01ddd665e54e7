import { Queue, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Clock, Logger, Reply } from "../src/app/ports.ts";
import type { Channel } from "../src/domain/entities.ts";
import { createInboundProcessor, type ReplySender } from "./inbound.ts";
import { createDeliveryProcessor, createDeliveryQueue, SWEEP_EVERY_MS } from "./deliveries.ts";
import { createHeartbeatProcessor, HEARTBEAT_EVERY_MS } from "./heartbeat.ts";
import type { QueueName, QueuePayloads } from "./queues.ts";

export interface WorkerDeps {
  /** Connection for BullMQ (maxRetriesPerRequest: null); workers duplicate it. */
  connection: Redis;
  prefix: string;
  clock: Clock;
  logger: Logger;
  /** Interprets and answers a stored inbound message (the conversation use case). */
  processInbound(orgId: string, inboundMessageId: string): Promise<Reply[]>;
  /** How each channel sends replies. */
  senders: Partial<Record<Channel, ReplySender>>;
  /** Delivers one outbox message through its channel (the delivery use case). */
  deliver?(orgId: string, outboundMessageId: string): Promise<{ status: string; fallbackId?: string }>;
  /** Outbox messages waiting for a delivery (the sweep). */
  pendingOutbox?(): Promise<{ orgId: string; id: string }[]>;
  /** The planner: plan writes reminders; fire returns outbox messages to deliver now. */
  reminders?: {
    plan(): Promise<number>;
    fire(): Promise<{ orgId: string; id: string }[]>;
  };
}

export interface RunningWorkers {
  queues: Map<QueueName, Queue>;
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
  const processors: { [N in QueueName]: Processor<N> } = {
    heartbeat: createHeartbeatProcessor({
      redis: deps.connection,
      clock: deps.clock,
      prefix: deps.prefix,
    }),
    inbound: createInboundProcessor({ process: (orgId, id) => deps.processInbound(orgId, id), senders: deps.senders }),
    reminders: async (job: Job<QueuePayloads["reminders"]>) => {
      if (!deps.reminders) return "no planner";
      if (job.data.kind === "plan") return `planned ${await deps.reminders.plan()}`;
      const due = await deps.reminders.fire();
      for (const m of due) await deliveryQueue.enqueueDelivery(m.orgId, m.id);
      return `fired ${due.length}`;
    },
    deliveries: createDeliveryProcessor({
      deliver: (orgId, id) => (deps.deliver ? deps.deliver(orgId, id) : Promise.resolve({ status: "skipped" })),
      pending: () => (deps.pendingOutbox ? deps.pendingOutbox() : Promise.resolve([])),
      queue: deliveryQueue,
    }),
  };

  const queues = new Map<QueueName, Queue>();
  const workers: Worker[] = [];
  for (const name of Object.keys(processors) as QueueName[]) {
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
    await reminders?.upsertJobScheduler("reminders-plan-v1", { pattern: "0 5 * * *", tz: "Asia/Ho_Chi_Minh" }, { name: "plan", data: { kind: "plan" }, opts: { removeOnComplete: 10, removeOnFail: 50 } });
    await reminders?.upsertJobScheduler("reminders-fire-v1", { every: 60_000 }, { name: "fire", data: { kind: "fire" }, opts: { removeOnComplete: 10, removeOnFail: 50 } });
    await reminders?.add("plan", { kind: "plan" }, { removeOnComplete: 10, removeOnFail: 50 });
  }
  if (deps.deliver) {
    await queues
      .get("deliveries")
      ?.upsertJobScheduler("outbox-sweep-v1", { every: SWEEP_EVERY_MS }, { name: "sweep", data: { sweep: true }, opts: { removeOnComplete: 10, removeOnFail: 50 } });
  }

  return {
    queues,
    async close() {
      await deliveryQueue.close();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
