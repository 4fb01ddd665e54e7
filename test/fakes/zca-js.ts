/**
 * A fake of the zca-js 2.2.0 surface dondoc uses (bots/zalo/types.ts), typed against the
 * library's exported types: the listener is an EventEmitter of zca-js's own `ListenerEvents`,
 * sends return `SendMessageResponse`, failures are real `ZaloApiError`s, and messages are built
 * with zca-js's own `UserMessage`/`GroupMessage` classes (which set `threadId` and `isSelf`).
 * Ids too big for a double arrive the way zca-js's json-bigint decoding delivers them.
 */
import { EventEmitter } from "node:events";
import { GroupMessage, ThreadType, UserMessage, ZaloApiError } from "../../bots/zalo/sdk.ts";
import type { Zca } from "../../bots/zalo/sdk.ts";
import type { Credentials, Message, SerializedCookie, ZaloApi, ZaloListener, ZaloListenerEvents, ZaloMessageContent, ZaloSendResult } from "../../bots/zalo/types.ts";

/** What json-bigint (used by zca-js for WebSocket frames) yields for a 16+ digit number. */
export class WireBigNumber {
  constructor(private readonly digits: string) {}
  toString(): string {
    return this.digits;
  }
  toFixed(): string {
    return this.digits;
  }
  valueOf(): string {
    return this.digits;
  }
}

/** A number as zca-js decodes it from a frame: a double when it fits, a BigNumber otherwise. */
export function wireNumber(digits: string): number {
  const n = Number(digits);
  return (Number.isSafeInteger(n) ? n : new WireBigNumber(digits)) as unknown as number;
}

type RawMessage = Partial<Omit<Zca.TGroupMessage, "quote">> & {
  msgId: string;
  uidFrom: string;
  idTo: string;
  quote?: Partial<Omit<Zca.TQuote, "globalMsgId" | "ownerId">> & { globalMsgId: string; ownerId: string };
};

function data(raw: RawMessage): Zca.TGroupMessage {
  const { quote, ...rest } = raw;
  return {
    actionId: "1",
    cliMsgId: `${raw.msgId}1`,
    msgType: "webchat",
    dName: "",
    ts: "1592614800000",
    status: 1,
    content: "",
    notify: "1",
    ttl: 0,
    userId: "0",
    uin: "0",
    topOut: "0",
    topOutTimeOut: "0",
    topOutImprTimeOut: "0",
    propertyExt: undefined,
    paramsExt: { countUnread: 1, containType: 0, platformType: 1 },
    cmd: 501,
    st: 3,
    at: 5,
    realMsgId: "0",
    mentions: undefined,
    ...rest,
    quote: quote
      ? {
          cliMsgId: 1,
          cliMsgType: 1,
          ts: 1592614700000,
          msg: "",
          attach: "",
          fromD: "",
          ttl: 0,
          ...quote,
          // zca-js stringifies ownerId itself; globalMsgId stays as decoded.
          ownerId: quote.ownerId,
          globalMsgId: wireNumber(quote.globalMsgId),
        }
      : undefined,
  };
}

/** A direct message as zca-js emits it (`uidFrom: "0"` = sent by this account). */
export function userMessage(ownId: string, raw: RawMessage): Message {
  return new UserMessage(ownId, data(raw));
}

/** A group message as zca-js emits it (`idTo` = group id). */
export function groupMessage(ownId: string, raw: RawMessage): Message {
  return new GroupMessage(ownId, data(raw));
}

/** `api.listener`: starts "connected", and lets a test deliver messages and close the socket. */
export class FakeZcaListener extends EventEmitter<ZaloListenerEvents> implements ZaloListener {
  running = false;
  starts: { retryOnClose?: boolean }[] = [];
  oldRequests: { type: Zca.ThreadType; lastId: string | null }[] = [];
  /** What the server answers to requestOldMessages, per thread type. */
  missed: Partial<Record<Zca.ThreadType, Message[]>> = {};

  start(options: { retryOnClose?: boolean } = {}): void {
    if (this.running) throw new ZaloApiError("Already started");
    this.running = true;
    this.starts.push(options);
    setImmediate(() => {
      if (!this.running) return;
      this.emit("connected");
      this.emit("cipher_key", "a2V5");
    });
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    setImmediate(() => this.emit("closed", 1000, ""));
  }

  requestOldMessages(threadType: Zca.ThreadType, lastMsgId: string | null = null): void {
    this.oldRequests.push({ type: threadType, lastId: lastMsgId });
    const messages = this.missed[threadType];
    if (messages?.length) setImmediate(() => this.emit("old_messages", messages, threadType));
  }

  /** The server pushes a message (cmd 501/521). */
  deliver(message: Message): void {
    this.emit("message", message);
  }

  /** The socket closes with a code (1006 network, 3000 duplicate, 3003 kicked). */
  close(code: number, reason = ""): void {
    this.running = false;
    this.emit("closed", code, reason);
  }
}

export interface SentRecord {
  content: ZaloMessageContent;
  threadId: string;
  type: Zca.ThreadType;
}

/** A logged-in API: records sends and answers them from a script (default: a fresh msgId). */
export class FakeZcaApi implements ZaloApi {
  readonly listener = new FakeZcaListener();
  readonly sent: SentRecord[] = [];
  /** Scripted answers, used first: a result, or an error to throw. */
  readonly script: (ZaloSendResult | Error)[] = [];
  cookies: SerializedCookie[];
  private nextId = 7_000_000_000_000n;

  constructor(
    private readonly ownId: string,
    cookies: SerializedCookie[] = [{ key: "zpw_sek", value: "cookie-secret-1", domain: "chat.zalo.me" }],
  ) {
    this.cookies = cookies;
  }

  sendMessage = async (message: ZaloMessageContent | string, threadId: string, type: Zca.ThreadType = ThreadType.User): Promise<ZaloSendResult> => {
    const content = typeof message === "string" ? { msg: message } : message;
    this.sent.push({ content, threadId, type });
    const next = this.script.shift();
    if (next instanceof Error) throw next;
    if (next) return next;
    this.nextId += 1n;
    return { message: { msgId: Number(this.nextId) }, attachment: [] };
  };

  getOwnId = (): string => this.ownId;

  getCookie = (): ReturnType<ZaloApi["getCookie"]> => ({ toJSON: () => ({ cookies: this.cookies }) }) as unknown as ReturnType<ZaloApi["getCookie"]>;
}

/** A zca-js error as the HTTP layer throws it (`error_code` ≠ 0). */
export function zaloError(code: number, message: string): Error {
  return new ZaloApiError(message, code);
}

/**
 * `new Zalo(...).login` for tests: each call hands out a fresh FakeZcaApi (or throws what the
 * script says) and records the credentials it was given.
 */
export function fakeLogin(ownId: string) {
  const calls: Credentials[] = [];
  const apis: FakeZcaApi[] = [];
  const script: (Error | FakeZcaApi)[] = [];
  return {
    calls,
    apis,
    script,
    login: async (credentials: Credentials): Promise<FakeZcaApi> => {
      calls.push(credentials);
      const next = script.shift();
      if (next instanceof Error) throw next;
      const api = next ?? new FakeZcaApi(ownId);
      apis.push(api);
      return api;
    },
    /** The API of the latest successful login. */
    get current(): FakeZcaApi | undefined {
      return apis[apis.length - 1];
    },
  };
}
