/**
 * Zalo's rules on the way out, for a personal account driven through zca-js: a send guard (zca-js has
 * no rate limiting of its own and Zalo locks accounts that push too much), an hourly cap, a
 * cool-down after the platform's "slow down" signs, @mention offsets, quoting, and what each
 * error code means. Nothing here retries a send: zca-js has no idempotency key, so a second try
 * after an unclear failure could post the message twice.
 */
import type { Clock } from "../../src/app/index.ts";
import { ThreadType, ZaloApiError } from "./sdk.ts";
import type { ZaloApi, ZaloMessageContent, ZaloQuote } from "./types.ts";
import type { Message } from "./types.ts";

/**
 * The account's own guard, beside the channel's pace (jobs/pacer.ts spaces every Zalo send at one
 * per ZALO_SEND_INTERVAL_MS across processes): at most `hourlyCap` sends in any hour and, after
 * error 123/221 or an empty result, `cooldownMs` of nothing (default 15 minutes).
 *
 * @example
 * const guard: GuardOptions = { hourlyCap: 300, cooldownMs: 15 * 60_000 };
 */
export interface GuardOptions {
  hourlyCap: number;
  cooldownMs?: number;
}

export const DEFAULT_GUARD: Required<GuardOptions> = { hourlyCap: 300, cooldownMs: 15 * 60_000 };

const HOUR_MS = 60 * 60 * 1000;

export type GuardRefusal = { ok: false; reason: "hourly_cap" | "cooldown"; until: Date };

/**
 * One send at a time on the account (zca-js has one session): each waits for the one before it,
 * and is refused (not sent, not queued) when `hourlyCap` sends already started within the last
 * hour or a cool-down is running. Spacing is not here: the delivery queue's pacer does it.
 *
 * @example
 * const guard = createSendGuard(DEFAULT_GUARD, { clock });
 * const r = await guard.run(() => api.sendMessage("…", groupId, ThreadType.Group));
 * if (!r.ok) console.log(`refused until ${r.until.toISOString()} (${r.reason})`);
 */
export function createSendGuard(options: GuardOptions, deps: { clock: Clock }) {
  const hourlyCap = Math.max(1, options.hourlyCap);
  const cooldownMs = options.cooldownMs ?? DEFAULT_GUARD.cooldownMs;
  const started: number[] = [];
  let coolUntil = 0;
  let turn: Promise<unknown> = Promise.resolve();

  function refusal(now: number): GuardRefusal | null {
    if (now < coolUntil) return { ok: false, reason: "cooldown", until: new Date(coolUntil) };
    while (started.length > 0 && (started[0] ?? 0) <= now - HOUR_MS) started.shift();
    if (started.length >= hourlyCap) return { ok: false, reason: "hourly_cap", until: new Date((started[0] ?? now) + HOUR_MS) };
    return null;
  }

  async function take<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | GuardRefusal> {
    const refused = refusal(deps.clock.now().getTime());
    if (refused) return refused;
    started.push(deps.clock.now().getTime());
    return { ok: true, value: await work() };
  }

  return {
    run<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | GuardRefusal> {
      const result = turn.then(() => take(work));
      turn = result.catch(() => undefined);
      return result;
    },
    /** Holds every send for the cool-down (Zalo said "too many"). */
    coolDown(): void {
      coolUntil = Math.max(coolUntil, deps.clock.now().getTime() + cooldownMs);
    },
    /** Sends started within the last hour (for health and tests). */
    sentLastHour(): number {
      const now = deps.clock.now().getTime();
      return started.filter((t) => t > now - HOUR_MS).length;
    },
  };
}

export type SendGuard = ReturnType<typeof createSendGuard>;

/**
 * Text with @mentions as zca-js wants them: `pos`/`len` are UTF-16 indices into the exact string
 * sent (NFC), each span covering "@" + name. A name already written as "@Name" in the text is
 * marked where it stands; the others are put in front ("@A @B " + text).
 *
 * @example
 * buildMentions("Nhắc báo cáo NV 6.2", [{ uid: "101", name: "Lan" }])
 * // { msg: "@Lan Nhắc báo cáo NV 6.2", mentions: [{ pos: 0, len: 4, uid: "101" }] }
 */
export function buildMentions(text: string, people: { uid: string; name: string }[]): { msg: string; mentions: { pos: number; len: number; uid: string }[] } {
  let msg = text.normalize("NFC");
  const found: { pos: number; len: number; uid: string }[] = [];
  const missing: { uid: string; tag: string }[] = [];
  const seen = new Set<string>();
  for (const person of people) {
    const name = person.name.normalize("NFC").trim();
    if (!person.uid || !name || seen.has(person.uid)) continue;
    seen.add(person.uid);
    const tag = `@${name}`;
    let pos = msg.indexOf(tag);
    while (pos >= 0 && found.some((f) => pos < f.pos + f.len && f.pos < pos + tag.length)) pos = msg.indexOf(tag, pos + 1);
    if (pos >= 0) found.push({ pos, len: tag.length, uid: person.uid });
    else missing.push({ uid: person.uid, tag });
  }
  if (missing.length > 0) {
    const prefix = `${missing.map((m) => m.tag).join(" ")} `;
    for (const f of found) f.pos += prefix.length;
    let pos = 0;
    for (const m of missing) {
      found.push({ pos, len: m.tag.length, uid: m.uid });
      pos += m.tag.length + 1;
    }
    msg = prefix + msg;
  }
  found.sort((a, b) => a.pos - b.pos);
  return { msg, mentions: found };
}

/**
 * A received message as the quote zca-js sends (`SendMessageQuote`), or null when zca-js would
 * refuse to quote it (a non-text `webchat`, a poll).
 *
 * @example
 * const quote = quoteOf(message); // then sendMessage({ msg, quote }, threadId, type)
 */
export function quoteOf(message: Message): ZaloQuote | null {
  const d = message.data;
  if ((typeof d.content !== "string" && d.msgType === "webchat") || d.msgType === "group.poll") return null;
  return { content: d.content, msgType: d.msgType, propertyExt: d.propertyExt, uidFrom: d.uidFrom, msgId: d.msgId, cliMsgId: d.cliMsgId, ts: d.ts, ttl: d.ttl };
}

/**
 * What one send came to. `unreachable` — 122, the person blocks messages from strangers (no way
 * around it); `slow_down` — 123 "cannot receive messages from you" after many sends or 221 "too
 * many requests", or an empty result (zca-js returned no message id: seen at the 21st stranger in
 * a row); `failed` — any other error (network included: it may or may not have gone out).
 *
 * @example
 * const o: ZaloSendOutcome = { ok: false, kind: "unreachable", code: 122, message: "…" };
 */
export type ZaloSendOutcome =
  | { ok: true; messageId: string }
  | { ok: false; kind: "unreachable" | "slow_down" | "failed"; code: string; message: string };

const KNOWN: Record<number, { kind: "unreachable" | "slow_down"; text: string }> = {
  122: { kind: "unreachable", text: "người nhận chặn tin nhắn từ người lạ" },
  123: { kind: "slow_down", text: "Zalo tạm chặn tài khoản gửi tin (gửi quá nhiều, quá nhanh)" },
  221: { kind: "slow_down", text: "vượt quá số yêu cầu Zalo cho phép" },
};

/**
 * What a thrown zca-js error means (see `ZaloSendOutcome`).
 *
 * @example
 * classifyZaloError(new ZaloApiError("Không thể nhận tin nhắn từ bạn", 123)).kind // "slow_down"
 */
export function classifyZaloError(error: unknown): Extract<ZaloSendOutcome, { ok: false }> {
  const code = error instanceof ZaloApiError ? error.code : null;
  const message = error instanceof Error ? error.message : String(error);
  const known = code !== null ? KNOWN[code] : undefined;
  if (known) return { ok: false, kind: known.kind, code: String(code), message: `${known.text} (${message})` };
  return { ok: false, kind: "failed", code: code !== null ? String(code) : "error", message };
}

/**
 * One `sendMessage`: text (with @mentions in groups, and a quote when given) to a group or a
 * person. Never throws and never retries.
 *
 * @example
 * const out = await sendText(api, { threadId: "5012…", threadKind: "group", text: "Nhắc NV 6.2", mentions: [{ uid: "101", name: "Lan" }] });
 */
export async function sendText(
  api: Pick<ZaloApi, "sendMessage">,
  input: { threadId: string; threadKind: "group" | "direct"; text: string; quote?: ZaloQuote | null; mentions?: { uid: string; name: string }[] },
): Promise<ZaloSendOutcome> {
  const group = input.threadKind === "group";
  const { msg, mentions } = group && input.mentions?.length ? buildMentions(input.text, input.mentions) : { msg: input.text.normalize("NFC"), mentions: [] };
  const content: ZaloMessageContent = { msg, ...(mentions.length > 0 ? { mentions } : {}), ...(input.quote ? { quote: input.quote } : {}) };
  try {
    const result = await api.sendMessage(content, input.threadId, group ? ThreadType.Group : ThreadType.User);
    const id = result.message?.msgId;
    if (id === undefined || id === null || String(id) === "" || String(id) === "0") {
      return { ok: false, kind: "slow_down", code: "empty_result", message: "Zalo không trả về mã tin nhắn (tin có thể đã không được gửi)" };
    }
    return { ok: true, messageId: String(id) };
  } catch (error) {
    return classifyZaloError(error);
  }
}

/**
 * The last messages received (by global id) and the kind of each thread seen, kept in this
 * process: quoting needs the whole received message (`cliMsgId`, `ts`, type…), which only the
 * listener had. Bounded; the oldest entries go first.
 *
 * @example
 * const recent = createRecentMessages(); // the listener calls recent.remember(message)
 * const quoted = recent.get("7312345678901234567");
 */
export function createRecentMessages(limit = 2000) {
  const messages = new Map<string, Message>();
  const kinds = new Map<string, "group" | "direct">();
  const trim = <K, V>(map: Map<K, V>) => {
    while (map.size > limit) {
      const first = map.keys().next();
      if (first.done) break;
      map.delete(first.value);
    }
  };
  return {
    remember(message: Message, messageId: string, threadId: string): void {
      messages.delete(messageId);
      messages.set(messageId, message);
      kinds.delete(threadId);
      kinds.set(threadId, message.type === ThreadType.Group ? "group" : "direct");
      trim(messages);
      trim(kinds);
    },
    get(messageId: string): Message | undefined {
      return messages.get(messageId);
    },
    kindOf(threadId: string): "group" | "direct" | undefined {
      return kinds.get(threadId);
    },
  };
}

export type RecentMessages = ReturnType<typeof createRecentMessages>;
