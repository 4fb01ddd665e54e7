/**
 * The Zalo channel (a dedicated ward-office account through zca-js): what src/main may use.
 * `zaloLogin` backs `dondoc zalo login`; `runZaloListener` backs `dondoc zalo` and returns the
 * gateway, which must send from this same process (see README.md).
 */
import type { Agent } from "node:http";
import type { Clock, InboundHandler, InboundQueue, Logger } from "../../src/app/index.ts";
import { credentialStore, loginWithQr, parseCredentialsKey } from "./credentials.ts";
import { zaloGateway, type ZaloGateway } from "./gateway.ts";
import type { LockRedis } from "./lock.ts";
import { createZaloListener, systemScheduler, type ZaloListenerHandle } from "./listener.ts";
import { Zalo } from "./sdk.ts";
import { createRecentMessages, createSendGuard, DEFAULT_GUARD } from "./send.ts";
import type { Scheduler, ZaloLoginFn } from "./types.ts";

export { credentialStore, loginWithQr, parseCredentialsKey, terminalQr, toCredentials, ZaloCredentialsError } from "./credentials.ts";
export type { CredentialStore, StoredCredentials } from "./credentials.ts";
export { zaloGateway } from "./gateway.ts";
export type { ZaloGateway, ZaloGatewayDeps, ZaloSendInput } from "./gateway.ts";
export { createZaloListener, isRejectedSession, systemScheduler } from "./listener.ts";
export type { ZaloListenerHandle, ZaloListenerOptions, ZaloListenerState } from "./listener.ts";
export { acquireAccountLock, ZaloListenerLockedError } from "./lock.ts";
export type { LockRedis } from "./lock.ts";
export { idString, isAddressedToBot, normalizeMessage } from "./normalize.ts";
export { buildMentions, classifyZaloError, createRecentMessages, createSendGuard, DEFAULT_GUARD, quoteOf, sendText } from "./send.ts";
export type { GuardOptions, RecentMessages, SendGuard, ZaloSendOutcome } from "./send.ts";
export type { Scheduler, ZaloApi, ZaloListener, ZaloLoginFn } from "./types.ts";

/** zca-js as dondoc runs it: no npm update check at login, our own messages not echoed, no console logging. */
function zaloClient(agent?: Agent) {
  return new Zalo({ checkUpdate: false, selfListen: false, logging: false, ...(agent ? { agent } : {}) });
}

export interface ZaloLoginOptions {
  dataDir: string;
  /** ZALO_CREDENTIALS_KEY. */
  credentialsKey: string | undefined;
  account?: string;
  clock: Clock;
  /** Where the QR image goes (default `<dataDir>/zalo/<account>-qr.png`). */
  qrPngPath?: string;
  /** The session is bound to this user agent: keep the listener's machine and browser string stable. */
  userAgent?: string;
  print: (line: string) => void;
  agent?: Agent;
}

/**
 * `dondoc zalo login`: QR login of the office account, session saved encrypted.
 *
 * @example
 * const { uid, path } = await zaloLogin({ dataDir: config.DATA_DIR, credentialsKey: config.ZALO_CREDENTIALS_KEY, clock: systemClock, print: console.log });
 */
export async function zaloLogin(options: ZaloLoginOptions): Promise<{ uid: string; path: string }> {
  const account = options.account ?? "default";
  const store = credentialStore({ dataDir: options.dataDir, account, key: parseCredentialsKey(options.credentialsKey), clock: options.clock });
  const zalo = zaloClient(options.agent);
  const { uid } = await loginWithQr({
    loginQR: (o, cb) => zalo.loginQR(o, cb),
    store,
    qrPngPath: options.qrPngPath ?? `${options.dataDir}/zalo/${account}-qr.png`,
    print: options.print,
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
  });
  return { uid, path: store.path };
}

export interface RunZaloListenerOptions {
  orgId: string;
  account?: string;
  dataDir: string;
  credentialsKey: string | undefined;
  /** ZALO_HOURLY_CAP (the spacing, ZALO_SEND_INTERVAL_MS, is the delivery queue's pacer). */
  guard?: { hourlyCap: number };
  /** The lock lives here (ioredis client). */
  redis: LockRedis;
  handler: Pick<InboundHandler, "accept" | "alertOffice">;
  queue: InboundQueue;
  isLinked(orgId: string, zaloUserId: string): Promise<boolean>;
  clock: Clock;
  logger?: Logger;
  scheduler?: Scheduler;
  agent?: Agent;
  /** Logs in from saved credentials; default zca-js's `new Zalo(…).login` (tests pass a fake). */
  login?: ZaloLoginFn;
  /** Overrides the office alert sent when a QR login is needed (default `handler.alertOffice`). */
  onNeedsQr?: (reason: string) => Promise<void>;
}

/** The office alert when the saved session no longer logs in. */
export function needsQrAlert(reason: string): string {
  return `⚠ Tài khoản Zalo của trợ lý cần đăng nhập lại (${reason}). Người quản trị hãy chạy "dondoc zalo login" và quét mã QR bằng điện thoại của tài khoản văn phòng; trong lúc chờ, trợ lý không nhận và không gửi được tin Zalo.`;
}

/**
 * `dondoc zalo`: the account's listener (stores addressed messages once and enqueues them on
 * the inbound queue) plus its guarded gateway, for this process only. A QR
 * re-login need is told to office in Vietnamese.
 *
 * @example
 * const zalo = await runZaloListener({ orgId, dataDir, credentialsKey, redis, handler: conversation, queue, isLinked, clock });
 * // register zalo.gateway with this process's deliver-zalo worker; on SIGTERM:
 * await zalo.stop();
 */
export async function runZaloListener(options: RunZaloListenerOptions): Promise<{
  listener: ZaloListenerHandle;
  gateway: ZaloGateway;
  stop(): Promise<void>;
}> {
  const account = options.account ?? "default";
  const scheduler = options.scheduler ?? systemScheduler;
  const credentials = credentialStore({ dataDir: options.dataDir, account, key: parseCredentialsKey(options.credentialsKey), clock: options.clock });
  const recent = createRecentMessages();
  const zalo = options.login ? null : zaloClient(options.agent);
  const listener = createZaloListener({
    orgId: options.orgId,
    account,
    credentials,
    login: options.login ?? ((c) => (zalo as NonNullable<typeof zalo>).login(c)),
    handler: options.handler,
    onMessage: (id) => options.queue.enqueueInbound(options.orgId, id),
    onNeedsQr: (reason) => (options.onNeedsQr ? options.onNeedsQr(reason) : options.handler.alertOffice(options.orgId, needsQrAlert(reason))),
    clock: options.clock,
    scheduler,
    lock: { redis: options.redis },
    recent,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await listener.start();
  const guard = createSendGuard({ ...DEFAULT_GUARD, ...options.guard }, { clock: options.clock });
  const gateway = zaloGateway({ api: () => listener.api(), guard, recent, isLinked: (orgId, uid) => options.isLinked(orgId, uid) });
  return { listener, gateway, stop: () => listener.stop() };
}
