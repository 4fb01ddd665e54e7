/**
 * zca-js messages → channel-agnostic `IncomingMessage`s, and the group gate (is the message
 * addressed to the bot?). Pure functions: no I/O, no clock.
 */
import type { IncomingMessage } from "../../src/app/index.ts";
import { ThreadType } from "./sdk.ts";
import type { Message, TMention } from "./types.ts";

/**
 * Any id zca-js hands us, as a decimal string. Ids in WebSocket frames of encrypt type 1–3 are
 * parsed with json-bigint, so a 19-digit number arrives as a BigNumber object (whose `toFixed()`
 * has every digit); smaller numbers arrive as numbers, and most ids as strings already.
 *
 * @example
 * idString("7312345678901234567") // "7312345678901234567"
 * idString(1234) // "1234"
 */
export function idString(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return value.toString();
  if (typeof value === "object" && value !== null) {
    const fixed = (value as { toFixed?: unknown }).toFixed;
    if (typeof fixed === "function") return String((fixed as () => unknown).call(value));
    const text = (value as { toString?: () => unknown }).toString?.();
    return typeof text === "string" && text !== "[object Object]" ? text : "";
  }
  return "";
}

function textOf(message: Message): string {
  const content = message.data.content;
  if (typeof content === "string") return content;
  // Photos, files and links: the caption or title is the closest thing to text.
  const title = (content as { title?: unknown }).title;
  return typeof title === "string" ? title : "";
}

function mentionsOf(message: Message): TMention[] {
  if (message.type !== ThreadType.Group) return [];
  return Array.isArray(message.data.mentions) ? message.data.mentions : [];
}

/** Removes the bot's own @mention spans (pos/len are UTF-16 indices into the text). */
function withoutMentionsOf(text: string, mentions: TMention[], ownId: string): string {
  const spans = mentions
    .filter((m) => idString(m.uid) === ownId && m.pos >= 0 && m.len > 0)
    .sort((a, b) => b.pos - a.pos);
  let out = text;
  for (const m of spans) out = out.slice(0, m.pos) + out.slice(m.pos + m.len);
  return out.replace(/[ \t]{2,}/g, " ").trim();
}

/**
 * One zca-js message as an `IncomingMessage` (channel "zalo"), or null for our own messages
 * (`isSelf`: sent by this account, from here or from its phone). Every id is a string;
 * `messageId` is the global `msgId`, the id `sendMessage` returns for our sends; a quote maps to
 * `replyToMessageId` = `quote.globalMsgId` (the quoted message's global id), so a reply to one of
 * our messages leads back to the outbox row recorded under that id. In groups the bot's own
 * @mention is cut out of the text ("@Đôn đốc bc 6 xong" → "bc 6 xong") and the mentions are
 * kept (the name is the mention's text without "@").
 *
 * @example
 * const incoming = normalizeMessage(message, { orgId, ownId: api.getOwnId() });
 * if (incoming && isAddressedToBot(message, ownId)) await handler.accept(incoming);
 */
export function normalizeMessage(message: Message, ctx: { orgId: string; ownId: string }): IncomingMessage | null {
  if (message.isSelf) return null;
  const data = message.data;
  const messageId = idString(data.msgId);
  const senderId = idString(data.uidFrom);
  if (!messageId || !senderId || senderId === ctx.ownId) return null;
  const group = message.type === ThreadType.Group;
  const rawText = textOf(message);
  const mentions = mentionsOf(message);
  const quoteId = data.quote ? idString(data.quote.globalMsgId) : "";
  const ts = Number(idString(data.ts));
  return {
    orgId: ctx.orgId,
    channel: "zalo",
    threadId: idString(message.threadId),
    threadKind: group ? "group" : "direct",
    senderId,
    senderName: typeof data.dName === "string" && data.dName !== "" ? data.dName : null,
    messageId,
    text: (group ? withoutMentionsOf(rawText, mentions, ctx.ownId) : rawText.trim()).normalize("NFC"),
    replyToMessageId: quoteId && quoteId !== "0" ? quoteId : null,
    ...(mentions.length > 0
      ? {
          mentions: mentions.map((m) => {
            const name = rawText.slice(m.pos, m.pos + m.len).replace(/^@/, "").trim();
            return { uid: idString(m.uid), ...(name ? { name } : {}) };
          }),
        }
      : {}),
    sentAt: new Date(Number.isFinite(ts) ? ts : 0),
    raw: message,
  };
}

/**
 * The group gate: in a group the bot answers only a message that @mentions it, quotes one of its
 * messages, or starts with a command ("/…"); @All does not count. Every direct message counts.
 *
 * @example
 * isAddressedToBot(groupMessage, "8000000000000000001") // false for group chatter
 */
export function isAddressedToBot(message: Message, ownId: string): boolean {
  if (message.type !== ThreadType.Group) return true;
  if (mentionsOf(message).some((m) => idString(m.uid) === ownId)) return true;
  if (message.data.quote && idString(message.data.quote.ownerId) === ownId) return true;
  return textOf(message).trimStart().startsWith("/");
}
