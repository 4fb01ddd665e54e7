/**
 * What every chat command works with: the message, who sent it and where, the use cases it may
 * call, and `say` — the one way a command answers (an outbox row in the sender's thread, marked as
 * the reply to this message, delivered by the channel's queue like every other message).
 */
import type { Identity, Person, PersonRole, Thread } from "../../domain/index.ts";
import { splitMessages } from "../../domain/index.ts";
import type { UnitDef } from "../../domain/index.ts";
import type { Alerts } from "../alerts.ts";
import type { Broadcasts } from "../broadcasts.ts";
import type { Groups } from "../groups.ts";
import type { Clock, IncomingMessage, Reply, Store } from "../ports/index.ts";
import type { LinkCodes } from "./link-codes.ts";

export interface ConversationLimits {
  /** Lines per message: about a phone screen. */
  maxLines: number;
  /** The channel's text limit. */
  maxChars: number;
}

/** The store slices the conversation reads and writes. */
export type ChatStore = Pick<Store, "orgs" | "units" | "persons" | "chats" | "directives" | "tracking" | "inbound" | "outbound" | "audit" | "links" | "limits" | "broadcasts">;

export interface ChatDeps {
  store: ChatStore;
  clock: Clock;
  limits: ConversationLimits;
  alerts: Alerts;
  broadcasts: Broadcasts;
  groups: Groups;
  linkCodes: LinkCodes;
}

/**
 * A command's lines in the help text: fixed, or made for the day they are shown on (an example
 * date must be a real one ahead, never a stale year). `today` is a local day, YYYY-MM-DD, or null
 * when the caller does not know it (then the lines carry no date).
 */
export type HelpLines = readonly string[] | ((today: string | null) => readonly string[]);

/** A command as the help text and the refusals see it (the full type is `ChatCommand`). */
export interface CommandInfo {
  name: string;
  roles: readonly PersonRole[] | "anyone";
  help: HelpLines;
}

export interface ChatContext {
  deps: ChatDeps;
  /** The command table (help lists it). */
  commands: readonly CommandInfo[];
  msg: IncomingMessage;
  identity: Identity;
  thread: Thread;
  /** The stored inbound message being answered. */
  inboundId: string;
  /** The local day (Asia/Ho_Chi_Minh) the message is handled on. */
  today: string;
  person: Person | null;
  /** A directive named in the message ("TB05", "kh 12"), as typed and folded; the text was interpreted without it. */
  selector: string | null;
  /** How the sender is addressed ("đồng chí" by default; org setting per role). Replies never say "bạn"/"mình" on their own. */
  you: string;
  /** Who speaks: the org's office ("Văn phòng Đảng ủy"). */
  office: string;
  /** What was said back, in order (outbox rows already written). */
  replies: Reply[];
  /** The org's units as the interpreter and matching know them (read once per message). */
  units(): Promise<UnitDef[]>;
}

export interface SayOptions {
  itemId?: string | null;
  /** Quote the message being answered (Zalo shows the quote). */
  quote?: boolean;
  /** A question about an item: the thread remembers it, so a bare "xong rồi" next is about that item. */
  asked?: boolean;
  /** One-tap answers, carried by the last part (quick replies where the channel has them). */
  choices?: { title: string; payload: string }[];
}

/**
 * Answers in the sender's thread: split to fit a phone screen, each part an outbox row marked as
 * the reply to this message (so the delivery queue sends it first, exempt from quiet hours).
 *
 * @example
 * await say(ctx, ["Đã ghi nhận: …", "Trạng thái: hoàn thành"], { itemId, quote: true });
 */
export async function say(ctx: ChatContext, text: string | string[], options: SayOptions = {}): Promise<void> {
  const { store } = ctx.deps;
  const parts = splitMessages(Array.isArray(text) ? text : text.split("\n"), ctx.deps.limits);
  for (const [index, part] of parts.entries()) {
    const choices = index === parts.length - 1 && options.choices?.length ? options.choices : null;
    const message = await store.outbound.enqueue({
      orgId: ctx.msg.orgId,
      threadId: ctx.thread.id,
      identityId: ctx.thread.kind === "direct" ? ctx.identity.id : null,
      text: part,
      quoteExternalId: options.quote ? ctx.msg.messageId : null,
      itemId: options.itemId ?? null,
      inReplyTo: ctx.inboundId,
      choices,
    });
    ctx.replies.push({
      outboundMessageId: message.id,
      channel: ctx.msg.channel,
      threadId: ctx.msg.threadId,
      text: part,
      quoteMessageId: message.quoteExternalId,
      itemId: message.itemId,
      ...(choices ? { choices } : {}),
    });
  }
  if (options.itemId && options.asked) {
    await store.chats.setThreadState(ctx.msg.orgId, ctx.thread.id, { lastItemId: options.itemId });
  }
}
