/**
 * `dondoc web`: the HTTP server — health, channel webhooks, the simulator, the office API and
 * pages. It stores what comes in and queues it; the worker does the rest.
 */
import type { Logger as PinoLogger } from "pino";
import { simulatorEnabled, trustProxy, type Config } from "../config/index.ts";
import { createBoardView, createDirectory, createInbox, createWebAuth, type HealthProbe } from "../app/index.ts";
import { buildApp } from "../http/index.ts";
import { simulatorPlugin } from "../../bots/simulator/index.ts";
import type { Database } from "../store/index.ts";
import { assertRedisReachable, createHealthRedis, waitForReady } from "../../jobs/index.ts";
import {
  appServices,
  argon2Hasher,
  boot,
  deliveryProducer,
  ensureDefaultOrg,
  inboundProducer,
  openDatabaseFor,
  simulatorSecret,
  systemClock,
} from "./components.ts";
import { channelWebhooks } from "./channels.ts";
import type { Lifecycle } from "./lifecycle.ts";
import { webModules } from "./web-modules.ts";

export async function startWeb(config: Config, lifecycle: Lifecycle, logger: PinoLogger, database: Database): Promise<{ url: string; simulator: boolean }> {
  const healthRedis = createHealthRedis(config.REDIS_URL);
  lifecycle.add("redis-health", async () => {
    healthRedis.disconnect();
  });
  await waitForReady(healthRedis);
  const probes: HealthProbe[] = [
    { name: "database", check: () => database.ping() },
    {
      name: "redis",
      check: async () => {
        await healthRedis.ping();
      },
    },
  ];
  const { store, intake, conversation, broadcasts, settings, groups } = appServices(database, config, deliveryProducer(config, lifecycle));
  const org = await ensureDefaultOrg(database, config, logger);
  const simulator = simulatorEnabled(config);
  // One inbound queue shared by the webhooks and the simulator: the worker answers them all.
  const queue = inboundProducer(config, lifecycle);
  const channelPlugins = [];
  if (simulator) {
    channelPlugins.push(simulatorPlugin({ handler: conversation, queue, inbox: createInbox({ store, clock: systemClock }), orgId: org.id, clock: systemClock, secret: simulatorSecret(config) }));
  }
  const webhooks = channelWebhooks(config, { orgId: org.id, handler: conversation, queue });
  channelPlugins.push(...Object.values(webhooks));
  const app = await buildApp({
    logger,
    probes,
    trustProxy: trustProxy(config),
    office: {
      intake,
      authenticate: (token) => store.access.byToken(token),
      issueLinkCode: (orgId, personId, actor, options) => conversation.issueLinkCode(orgId, personId, actor, options),
      failedDeliveries: (orgId) => store.outbound.failed(orgId, 200),
      broadcasts,
      settings,
      groups,
    },
    web: {
      auth: createWebAuth({ store, clock: systemClock, hasher: argon2Hasher }),
      modules: webModules({ store, clock: systemClock, intake, directory: createDirectory({ store, clock: systemClock }), conversation, broadcasts, groups, settings, messengerPage: config.MESSENGER_PAGE_ID ?? null, board: createBoardView({ store, clock: systemClock }) }),
    },
    channelPlugins,
  });
  const url = await app.listen({ host: config.HOST, port: config.PORT });
  lifecycle.add("http", () => app.close());
  logger.info({ url, database: database.driver, simulator, messenger: Boolean(webhooks.messenger), zaloBot: Boolean(webhooks.zalo_bot) }, "web listening");
  return { url, simulator };
}

export async function runWeb(config: Config, exit: (code: number) => void): Promise<void> {
  await boot(config, exit, async (lifecycle, logger) => {
    await assertRedisReachable(config.REDIS_URL);
    const database = await openDatabaseFor(config, lifecycle, { migrate: false });
    await startWeb(config, lifecycle, logger, database);
  });
}
