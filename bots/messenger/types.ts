/**
 * The Messenger Platform's wire contract, as far as dondoc uses it: the webhook body Meta POSTs
 * to us, the Send API request we POST to `/me/messages`, its success answer and the Graph error
 * body. Field names are the platform's (snake_case). Webhook types describe what may arrive, not
 * what was validated: every optional field may be missing in a real payload.
 *
 * Source: Meta developer docs (Webhook events, Send API reference, error codes), summarised in
 * the research notes `messenger.md` §1–2.
 */

/** A page-scoped id wrapper, as in `sender` and `recipient`. */
export interface MessengerId {
  id: string;
}

/**
 * The POST body of a Messenger webhook. One request may carry several entries (pages, users,
 * times): loop over `entry[]` and over each entry's `messaging[]`/`standby[]`, never index `[0]`.
 *
 * @example
 * const body: MessengerWebhookBody = {
 *   object: "page",
 *   entry: [{ id: "PAGE_ID", time: 1718000000000, messaging: [{ sender: { id: "PSID" }, recipient: { id: "PAGE_ID" }, timestamp: 1718000000000, message: { mid: "m_1", text: "Đã xong 80%" } }] }],
 * };
 */
export interface MessengerWebhookBody {
  /** `"page"` for Messenger; anything else is not ours. */
  object: string;
  entry: MessengerEntry[];
}

/**
 * One entry of a webhook batch: events of one Page. Events arrive under `messaging[]` normally,
 * under `standby[]` when another app owns the thread (handover), and the dashboard's "Test"
 * button posts `changes[]` instead.
 *
 * @example
 * const entry: MessengerEntry = { id: "PAGE_ID", time: 1718000000000, changes: [{ field: "messages", value: {} }] };
 */
export interface MessengerEntry {
  /** The Page id. */
  id: string;
  /** Milliseconds since the epoch. */
  time: number;
  messaging?: MessagingItem[];
  standby?: MessagingItem[];
  changes?: { field: string; value: unknown }[];
}

/**
 * One event. Every item has the `sender`/`recipient`/`timestamp` envelope and exactly one of
 * the event fields (`message`, `postback`, `referral`, `delivery`, `read`, `reaction`,
 * `message_edit`). For an echo (`message.is_echo`) the sender is the Page and the recipient the
 * person. De-duplicate on `mid`.
 *
 * @example
 * const tap: MessagingItem = {
 *   sender: { id: "PSID" }, recipient: { id: "PAGE_ID" }, timestamp: 1718000000000,
 *   message: { mid: "m_2", text: "Đã xong", quick_reply: { payload: "DONE:42" } },
 * };
 */
export interface MessagingItem {
  sender: MessengerId;
  recipient: MessengerId;
  /** Milliseconds since the epoch. */
  timestamp: number;
  message?: MessengerMessage;
  postback?: MessengerPostback;
  referral?: MessengerReferral;
  delivery?: MessengerDelivery;
  read?: MessengerRead;
  reaction?: MessengerReaction;
  message_edit?: MessengerMessageEdit;
}

/**
 * A message event: a person's text, quick-reply tap, attachment, or reply to a message; or the
 * echo of a message the Page sent (`is_echo`, ours when `app_id` is our app and `metadata`
 * carries our outbox id; a staff reply typed in the Page inbox has another or no `app_id`).
 *
 * @example
 * const m: MessengerMessage = { mid: "m_3", text: "bc 6.2 xong", reply_to: { mid: "m_bot_1" } };
 */
export interface MessengerMessage {
  mid: string;
  text?: string;
  /** Present when the person tapped a quick reply; `text` then holds its title. */
  quick_reply?: { payload: string };
  /** Present when the person replied to (quoted) a message. */
  reply_to?: { mid: string };
  attachments?: MessengerAttachment[];
  is_echo?: boolean;
  /** On echoes: the app that sent the message. */
  app_id?: number;
  /** On echoes: the `metadata` string given to the Send API. */
  metadata?: string;
}

/**
 * An attachment of an inbound message. Stickers and the "like" arrive as `image` with
 * `payload.sticker_id`; shared links as `fallback` (payload may be null, title/url beside it).
 *
 * @example
 * const a: MessengerAttachment = { type: "file", payload: { url: "https://cdn.example/bao-cao.pdf" } };
 */
export interface MessengerAttachment {
  type: "image" | "video" | "audio" | "file" | "fallback" | "template" | "location" | (string & {});
  payload: { url?: string; sticker_id?: number; title?: string } | null;
  title?: string;
  url?: string;
}

/**
 * A button, Get Started or persistent-menu tap. `mid` exists since Graph v11; `referral` comes
 * with Get Started when the person entered through an m.me link with `?ref=`.
 *
 * @example
 * const p: MessengerPostback = { mid: "m_4", title: "Bắt đầu", payload: "GET_STARTED", referral: { ref: "invite.abc", source: "SHORTLINK", type: "OPEN_THREAD" } };
 */
export interface MessengerPostback {
  mid?: string;
  title: string;
  payload: string;
  referral?: MessengerReferral;
}

/**
 * Entry through an m.me link, ad or plugin. `ref` is the `?ref=` value, absent when the link
 * had none.
 *
 * @example
 * const r: MessengerReferral = { ref: "invite.abc", source: "SHORTLINK", type: "OPEN_THREAD" };
 */
export interface MessengerReferral {
  ref?: string;
  source: "SHORTLINK" | "ADS" | "MESSENGER_CODE" | "CUSTOMER_CHAT_PLUGIN" | (string & {});
  type: "OPEN_THREAD" | (string & {});
}

/**
 * Messages delivered up to `watermark` (ms); `mids` only sometimes.
 *
 * @example
 * const d: MessengerDelivery = { mids: ["m_bot_1"], watermark: 1718000000000 };
 */
export interface MessengerDelivery {
  mids?: string[];
  watermark: number;
}

/**
 * Everything sent up to `watermark` (ms) was read.
 *
 * @example
 * const r: MessengerRead = { watermark: 1718000000000 };
 */
export interface MessengerRead {
  watermark: number;
}

/**
 * A reaction to a message; it renews the 24-hour window. `reaction`/`emoji` may be missing on
 * `unreact`.
 *
 * @example
 * const r: MessengerReaction = { reaction: "like", emoji: "👍", action: "react", mid: "m_bot_1" };
 */
export interface MessengerReaction {
  reaction?: string;
  emoji?: string;
  action: "react" | "unreact";
  mid: string;
}

/**
 * An edited message: the new text and how many times it was edited.
 *
 * @example
 * const e: MessengerMessageEdit = { mid: "m_3", text: "bc 6.2 xong 245 hội viên", num_edit: 1 };
 */
export interface MessengerMessageEdit {
  mid: string;
  text: string;
  num_edit: number;
}

/**
 * The Send API's `messaging_type`: `RESPONSE` answers an inbound message, `UPDATE` is proactive
 * inside the 24-hour window, `MESSAGE_TAG` (with `tag`) is outside it.
 *
 * @example
 * const t: SendMessagingType = "UPDATE";
 */
export type SendMessagingType = "RESPONSE" | "UPDATE" | "MESSAGE_TAG";

/**
 * A quick reply chip: ≤ 13 per message, `title` ≤ 20 characters, `payload` ≤ 1000.
 *
 * @example
 * const q: QuickReply = { content_type: "text", title: "Đã xong", payload: "DONE:42" };
 */
export interface QuickReply {
  content_type: "text";
  title: string;
  payload: string;
}

/**
 * A button of a button template (≤ 3): a postback (tap arrives as a `postback` event) or a link.
 *
 * @example
 * const b: TemplateButton = { type: "postback", title: "Gia hạn", payload: "EXTEND:42" };
 */
export type TemplateButton =
  | { type: "postback"; title: string; payload: string }
  | { type: "web_url"; title: string; url: string };

/**
 * A button template attachment: `text` ≤ 640 characters, 1–3 buttons.
 *
 * @example
 * const a: ButtonTemplateAttachment = { type: "template", payload: { template_type: "button", text: "Nhiệm vụ 6.2 đến hạn 30/6", buttons: [{ type: "postback", title: "Đã xong", payload: "DONE:42" }] } };
 */
export interface ButtonTemplateAttachment {
  type: "template";
  payload: { template_type: "button"; text: string; buttons: TemplateButton[] };
}

/**
 * The `message` of a Send API request: text (≤ 2000 characters) or a button template, with an
 * optional `metadata` string (≤ 1000, returned in the echo: we put the outbox id there) and
 * optional quick replies.
 *
 * @example
 * const m: SendMessage = { text: "Nhiệm vụ 6.2 đến hạn hôm nay", metadata: "outbox:123" };
 */
export type SendMessage =
  | { text: string; metadata?: string; quick_replies?: QuickReply[] }
  | { attachment: ButtonTemplateAttachment; metadata?: string; quick_replies?: QuickReply[] };

/**
 * A message tag, only with `messaging_type: "MESSAGE_TAG"`. The three non-human tags are
 * reported retired in 2026 and never fitted task reminders; `HUMAN_AGENT` needs its own
 * permission and is for a human's reply only. dondoc sends none today.
 *
 * @example
 * const tag: MessageTag = "HUMAN_AGENT";
 */
export type MessageTag = "HUMAN_AGENT" | "ACCOUNT_UPDATE" | "CONFIRMED_EVENT_UPDATE" | "POST_PURCHASE_UPDATE";

/**
 * The body of `POST /me/messages`.
 *
 * @example
 * const req: SendRequest = { recipient: { id: "PSID" }, messaging_type: "RESPONSE", message: { text: "Đã ghi nhận", metadata: "outbox:123" } };
 */
export interface SendRequest {
  recipient: MessengerId;
  messaging_type: SendMessagingType;
  message: SendMessage;
  tag?: MessageTag;
  notification_type?: "REGULAR" | "SILENT_PUSH" | "NO_PUSH";
}

/**
 * The Send API's success answer.
 *
 * @example
 * const res: SendResponse = { recipient_id: "PSID", message_id: "m_AG5Hz2Uq7tuw" };
 */
export interface SendResponse {
  recipient_id: string;
  message_id: string;
}

/**
 * A Graph API error answer. `code` and `error_subcode` decide what to do (see `send.ts`);
 * `fbtrace_id` is what Meta support asks for.
 *
 * @example
 * const err: GraphErrorBody = { error: { message: "(#10) This message is sent outside of allowed window.", type: "OAuthException", code: 10, error_subcode: 2018278, fbtrace_id: "A1b2C3d4E5f" } };
 */
export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    fbtrace_id: string;
    is_transient?: boolean;
    error_user_title?: string;
    error_user_msg?: string;
  };
}
