/**
 * The Zalo channel's composition root: `dondoc zalo login`, `dondoc zalo`, and the listener
 * `dondoc start` runs when a session is saved. The process that holds the Zalo session is the
 * only one that sends through it, so it also works the `deliver-zalo` queue.
 */
import type { Logger as PinoLogger } from "pino";
import { deliveryRate, type Config } from "../config/index.ts";
import type { Clock, Dispatch, Store } from "../app/index.ts";
import { createAlerts, createDelivery } from "../app/index.ts";
import { assertRedisReachable, createDeliveryQueue, createInboundQueue, createRedis, startDeliveryWorker } from "../../jobs/index.ts";
import type { Scheduler, ZaloLoginFn } from "../../bots/zalo/index.ts";

/** The Zalo channel, loaded when first used: zca-js and its dependencies hold ~20 MB a process without Zalo does not need. */
const zaloChannel = () => import("../../bots/zalo/index.ts");
import type { Database } from "../store/index.ts";
import { appServices, boot, deliveryProducer, ensureDefaultOrg, openDatabaseFor, systemClock } from "./components.ts";
import type { Lifecycle } from "./lifecycle.ts";

/** `dondoc zalo` before any `dondoc zalo login`: nothing to listen with. */
export class ZaloSessionMissingError extends Error {
  readonly code = "zalo_session_missing";
  constructor(path: string) {
    super(`No saved Zalo session (${path}). Run "dondoc zalo login" with the same DATA_DIR and ZALO_CREDENTIALS_KEY first, and scan the QR code with the office phone.`);
    this.name = "ZaloSessionMissingError";
  }
}

/**
 * Throws `ZaloCredentialsError` (no or wrong ZALO_CREDENTIALS_KEY) or `ZaloSessionMissingError`
 * (never logged in), before anything else is opened.
 */
export async function assertZaloSession(config: Config, account: string, clock: Clock = systemClock): Promise<void> {
  const { credentialStore, parseCredentialsKey } = await zaloChannel();
  const store = credentialStore({ dataDir: config.DATA_DIR, account, key: parseCredentialsKey(config.ZALO_CREDENTIALS_KEY), clock });
  if (!(await store.load())) throw new ZaloSessionMissingError(store.path);
}

/** Whether `dondoc start` should run the listener too: a key is set and a session is saved. */
export async function hasZaloSession(config: Config, account = "default"): Promise<boolean> {
  if (!config.ZALO_CREDENTIALS_KEY) return false;
  try {
    await assertZaloSession(config, account);
    return true;
  } catch (err) {
    // A key that does not decrypt the session is a configuration error: say so instead of skipping.
    if (err instanceof (await zaloChannel()).ZaloCredentialsError) throw err;
    return false;
  }
}

/**
 * Tells office that the Zalo account needs a QR login, on their other accounts (Messenger,
 * Zalo Bot…): the Zalo account itself cannot send until then. Audited either way.
 */
export async function alertOfficeOffZalo(deps: { store: Pick<Store, "chats" | "outbound" | "audit">; clock: Clock; dispatch?: Dispatch }, orgId: string, reason: string): Promise<string[]> {
  const { needsQrAlert } = await zaloChannel();
  const ids = await createAlerts(deps).office(orgId, needsQrAlert(reason), { avoidChannel: "zalo" });
  await deps.store.audit.append({ orgId, actor: "system", action: "channel.needs_office", entity: "channel", entityId: "zalo", data: { reason, alerted: ids.length }, at: deps.clock.now() });
  return ids;
}

export interface StartZaloOptions {
  orgId: string;
  account?: string;
  /** Tests: a fake zca-js login, a fake scheduler and clock. */
  login?: ZaloLoginFn;
  scheduler?: Scheduler;
  clock?: Clock;
}

/**
 * The listener (addressed messages stored once and queued on `inbound`) and this process's
 * `deliver-zalo` worker sending through the listener's paced gateway. Everything is closed by
 * the lifecycle: the delivery worker first, then the listener (it frees the account lock),
 * then the queues and Redis.
 */
export async function startZalo(config: Config, lifecycle: Lifecycle, logger: PinoLogger, database: Database, options: StartZaloOptions) {
  const clock = options.clock ?? systemClock;
  const account = options.account ?? "default";
  const { runZaloListener } = await zaloChannel();
  const dispatch = deliveryProducer(config, lifecycle);
  const { store, conversation } = appServices(database, config, dispatch);
  const connection = createRedis(config.REDIS_URL);
  lifecycle.add("zalo-redis", async () => {
    if (connection.status === "ready") await connection.quit().catch(() => connection.disconnect());
    else connection.disconnect();
  });
  const inbound = createInboundQueue(connection, config.QUEUE_PREFIX);
  lifecycle.add("zalo-inbound-queue", () => inbound.close());
  const fallbacks = createDeliveryQueue(connection, config.QUEUE_PREFIX);
  lifecycle.add("zalo-delivery-queue", () => fallbacks.close());

  const zalo = await runZaloListener({
    orgId: options.orgId,
    account,
    dataDir: config.DATA_DIR,
    credentialsKey: config.ZALO_CREDENTIALS_KEY,
    guard: { hourlyCap: config.ZALO_HOURLY_CAP },
    redis: connection,
    handler: conversation,
    queue: inbound,
    isLinked: async (orgId, uid) => Boolean((await store.chats.identity(orgId, "zalo", uid))?.personId),
    onNeedsQr: async (reason) => {
      await alertOfficeOffZalo({ store, clock, dispatch }, options.orgId, reason);
    },
    clock,
    logger,
    ...(options.login ? { login: options.login } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
  lifecycle.add("zalo-listener", () => zalo.stop());

  const delivery = createDelivery({ store, clock, gateways: { zalo: zalo.gateway }, dispatch });
  const ratePerSecond = deliveryRate(config, "zalo");
  const worker = startDeliveryWorker({
    connection,
    prefix: config.QUEUE_PREFIX,
    channel: "zalo",
    ratePerSecond,
    lockMs: config.DELIVERY_LOCK_MS,
    logger,
    deliver: (o, id, opt) => delivery.deliver(o, id, opt),
    queue: fallbacks,
    routes: (o, ids) => store.outbound.routes(o, ids),
  });
  lifecycle.add("zalo-deliveries", () => worker.close());
  logger.info({ account, ratePerSecond }, "zalo listening");
  return { listener: zalo.listener, gateway: zalo.gateway, worker };
}

/** `dondoc zalo login`: prints the QR code, saves the session; returns the line to print. */
export async function runZaloLogin(config: Config, options: { account?: string; print: (line: string) => void }): Promise<string> {
  const { parseCredentialsKey, zaloLogin } = await zaloChannel();
  // Fail on a missing key before showing a QR code whose session could not be saved.
  parseCredentialsKey(config.ZALO_CREDENTIALS_KEY);
  const { uid, path } = await zaloLogin({
    dataDir: config.DATA_DIR,
    credentialsKey: config.ZALO_CREDENTIALS_KEY,
    ...(options.account ? { account: options.account } : {}),
    clock: systemClock,
    print: options.print,
  });
  return `Đã đăng nhập Zalo (tài khoản ${uid}); phiên được lưu mã hoá tại ${path}. Chạy "dondoc zalo" để bắt đầu nhận tin.`;
}

/**
 * `dondoc zalo`: the Zalo listener and the `deliver-zalo` worker, without web or the other
 * workers (run `dondoc worker` beside it on PostgreSQL; on the embedded database use
 * `dondoc start`, which runs the listener itself when a session is saved).
 */
export async function runZalo(config: Config, exit: (code: number) => void, options: { account?: string } = {}): Promise<void> {
  const account = options.account ?? "default";
  // One clear line before anything is opened: no key, a wrong key, or no saved session.
  await assertZaloSession(config, account);
  await boot(config, exit, async (lifecycle, logger) => {
    await assertRedisReachable(config.REDIS_URL);
    const database = await openDatabaseFor(config, lifecycle, { migrate: false });
    const org = await ensureDefaultOrg(database, config, logger);
    await startZalo(config, lifecycle, logger, database, { orgId: org.id, account });
  });
}
