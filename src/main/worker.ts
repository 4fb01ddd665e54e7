/**
 * `dondoc worker`: the BullMQ workers — inbound messages answered, every outbox message
 * delivered on its channel's queue (all but the Zalo account's, which `dondoc zalo` sends), the
 * reminder planner and its fire jobs, the outbox sweep, the weekly digest.
 */
import type { Logger as PinoLogger } from "pino";
import type { Config } from "../config/index.ts";
import { createDelivery, createDigest, createPlanner } from "../app/index.ts";
import type { Channel } from "../domain/index.ts";
import type { Database } from "../store/index.ts";
import { assertRedisReachable, createRedis, startWorkers } from "../../jobs/index.ts";
import { channelGateways } from "./channels.ts";
import { appServices, boot, deliveryChannels, deliveryProducer, openDatabaseFor, systemClock } from "./components.ts";
import type { Lifecycle } from "./lifecycle.ts";

export async function startWorker(config: Config, lifecycle: Lifecycle, logger: PinoLogger, database: Database) {
  const dispatch = deliveryProducer(config, lifecycle);
  const { store, conversation, broadcasts } = appServices(database, config, dispatch);
  const planner = createPlanner({ store, clock: systemClock, dispatch });
  const digest = createDigest({ store, clock: systemClock, broadcasts });
  const gateways = channelGateways(config);
  const delivery = createDelivery({ store, clock: systemClock, gateways, dispatch });
  const connection = createRedis(config.REDIS_URL);
  lifecycle.add("redis", async () => {
    if (connection.status === "ready") await connection.quit().catch(() => connection.disconnect());
    else connection.disconnect();
  });
  /** Runs `work` for each org in turn (not at once: many orgs must not empty the pool) and joins the results. */
  const eachOrg = async <T>(work: (orgId: string) => Promise<T[]>): Promise<T[]> => {
    const out: T[] = [];
    for (const org of await store.orgs.all()) out.push(...(await work(org.id)));
    return out;
  };
  const channels = deliveryChannels(config, Object.keys(gateways) as Channel[]);
  const workers = await startWorkers({
    connection,
    prefix: config.QUEUE_PREFIX,
    clock: systemClock,
    logger,
    processInbound: (orgId, id) => conversation.process(orgId, id),
    deliver: (orgId, id, options) => delivery.deliver(orgId, id, options),
    routes: (orgId, ids) => store.outbound.routes(orgId, ids),
    pendingOutbox: () => delivery.pendingToDeliver(),
    deliveryChannels: channels,
    deliveryConcurrency: config.DELIVERY_CONCURRENCY,
    deliveryLockMs: config.DELIVERY_LOCK_MS,
    reminders: {
      plan: async () => (await eachOrg(async (orgId) => [await planner.plan(orgId)])).reduce((sum, n) => sum + n, 0),
      moments: () => eachOrg((orgId) => planner.moments(orgId)),
      fire: () => eachOrg((orgId) => planner.fire(orgId)),
      async prepareFire(at) {
        const prepared = new Map(await eachOrg(async (orgId) => [[orgId, await planner.prepare(orgId, at)] as const]));
        return () =>
          eachOrg((orgId) => {
            const ready = prepared.get(orgId);
            return planner.fire(orgId, ready ? { prepared: ready } : {});
          });
      },
      digest: () => eachOrg((orgId) => digest.send(orgId)),
      digestCron: config.DIGEST_CRON,
    },
  });
  lifecycle.add("workers", () => workers.close());
  logger.info({ queues: [...workers.queues.keys()], deliveries: channels }, "worker running");
}

export async function runWorker(config: Config, exit: (code: number) => void): Promise<void> {
  await boot(config, exit, async (lifecycle, logger) => {
    await assertRedisReachable(config.REDIS_URL);
    const database = await openDatabaseFor(config, lifecycle, { migrate: false });
    await startWorker(config, lifecycle, logger, database);
  });
}
