/**
 * Building blocks the composition roots share: each opens one real client, registers its
 * closer with the lifecycle and returns what the next block needs.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pino, type Logger as PinoLogger } from "pino";
import type { Config } from "../config/index.ts";
import type { Clock, HealthProbe } from "../app/ports.ts";
import { buildApp } from "../http/index.ts";
import { createConversation, createDelivery, createIntake, createPlanner } from "../app/index.ts";
import { simulatorPlugin } from "../../bots/simulator/index.ts";
import { messengerGateway, messengerReplySender, messengerWebhook } from "../../bots/messenger/index.ts";
import { simulatorGateway } from "../../bots/simulator/index.ts";
import { createStore, openDatabase, type Database } from "../store/index.ts";
import {
  createHealthRedis,
  createInboundQueue,
  createRedis,
  startWorkers,
  waitForReady,
} from "../../jobs/index.ts";
import { lockDataDir } from "./data-lock.ts";
import type { Lifecycle } from "./lifecycle.ts";

export const systemClock: Clock = { now: () => new Date() };

export function createLogger(config: Config): PinoLogger {
  return pino({ name: "dondoc", level: config.LOG_LEVEL });
}

export async function openDatabaseFor(
  config: Config,
  lifecycle: Lifecycle,
  options: { migrate: boolean },
): Promise<Database> {
  if (!config.DATABASE_URL) {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(config.DATA_DIR, { recursive: true });
    const unlock = lockDataDir(config.DATA_DIR);
    lifecycle.add("data-dir-lock", async () => unlock());
  }
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
  });
  lifecycle.add("database", () => database.close());
  if (options.migrate) await database.migrate();
  return database;
}

/** The org a one-ward install works for, created on first start. */
export async function ensureDefaultOrg(database: Database, config: Config, logger: PinoLogger) {
  const store = createStore(database.db);
  const { org, created } = await store.orgs.ensure({ slug: config.ORG_SLUG, name: config.ORG_NAME });
  if (created) {
    await store.audit.append({
      orgId: org.id,
      actor: "system",
      action: "org.created",
      entity: "org",
      entityId: org.id,
      data: { slug: org.slug },
    });
    logger.info({ org: org.slug }, "created org");
    if (!config.DATABASE_URL) await bootstrapOfficeToken(store, org.id, config, logger);
  }
  return org;
}

/**
 * A one-ward install needs a first office user to call the office API, and `dondoc token`
 * cannot open the embedded database while the server holds it. So the first start writes
 * one token to DATA_DIR/office-token.txt (readable by the owner only); on PostgreSQL use
 * `dondoc token` instead.
 */
async function bootstrapOfficeToken(
  store: ReturnType<typeof createStore>,
  orgId: string,
  config: Config,
  logger: PinoLogger,
): Promise<void> {
  const person = await store.persons.create({ orgId, fullName: "Văn phòng Đảng ủy", roles: ["office"] });
  const { token } = await store.access.createToken({ orgId, personId: person.id, label: "first start" });
  const file = join(config.DATA_DIR, OFFICE_TOKEN_FILE);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  logger.info({ file }, "office API token written");
}

export const OFFICE_TOKEN_FILE = "office-token.txt";

/** The use cases over one database, shared by web and worker in one process. */
export function appServices(database: Database, config: Config) {
  const store = createStore(database.db);
  const intake = createIntake({ store, clock: systemClock });
  const conversation = createConversation({
    store,
    clock: systemClock,
    linkCodeTtlHours: config.LINK_CODE_TTL_HOURS,
    messengerPage: config.MESSENGER_PAGE_ID ?? null,
  });
  return { store, intake, conversation };
}
export type AppServices = ReturnType<typeof appServices>;

export function messengerConfig(config: Config) {
  const { MESSENGER_APP_SECRET: appSecret, MESSENGER_VERIFY_TOKEN: verifyToken, MESSENGER_PAGE_TOKEN: pageToken } = config;
  return appSecret && verifyToken && pageToken ? { appSecret, verifyToken, pageToken, baseUrl: config.GRAPH_API_BASE } : null;
}

export async function startWeb(
  config: Config,
  lifecycle: Lifecycle,
  logger: PinoLogger,
  database: Database,
): Promise<{ url: string; simulator: boolean }> {
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
  const { store, intake, conversation } = appServices(database, config);
  const org = await ensureDefaultOrg(database, config, logger);
  const simulator = config.SIMULATOR === "on" || (config.SIMULATOR === "auto" && !config.DATABASE_URL);
  const messenger = messengerConfig(config);
  const channelPlugins = [];
  if (simulator) channelPlugins.push(simulatorPlugin({ handler: conversation, orgId: org.id, clock: systemClock }));
  if (messenger) {
    const producer = createRedis(config.REDIS_URL);
    const queue = createInboundQueue(producer, config.QUEUE_PREFIX);
    lifecycle.add("inbound-queue", async () => {
      await queue.close();
      producer.disconnect();
    });
    channelPlugins.push(messengerWebhook({ ...messenger, orgId: org.id, handler: conversation, queue }));
  }
  const app = await buildApp({
    logger,
    probes,
    office: {
      intake,
      authenticate: (token) => store.access.byToken(token),
      issueLinkCode: (orgId, personId, actor) => conversation.issueLinkCode(orgId, personId, actor),
      failedDeliveries: (orgId) => store.outbound.failed(orgId, 200),
    },
    channelPlugins,
  });
  const url = await app.listen({ host: config.HOST, port: config.PORT });
  lifecycle.add("http", () => app.close());
  logger.info({ url, database: database.driver, simulator, messenger: messenger !== null }, "web listening");
  return { url, simulator };
}

export async function startWorker(config: Config, lifecycle: Lifecycle, logger: PinoLogger, database: Database) {
  const { store, conversation } = appServices(database, config);
  const messenger = messengerConfig(config);
  const graph = messenger ? { baseUrl: messenger.baseUrl, pageToken: messenger.pageToken, appSecret: messenger.appSecret } : null;
  const planner = createPlanner({ store, clock: systemClock });
  const delivery = createDelivery({
    store,
    clock: systemClock,
    gateways: {
      simulator: simulatorGateway(),
      ...(graph ? { messenger: messengerGateway({ graph, deliveredId: (o, id) => conversation.deliveredId(o, id) }) } : {}),
    },
  });
  const connection = createRedis(config.REDIS_URL);
  lifecycle.add("redis", async () => {
    if (connection.status === "ready") await connection.quit().catch(() => connection.disconnect());
    else connection.disconnect();
  });
  const workers = await startWorkers({
    connection,
    prefix: config.QUEUE_PREFIX,
    clock: systemClock,
    logger,
    processInbound: (orgId, id) => conversation.process(orgId, id),
    senders: graph ? { messenger: messengerReplySender({ graph, handler: conversation }) } : {},
    deliver: (orgId, id) => delivery.deliver(orgId, id),
    pendingOutbox: () => delivery.pendingToDeliver(),
    reminders: {
      async plan() {
        let n = 0;
        for (const org of await store.orgs.all()) n += await planner.plan(org.id);
        return n;
      },
      async fire() {
        const out: { orgId: string; id: string }[] = [];
        for (const org of await store.orgs.all()) for (const id of await planner.fire(org.id)) out.push({ orgId: org.id, id });
        return out;
      },
    },
  });
  lifecycle.add("workers", () => workers.close());
  logger.info({ queues: [...workers.queues.keys()] }, "worker running");
}
