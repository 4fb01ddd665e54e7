/**
 * Building blocks the composition roots share: each opens one real client, registers its
 * closer with the lifecycle and returns what the next block needs.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as argon2 from "@node-rs/argon2";
import { join } from "node:path";
import type { Logger as PinoLogger } from "pino";
import { createLogger as createProcessLogger } from "./logging.ts";
import { deliveryRate, simulatorEnabled, trustProxy, type Config } from "../config/index.ts";
import type { ChannelGateway, Clock, Dispatch, HealthProbe } from "../app/ports.ts";
import { createWebAuth, type PasswordHasher } from "../app/index.ts";
import type { Channel } from "../domain/entities.ts";
import { buildApp } from "../http/index.ts";
import { createBoardView, createBroadcasts, createConversation, createDelivery, createDigest, createGroups, createIntake, createOrgSettings, createPlanner } from "../app/index.ts";
import { simulatorPlugin } from "../../bots/simulator/index.ts";
import { messengerGateway, messengerReplySender, messengerWebhook } from "../../bots/messenger/index.ts";
import { simulatorGateway } from "../../bots/simulator/index.ts";
import { zaloBotGateway, zaloBotReplySender, zaloBotWebhook } from "../../bots/zalo-bot/index.ts";
import { createStore, openDatabase, type Database } from "../store/index.ts";
import {
  createHealthRedis,
  createDeliveryQueue,
  createInboundQueue,
  createRedis,
  startWorkers,
  waitForReady,
  type ReplySender,
} from "../../jobs/index.ts";
import { lockDataDir, secureDataDir } from "./data-lock.ts";
import { webModules } from "./web-modules.ts";
import type { Lifecycle } from "./lifecycle.ts";

export const systemClock: Clock = { now: () => new Date() };

export function createLogger(config: Config): PinoLogger {
  return createProcessLogger(config.LOG_LEVEL);
}

export async function openDatabaseFor(
  config: Config,
  lifecycle: Lifecycle,
  options: { migrate: boolean },
): Promise<Database> {
  if (!config.DATABASE_URL) {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(config.DATA_DIR, { recursive: true, mode: 0o700 });
    const unlock = lockDataDir(config.DATA_DIR);
    lifecycle.add("data-dir-lock", async () => unlock());
  }
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
  });
  if (!config.DATABASE_URL) secureDataDir(config.DATA_DIR);
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
  // And a web sign-in for the same office user (the pages), its password in a file as well.
  const password = randomBytes(12).toString("base64url");
  await createWebAuth({ store, clock: systemClock, hasher: argon2Hasher }).createAccount({ orgId, personId: person.id, login: OFFICE_LOGIN, password });
  const loginFile = join(config.DATA_DIR, OFFICE_LOGIN_FILE);
  writeFileSync(loginFile, `${OFFICE_LOGIN}\n${password}\n`, { mode: 0o600 });
  logger.info({ file: loginFile, login: OFFICE_LOGIN }, "office web sign-in written");
}

export const OFFICE_TOKEN_FILE = "office-token.txt";
export const SIMULATOR_SECRET_FILE = "simulator-secret.txt";

/**
 * The simulator's per-install secret: made once, kept in DATA_DIR/simulator-secret.txt (owner
 * only), sent by every simulator call in `X-Simulator-Secret`.
 */
export function simulatorSecret(config: Config): string {
  const file = join(config.DATA_DIR, SIMULATOR_SECRET_FILE);
  if (existsSync(file)) {
    const saved = readFileSync(file, "utf8").trim();
    if (saved.length >= 16) return saved;
  }
  const secret = randomBytes(24).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
export const OFFICE_LOGIN_FILE = "office-login.txt";
export const OFFICE_LOGIN = "vanphong";

/** argon2id with the library's defaults (19 MiB, t=2, p=1: OWASP's minimum for argon2id). */
export const argon2Hasher: PasswordHasher = {
  hash: (password) => argon2.hash(password),
  verify: (hash, password) => argon2.verify(hash, password),
};

/** The use cases over one database, shared by web and worker in one process. */
export function appServices(database: Database, config: Config, dispatch?: Dispatch) {
  const store = createStore(database.db);
  const intake = createIntake({ store, clock: systemClock });
  const conversation = createConversation({
    store,
    clock: systemClock,
    linkCodeTtlHours: config.LINK_CODE_TTL_HOURS,
    messengerPage: config.MESSENGER_PAGE_ID ?? null,
    ...(dispatch ? { dispatch } : {}),
  });
  const broadcasts = createBroadcasts({ store, clock: systemClock, ...(dispatch ? { dispatch } : {}) });
  const settings = createOrgSettings({ store, clock: systemClock });
  const groups = createGroups({ store, clock: systemClock });
  return { store, intake, conversation, broadcasts, settings, groups };
}

/** A producer for the delivery queues (web: broadcasts and alerts go out at once). */
export function deliveryProducer(config: Config, lifecycle: Lifecycle): Dispatch {
  const producer = createRedis(config.REDIS_URL);
  const queue = createDeliveryQueue(producer, config.QUEUE_PREFIX);
  lifecycle.add("delivery-queue", async () => {
    await queue.close();
    producer.disconnect();
  });
  return (routes) => queue.dispatch(routes);
}

/** The channels whose deliveries `dondoc worker` runs, with their rates (Zalo's runs in `dondoc zalo`). */
export function deliveryChannels(config: Config, configured: Channel[]): { channel: Channel; ratePerSecond: number }[] {
  return configured.map((channel) => ({ channel, ratePerSecond: deliveryRate(config, channel) }));
}
export type AppServices = ReturnType<typeof appServices>;

export function messengerConfig(config: Config) {
  const { MESSENGER_APP_SECRET: appSecret, MESSENGER_VERIFY_TOKEN: verifyToken, MESSENGER_PAGE_TOKEN: pageToken } = config;
  return appSecret && verifyToken && pageToken ? { appSecret, verifyToken, pageToken, baseUrl: config.GRAPH_API_BASE } : null;
}

export function zaloBotConfig(config: Config) {
  const { ZALO_BOT_TOKEN: token, ZALO_BOT_SECRET_TOKEN: secretToken } = config;
  return token && secretToken ? { token, secretToken, baseUrl: config.ZALO_BOT_API_BASE } : null;
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
  const { store, intake, conversation, broadcasts, settings, groups } = appServices(database, config, deliveryProducer(config, lifecycle));
  const org = await ensureDefaultOrg(database, config, logger);
  const simulator = simulatorEnabled(config);
  const messenger = messengerConfig(config);
  const channelPlugins = [];
  if (simulator) channelPlugins.push(simulatorPlugin({ handler: conversation, orgId: org.id, clock: systemClock, secret: simulatorSecret(config) }));
  const zaloBot = zaloBotConfig(config);
  if (messenger || zaloBot) {
    // One inbound queue shared by the webhooks.
    const producer = createRedis(config.REDIS_URL);
    const queue = createInboundQueue(producer, config.QUEUE_PREFIX);
    lifecycle.add("inbound-queue", async () => {
      await queue.close();
      producer.disconnect();
    });
    if (messenger) channelPlugins.push(messengerWebhook({ ...messenger, orgId: org.id, handler: conversation, queue }));
    if (zaloBot) channelPlugins.push(zaloBotWebhook({ secretToken: zaloBot.secretToken, orgId: org.id, handler: conversation, queue }));
  }
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
    web: { auth: createWebAuth({ store, clock: systemClock, hasher: argon2Hasher }), modules: webModules({ store, clock: systemClock, intake, conversation, broadcasts, groups, settings, messengerPage: config.MESSENGER_PAGE_ID ?? null, board: createBoardView({ store, clock: systemClock }) }) },
    channelPlugins,
  });
  const url = await app.listen({ host: config.HOST, port: config.PORT });
  lifecycle.add("http", () => app.close());
  logger.info({ url, database: database.driver, simulator, messenger: messenger !== null, zaloBot: zaloBot !== null }, "web listening");
  return { url, simulator };
}

/**
 * The worker's sender for replies to Zalo messages. Only the process holding the Zalo session
 * (`dondoc zalo`, or `dondoc start` with a saved session) may talk to Zalo, so the replies, already
 * in the outbox, go to the `deliver-zalo` queue that process works; the outbox row keeps the quote.
 */
export function zaloQueueSender(dispatch: Dispatch): ReplySender {
  return (orgId, replies) => dispatch(replies.map((reply) => ({ orgId, id: reply.outboundMessageId, channel: "zalo" as const })));
}

export async function startWorker(config: Config, lifecycle: Lifecycle, logger: PinoLogger, database: Database) {
  const dispatch = deliveryProducer(config, lifecycle);
  const { store, conversation, broadcasts } = appServices(database, config, dispatch);
  const messenger = messengerConfig(config);
  const graph = messenger ? { baseUrl: messenger.baseUrl, pageToken: messenger.pageToken, appSecret: messenger.appSecret } : null;
  const zaloBot = zaloBotConfig(config);
  const bot = zaloBot ? { baseUrl: zaloBot.baseUrl, token: zaloBot.token } : null;
  const planner = createPlanner({ store, clock: systemClock });
  const digest = createDigest({ store, clock: systemClock, broadcasts });
  const gateways: Partial<Record<Channel, ChannelGateway>> = {
    simulator: simulatorGateway(),
    ...(graph ? { messenger: messengerGateway({ graph, deliveredId: (o, id) => conversation.deliveredId(o, id) }) } : {}),
    ...(bot ? { zalo_bot: zaloBotGateway({ bot }) } : {}),
  };
  const delivery = createDelivery({ store, clock: systemClock, gateways });
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
    senders: {
      ...(graph ? { messenger: messengerReplySender({ graph, handler: conversation }) } : {}),
      ...(bot ? { zalo_bot: zaloBotReplySender({ bot, handler: conversation }) } : {}),
      zalo: zaloQueueSender(dispatch),
    },
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
