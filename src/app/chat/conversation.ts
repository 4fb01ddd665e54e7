/**
 * The conversation core (DESIGN.md §4.3–§4.5, §5): an incoming chat message becomes a recorded
 * report or an answer. door → stored once → identity → person → intent → the command that
 * answers it (commands/) → replies in the outbox, handed to the delivery queues. Channel-agnostic:
 * nothing here knows Zalo or Messenger.
 */
import type { Channel } from "../../domain/index.ts";
import { directiveName, findDirectiveSelector, interpret, pickDirective, type Interpretation } from "../../domain/index.ts";
import { addDays, localDay, viDate } from "../../domain/index.ts";
import type { UnitDef } from "../../domain/index.ts";
import { createAlerts } from "../alerts.ts";
import { createBroadcasts } from "../broadcasts.ts";
import { createGroups } from "../groups.ts";
import { orgUnitDefs } from "../intake.ts";
import { settingsOrDefaults, type Voice } from "../org-settings.ts";
import type { Clock, Dispatch, InboundHandler, IncomingMessage, Reply } from "../ports/index.ts";
import { allowed } from "./command.ts";
import { COMMANDS } from "./commands/index.ts";
import { decide } from "./commands/decide.ts";
import { say, type ChatContext, type ChatDeps, type ChatStore, type ConversationLimits } from "./context.ts";
import { admit } from "./door.ts";
import { createLinkCodes } from "./link-codes.ts";
import { NOT_LINKED, refusal } from "./replies.ts";

/** How a person is addressed: by their highest role (leader, then office, then cadre). */
function addressOf(voice: Voice, person: { roles: readonly ("office" | "cadre" | "leader")[] } | null): string {
  const role = person?.roles.includes("leader") ? "leader" : person?.roles.includes("office") ? "office" : "cadre";
  return voice.address[role];
}
import { answerPending, tapped } from "./reports.ts";

export interface ConversationDeps {
  store: ChatStore;
  clock: Clock;
  limits?: ConversationLimits;
  /** How long a link code stays valid. */
  linkCodeTtlHours?: number;
  /** The Facebook Page id or username: link codes then come with an m.me onboarding link. */
  messengerPage?: string | null;
  /** Hands outbox rows to the delivery queues (replies first); without it the outbox sweep finds them. */
  dispatch?: Dispatch;
}

/** Control characters out, spaces collapsed, NFC; emoji stay for the interpreter to ignore. */
export function cleanText(text: string): string {
  return text
    .normalize("NFC")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200D\uFEFF]/g, " ")
    .trim();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const hasLetters = (text: string) => /[\p{L}\p{N}]/u.test(text);
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * @example
 * const conversation = createConversation({ store, clock, dispatch });
 * const replies = await conversation.handle({ orgId, channel: "simulator", threadId: "u1", threadKind: "direct", senderId: "u1", messageId: "m1", text: "bc 6 xong", sentAt });
 */
export function createConversation(deps: ConversationDeps) {
  const { store, clock } = deps;
  const dispatch = deps.dispatch;
  const alerts = createAlerts({ store, clock, ...(dispatch ? { dispatch } : {}) });
  const chat: ChatDeps = {
    store,
    clock,
    limits: deps.limits ?? { maxLines: 15, maxChars: 2000 },
    alerts,
    broadcasts: createBroadcasts({ store, clock, ...(dispatch ? { dispatch } : {}) }),
    groups: createGroups({ store, clock }),
    linkCodes: createLinkCodes({ store, clock, alerts, ...(deps.linkCodeTtlHours ? { ttlHours: deps.linkCodeTtlHours } : {}), messengerPage: deps.messengerPage ?? null }),
  };

  async function accept(incoming: IncomingMessage): Promise<string | null> {
    const checked = admit(incoming, clock.now());
    if (!checked.ok) {
      // Recorded for the office, never stored as a message; the rest of a batch goes on.
      await store.audit.append({ orgId: incoming.orgId, actor: "system", action: "inbound.rejected", entity: "channel", entityId: incoming.channel, data: { reason: checked.reason }, at: clock.now() });
      return null;
    }
    const msg = checked.message;
    return store.inbound.accept({
      orgId: msg.orgId,
      channel: msg.channel,
      senderId: msg.senderId,
      senderName: msg.senderName ?? null,
      threadId: msg.threadId,
      threadKind: msg.threadKind,
      messageId: msg.messageId,
      text: cleanText(msg.text),
      payload: msg.payload ?? null,
      replyToMessageId: msg.replyToMessageId ?? null,
      sentAt: msg.sentAt,
      raw: msg.raw ?? null,
    });
  }

  /**
   * In a group the bot speaks only when spoken to: a command ("/…"), a quote of one of its
   * messages, an @mention, or a message that is about the work (a report, a query); small talk
   * among members gets no answer.
   */
  async function addressed(ctx: ChatContext, it: Interpretation | null): Promise<boolean> {
    if (ctx.thread.kind !== "group") return true;
    if (ctx.msg.text.trimStart().startsWith("/") || ctx.msg.text.includes("@")) return true;
    if (ctx.msg.replyToMessageId && (await store.outbound.byExternalId(ctx.msg.orgId, ctx.msg.channel, ctx.msg.replyToMessageId))) return true;
    return it !== null && it.intent !== "unknown";
  }

  /** The one command most likely wanted, for a message not understood: by role. */
  function likelyCommand(ctx: ChatContext): string {
    const roles = ctx.person?.roles ?? [];
    if (roles.includes("leader")) return 'gõ "tình hình" để xem tình hình chung';
    if (roles.includes("office")) return 'gõ "ai chưa báo cáo" hoặc /nhacnho';
    return 'để báo cáo, gõ số nhiệm vụ và kết quả, ví dụ "bc 6 xong"';
  }

  /** Which command answers, after the checks every command shares (linked, role, a real date). */
  async function route(ctx: ChatContext, it: Interpretation): Promise<void> {
    const person = ctx.person;
    // An answer to the bot's own question is addressed to it, in a group too.
    if (person && (await answerPending(ctx, person, it))) return;
    if (!(await addressed(ctx, it))) return;
    const cmd = COMMANDS.find((c) => c.intents.includes(it.intent));
    if (cmd && cmd.roles === "anyone") return cmd.run(ctx, it);
    if (!person) return say(ctx, NOT_LINKED);
    if (it.invalidDate) return say(ctx, `Ngày "${it.invalidDate}" không có thật. Đề nghị ${ctx.you} ghi lại ngày, ví dụ ${viDate(addDays(ctx.today, 14))}.`);
    if (cmd) return allowed(cmd, person.roles) ? cmd.run(ctx, it) : say(ctx, refusal(cmd.roles as readonly ("office" | "cadre" | "leader")[]));
    // A leader's bare "duyệt" or "đồng ý" decides the extension waiting for them.
    if (it.decision && allowed(decide, person.roles)) return decide.run(ctx, it);
    const You = capitalize(ctx.you);
    // Greetings and thanks get one short polite line, not the help.
    if (it.smalltalk === "thanks") return say(ctx, `Dạ, ${ctx.office} cảm ơn ${ctx.you}.`);
    if (it.smalltalk === "greeting") return say(ctx, `${ctx.office} kính chào ${ctx.you}. ${You} cần gì xin cứ nhắn; ${likelyCommand(ctx)}.`);
    return say(ctx, `${ctx.office} chưa rõ ý ${ctx.you}. ${capitalize(likelyCommand(ctx))}; gõ /trogiup để xem các lệnh.`);
  }

  async function process(orgId: string, inboundMessageId: string): Promise<Reply[]> {
    const message = await store.inbound.get(orgId, inboundMessageId);
    if (!message || message.processedAt || !message.identityId || !message.threadId) return [];
    const identity = await store.chats.identityById(orgId, message.identityId);
    const thread = await store.chats.threadById(orgId, message.threadId);
    if (!identity || !thread) return [];
    const msg: IncomingMessage = {
      orgId,
      channel: message.channel,
      threadId: thread.externalId,
      threadKind: thread.kind,
      senderId: identity.externalId,
      messageId: message.externalMessageId,
      text: message.text,
      payload: message.payload,
      replyToMessageId: message.replyToExternalId,
      sentAt: message.sentAt,
    };
    const person = identity.personId ? await store.persons.get(orgId, identity.personId) : null;
    const voice = settingsOrDefaults((await store.orgs.byId(orgId))?.settings).voice;
    let units: Promise<UnitDef[]> | null = null;
    const ctx: ChatContext = {
      deps: chat,
      commands: COMMANDS,
      msg,
      identity,
      thread,
      inboundId: message.id,
      today: localDay(clock.now()),
      person,
      selector: null,
      you: addressOf(voice, person),
      office: voice.office,
      replies: [],
      units: () => (units ??= orgUnitDefs(store, orgId)),
    };
    const tap = msg.payload && person ? await tapped(ctx, person, msg.payload) : false;
    if (tap) {
      // a quick-reply or button tap on a reminder, already answered
    } else if (!hasLetters(msg.text)) {
      // A sticker or an emoji: one line in a direct chat, nothing in a group.
      if (await addressed(ctx, null)) await say(ctx, `${ctx.office} đã nhận tin của ${ctx.you}. ${capitalize(likelyCommand(ctx))}.`);
    } else {
      await route(ctx, await understand(ctx));
    }
    await store.inbound.markProcessed(orgId, message.id, clock.now());
    // Replies go first: ahead of any broadcast or reminder waiting on the same channel.
    if (dispatch && ctx.replies.length > 0) await dispatch(await store.outbound.routes(orgId, ctx.replies.map((r) => r.outboundMessageId)), { priority: "reply" });
    return ctx.replies;
  }

  /**
   * Interprets the message. A directive selector ("tình hình TB05 nv 6", "/nhacnho KH 12 2") is
   * taken out first — for the leaders' queries, or when it names an active directive — so its
   * digits are not read as an item or a reminder's words.
   */
  async function understand(ctx: ChatContext): Promise<Interpretation> {
    const context = { today: ctx.today, units: await ctx.units() };
    const whole = interpret(ctx.msg.text, context);
    const found = findDirectiveSelector(ctx.msg.text);
    if (!found) return whole;
    const query = (["status", "overdue", "unreported", "remind"] as const).some((i) => i === whole.intent);
    const active = (await store.directives.list(ctx.msg.orgId)).filter((d) => d.status === "active").map((d) => ({ id: d.id, name: directiveName(d) }));
    if (!query && !pickDirective(found.selector, active)) return whole;
    ctx.selector = found.selector;
    return interpret(found.rest, context);
  }

  return {
    /**
     * Stores a message once (by channel + message id) with its account and thread; returns the
     * stored id, or null when the same message was already there (or could not be made safe).
     * Cheap: webhooks call it before answering, and processing happens later from the queue.
     */
    accept,

    /** Interprets a stored message, answers it and queues the answers; a message already processed gives no replies. */
    process,

    /**
     * Accept and process in one go (tests, tools). The same message twice — even at the same
     * moment — is handled once; the second call returns no replies.
     */
    async handle(msg: IncomingMessage): Promise<Reply[]> {
      const id = await accept(msg);
      return id ? process(msg.orgId, id) : [];
    },

    async recordEchoes(orgId: string, channel: Channel, echoes: { outboundMessageId: string; externalMessageId: string }[]) {
      // Metadata comes from the platform: only uuids are looked up (the store keeps to this org's messages).
      const valid = echoes.filter((e) => UUID.test(e.outboundMessageId) && e.externalMessageId.length <= 200);
      await store.outbound.recordEchoes(orgId, channel, valid, clock.now());
    },

    async deliveredId(orgId: string, outboundMessageId: string) {
      const sent = (await store.outbound.deliveries(orgId, outboundMessageId)).find((d) => d.outcome === "sent");
      return sent?.externalMessageId ?? null;
    },

    async alertOffice(orgId: string, text: string) {
      await alerts.office(orgId, text);
    },

    async recordDelivery(input: Parameters<InboundHandler["recordDelivery"]>[0]) {
      await store.outbound.recordDelivery({ ...input, attemptedAt: clock.now() });
    },

    /** The channel sent a reply: remember the platform's id so a later quote finds its item. */
    async recordSent(input: { orgId: string; outboundMessageId: string; channel: Channel; externalMessageId: string; attempt?: number }) {
      await store.outbound.recordDelivery({ orgId: input.orgId, outboundMessageId: input.outboundMessageId, channel: input.channel, attempt: input.attempt ?? 1, outcome: "sent", externalMessageId: input.externalMessageId, attemptedAt: clock.now() });
    },

    /** Office creates a one-time code for a person to link a chat account. */
    issueLinkCode: (orgId: string, personId: string, actor: string, options: { channel?: Channel | null } = {}) => chat.linkCodes.issue(orgId, personId, actor, options),
  };
}

export type Conversation = ReturnType<typeof createConversation>;
