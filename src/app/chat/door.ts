/**
 * What a chat message may bring in (issue: clean input at the door). Every channel's messages
 * pass here before the store sees them: text, ids and names cleaned of NUL, lone surrogates,
 * bidi overrides and other controls; ids and names bounded; the time sane; the platform payload
 * kept for audit only when it is small and shallow. A message that cannot be made safe is
 * refused with a reason, never an exception: one bad event in a batch must not block the rest.
 */
import { safeLine, safeText } from "../../domain/index.ts";
import type { IncomingMessage } from "../ports/index.ts";

/** The longest text kept (a report is a few lines; a pasted page is cut, not refused). */
export const MAX_TEXT = 4_000;
/** The platform payload kept for audit: at most this many bytes of JSON, this many levels deep. */
export const MAX_RAW_BYTES = 16_384;
export const MAX_RAW_DEPTH = 24;
const MAX_ID = 200;
const DAY_MS = 86_400_000;
const EARLIEST = Date.UTC(2000, 0, 1);

export type DoorResult = { ok: true; message: IncomingMessage } | { ok: false; reason: string };

/** How deep a JSON-like value nests, counted without recursion (a hostile body may nest 100,000 levels). */
function depthOf(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== "object" || v === null) continue;
    max = Math.max(max, d);
    if (max > limit) return max;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, d + 1]);
  }
  return max;
}

/** The payload as stored: itself when small and shallow, else a note of what it was. */
export function boundedRaw(raw: unknown): unknown {
  if (raw === undefined || raw === null) return null;
  if (depthOf(raw, MAX_RAW_DEPTH) > MAX_RAW_DEPTH) return { omitted: "too_deep" };
  let json: string;
  try {
    json = JSON.stringify(raw);
  } catch {
    return { omitted: "unserializable" };
  }
  // The stored copy must itself be clean: NUL (\u0000 in JSON) is refused by jsonb.
  if (/\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i.test(json)) return { omitted: "unsafe_characters", bytes: json.length };
  if (json.length > MAX_RAW_BYTES) return { omitted: "too_large", bytes: json.length };
  return raw;
}

function id(value: unknown): string {
  return typeof value === "string" ? safeLine(value, MAX_ID) : typeof value === "number" && Number.isFinite(value) ? String(value) : "";
}

/**
 * @example
 * const checked = admit(message, clock.now());
 * if (checked.ok) await store.inbound.accept(…checked.message…);
 */
export function admit(message: IncomingMessage, now: Date): DoorResult {
  const messageId = id(message.messageId);
  const senderId = id(message.senderId);
  const threadId = id(message.threadId);
  if (!messageId) return { ok: false, reason: "no message id" };
  if (!senderId) return { ok: false, reason: "no sender id" };
  if (!threadId) return { ok: false, reason: "no thread id" };
  const text = typeof message.text === "string" ? [...safeText(message.text).trim()].slice(0, MAX_TEXT).join("") : "";
  const name = typeof message.senderName === "string" ? safeLine(message.senderName, MAX_ID) : "";
  const payload = typeof message.payload === "string" ? safeLine(message.payload, 1_000) : "";
  const replyTo = message.replyToMessageId ? id(message.replyToMessageId) : "";
  const sent = message.sentAt instanceof Date ? message.sentAt.getTime() : NaN;
  // A time the platform cannot have meant (1e20, before 2000, tomorrow) becomes the time it arrived.
  const sentAt = Number.isFinite(sent) && sent > EARLIEST && sent < now.getTime() + DAY_MS ? new Date(sent) : now;
  return {
    ok: true,
    message: {
      ...message,
      messageId,
      senderId,
      threadId,
      threadKind: message.threadKind === "group" ? "group" : "direct",
      text,
      senderName: name || null,
      payload: payload || null,
      replyToMessageId: replyTo || null,
      sentAt,
      raw: boundedRaw(message.raw),
      ...(message.mentions ? { mentions: message.mentions.map((m) => ({ uid: id(m.uid), ...(m.name ? { name: safeLine(m.name, MAX_ID) } : {}) })).filter((m) => m.uid) } : {}),
    },
  };
}
