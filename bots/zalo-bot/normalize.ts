import type { IncomingMessage } from "../../src/app/index.ts";
import type { ZaloBotUpdate } from "./types.ts";

/** What one webhook body holds for dondoc. */
export interface NormalizedUpdate {
  messages: IncomingMessage[];
  /** Updates acknowledged but not treated as messages, by event name (stickers, images…). */
  ignored: { event: string; reason: string }[];
}

const INTEGER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * `JSON.parse` that keeps integers too big for a JS number as their exact digits (a string).
 * The official samples carry ids as hex strings, but an id sent as a bare number must not be
 * rounded into someone else's: `12345678901234567890` becomes `"12345678901234567890"`.
 * Throws a SyntaxError on invalid JSON, like `JSON.parse`.
 *
 * @example
 * parseJsonKeepingBigIntegers('{"id":12345678901234567890}') // { id: "12345678901234567890" }
 */
export function parseJsonKeepingBigIntegers(text: string): unknown {
  let out = "";
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string literal, escapes included.
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i++;
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      INTEGER.lastIndex = i;
      const match = INTEGER.exec(text);
      const token = match?.[0] ?? "";
      if (token && /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(copied, i)}"${token}"`;
        copied = i + token.length;
      }
      i += Math.max(1, token.length);
      continue;
    }
    i++;
  }
  return JSON.parse(copied === 0 ? text : out + text.slice(copied)) as unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Ids are opaque strings; a number is accepted only when it is exact. */
function idOf(value: unknown): string | null {
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return null;
}

/** `date` is ms in the official sample; seconds (seen in third-party code) are scaled up. */
function dateOf(value: unknown, fallback: Date): Date {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= 0) return fallback;
  return new Date(n < 1e11 ? n * 1000 : n);
}

/**
 * The update inside a body: the documented envelope `{ok: true, result: {event_name, message}}`
 * or the bare `{event_name, message}`. `ok: false` or anything else → null.
 *
 * @example
 * unwrap({ ok: true, result: { event_name: "message.text.received", message } }) // the update
 */
export function unwrap(body: unknown): ZaloBotUpdate | null {
  if (!isRecord(body)) return null;
  if ("result" in body) {
    if (body.ok === false) return null;
    return isRecord(body.result) && typeof body.result.event_name === "string" ? (body.result as unknown as ZaloBotUpdate) : null;
  }
  return typeof body.event_name === "string" ? (body as unknown as ZaloBotUpdate) : null;
}

/** The message as an IncomingMessage, or why it is not one. Read defensively: nothing was validated. */
function toMessage(raw: unknown, orgId: string, receivedAt: Date): IncomingMessage | string {
  if (!isRecord(raw)) return "no message";
  const from = isRecord(raw.from) ? raw.from : {};
  const chat = isRecord(raw.chat) ? raw.chat : {};
  const messageId = idOf(raw.message_id);
  const senderId = idOf(from.id);
  const threadId = idOf(chat.id) ?? senderId;
  if (!messageId || !senderId || !threadId) return "missing ids";
  if (from.is_bot === true) return "sent by a bot";
  const text = typeof raw.text === "string" ? raw.text : "";
  if (text.trim() === "") return "empty text";
  const name = typeof from.display_name === "string" && from.display_name.trim() !== "" ? from.display_name.trim() : null;
  return {
    orgId,
    channel: "zalo_bot",
    threadId,
    threadKind: chat.chat_type === "GROUP" ? "group" : "direct",
    senderId,
    senderName: name,
    messageId,
    text,
    sentAt: dateOf(raw.date, receivedAt),
    raw,
  };
}

/**
 * A Zalo Bot webhook body (wrapped or bare) → channel-agnostic messages. Only
 * `message.text.received` becomes a message; images, stickers, voice, `unsupported` (a protected
 * sender) and unknown events are listed in `ignored`, never an error. Ids stay strings;
 * `receivedAt` stands in for a missing `date`.
 *
 * @example
 * const { messages } = normalize(parseJsonKeepingBigIntegers(raw.toString("utf8")), orgId, new Date());
 */
export function normalize(body: unknown, orgId: string, receivedAt: Date): NormalizedUpdate {
  const out: NormalizedUpdate = { messages: [], ignored: [] };
  const update = unwrap(body);
  if (!update) {
    out.ignored.push({ event: "?", reason: "not an update" });
    return out;
  }
  const event = update.event_name;
  if (event !== "message.text.received") {
    out.ignored.push({ event, reason: "not a text message" });
    return out;
  }
  const message = toMessage(update.message, orgId, receivedAt);
  if (typeof message === "string") out.ignored.push({ event, reason: message });
  else out.messages.push(message);
  return out;
}
