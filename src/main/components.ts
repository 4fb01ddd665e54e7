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
import { deliveryRate, type Config } from "../config/index.ts";
import type { Clock, Dispatch, InboundQueue } from "../app/index.ts";
import { createBroadcasts, createConversation, createGroups, createIntake, createOrgSettings, createWebAuth, type PasswordHasher } from "../app/index.ts";
import type { Channel } from "../domain/index.ts";
import { createStore, openDatabase, type Database } from "../store/index.ts";
import { createDeliveryQueue, createInboundQueue, createRedis } from "../../jobs/index.ts";
import { lockDataDir, secureDataDir } from "./data-lock.ts";
import { Lifecycle } from "./lifecycle.ts";

export const systemClock: Clock = { now: () => new Date() };

type Exit = (code: number) => void;

/**
 * Runs a process's start-up with its own logger and lifecycle (signals, bounded shutdown); a
 * failure closes what was opened, then the CLI prints the one line.
 */
export async function boot(config: Config, exit: Exit, run: (lifecycle: Lifecycle, logger: PinoLogger) => Promise<void>): Promise<void> {
  const logger = createLogger(config);
  const lifecycle = new Lifecycle(logger, config.SHUTDOWN_TIMEOUT_MS);
  lifecycle.handleSignals(exit);
  try {
    await run(lifecycle, logger);
  } catch (error) {
    await lifecycle.shutdown("start-up failed");
    throw error;
  }
}

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
  return (routes, options) => queue.dispatch(routes, options);
}

/** A producer for the inbound queue (webhooks and the simulator store, queue, then answer). */
export function inboundProducer(config: Config, lifecycle: Lifecycle): InboundQueue {
  const producer = createRedis(config.REDIS_URL);
  const queue = createInboundQueue(producer, config.QUEUE_PREFIX);
  lifecycle.add("inbound-queue", async () => {
    await queue.close();
    producer.disconnect();
  });
  return queue;
}

/** The channels whose deliveries `dondoc worker` runs, with their rates (Zalo's runs in `dondoc zalo`). */
export function deliveryChannels(config: Config, configured: Channel[]): { channel: Channel; ratePerSecond: number }[] {
  return configured.map((channel) => ({ channel, ratePerSecond: deliveryRate(config, channel) }));
}
export type AppServices = ReturnType<typeof appServices>;
