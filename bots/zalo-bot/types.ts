/**
 * The Zalo Bot API's wire contract, as far as dondoc uses it: the webhook body Zalo POSTs to
 * us, the `sendMessage` request we POST to `/bot<TOKEN>/sendMessage` and the `{ok, result}`
 * envelope every call answers with. Field names are the platform's (snake_case). These types
 * describe what may arrive, not what was validated: every field may be missing in a real payload.
 *
 * Source: the research notes `zalo.md` §3.1 (official Bot API) and §3.2 (the openclaw adapter's
 * types), and the official docs' samples (bot.zaloplatforms.com): ids are opaque hex strings
 * such as "6ede9afa66b88fe6d6a9" and `date` is in milliseconds.
 */

/**
 * Every Bot API answer, webhook bodies included: HTTP 200 is not success, `ok` is.
 *
 * @example
 * const failed: ZaloBotEnvelope<never> = { ok: false, error_code: 400, description: "Bad Request: chat not found" };
 */
export interface ZaloBotEnvelope<T> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
}

/**
 * The events the platform documents. `message.unsupported.received` is sent instead of the
 * content for protected senders; anything else may appear later and must not break us.
 *
 * @example
 * const e: ZaloBotEventName = "message.text.received";
 */
export type ZaloBotEventName =
  | "message.text.received"
  | "message.image.received"
  | "message.sticker.received"
  | "message.voice.received"
  | "message.unsupported.received";

/**
 * A user or the bot, as in `from`.
 *
 * @example
 * const from: ZaloBotUser = { id: "6ede9afa66b88fe6d6a9", display_name: "Trần Văn An", is_bot: false };
 */
export interface ZaloBotUser {
  id: string;
  display_name?: string;
  is_bot?: boolean;
}

/**
 * A conversation: the person's own chat with the bot, or a group (Beta; Marketplace bots could
 * not be added to groups in practice, zalo.md §3.2). Replies go to `chat.id`.
 *
 * @example
 * const chat: ZaloBotChat = { id: "6ede9afa66b88fe6d6a9", chat_type: "PRIVATE" };
 */
export interface ZaloBotChat {
  id: string;
  chat_type: "PRIVATE" | "GROUP";
}

/**
 * One message. There are no quotes, mentions, reactions or threads on this platform.
 *
 * @example
 * const m: ZaloBotMessage = {
 *   message_id: "2d758cb5e222177a4e35", date: 1750316131602, text: "Báo cáo 6.2 đã xong",
 *   from: { id: "6ede9afa66b88fe6d6a9", display_name: "Ted", is_bot: false },
 *   chat: { id: "6ede9afa66b88fe6d6a9", chat_type: "PRIVATE" },
 * };
 */
export interface ZaloBotMessage {
  message_id: string;
  from: ZaloBotUser;
  chat: ZaloBotChat;
  /** Milliseconds since the epoch in the official sample (seconds seen in third-party code). */
  date: number;
  text?: string;
  photo_url?: string;
  caption?: string;
  sticker?: string;
  message_type?: string;
}

/**
 * One update: what a webhook delivers, and what one `getUpdates` call returns.
 *
 * @example
 * const u: ZaloBotUpdate = { event_name: "message.sticker.received", message: { message_id: "m1", from: { id: "u1" }, chat: { id: "u1", chat_type: "PRIVATE" }, date: 1750316131602, sticker: "abc" } };
 */
export interface ZaloBotUpdate {
  event_name: ZaloBotEventName | (string & {});
  message?: ZaloBotMessage;
}

/**
 * The webhook POST body: documented wrapped in the envelope, also seen (and accepted by
 * openclaw) as the bare update.
 *
 * @example
 * const wrapped: ZaloBotWebhookBody = { ok: true, result: update };
 * const bare: ZaloBotWebhookBody = update;
 */
export type ZaloBotWebhookBody = ZaloBotEnvelope<ZaloBotUpdate> | ZaloBotUpdate;

/**
 * `sendMessage`'s body. Text is 1–2000 characters; we send plain text (no `parse_mode`), so
 * a cadre's "*" or "_" is never taken for markup.
 *
 * @example
 * const req: SendMessageRequest = { chat_id: "6ede9afa66b88fe6d6a9", text: "Đã ghi nhận báo cáo." };
 */
export interface SendMessageRequest {
  chat_id: string;
  text: string;
  parse_mode?: "markdown" | "html";
}

/**
 * `sendMessage`'s `result`.
 *
 * @example
 * const r: SendMessageResult = { message_id: "82599fa32f56d00e8941", date: 1749632637199 };
 */
export interface SendMessageResult {
  message_id: string;
  date: number;
}
