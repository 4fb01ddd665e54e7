/**
 * The Zalo Bot API's rules on the way out: `sendMessage` and its 2000-character limit, the
 * `{ok, result, error_code, description}` envelope (HTTP 200 is not success), what an error
 * means, and retrying. A small client on global `fetch` (why no SDK: see README.md). The bot
 * token is part of every URL (`/bot<TOKEN>/<method>`), so URLs are never logged and every
 * outcome message is redacted.
 */
import type { SendMessageRequest, SendMessageResult, ZaloBotEnvelope } from "./types.ts";

/** The official Bot API root (zalo.md §3.1). */
export const ZALO_BOT_API_BASE = "https://bot-api.zaloplatforms.com";

/** `sendMessage` accepts 1–2000 characters of text. */
export const ZALO_BOT_TEXT_LIMIT = 2000;

/**
 * Where and how to call the Bot API.
 *
 * @example
 * const cfg: ZaloBotConfig = { baseUrl: "https://bot-api.zaloplatforms.com", token: "1234567890:abcdef…" };
 */
export interface ZaloBotConfig {
  /** API root without `/bot<TOKEN>`; defaults to `ZALO_BOT_API_BASE`. Tests point it at a fake. */
  baseUrl?: string;
  token: string;
  /** Abort a call after this long (default 10 000 ms): the outcome is then `timeout`. */
  timeoutMs?: number;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/**
 * Why a send failed, i.e. what to do next. Transient (worth another try): `retry` (5xx, 408,
 * network), `slow_down` (429), `timeout` (no answer: it may have gone out). Permanent: `token`
 * (401/404: the token is wrong or revoked, alert office), `unreachable` (403: the person cannot
 * be messaged, e.g. blocked the bot), `invalid` (400 and any other refusal: our request is wrong).
 * zalo.md documents no error codes beyond the envelope and 408, so this follows the HTTP meaning
 * of `error_code` (README.md, "Errors").
 *
 * @example
 * const stop: SendFailureKind[] = ["token", "unreachable", "invalid"];
 */
export type SendFailureKind = "retry" | "slow_down" | "timeout" | "token" | "unreachable" | "invalid";

/**
 * The result of one call (or of a retry sequence). `code` is the envelope's `error_code`, or the
 * HTTP status when the body had none.
 *
 * @example
 * const o: SendOutcome = { ok: false, kind: "invalid", code: 400, message: "Bad Request: text is too long" };
 */
export type SendOutcome =
  | { ok: true; messageId: string | null }
  | { ok: false; kind: SendFailureKind; code: number | null; message: string };

type SendFailure = Extract<SendOutcome, { ok: false }>;

const PERMANENT: ReadonlySet<SendFailureKind> = new Set(["token", "unreachable", "invalid"]);

/**
 * True when sending the same thing again cannot help.
 *
 * @example
 * isPermanent("unreachable") // true; isPermanent("retry") // false
 */
export function isPermanent(kind: SendFailureKind): boolean {
  return PERMANENT.has(kind);
}

const graphemes = new Intl.Segmenter("vi", { granularity: "grapheme" });

/** Code points of one over-long grapheme cluster (pathological stacks of marks), `max` at a time. */
function splitCluster(segment: string, max: number): string[] {
  const parts: string[] = [];
  let part = "";
  for (const cp of segment) {
    if (part.length + cp.length > max) {
      parts.push(part);
      part = "";
    }
    part += cp;
  }
  if (part) parts.push(part);
  return parts;
}

/**
 * Splits text into pieces of at most `max` UTF-16 units (never fewer than Zalo counts), cut only
 * between grapheme clusters, so no surrogate pair is split and no Vietnamese letter loses its
 * mark. Each cut is made after the last newline in the piece, else after the last space, when
 * that keeps the piece at least half full; the separator stays at the end of its piece, so the
 * pieces joined give back the (NFC-normalised) text exactly. Empty text gives no pieces.
 *
 * @example
 * chunkText("Nhiệm vụ 6.2 …", 2000) // ["Nhiệm vụ 6.2 …"]
 * chunkText("a".repeat(2500) + "\n" + "b".repeat(100)).map((c) => c.length) // [2000, 601]
 */
export function chunkText(text: string, max: number = ZALO_BOT_TEXT_LIMIT): string[] {
  if (!Number.isInteger(max) || max < 2) throw new RangeError(`chunk size must be an integer ≥ 2, got ${max}`);
  const s = text.normalize("NFC");
  if (s.length <= max) return s ? [s] : [];
  const clusters: string[] = [];
  for (const { segment } of graphemes.segment(s)) {
    if (segment.length > max) clusters.push(...splitCluster(segment, max));
    else clusters.push(segment);
  }
  const chunks: string[] = [];
  let start = 0;
  while (start < clusters.length) {
    let end = start;
    let length = 0;
    let newlineEnd = -1;
    let spaceEnd = -1;
    while (end < clusters.length && length + (clusters[end]?.length ?? 0) <= max) {
      const c = clusters[end] ?? "";
      length += c.length;
      end++;
      if (c === "\n" || c === "\r\n") newlineEnd = end;
      else if (/^\s+$/u.test(c)) spaceEnd = end;
    }
    if (end < clusters.length) {
      const half = (upTo: number) => clusters.slice(start, upTo).join("").length >= max / 2;
      if (newlineEnd > start && half(newlineEnd)) end = newlineEnd;
      else if (spaceEnd > start && half(spaceEnd)) end = spaceEnd;
    }
    chunks.push(clusters.slice(start, end).join(""));
    start = end;
  }
  return chunks;
}

/**
 * Removes the token from any text that may carry a URL: the token itself, and any `/bot…/`
 * path segment (in case a proxy or the platform echoed a mangled one).
 *
 * @example
 * redactToken("POST https://bot-api.zaloplatforms.com/bot123:abc/sendMessage failed", "123:abc")
 * // "POST https://bot-api.zaloplatforms.com/bot[redacted]/sendMessage failed"
 */
export function redactToken(text: string, token: string): string {
  const withoutToken = token ? text.split(token).join("[redacted]") : text;
  return withoutToken.replace(/\/bot(?!\[redacted\])[^/\s"']+\//g, "/bot[redacted]/");
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

function kindOf(c: number): SendFailureKind {
  if (c === 429) return "slow_down";
  if (c === 408 || c >= 500) return "retry";
  if (c === 401 || c === 404) return "token";
  if (c === 403) return "unreachable";
  return "invalid";
}

/**
 * What a failed answer means: an `ok:false` envelope (whatever the HTTP status) or a body that is
 * not an envelope at all (an HTML 502 page). By `error_code`, else by HTTP status: 429 →
 * `slow_down`; 408, 5xx → `retry`; 401, 404 → `token`; 403 → `unreachable`; anything else →
 * `invalid`. HTTP 2xx without a code: `ok:false` → `invalid`, a body that is no envelope →
 * `retry`. The message is the envelope's `description`, or a short excerpt of the body.
 *
 * @example
 * classifyZaloBotError(200, { ok: false, error_code: 403, description: "Forbidden: user blocked the bot" });
 * // { ok: false, kind: "unreachable", code: 403, message: "Forbidden: user blocked the bot" }
 */
export function classifyZaloBotError(status: number, body: unknown): SendFailure {
  const envelope = isRecord(body) ? body : null;
  const code = typeof envelope?.error_code === "number" ? envelope.error_code : null;
  const description = typeof envelope?.description === "string" && envelope.description.trim() !== "" ? envelope.description : null;
  let message = description;
  if (!message) {
    const text = (typeof body === "string" ? body : body === undefined ? "" : (JSON.stringify(body) ?? ""))
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 200);
    message = text ? `HTTP ${status}: ${text}` : `HTTP ${status}`;
  }
  let kind: SendFailureKind;
  if (code !== null) kind = kindOf(code);
  // HTTP 200 without a code: a refusal we cannot read is our fault; a garbled answer is not.
  else if (status >= 200 && status < 300) kind = envelope?.ok === false ? "invalid" : "retry";
  else kind = kindOf(status);
  return { ok: false, kind, code: code ?? (status >= 300 ? status : null), message };
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

/**
 * One POST to `{baseUrl}/bot<TOKEN>/sendMessage`. `ok:true` → the platform's `message_id`;
 * `ok:false` or a non-envelope body → `classifyZaloBotError`; no answer within `timeoutMs` →
 * `timeout`; a network error → `retry`. Every message has the token redacted. Never throws.
 *
 * @example
 * const outcome = await sendMessageOnce(cfg, { chat_id: "6ede9afa66b88fe6d6a9", text: "Đã ghi nhận" });
 */
export async function sendMessageOnce(cfg: ZaloBotConfig, request: SendMessageRequest): Promise<SendOutcome> {
  const doFetch = cfg.fetch ?? fetch;
  const timeoutMs = cfg.timeoutMs ?? 10_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const url = `${(cfg.baseUrl ?? ZALO_BOT_API_BASE).replace(/\/+$/, "")}/bot${cfg.token}/sendMessage`;
    const res = await doFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(request),
      signal: controller.signal,
    });
    const text = await res.text();
    const parsed = parseJson(text) as ZaloBotEnvelope<SendMessageResult> | undefined;
    if (res.ok && isRecord(parsed) && parsed.ok === true) {
      const id: unknown = isRecord(parsed.result) ? parsed.result.message_id : undefined;
      return { ok: true, messageId: typeof id === "string" && id !== "" ? id : typeof id === "number" ? String(id) : null };
    }
    const failure = classifyZaloBotError(res.status, parsed ?? text);
    return { ...failure, message: redactToken(failure.message, cfg.token) };
  } catch (err) {
    if (controller.signal.aborted) return { ok: false, kind: "timeout", code: null, message: `no answer within ${timeoutMs} ms` };
    return { ok: false, kind: "retry", code: null, message: redactToken(describeError(err), cfg.token) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One call of a send and what came of it; `chunk` is the 0-based piece of the text.
 *
 * @example
 * const a: Attempt = { attempt: 1, chunk: 0, outcome: { ok: true, messageId: "82599fa32f56d00e8941" } };
 */
export interface Attempt {
  attempt: number;
  chunk: number;
  outcome: SendOutcome;
}

/**
 * Sends a text of any length: cut by `chunkText`, pieces sent in order, one call each; the first
 * failure stops the send (later pieces are not sent). Retrying is the delivery queue's job, with
 * backoff. The API has no idempotency key and no echo, so a retried `timeout` may show a piece
 * twice; a duplicate is better than a lost reminder. `outcome` is the last call's (success: the
 * first piece's message id).
 *
 * @example
 * const { outcome, attempts } = await sendText(cfg, chatId, longText);
 */
export async function sendText(cfg: ZaloBotConfig, chatId: string, text: string): Promise<{ outcome: SendOutcome; attempts: Attempt[] }> {
  const chunks = chunkText(text);
  const attempts: Attempt[] = [];
  if (chunks.length === 0) return { outcome: { ok: false, kind: "invalid", code: null, message: "empty text: sendMessage needs 1–2000 characters" }, attempts };
  let firstId: string | null = null;
  for (const [chunk, piece] of chunks.entries()) {
    const outcome = await sendMessageOnce(cfg, { chat_id: chatId, text: piece });
    attempts.push({ attempt: attempts.length + 1, chunk, outcome });
    // A piece that fails stops the send: the person never gets the end of a message without its start.
    if (!outcome.ok) return { outcome, attempts };
    if (chunk === 0) firstId = outcome.messageId;
  }
  return { outcome: { ok: true, messageId: firstId }, attempts };
}
