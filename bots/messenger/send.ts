/**
 * Messenger's platform rules on the way out: the Send API body and its limits, the 24-hour
 * window, what each Graph error means, and retrying without sending twice. A small client on
 * global `fetch` and `node:crypto` (why not an SDK: see README.md). Nothing here logs, and the
 * page token travels only in the Authorization header.
 */
import { createHmac } from "node:crypto";
import type { QuickReply, SendMessage, SendRequest, SendResponse } from "./types.ts";

/**
 * Where and how to call the Graph API.
 *
 * @example
 * const cfg: GraphConfig = { baseUrl: "https://graph.facebook.com/v25.0", pageToken: "EAAG…", appSecret: "…" };
 */
export interface GraphConfig {
  /** Versioned Graph root without a trailing path, e.g. `https://graph.facebook.com/v25.0`. */
  baseUrl: string;
  pageToken: string;
  /** When set, every call carries `appsecret_proof` = HMAC-SHA256(key = app secret, token). */
  appSecret?: string;
  /** Abort a call after this long (default 10 000 ms): the outcome is then `timeout`. */
  timeoutMs?: number;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/**
 * What dondoc wants to say, before the platform's limits are applied.
 *
 * @example
 * const out: MessengerOut = { text: "Nhiệm vụ 6.2 đến hạn 30/6. Tiến độ?", quickReplies: [{ title: "Đã xong", payload: "DONE:42" }] };
 */
export interface MessengerOut {
  text: string;
  quickReplies?: { title: string; payload: string }[];
  /** When non-empty, the message becomes a button template (postback buttons). */
  buttons?: { title: string; payload: string }[];
}

/**
 * `RESPONSE` answers a message the person just sent; `UPDATE` is proactive (still inside the
 * 24-hour window). Sending outside the window is not offered: see README.md.
 *
 * @example
 * const t: MessagingType = answersInboundMessage ? "RESPONSE" : "UPDATE";
 */
export type MessagingType = "RESPONSE" | "UPDATE";

/**
 * Why a send failed, i.e. what to do next:
 * `retry` — transient, send again later; `slow_down` — rate limited, pause the Page's queue;
 * `window_closed` — outside the 24-hour window, hold until the person writes or use another
 * channel; `unreachable` — blocked/deactivated/unknown person, mark the contact, tell the office;
 * `token` — the Page cannot send (token, permission, restriction), alert and stop;
 * `invalid` — our request is wrong, a bug, do not retry; `timeout` — no answer in time, the
 * message may or may not have gone out.
 *
 * @example
 * const stop: SendFailureKind[] = ["window_closed", "unreachable", "token", "invalid"];
 */
export type SendFailureKind = "retry" | "slow_down" | "window_closed" | "unreachable" | "token" | "invalid" | "timeout";

/**
 * The result of one send (or of a whole retry sequence). `code`/`subcode` are Graph's
 * `error.code`/`error.error_subcode` when the platform answered with one.
 *
 * @example
 * const o: SendOutcome = { ok: false, kind: "window_closed", code: 10, subcode: 2018278, message: "(#10) This message is sent outside of allowed window." };
 */
export type SendOutcome =
  | { ok: true; messageId: string }
  | { ok: false; kind: SendFailureKind; code: number | null; subcode: number | null; message: string };

type SendFailure = Extract<SendOutcome, { ok: false }>;

/**
 * The platform's limits (characters counted as UTF-16 code units, which is never less than
 * what Meta counts).
 *
 * @example
 * if (out.quickReplies && out.quickReplies.length > MESSENGER_LIMITS.quickReplies) console.warn("extra chips are dropped");
 */
export const MESSENGER_LIMITS = {
  text: 2000,
  quickReplies: 13,
  quickReplyTitle: 20,
  payload: 1000,
  metadata: 1000,
  buttons: 3,
  buttonText: 640,
  buttonTitle: 20,
} as const;

/**
 * The standard messaging window: 24 hours after the person's last message, tap, reaction or
 * referral.
 *
 * @example
 * const closesAt = new Date(lastInboundAt.getTime() + STANDARD_WINDOW_MS);
 */
export const STANDARD_WINDOW_MS = 24 * 60 * 60 * 1000;

const ELLIPSIS = "…";
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** NFC text of at most `max` UTF-16 units, cut between grapheme clusters and marked with "…". */
function fit(text: string, max: number): string {
  const s = text.normalize("NFC");
  if (s.length <= max) return s;
  let out = "";
  for (const { segment } of graphemes.segment(s)) {
    if (out.length + segment.length + ELLIPSIS.length > max) break;
    out += segment;
  }
  return out.trimEnd() + ELLIPSIS;
}

function checkLength(what: string, value: string, max: number): string {
  if (value.length > max) throw new RangeError(`Messenger ${what} is ${value.length} characters; the limit is ${max}`);
  return value;
}

/**
 * Builds the Send API body. Text is NFC-normalised and cut to 2000 characters (1999 + "…")
 * between grapheme clusters, so no Vietnamese letter loses its mark and no emoji is split.
 * Quick replies: the first 13, titles cut to 20. When `buttons` is non-empty the message is a
 * button template instead: text cut to 640, the first 3 buttons, titles cut to 20. `metadata`
 * (our outbox id) comes back in the echo. Throws a RangeError when a payload or the metadata is
 * over 1000 characters: those are our own codes, and cutting them would corrupt them.
 *
 * @example
 * const req = buildSendRequest("PSID", { text: "Nhiệm vụ 6.2 đến hạn hôm nay", quickReplies: [{ title: "Đã xong", payload: "DONE:42" }] }, { messagingType: "UPDATE", metadata: "outbox:123" });
 * // { recipient: { id: "PSID" }, messaging_type: "UPDATE", message: { text: "…", metadata: "outbox:123", quick_replies: [{ content_type: "text", title: "Đã xong", payload: "DONE:42" }] } }
 */
export function buildSendRequest(psid: string, out: MessengerOut, opts: { messagingType: MessagingType; metadata: string }): SendRequest {
  const metadata = checkLength("metadata", opts.metadata, MESSENGER_LIMITS.metadata);
  const quickReplies: QuickReply[] = (out.quickReplies ?? []).slice(0, MESSENGER_LIMITS.quickReplies).map((q) => ({
    content_type: "text",
    title: fit(q.title, MESSENGER_LIMITS.quickReplyTitle),
    payload: checkLength("quick reply payload", q.payload, MESSENGER_LIMITS.payload),
  }));
  const buttons = (out.buttons ?? []).slice(0, MESSENGER_LIMITS.buttons);
  let message: SendMessage;
  if (buttons.length > 0) {
    message = {
      attachment: {
        type: "template",
        payload: {
          template_type: "button",
          text: fit(out.text, MESSENGER_LIMITS.buttonText),
          buttons: buttons.map((b) => ({
            type: "postback",
            title: fit(b.title, MESSENGER_LIMITS.buttonTitle),
            payload: checkLength("button payload", b.payload, MESSENGER_LIMITS.payload),
          })),
        },
      },
      metadata,
    };
  } else {
    message = { text: fit(out.text, MESSENGER_LIMITS.text), metadata };
  }
  if (quickReplies.length > 0) message.quick_replies = quickReplies;
  return { recipient: { id: psid }, messaging_type: opts.messagingType, message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Graph's `error` object when `body` (parsed or raw text) is one. */
function graphError(body: unknown): { code: number | null; subcode: number | null; message: string | null; transient: boolean } | null {
  const parsed = typeof body === "string" ? parseJson(body) : body;
  if (!isRecord(parsed) || !isRecord(parsed.error)) return null;
  const e = parsed.error;
  return {
    code: typeof e.code === "number" ? e.code : null,
    subcode: typeof e.error_subcode === "number" ? e.error_subcode : null,
    message: typeof e.message === "string" ? e.message : null,
    transient: e.is_transient === true,
  };
}

/** A short readable line for a body that is not a Graph error (an HTML 502 page, say). */
function describeBody(status: number, body: unknown): string {
  let text = "";
  if (typeof body === "string") text = body;
  else if (body !== undefined && body !== null) text = JSON.stringify(body) ?? "";
  text = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
  return text ? `HTTP ${status}: ${text}` : `HTTP ${status}`;
}

const SLOW_DOWN_CODES = new Set([4, 17, 32, 613, 80006]);
const RETRY_CODES = new Set([1, 2, 1200]);
const PAGE_RESTRICTED = 1893063;

function kindOf(status: number, code: number | null, subcode: number | null, transient: boolean): SendFailureKind {
  if (code === 551 || subcode === 1545041 || (code === 100 && subcode === 2018001)) return "unreachable";
  if (code === 10) return subcode === PAGE_RESTRICTED ? "token" : "window_closed";
  if (code !== null && SLOW_DOWN_CODES.has(code)) return "slow_down";
  if (code !== null && RETRY_CODES.has(code)) return "retry";
  if (code === 190 || code === 102 || (code !== null && code >= 200 && code <= 299)) return "token";
  if (code === 100) return "invalid";
  if (transient) return "retry";
  if (status === 429) return "slow_down";
  if (status >= 500 || status === 408) return "retry";
  return "invalid";
}

/**
 * What a failed Send API answer means. By Graph code (and subcode):
 * 1200, 2, 1 → `retry`; 4, 613 (and the other rate-limit codes 17, 32, 80006) → `slow_down`;
 * 10/2018278 and every other code 10 → `window_closed`, except 10/1893063 (Page temporarily
 * restricted from sending) → `token`; 551, subcode 1545041, 100/2018001 → `unreachable`;
 * 190, 102, 200–299 (incl. 200, 230) → `token`; other 100 → `invalid`. Without a known code:
 * `is_transient` → `retry`, HTTP 429 → `slow_down`, 5xx/408 → `retry`, anything else → `invalid`.
 * `body` may be parsed JSON or raw text (an HTML error page).
 *
 * @example
 * classifyGraphError(400, { error: { message: "(#551) This person isn't available right now.", type: "OAuthException", code: 551, error_subcode: 1545041, fbtrace_id: "x" } });
 * // { ok: false, kind: "unreachable", code: 551, subcode: 1545041, message: "(#551) This person isn't available right now." }
 */
export function classifyGraphError(status: number, body: unknown): SendFailure {
  const e = graphError(body);
  const code = e?.code ?? null;
  const subcode = e?.subcode ?? null;
  return {
    ok: false,
    kind: kindOf(status, code, subcode, e?.transient ?? false),
    code,
    subcode,
    message: e?.message ?? describeBody(status, body),
  };
}

/**
 * `appsecret_proof` for a token: HMAC-SHA256 with the app secret as key, lowercase hex.
 *
 * @example
 * const url = `${base}/me/messages?appsecret_proof=${appSecretProof(pageToken, appSecret)}`;
 */
export function appSecretProof(pageToken: string, appSecret: string): string {
  return createHmac("sha256", appSecret).update(pageToken).digest("hex");
}

function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join("[redacted]") : text;
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause: unknown = err.cause;
  if (isRecord(cause) && typeof cause.message === "string") {
    const code = typeof cause.code === "string" ? `${cause.code}: ` : "";
    return `${err.message} (${code}${cause.message})`;
  }
  return err.message;
}

function isSendResponse(value: unknown): value is SendResponse {
  return isRecord(value) && typeof value.message_id === "string" && value.message_id !== "";
}

/**
 * One POST to `{baseUrl}/me/messages`: the page token as a Bearer header (never in the URL,
 * never in an outcome message), `appsecret_proof` in the query when `appSecret` is set. No
 * answer within `timeoutMs` (default 10 s) → `timeout`; a network error → `retry`; an error
 * answer → `classifyGraphError`. Never throws.
 *
 * @example
 * const outcome = await sendOnce(cfg, buildSendRequest(psid, { text: "Đã ghi nhận" }, { messagingType: "RESPONSE", metadata: "outbox:7" }));
 * if (outcome.ok) await handler.recordSent({ orgId, outboundMessageId, channel: "messenger", externalMessageId: outcome.messageId });
 */
export async function sendOnce(cfg: GraphConfig, request: SendRequest): Promise<SendOutcome> {
  const doFetch = cfg.fetch ?? fetch;
  const timeoutMs = cfg.timeoutMs ?? 10_000;
  const url = new URL(`${cfg.baseUrl.replace(/\/+$/, "")}/me/messages`);
  if (cfg.appSecret) url.searchParams.set("appsecret_proof", appSecretProof(cfg.pageToken, cfg.appSecret));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await doFetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${cfg.pageToken}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(request),
      signal: controller.signal,
    });
    const text = await res.text();
    const parsed = parseJson(text);
    if (res.ok && isSendResponse(parsed)) return { ok: true, messageId: parsed.message_id };
    const failure = classifyGraphError(res.status, parsed ?? text);
    return { ...failure, message: redact(failure.message, cfg.pageToken) };
  } catch (err) {
    if (controller.signal.aborted) return { ok: false, kind: "timeout", code: null, subcode: null, message: `no answer within ${timeoutMs} ms` };
    return { ok: false, kind: "retry", code: null, subcode: null, message: redact(describeError(err), cfg.pageToken) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The standard 24-hour window: true when the person's last message, tap, reaction or referral
 * was less than 24 h before `now`. Never written to us (null) → closed.
 *
 * @example
 * isWindowOpen(new Date("2026-06-01T08:00:00Z"), new Date("2026-06-02T07:59:00Z")); // true (23 h 59)
 * isWindowOpen(new Date("2026-06-01T08:00:00Z"), new Date("2026-06-02T08:01:00Z")); // false
 */
export function isWindowOpen(lastInboundAt: Date | null, now: Date): boolean {
  return lastInboundAt !== null && now.getTime() - lastInboundAt.getTime() < STANDARD_WINDOW_MS;
}
