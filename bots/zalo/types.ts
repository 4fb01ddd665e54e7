/**
 * The slice of zca-js (pinned 2.2.0, see README.md) that dondoc uses, derived from the library's
 * own exported types: when a zca-js release renames or reshapes any of it, `tsc` fails here
 * instead of the listener failing at run time. Fakes in test/fakes/zca-js.ts implement these.
 */
import type { EventEmitter } from "node:events";
import type { Zca } from "./sdk.ts";

type API = Zca.API;
export type Credentials = Zca.Credentials;
export type Message = Zca.Message;
export type GroupMessage = Zca.GroupMessage;
export type UserMessage = Zca.UserMessage;
export type TQuote = Zca.TQuote;
export type TMention = Zca.TMention;
export type SerializedCookie = Extract<Credentials["cookie"], unknown[]>[number];
export type LoginQRCallbackEvent = Zca.LoginQRCallbackEvent;

/** Every event of `api.listener` with zca-js's argument types (its `ListenerEvents`, not exported). */
export type ZaloListenerEvents = API["listener"] extends EventEmitter<infer E> ? E : never;

/**
 * `api.listener`: start/stop, the missed-message request, and typed subscriptions.
 *
 * @example
 * api.listener.on("closed", (code, reason) => supervisor.closed(code, reason));
 * api.listener.start({ retryOnClose: false });
 */
export type ZaloListener = Pick<API["listener"], "start" | "stop" | "requestOldMessages"> & Pick<EventEmitter<ZaloListenerEvents>, "on" | "removeAllListeners">;

/**
 * A logged-in account: sending, the own id, the (refreshed) cookie jar and the listener.
 *
 * @example
 * const api: ZaloApi = await new Zalo({ checkUpdate: false }).login(credentials);
 */
export interface ZaloApi extends Pick<API, "sendMessage" | "getOwnId" | "getCookie"> {
  listener: ZaloListener;
}

/** Logs in from saved credentials (`new Zalo(options).login`). */
export type ZaloLoginFn = (credentials: Credentials) => Promise<ZaloApi>;

/** The QR login of zca-js (`new Zalo(options).loginQR`). */
export type ZaloQrLoginFn = (...args: Parameters<Zca.Zalo["loginQR"]>) => Promise<ZaloApi>;

/** The parameters of `api.sendMessage`, by name. */
export type ZaloMessageContent = Exclude<Parameters<API["sendMessage"]>[0], string>;
export type ZaloSendResult = Awaited<ReturnType<API["sendMessage"]>>;
export type ZaloQuote = NonNullable<ZaloMessageContent["quote"]>;

/**
 * Timers, so tests run on a fake clock: `sleep` resolves after `ms` of the scheduler's time, or
 * at once (without throwing) when `signal` aborts.
 *
 * @example
 * await scheduler.sleep(60_000, stop.signal); // waits a minute unless stopped first
 */
export interface Scheduler {
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// Compile-time proof that the real classes fit these slices (a zca-js change breaks the build).
type Assert<T extends true> = T;
export type _ApiFits = Assert<API extends ZaloApi ? true : false>;
export type _ListenerFits = Assert<API["listener"] extends ZaloListener ? true : false>;
export type _EventsFound = Assert<"message" extends keyof ZaloListenerEvents ? true : false>;
