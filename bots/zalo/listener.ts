/**
 * The long-lived side of the Zalo channel: one supervised zca-js listener per account. It owns
 * reconnecting (zca-js's own `retryOnClose` never retries 1006 and is left off), logs in afresh
 * from the saved, refreshed credentials before every connection, asks for the messages missed
 * while it was down, and stores each addressed message once before handing its id on.
 */
import { setTimeout as delayFor } from "node:timers/promises";
import type { Clock, InboundHandler, Logger } from "../../src/app/index.ts";
import type { CredentialStore, StoredCredentials } from "./credentials.ts";
import { toCredentials } from "./credentials.ts";
import { acquireAccountLock, type LockRedis } from "./lock.ts";
import { idString, isAddressedToBot, normalizeMessage } from "./normalize.ts";
import { CloseReason, ThreadType, ZaloApiError } from "./sdk.ts";
import { createRecentMessages, type RecentMessages } from "./send.ts";
import type { Message, Scheduler, ZaloApi, ZaloLoginFn } from "./types.ts";

export interface ZaloListenerOptions {
  orgId: string;
  /** The account's name in dondoc (credentials file, lock key), e.g. "default". */
  account: string;
  credentials: Pick<CredentialStore, "load" | "saveIfChanged">;
  /** `new Zalo({ checkUpdate: false, selfListen: false, logging: false }).login` in production. */
  login: ZaloLoginFn;
  handler: Pick<InboundHandler, "accept">;
  /** A message was stored (first time only): the app enqueues its processing. */
  onMessage(inboundMessageId: string): Promise<void>;
  /** The saved session no longer logs in (or there is none): a person must scan a QR code. */
  onNeedsQr(reason: string): Promise<void> | void;
  clock: Clock;
  scheduler: Scheduler;
  lock: { redis: LockRedis; key?: string; ttlMs?: number; holder?: string };
  recent?: RecentMessages;
  logger?: Logger;
  /** Reconnect delays: initialMs·2^(n−1) up to maxMs; at least kickedMs after 3000/3003. */
  backoff?: { initialMs?: number; maxMs?: number; kickedMs?: number; stableMs?: number };
  /** Missed messages older than this are not answered any more (default 12 h). */
  catchUpWindowMs?: number;
  /** How often refreshed cookies are saved while connected (default 10 min). */
  cookieSaveEveryMs?: number;
  /** How often to look for new credentials while waiting for a QR login (default 30 s). */
  credentialsPollMs?: number;
  /** Login failures that look like a rejected session before asking for a QR (default 2). */
  rejectionsBeforeQr?: number;
}

export type ZaloListenerState = "idle" | "connecting" | "connected" | "reconnecting" | "needs_qr" | "stopped";

/**
 * Real timers: `sleep` resolves after `ms`, or at once when `signal` aborts.
 *
 * @example
 * createZaloListener({ …, scheduler: systemScheduler });
 */
export const systemScheduler: Scheduler = {
  sleep(ms, signal) {
    return delayFor(ms, undefined, signal ? { signal } : {}).then(
      () => undefined,
      () => undefined,
    );
  },
};

const KICKED: ReadonlySet<number> = new Set([CloseReason.DuplicateConnection, CloseReason.KickConnection]);

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * zca-js's login throws these when Zalo refuses the saved session itself (not the network):
 * "Đăng nhập thất bại" (no login info for this cookie) and missing imei/cookie/user agent.
 *
 * @example
 * isRejectedSession(new ZaloApiError("Đăng nhập thất bại")) // true
 */
export function isRejectedSession(error: unknown): boolean {
  if (!(error instanceof ZaloApiError)) return false;
  return /Đăng nhập thất bại|Missing required params|zpw_sek/i.test(error.message);
}

/**
 * @example
 * const listener = createZaloListener({ orgId, account: "default", credentials, login, handler: conversation,
 *   onMessage: (id) => queue.enqueueInbound(orgId, id), onNeedsQr: (why) => conversation.alertOffice(orgId, `…${why}`),
 *   clock, scheduler, lock: { redis } });
 * await listener.start(); // throws ZaloListenerLockedError when another process listens
 * // … on SIGTERM
 * await listener.stop();
 */
export function createZaloListener(opts: ZaloListenerOptions) {
  const log = opts.logger ?? silent;
  const initialMs = opts.backoff?.initialMs ?? 1_000;
  const maxMs = opts.backoff?.maxMs ?? 60_000;
  const kickedMs = opts.backoff?.kickedMs ?? 60_000;
  const stableMs = opts.backoff?.stableMs ?? 30_000;
  const catchUpWindowMs = opts.catchUpWindowMs ?? 12 * 60 * 60_000;
  const cookieSaveEveryMs = opts.cookieSaveEveryMs ?? 10 * 60_000;
  const credentialsPollMs = opts.credentialsPollMs ?? 30_000;
  const rejectionsBeforeQr = Math.max(1, opts.rejectionsBeforeQr ?? 2);
  const recent = opts.recent ?? createRecentMessages();
  const stop = new AbortController();
  const lastIds: Record<"user" | "group", bigint | null> = { user: null, group: null };

  let state: ZaloListenerState = "idle";
  let current: { api: ZaloApi; ownId: string } | null = null;
  let release: (() => Promise<void>) | null = null;
  let loop: Promise<void> | null = null;
  let work: Promise<void> = Promise.resolve();

  const delay = (n: number) => Math.min(maxMs, initialMs * 2 ** Math.max(0, n - 1));

  /** Runs inbound work one item at a time, in arrival order. */
  function serial(task: () => Promise<void>): void {
    work = work.then(task).catch((err: unknown) => log.error({ err, account: opts.account }, "zalo: handling a message failed"));
  }

  function remember(message: Message, messageId: string) {
    const key = message.type === ThreadType.Group ? "group" : "user";
    try {
      const id = BigInt(messageId);
      const last = lastIds[key];
      if (last === null || id > last) lastIds[key] = id;
    } catch {
      // Not a number: nothing to ask from.
    }
  }

  async function handle(message: Message, ownId: string, old: boolean): Promise<void> {
    const incoming = normalizeMessage(message, { orgId: opts.orgId, ownId });
    if (!incoming) return;
    remember(message, incoming.messageId);
    recent.remember(message, incoming.messageId, incoming.threadId);
    if (!isAddressedToBot(message, ownId)) return;
    if (old && incoming.sentAt.getTime() < opts.clock.now().getTime() - catchUpWindowMs) return;
    const id = await opts.handler.accept(incoming);
    if (id) await opts.onMessage(id);
  }

  /** Ask the server for what arrived while we were away; duplicates are dropped by `accept`. */
  function requestMissed(api: ZaloApi): void {
    const asId = (v: bigint | null) => (v === null ? null : v.toString());
    try {
      api.listener.requestOldMessages(ThreadType.User, asId(lastIds.user));
      api.listener.requestOldMessages(ThreadType.Group, asId(lastIds.group));
    } catch (err) {
      log.warn({ err, account: opts.account }, "zalo: could not ask for missed messages");
    }
  }

  async function saveCookies(api: ZaloApi, stored: StoredCredentials): Promise<void> {
    try {
      if (await opts.credentials.saveIfChanged(api, stored)) log.debug({ account: opts.account }, "zalo: refreshed cookies saved");
    } catch (err) {
      log.warn({ err, account: opts.account }, "zalo: could not save refreshed cookies");
    }
  }

  /** One connection, from start to close. */
  function session(api: ZaloApi, stored: StoredCredentials): Promise<{ code: number; reason: string; connectedMs: number }> {
    const ownId = idString(api.getOwnId());
    const listener = api.listener;
    const ended = new AbortController();
    let connectedAt: number | null = null;
    return new Promise((resolve) => {
      const onStop = () => finish(CloseReason.ManualClosure, "stopped");
      const finish = (code: number, reason: string) => {
        if (ended.signal.aborted) return;
        ended.abort();
        stop.signal.removeEventListener("abort", onStop);
        listener.removeAllListeners();
        current = null;
        const connectedMs = connectedAt === null ? 0 : opts.clock.now().getTime() - connectedAt;
        resolve({ code, reason, connectedMs });
      };
      listener.on("connected", () => {
        connectedAt = opts.clock.now().getTime();
        state = "connected";
        log.info({ account: opts.account }, "zalo: connected");
      });
      // The first frame of every connection carries the key; the server answers requests after it.
      listener.on("cipher_key", () => requestMissed(api));
      listener.on("message", (message: Message) => serial(() => handle(message, ownId, false)));
      listener.on("old_messages", (messages: Message[]) => {
        const ordered = [...messages].sort((a: Message, b: Message) => Number(idString(a.data.ts)) - Number(idString(b.data.ts)));
        serial(async () => {
          for (const message of ordered) await handle(message, ownId, true);
        });
      });
      listener.on("error", (err: unknown) => log.warn({ err, account: opts.account }, "zalo: listener error"));
      listener.on("closed", (code: number, reason: string) => finish(code, reason));
      if (stop.signal.aborted) return finish(CloseReason.ManualClosure, "stopped");
      stop.signal.addEventListener("abort", onStop, { once: true });
      current = { api, ownId };
      void (async () => {
        while (!ended.signal.aborted) {
          await opts.scheduler.sleep(cookieSaveEveryMs, ended.signal);
          if (!ended.signal.aborted) await saveCookies(api, stored);
        }
      })();
      try {
        listener.start({ retryOnClose: false });
      } catch (err) {
        finish(-1, err instanceof Error ? err.message : String(err));
      }
    });
  }

  async function needsQr(reason: string, since: string | null): Promise<void> {
    state = "needs_qr";
    log.error({ account: opts.account, reason }, "zalo: a QR login is needed");
    try {
      await opts.onNeedsQr(reason);
    } catch (err) {
      log.error({ err }, "zalo: onNeedsQr failed");
    }
    // Wait for `dondoc zalo login` to save a new session (another process may run it).
    while (!stop.signal.aborted) {
      await opts.scheduler.sleep(credentialsPollMs, stop.signal);
      if (stop.signal.aborted) return;
      const fresh = await opts.credentials.load().catch(() => null);
      if (fresh && fresh.savedAt !== since) return;
    }
  }

  async function run(): Promise<void> {
    let failures = 0;
    let rejections = 0;
    while (!stop.signal.aborted) {
      let stored: StoredCredentials | null;
      try {
        stored = await opts.credentials.load();
      } catch (err) {
        await needsQr(err instanceof Error ? err.message : String(err), null);
        continue;
      }
      if (!stored) {
        await needsQr("chưa có phiên đăng nhập Zalo đã lưu", null);
        continue;
      }
      state = failures === 0 ? "connecting" : "reconnecting";
      let api: ZaloApi;
      try {
        api = await opts.login(toCredentials(stored));
        rejections = 0;
      } catch (err) {
        if (isRejectedSession(err) && ++rejections >= rejectionsBeforeQr) {
          rejections = 0;
          failures = 0;
          await needsQr(`Zalo từ chối phiên đăng nhập đã lưu (${err instanceof Error ? err.message : String(err)})`, stored.savedAt);
          continue;
        }
        failures++;
        log.warn({ err, account: opts.account, retryInMs: delay(failures) }, "zalo: login failed");
        await opts.scheduler.sleep(delay(failures), stop.signal);
        continue;
      }
      if (stop.signal.aborted) break;
      await saveCookies(api, stored);
      const closed = await session(api, stored);
      if (stop.signal.aborted) break;
      failures = closed.connectedMs >= stableMs ? 1 : failures + 1;
      let wait = delay(failures);
      // 3000: another connection opened on this session; 3003: kicked (Zalo Web/PC opened, or an
      // unclean restart). The server may still hold the old socket: wait a full minute at least.
      if (KICKED.has(closed.code)) wait = Math.max(wait, kickedMs);
      state = "reconnecting";
      log.warn({ account: opts.account, code: closed.code, reason: closed.reason, retryInMs: wait }, "zalo: connection closed");
      await opts.scheduler.sleep(wait, stop.signal);
    }
  }

  async function stopListening(): Promise<void> {
    if (stop.signal.aborted) return;
    const live = current;
    stop.abort();
    live?.api.listener.stop();
    await loop;
    await work;
    state = "stopped";
    await release?.();
    release = null;
  }

  return {
    /**
     * Takes the account's lock (throws `ZaloListenerLockedError` if another process has it),
     * checks that the saved credentials can be decrypted, and starts listening in the background.
     */
    async start(): Promise<void> {
      if (loop) throw new Error("This Zalo listener was already started.");
      const lock = await acquireAccountLock({
        redis: opts.lock.redis,
        key: opts.lock.key ?? `dondoc:zalo:listener:${opts.account}`,
        account: opts.account,
        scheduler: opts.scheduler,
        ...(opts.lock.ttlMs ? { ttlMs: opts.lock.ttlMs } : {}),
        ...(opts.lock.holder ? { holder: opts.lock.holder } : {}),
        onLost: () => {
          log.error({ account: opts.account }, "zalo: lost the listener lock; stopping");
          void stopListening();
        },
      });
      release = () => lock.release();
      try {
        // A wrong ZALO_CREDENTIALS_KEY is a configuration error: refuse to start (ZaloCredentialsError).
        await opts.credentials.load();
      } catch (err) {
        await lock.release();
        release = null;
        throw err;
      }
      loop = run().catch((err: unknown) => log.error({ err, account: opts.account }, "zalo: listener loop crashed"));
    },
    /** Closes the connection, waits for handled messages, and frees the account. */
    stop: stopListening,
    /** The connected API (for sending), or null while (re)connecting. */
    api(): ZaloApi | null {
      return current?.api ?? null;
    },
    ownId(): string | null {
      return current?.ownId ?? null;
    },
    state(): ZaloListenerState {
      return state;
    },
    /** Resolves when everything received so far has been handled (tests, shutdown). */
    idle(): Promise<void> {
      return work;
    },
    recent,
  };
}

export type ZaloListenerHandle = ReturnType<typeof createZaloListener>;
