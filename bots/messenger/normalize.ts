import type { IncomingMessage } from "../../src/app/index.ts";
import type { MessagingItem, MessengerWebhookBody } from "./types.ts";

/** What one webhook body holds for dondoc: people's messages, and echoes of our own sends. */
export interface NormalizedBody {
  messages: IncomingMessage[];
  /** Our sends the platform echoed back: outbox id (from `metadata`) → platform message id. */
  echoes: { outboundMessageId: string; messageId: string }[];
  /** Events we do not treat as user messages (delivery, read, reaction, staff echoes, changes). */
  ignored: number;
}

const OUTBOX_PREFIX = "outbox:";
const LINK_CODE = /^\d{4,12}$/;

/** The metadata our sends carry, so echoes and timeouts can be matched to the outbox. */
export function outboxMetadata(outboundMessageId: string): string {
  return `${OUTBOX_PREFIX}${outboundMessageId}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isBody(value: unknown): value is MessengerWebhookBody {
  return typeof value === "object" && value !== null && Array.isArray((value as { entry?: unknown }).entry);
}

/** An m.me `?ref=` link carries a link code: the first contact registers the account. */
function referralText(ref: unknown): string {
  return typeof ref === "string" && LINK_CODE.test(ref.trim()) ? `/dangky ${ref.trim()}` : "/trogiup";
}

function toMessage(item: MessagingItem, orgId: string): IncomingMessage | null {
  const psid = isObject(item.sender) && typeof item.sender.id === "string" ? item.sender.id : null;
  if (!psid || typeof item.timestamp !== "number") return null;
  const base = { orgId, channel: "messenger" as const, threadId: psid, threadKind: "direct" as const, senderId: psid, sentAt: new Date(item.timestamp), raw: item };
  const m = item.message;
  if (m && !m.is_echo && typeof m.mid === "string") {
    return {
      ...base,
      messageId: m.mid,
      text: typeof m.text === "string" ? m.text : "",
      payload: isObject(m.quick_reply) && typeof m.quick_reply.payload === "string" ? m.quick_reply.payload : null,
      replyToMessageId: isObject(m.reply_to) && typeof m.reply_to.mid === "string" ? m.reply_to.mid : null,
    };
  }
  const p = item.postback;
  if (p) {
    const referral: unknown = isObject(p.referral) ? p.referral.ref : undefined;
    const getStarted = !referral && typeof p.payload === "string" && /^get[_ ]?started$/i.test(p.payload);
    return {
      ...base,
      messageId: p.mid ?? `postback-${psid}-${item.timestamp}`,
      text: referral !== undefined ? referralText(referral) : getStarted ? "/trogiup" : (p.title ?? ""),
      payload: referral !== undefined || getStarted ? null : (p.payload ?? null),
    };
  }
  if (isObject(item.referral)) {
    return { ...base, messageId: `referral-${psid}-${item.timestamp}`, text: referralText(item.referral.ref) };
  }
  return null;
}

/**
 * Raw webhook body → channel-agnostic messages, every event of every entry (`messaging[]` and
 * `standby[]`), oldest first so out-of-order batches apply by timestamp. Echoes of our sends
 * (metadata "outbox:<id>") come back separately; deliveries, reads, reactions, staff echoes and
 * dashboard "Test" payloads are not user messages.
 *
 * @example
 * normalize(JSON.parse(raw.toString("utf8")), orgId).messages.length // one per user event
 */
export function normalize(body: unknown, orgId: string): NormalizedBody {
  const out: NormalizedBody = { messages: [], echoes: [], ignored: 0 };
  if (!isBody(body) || body.object !== "page") return out;
  for (const entry of body.entry as unknown[]) {
    // Signed does not mean well-formed: anything that is not the documented shape is skipped.
    if (!isObject(entry)) {
      out.ignored++;
      continue;
    }
    if (Array.isArray(entry.changes)) out.ignored += entry.changes.length;
    const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
    const items = [...list(entry.messaging), ...list(entry.standby)];
    for (const raw of items) {
      if (!isObject(raw) || (raw.message !== undefined && !isObject(raw.message)) || (raw.postback !== undefined && !isObject(raw.postback))) {
        out.ignored++;
        continue;
      }
      const item = raw as unknown as MessagingItem;
      const m = item.message;
      if (m?.is_echo) {
        if (typeof m.mid === "string" && typeof m.metadata === "string" && m.metadata.startsWith(OUTBOX_PREFIX)) {
          out.echoes.push({ outboundMessageId: m.metadata.slice(OUTBOX_PREFIX.length), messageId: m.mid });
        } else {
          out.ignored++;
        }
        continue;
      }
      const message = toMessage(item, orgId);
      if (message) out.messages.push(message);
      else out.ignored++;
    }
  }
  out.messages.sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
  return out;
}
