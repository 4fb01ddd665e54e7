/**
 * The conversation core (DESIGN.md §4.3–§4.5, §5): an incoming chat message becomes a recorded
 * report or an answer. identity → person → intent → item → effect → reply. Channel-agnostic:
 * nothing here knows Zalo or Messenger.
 */
import { fold, refCovers } from "../domain/text.ts";
import type { AssignmentStatus, BoardRow, Channel, Identity, Person, PersonRole, Thread } from "../domain/entities.ts";
import { interpret, type Interpretation } from "../domain/intent.ts";
import { CONFIDENT, MARGIN, rankItems } from "../domain/similarity.ts";
import { dueText, shorten, splitMessages, statusText, timing, timingText } from "../domain/status-text.ts";
import { localDay, viDate } from "../domain/time.ts";
import { orgUnitDefs } from "./intake.ts";
import { BroadcastError, createBroadcasts, type BroadcastRequest } from "./broadcasts.ts";
import { createGroups, GroupBindingError } from "./groups.ts";
import { createAlerts } from "./alerts.ts";
import { createLinkCodes } from "./chat/link-codes.ts";
import { admit } from "./chat/door.ts";
import type { Clock, Dispatch, InboundHandler, IncomingMessage, Reply, Store } from "./ports.ts";

export interface ConversationLimits {
  /** Lines per message: about a phone screen. */
  maxLines: number;
  /** The channel's text limit. */
  maxChars: number;
}

export interface ConversationDeps {
  store: Store;
  clock: Clock;
  limits?: ConversationLimits;
  /** How long a link code stays valid. */
  linkCodeTtlHours?: number;
  /** The Facebook Page id or username: link codes then come with an m.me onboarding link. */
  messengerPage?: string | null;
  /** Queues proactive messages (alerts, broadcasts) at once; without it the outbox sweep does. */
  dispatch?: Dispatch;
}

const ROLE_VI: Record<PersonRole, string> = { office: "văn phòng", cadre: "cán bộ các đơn vị", leader: "lãnh đạo" };

type PendingReport = {
  kind: "confirm_item" | "choose_unit";
  personId: string;
  inboundMessageId: string;
  intent: "report" | "extend";
  status: AssignmentStatus | null;
  percent: number | null;
  count: number | null;
  date: string | null;
  text: string;
  /** confirm_item: the proposed item; choose_unit: the item whose unit is asked. */
  itemId: string;
  /** choose_unit: the assignments to choose from, in the order offered. */
  assignmentIds?: string[];
};

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

const PAYLOAD_STATUSES: readonly AssignmentStatus[] = ["done", "in_progress", "blocked"];

/**
 * The payload of a reminder's quick replies: "R|<assignment id>|<status>".
 * @example
 * reportPayload("8c1…", "done") // "R|8c1…|done"
 */
export function reportPayload(assignmentId: string, status: "done" | "in_progress" | "blocked"): string {
  return `R|${assignmentId}|${status}`;
}

export function parseReportPayload(payload: string): { assignmentId: string; status: AssignmentStatus } | null {
  const [tag, assignmentId, status] = payload.split("|");
  if (tag !== "R" || !assignmentId || !PAYLOAD_STATUSES.includes(status as AssignmentStatus)) return null;
  return { assignmentId, status: status as AssignmentStatus };
}

/** The three quick replies of a reminder (titles ≤ 20 characters, as Messenger requires). */
export function reportChoices(assignmentId: string): { title: string; payload: string }[] {
  return [
    { title: "Hoàn thành", payload: reportPayload(assignmentId, "done") },
    { title: "Đang thực hiện", payload: reportPayload(assignmentId, "in_progress") },
    { title: "Vướng mắc", payload: reportPayload(assignmentId, "blocked") },
  ];
}

const EVERY_VI: Record<string, string> = { week: "hằng tuần", month: "hằng tháng", quarter: "hằng quý", year: "hằng năm" };

/** How an item without a due day recurs: "hằng tuần", "thường xuyên"… */
function periodText(deadline: { kind: string; every: string | null } | null): string {
  if (deadline?.kind === "recurring") return (deadline.every && EVERY_VI[deadline.every]) || "định kỳ";
  return deadline?.kind === "ongoing" ? "thường xuyên" : "không có hạn";
}

/** A leader's decision on an extension: "duyệt gia hạn 6", "không duyệt gia hạn 6", "từ chối". */
function isDecision(text: string): "approve" | "reject" | null {
  const folded = fold(text);
  if (/\b(khong duyet|khong dong y|tu choi|khong chap thuan)\b/.test(folded)) return "reject";
  if (/\b(duyet|dong y|chap thuan)\b/.test(folded)) return "approve";
  return null;
}

/**
 * @example
 * const conversation = createConversation({ store, clock });
 * const replies = await conversation.handle({ orgId, channel: "simulator", threadId: "u1", threadKind: "direct", senderId: "u1", messageId: "m1", text: "bc 6 xong", sentAt });
 */
export function createConversation(deps: ConversationDeps) {
  const { store, clock } = deps;
  const limits = deps.limits ?? { maxLines: 15, maxChars: 2000 };
  const broadcasts = createBroadcasts({ store, clock, ...(deps.dispatch ? { dispatch: deps.dispatch } : {}) });
  const groups = createGroups({ store, clock });
  const alerts = createAlerts({ store, clock, ...(deps.dispatch ? { dispatch: deps.dispatch } : {}) });
  const linkCodes = createLinkCodes({ store, clock, alerts, ...(deps.linkCodeTtlHours ? { ttlHours: deps.linkCodeTtlHours } : {}), messengerPage: deps.messengerPage ?? null });

  interface Ctx {
    msg: IncomingMessage;
    identity: Identity;
    thread: Thread;
    inboundId: string;
    today: string;
    person: Person | null;
    replies: Reply[];
  }

  /**
   * Replies in the thread. `asked` marks a question about an item: the thread remembers it, so
   * a bare "xong rồi" next is about that item (DESIGN.md §4.3). Acknowledgements do not.
   */
  async function say(ctx: Ctx, text: string | string[], options: { itemId?: string | null; quote?: boolean; asked?: boolean } = {}) {
    const parts = Array.isArray(text) ? splitMessages(text, limits) : splitMessages(text.split("\n"), limits);
    for (const part of parts) {
      const message = await store.outbound.enqueue({
        orgId: ctx.msg.orgId,
        threadId: ctx.thread.id,
        identityId: ctx.thread.kind === "direct" ? ctx.identity.id : null,
        text: part,
        quoteExternalId: options.quote ? ctx.msg.messageId : null,
        itemId: options.itemId ?? null,
      });
      ctx.replies.push({
        outboundMessageId: message.id,
        channel: ctx.msg.channel,
        threadId: ctx.msg.threadId,
        text: part,
        quoteMessageId: message.quoteExternalId,
        itemId: message.itemId,
      });
    }
    if (options.itemId && options.asked) {
      await store.chats.setThreadState(ctx.msg.orgId, ctx.thread.id, { lastItemId: options.itemId });
    }
  }

  /** Puts a message for people with these roles in the outbox (the delivery jobs send it). */
  async function notify(orgId: string, roles: PersonRole[], text: string, itemId: string | null) {
    await alerts.notify(orgId, roles, text, { itemId });
  }

  function refuse(ctx: Ctx, roles: PersonRole[]) {
    return say(ctx, `Chức năng này dành cho ${roles.map((r) => ROLE_VI[r]).join(" và ")}.`);
  }

  const hasRole = (person: Person, ...roles: PersonRole[]) => roles.some((r) => person.roles.includes(r));

  function helpText(person: Person | null): string[] {
    if (!person) {
      return [
        "Chào bạn! Đây là trợ lý đôn đốc nhiệm vụ của Đảng ủy.",
        "Để bắt đầu, đề nghị nhắn: /dangky <mã> (mã 12 số do Văn phòng cấp).",
      ];
    }
    const lines = [`Chào ${person.fullName}! Các lệnh bạn dùng được:`];
    if (hasRole(person, "cadre")) {
      lines.push(
        "• /nhiemvu — việc của tôi",
        "• /baocao 6 xong · bc6 đang làm 80% · bc 4 vướng kinh phí",
        "• /giahan 6 15/7/2020 lý do — xin gia hạn",
      );
    }
    if (hasRole(person, "leader", "office")) {
      lines.push("• /tinhhinh · tình hình nv 6 · tình hình hội CCB", "• /quahan — việc quá hạn", "• /chuabaocao [6] — ai chưa báo cáo");
      lines.push("• /nhacnho 6 — nhắc các đơn vị chưa báo cáo");
    }
    if (hasRole(person, "office")) lines.push("• /thongbao <nội dung> — gửi thông báo cho các đơn vị", "• /gannhom <đơn vị> — (gõ trong nhóm Zalo) gắn nhóm với đơn vị");
    if (hasRole(person, "leader")) lines.push("• duyệt gia hạn 6 · không duyệt gia hạn 6");
    lines.push("Có thể gõ không dấu, không cần dấu /.");
    return lines;
  }

  function rowLine(row: BoardRow, today: string, withUnit = true): string {
    const t = timing(row.assignment, today);
    const parts = [
      ...(withUnit ? [row.unit.name] : []),
      `NV ${row.item.ref} ${shorten(row.item.summary, 48)}`,
      statusText(row.assignment.status, row.assignment.percent),
      row.assignment.dueDate ? dueText(row.assignment.dueDate, t) : periodText(row.item.deadline),
    ];
    return parts.join(" · ");
  }

  function counts(rows: BoardRow[], today: string): string {
    const by = (s: AssignmentStatus) => rows.filter((r) => r.assignment.status === s).length;
    const overdue = rows.filter((r) => timing(r.assignment, today).class === "overdue").length;
    return `${rows.length} lượt giao: ${by("done")} hoàn thành, ${by("in_progress")} đang thực hiện, ${by("blocked")} vướng mắc, ${by("not_reported")} chưa báo cáo; ${overdue} quá hạn.`;
  }

  async function unitIdsOf(orgId: string, personId: string): Promise<Set<string>> {
    return new Set((await store.persons.memberships(orgId, personId)).map((m) => m.unitId));
  }

  async function myRows(ctx: Ctx, person: Person): Promise<BoardRow[]> {
    const units = await unitIdsOf(ctx.msg.orgId, person.id);
    // A group bound to one unit speaks for that unit only.
    if (ctx.thread.unitId && units.has(ctx.thread.unitId)) return (await store.tracking.board(ctx.msg.orgId)).filter((r) => r.unit.id === ctx.thread.unitId);
    return (await store.tracking.board(ctx.msg.orgId)).filter((r) => units.has(r.unit.id));
  }

  const sameRef = (a: string, b: string) => fold(a) === fold(b);

  async function recordAndAck(ctx: Ctx, person: Person, row: BoardRow, p: Omit<PendingReport, "kind" | "personId" | "itemId" | "inboundMessageId"> & { inboundMessageId: string }) {
    const orgId = ctx.msg.orgId;
    if (p.intent === "extend") return requestExtension(ctx, person, row, p);
    const status: AssignmentStatus = p.status ?? (p.percent !== null ? (p.percent >= 100 ? "done" : "in_progress") : "in_progress");
    const percent = status === "done" ? 100 : p.percent;
    const occurrence = (await store.tracking.occurrences(orgId, row.assignment.id)).find(
      (o) => o.periodStart <= ctx.today && ctx.today <= o.periodEnd,
    );
    const { created } = await store.tracking.recordReport({
      orgId,
      assignmentId: row.assignment.id,
      occurrenceId: occurrence?.id ?? null,
      personId: person.id,
      inboundMessageId: p.inboundMessageId,
      status,
      percent,
      count: p.count,
      text: p.text,
      reportedAt: ctx.msg.sentAt,
    });
    if (!created) return; // the same message again: recorded and answered the first time
    if (status === "done" && !occurrence) await store.outbound.cancelPendingReminders(orgId, row.assignment.id);
    await store.audit.append({ orgId, actor: `person:${person.id}`, action: "report.recorded", entity: "assignment", entityId: row.assignment.id, data: { status, percent, count: p.count, messageId: ctx.msg.messageId }, at: clock.now() });
    const after = (await store.tracking.assignment(orgId, row.assignment.id)) ?? row.assignment;
    const t = timing(occurrence ? { status, dueDate: occurrence.dueDate, doneAt: status === "done" ? ctx.msg.sentAt : null } : after, ctx.today);
    const due = occurrence ? occurrence.dueDate : after.dueDate;
    const lines = [
      `Đã ghi nhận: ${row.unit.name} · NV ${row.item.ref} ${shorten(row.item.summary, 60)}`,
      `Trạng thái: ${statusText(status, percent)}${p.count !== null ? ` · ${p.count}` : ""}${occurrence ? ` (đợt ${viDate(occurrence.periodStart)}–${viDate(occurrence.periodEnd)})` : ""}`,
      due ? `Hạn: ${viDate(due)}${timingText(t) ? ` — ${timingText(t)}` : ""}` : "Nhiệm vụ thường xuyên, không có hạn.",
    ];
    await say(ctx, lines, { itemId: row.item.id, quote: true });
    if (status === "blocked") {
      await notify(orgId, ["office", "leader"], `⚠ ${row.unit.name} báo vướng mắc ở NV ${row.item.ref} (${shorten(row.item.summary, 50)}): ${p.text || "không ghi lý do"} — ${person.fullName}.`, row.item.id);
    }
  }

  async function requestExtension(ctx: Ctx, person: Person, row: BoardRow, p: { date: string | null; text: string; inboundMessageId: string }) {
    const orgId = ctx.msg.orgId;
    if (!p.date) {
      return say(ctx, `Xin gia hạn NV ${row.item.ref} đến ngày nào? Ví dụ: /giahan ${row.item.ref} 15/7/2020 chờ số liệu.`, { itemId: row.item.id, asked: true });
    }
    if (row.assignment.dueDate && p.date <= row.assignment.dueDate) {
      return say(ctx, `Ngày xin gia hạn (${viDate(p.date)}) phải sau hạn hiện tại ${viDate(row.assignment.dueDate)}.`, { itemId: row.item.id });
    }
    const extension = await store.tracking.requestExtension({ orgId, assignmentId: row.assignment.id, requestedBy: person.id, toDate: p.date, reason: p.text || null });
    await store.audit.append({ orgId, actor: `person:${person.id}`, action: "extension.requested", entity: "extension", entityId: extension.id, data: { toDate: p.date }, at: clock.now() });
    await say(ctx, `Đã gửi đề nghị gia hạn NV ${row.item.ref} (${row.unit.name}) đến ${viDate(p.date)}. Lãnh đạo sẽ xem xét.`, { itemId: row.item.id, quote: true });
    await notify(orgId, ["leader", "office"], `${row.unit.name} xin gia hạn NV ${row.item.ref} (${shorten(row.item.summary, 50)}) từ ${row.assignment.dueDate ? viDate(row.assignment.dueDate) : "—"} đến ${viDate(p.date)}${p.text ? `: ${p.text}` : ""}. Lãnh đạo trả lời: duyệt gia hạn ${row.item.ref} hoặc không duyệt gia hạn ${row.item.ref}.`, row.item.id);
  }

  /** Which assignment a report is about: explicit ref, quoted bot message, last item asked, similarity. */
  async function resolveAndReport(ctx: Ctx, person: Person, it: Interpretation, intent: "report" | "extend") {
    const orgId = ctx.msg.orgId;
    const mine = await myRows(ctx, person);
    const base = { intent, status: it.status, percent: it.percent, count: it.count, date: it.date, text: it.text, inboundMessageId: ctx.inboundId };
    if (mine.length === 0) {
      return say(ctx, "Đơn vị của bạn hiện chưa được giao nhiệm vụ nào để báo cáo.");
    }
    let itemId: string | null = null;
    if (it.item) {
      const ref = it.item;
      const matches = mine.filter((r) => sameRef(r.item.ref, ref));
      if (matches.length === 0) {
        const exists = (await store.tracking.board(orgId)).some((r) => sameRef(r.item.ref, ref));
        const list = [...new Set(mine.map((r) => r.item.ref))].join(", ");
        return say(ctx, exists ? `Nhiệm vụ ${ref} không giao cho đơn vị của bạn. Nhiệm vụ của bạn: ${list}.` : `Không có nhiệm vụ số ${ref}. Nhiệm vụ của bạn: ${list}.`);
      }
      itemId = matches[0]?.item.id ?? null;
    }
    if (!itemId && ctx.msg.replyToMessageId) {
      const quoted = await store.outbound.byExternalId(orgId, ctx.msg.channel, ctx.msg.replyToMessageId);
      if (quoted?.itemId && mine.some((r) => r.item.id === quoted.itemId)) itemId = quoted.itemId;
    }
    if (!itemId && ctx.thread.lastItemId && mine.some((r) => r.item.id === ctx.thread.lastItemId)) {
      itemId = ctx.thread.lastItemId;
    }
    if (!itemId) {
      const open = mine.filter((r) => r.assignment.status !== "done");
      const pool = open.length > 0 ? open : mine;
      const items = [...new Map(pool.map((r) => [r.item.id, r.item])).values()];
      const ranked = rankItems(it.text || ctx.msg.text, items);
      const [best, second] = ranked;
      const bestItem = items.find((i) => i.ref === best?.ref);
      if (!best || !bestItem || best.score === 0) {
        return say(ctx, [`Bạn báo cáo cho nhiệm vụ nào? Hãy ghi số nhiệm vụ, ví dụ: bc 6 xong.`, `Nhiệm vụ của bạn: ${items.map((i) => i.ref).join(", ")}.`]);
      }
      if (items.length > 1 && (best.score < CONFIDENT || (second && best.score - second.score < MARGIN))) {
        const pending: PendingReport = { kind: "confirm_item", personId: person.id, itemId: bestItem.id, ...base };
        await store.chats.setThreadState(orgId, ctx.thread.id, { pending });
        return say(ctx, `Có phải nhiệm vụ ${bestItem.ref} "${shorten(bestItem.summary, 70)}"? Trả lời *có* hoặc số nhiệm vụ.`, { itemId: bestItem.id, asked: true });
      }
      itemId = bestItem.id;
    }
    return reportOnItem(ctx, person, itemId, base, mine);
  }

  async function reportOnItem(ctx: Ctx, person: Person, itemId: string, p: Omit<PendingReport, "kind" | "personId" | "itemId">, mine?: BoardRow[]) {
    const rows = (mine ?? (await myRows(ctx, person))).filter((r) => r.item.id === itemId);
    const [only] = rows;
    if (!only) return say(ctx, "Nhiệm vụ này không giao cho đơn vị của bạn.");
    if (rows.length > 1) {
      const pending: PendingReport = { kind: "choose_unit", personId: person.id, itemId, assignmentIds: rows.map((r) => r.assignment.id), ...p };
      await store.chats.setThreadState(ctx.msg.orgId, ctx.thread.id, { pending });
      return say(ctx, [`Bạn báo cáo NV ${only.item.ref} cho đơn vị nào?`, ...rows.map((r, i) => `${i + 1}. ${r.unit.name}`), "Trả lời số thứ tự."], { itemId, asked: true });
    }
    return recordAndAck(ctx, person, only, p);
  }

  /** The person answers a question the bot asked in this thread. Returns false when it is not an answer. */
  async function answerPending(ctx: Ctx, person: Person, it: Interpretation): Promise<boolean> {
    const pending = ctx.thread.pending as PendingReport | null;
    if (!pending || pending.personId !== person.id) return false;
    const bare = ctx.msg.text.trim().replace(/[.!?\s]+$/u, "");
    const number = /^\d+(\.\d+)?$/.test(bare) ? bare : null;
    await store.chats.setThreadState(ctx.msg.orgId, ctx.thread.id, { pending: null });
    // Anything but an answer drops the question: a stale "có" later must not record a report.
    if (it.answer === null && number === null) return false;
    const mine = await myRows(ctx, person);
    if (pending.kind === "confirm_item") {
      if (it.answer === "no") {
        await say(ctx, "Vậy bạn báo cáo nhiệm vụ số mấy? Ví dụ: bc 6 xong.");
        return true;
      }
      const itemId = number ? mine.find((r) => sameRef(r.item.ref, number))?.item.id : pending.itemId;
      if (!itemId) {
        await say(ctx, `Không có nhiệm vụ số ${number ?? ""} trong việc của bạn.`);
        return true;
      }
      await reportOnItem(ctx, person, itemId, pending, mine);
      return true;
    }
    const index = number ? Number(number) - 1 : -1;
    const assignmentId = pending.assignmentIds?.[index];
    const row = mine.find((r) => r.assignment.id === assignmentId);
    if (!row) {
      await say(ctx, "Không rõ đơn vị. Hãy gửi lại báo cáo.");
      return true;
    }
    await recordAndAck(ctx, person, row, pending);
    return true;
  }

  async function query(ctx: Ctx, person: Person, it: Interpretation) {
    const orgId = ctx.msg.orgId;
    const today = ctx.today;
    const all = await store.tracking.board(orgId);
    if (all.length === 0) return say(ctx, "Chưa có văn bản nào đang được theo dõi.");
    let rows = all;
    let title = "Tình hình chung";
    if (it.item) {
      const ref = it.item;
      // "nv 6" asks about 6 and its sub-points (a parent is tracked through them).
      rows = all.filter((r) => refCovers(r.item.ref, ref));
      if (rows.length === 0) return say(ctx, `Không có nhiệm vụ số ${ref}. Các nhiệm vụ: ${[...new Set(all.map((r) => r.item.ref))].join(", ")}.`);
      const refs = [...new Set(rows.map((r) => r.item.ref))];
      title = refs.length === 1 ? `NV ${ref} — ${shorten(rows[0]?.item.summary ?? "", 70)}` : `NV ${ref} (${refs.join(", ")})`;
    } else if (it.unit) {
      const unitFolded = fold(it.unit);
      const byAlias = await store.units.byAlias(orgId, unitFolded);
      const byKey = it.unitKey ? await store.units.byKey(orgId, it.unitKey) : null;
      const unitId = byKey?.id ?? byAlias?.id ?? all.find((r) => fold(r.unit.name) === unitFolded)?.unit.id;
      rows = all.filter((r) => r.unit.id === unitId);
      if (rows.length === 0) return say(ctx, `Không tìm thấy nhiệm vụ nào của ${it.unit}.`);
      title = `Việc của ${rows[0]?.unit.name ?? it.unit}`;
    }
    if (it.intent === "overdue") {
      const late = rows.filter((r) => timing(r.assignment, today).class === "overdue");
      late.sort((a, b) => timing(b.assignment, today).days - timing(a.assignment, today).days);
      if (late.length === 0) return say(ctx, "Không có việc nào quá hạn. 👍");
      return say(ctx, [`${late.length} việc quá hạn:`, ...late.map((r) => rowLine(r, today))]);
    }
    if (it.intent === "unreported") {
      const silent = rows.filter((r) => r.assignment.status === "not_reported");
      if (silent.length === 0) return say(ctx, it.item ? `Tất cả đơn vị đã báo cáo NV ${it.item}.` : "Tất cả đơn vị đã báo cáo.");
      const units = new Set(silent.map((r) => r.unit.name));
      return say(ctx, [`${units.size} đơn vị chưa báo cáo (${silent.length} lượt):`, ...silent.map((r) => rowLine(r, today))]);
    }
    const order: Record<AssignmentStatus, number> = { blocked: 0, not_reported: 1, in_progress: 2, done: 3 };
    const sorted = [...rows].sort((a, b) => order[a.assignment.status] - order[b.assignment.status]);
    return say(ctx, [`${title}: ${counts(rows, today)}`, ...sorted.map((r) => rowLine(r, today, !title.startsWith("Việc của")))]);
  }

  async function myTasks(ctx: Ctx, person: Person) {
    const rows = await myRows(ctx, person);
    if (rows.length === 0) return say(ctx, "Đơn vị của bạn hiện chưa được giao nhiệm vụ nào.");
    const open = rows.filter((r) => r.assignment.status !== "done");
    return say(ctx, [`Bạn có ${open.length} việc chưa xong (trên ${rows.length}):`, ...[...open, ...rows.filter((r) => r.assignment.status === "done")].map((r) => rowLine(r, ctx.today))]);
  }

  async function remind(ctx: Ctx, person: Person, it: Interpretation) {
    return sendBroadcast(ctx, person, { kind: "remind", ...(it.text ? { text: it.text } : {}), targets: { notReportedOn: it.item ?? "*" } }, (n) => `Đã xếp ${n} tin nhắc tới các đơn vị chưa báo cáo${it.item ? ` NV ${it.item}` : ""}.`);
  }

  async function broadcast(ctx: Ctx, person: Person, it: Interpretation) {
    if (!it.text) return say(ctx, "Nội dung thông báo là gì? Ví dụ: /thongbao Họp giao ban 8h thứ Hai.");
    return sendBroadcast(ctx, person, { kind: "announcement", text: it.text, targets: { everyone: true } }, (n) => `Đã xếp thông báo gửi tới ${n} cán bộ.`);
  }

  async function sendBroadcast(ctx: Ctx, person: Person, request: Omit<BroadcastRequest, "createdBy">, done: (n: number) => string) {
    try {
      const { recipients } = await broadcasts.send(ctx.msg.orgId, { ...request, createdBy: person.id });
      return say(ctx, done(recipients));
    } catch (err) {
      if (err instanceof BroadcastError) return say(ctx, err.message);
      throw err;
    }
  }

  /** "/gannhom Hội CCB" typed by office inside a group: the group now speaks for that unit. */
  async function bindGroup(ctx: Ctx, person: Person, it: Interpretation) {
    if (ctx.thread.kind !== "group") {
      return say(ctx, "Lệnh /gannhom chỉ dùng trong nhóm chat của đơn vị: hãy gõ lệnh trong nhóm Zalo cần gắn, ví dụ: /gannhom Hội CCB.");
    }
    if (!it.text) return say(ctx, "Gắn nhóm này với đơn vị nào? Ví dụ: /gannhom Hội CCB.");
    try {
      const { unit } = await groups.bind(ctx.msg.orgId, ctx.thread.id, it.text, `person:${person.id}`);
      ctx.thread = { ...ctx.thread, unitId: unit?.id ?? null };
      return say(ctx, `Đã gắn nhóm này với ${unit?.name ?? it.text}. Báo cáo trong nhóm sẽ tính cho đơn vị này.`, { quote: true });
    } catch (err) {
      if (err instanceof GroupBindingError) return say(ctx, err.code === "unit_not_found" ? `Không tìm thấy đơn vị "${it.text}". Hãy ghi đúng tên đơn vị, ví dụ: /gannhom Hội CCB.` : err.message);
      throw err;
    }
  }

  async function decideExtension(ctx: Ctx, person: Person, it: Interpretation): Promise<boolean> {
    const decision = isDecision(ctx.msg.text);
    if (!decision) return false;
    const approve = decision === "approve";
    const orgId = ctx.msg.orgId;
    const board = await store.tracking.board(orgId);
    const pending = (await store.tracking.pendingExtensions(orgId))
      .map((e) => ({ e, row: board.find((r) => r.assignment.id === e.assignmentId) }))
      .filter((x) => x.row && (!it.item || sameRef(x.row.item.ref, it.item)));
    if (pending.length === 0) {
      await say(ctx, it.item ? `Không có đề nghị gia hạn nào đang chờ cho NV ${it.item}.` : "Không có đề nghị gia hạn nào đang chờ.");
      return true;
    }
    if (pending.length > 1 && !it.item) {
      await say(ctx, ["Có nhiều đề nghị gia hạn, hãy ghi số nhiệm vụ:", ...pending.map((x) => `NV ${x.row?.item.ref} · ${x.row?.unit.name} → ${viDate(x.e.toDate)}`)]);
      return true;
    }
    const lines: string[] = [];
    for (const { e, row } of pending) {
      const decided = await store.tracking.decideExtension({ orgId, extensionId: e.id, status: approve ? "approved" : "rejected", decidedBy: person.id, at: clock.now() });
      if (!decided || !row) continue;
      await store.audit.append({ orgId, actor: `person:${person.id}`, action: `extension.${decided.status}`, entity: "extension", entityId: e.id, at: clock.now() });
      const text = approve
        ? `Lãnh đạo đã duyệt gia hạn NV ${row.item.ref} đến ${viDate(e.toDate)}.`
        : `Lãnh đạo không duyệt gia hạn NV ${row.item.ref}; hạn vẫn là ${row.assignment.dueDate ? viDate(row.assignment.dueDate) : "như cũ"}.`;
      await broadcasts.toUnit(orgId, row.unit.id, text, row.item.id);
      lines.push(`${approve ? "Đã duyệt" : "Đã từ chối"} gia hạn NV ${row.item.ref} (${row.unit.name}) ${approve ? `đến ${viDate(e.toDate)}` : ""}`.trim());
    }
    await say(ctx, lines.length > 0 ? lines : ["Đề nghị này đã được xử lý trước đó."]);
    return true;
  }

  async function link(ctx: Ctx, it: Interpretation) {
    if (ctx.person) return say(ctx, `Tài khoản này đã liên kết với ${ctx.person.fullName}.`);
    // A code typed in a group is seen by everyone there: linking happens in a direct chat only.
    if (ctx.thread.kind === "group") return say(ctx, "Mã liên kết là riêng của từng người: đề nghị đồng chí nhắn /dangky trong tin nhắn riêng với trợ lý, không nhắn trong nhóm.");
    if (!it.code) return say(ctx, "Đề nghị đồng chí nhắn /dangky kèm mã 12 số do Văn phòng cấp, ví dụ: /dangky 4829 1375 0062.");
    const outcome = await linkCodes.redeem(ctx.msg.orgId, ctx.identity, ctx.msg.channel, it.code);
    if (outcome.linked) {
      const { person, unitNames } = outcome;
      return say(ctx, [`Đã liên kết tài khoản với ${person?.fullName ?? "đồng chí"}${unitNames.length > 0 ? ` (${unitNames.join(", ")})` : ""}.`, "Nhắn /trogiup để xem các lệnh."]);
    }
    switch (outcome.reason) {
      case "account_limit":
        return say(ctx, "Tài khoản này đã nhập sai mã quá 5 lần trong một giờ. Đề nghị đồng chí thử lại sau hoặc liên hệ Văn phòng.");
      case "org_limit":
        return say(ctx, "Việc liên kết tài khoản đang tạm dừng do có quá nhiều lần nhập sai mã. Đề nghị đồng chí liên hệ Văn phòng để được hỗ trợ.");
      case "wrong_channel":
        return say(ctx, "Mã này được cấp để liên kết trên kênh khác. Đề nghị đồng chí dùng đúng kênh ghi trong tin của Văn phòng, hoặc xin mã mới.");
      default:
        return say(ctx, "Mã không đúng hoặc đã hết hạn. Đề nghị đồng chí kiểm tra lại, hoặc xin mã mới từ Văn phòng.");
    }
  }

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
    const ctx: Ctx = { msg, identity, thread, inboundId: message.id, today: localDay(clock.now()), person, replies: [] };
    const tap = msg.payload && person ? await tapped(ctx, person, msg.payload) : false;
    if (tap) {
      // a quick-reply or button tap on a reminder, already answered
    } else if (!hasLetters(msg.text)) {
      await say(ctx, ["Mình chưa hiểu tin nhắn này.", ...helpText(person)]);
    } else {
      const units = await orgUnitDefs(store, orgId);
      await dispatch(ctx, interpret(msg.text, { today: ctx.today, units }));
    }
    await store.inbound.markProcessed(orgId, message.id, clock.now());
    return ctx.replies;
  }

  /**
   * A tap on a reminder's quick reply or button: "R|<assignment id>|done" records that status
   * on that assignment, for a person of its unit.
   */
  async function tapped(ctx: Ctx, person: Person, payload: string): Promise<boolean> {
    const parsed = parseReportPayload(payload);
    if (!parsed) return false;
    const row = (await myRows(ctx, person)).find((r) => r.assignment.id === parsed.assignmentId);
    if (!row) {
      await say(ctx, "Nhiệm vụ này không giao cho đơn vị của bạn.");
      return true;
    }
    await recordAndAck(ctx, person, row, { intent: "report", status: parsed.status, percent: null, count: null, date: null, text: ctx.msg.text, inboundMessageId: ctx.inboundId });
    return true;
  }

  return {
    /**
     * Stores a message once (by channel + message id) with its account and thread; returns the
     * stored id, or null when the same message was already there. Cheap: webhooks call it
     * before answering, and processing happens later from the queue.
     */
    accept,

    /** Interprets a stored message and answers it; a message already processed gives no replies. */
    process,

    /**
     * Accept and process in one go (the simulator, tests). The same message twice — even at the
     * same moment — is handled once; the second call returns no replies.
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
    issueLinkCode: (orgId: string, personId: string, actor: string, options: { channel?: Channel | null } = {}) => linkCodes.issue(orgId, personId, actor, options),
  };

  async function dispatch(ctx: Ctx, it: Interpretation) {
    const person = ctx.person;
    if (person && (await answerPending(ctx, person, it))) return;
    if (it.intent === "help") return say(ctx, helpText(person));
    if (it.intent === "link") return link(ctx, it);
    if (!person) {
      return say(ctx, ["Tài khoản này chưa được liên kết với cán bộ nào.", "Đề nghị nhắn /dangky <mã> với mã 12 số do Văn phòng cấp."]);
    }
    if (it.invalidDate) {
      return say(ctx, `Ngày "${it.invalidDate}" không có thật. Hãy ghi lại ngày, ví dụ 15/7/2020.`);
    }
    switch (it.intent) {
      case "report":
        if (!hasRole(person, "cadre")) return refuse(ctx, ["cadre"]);
        return resolveAndReport(ctx, person, it, "report");
      case "extend":
        if (hasRole(person, "leader") && (await decideExtension(ctx, person, it))) return;
        if (!hasRole(person, "leader") && isDecision(ctx.msg.text)) return refuse(ctx, ["leader"]);
        if (!hasRole(person, "cadre")) return refuse(ctx, ["cadre"]);
        return resolveAndReport(ctx, person, it, "extend");
      case "my_tasks":
        if (!hasRole(person, "cadre")) return refuse(ctx, ["cadre"]);
        return myTasks(ctx, person);
      case "status":
      case "overdue":
      case "unreported":
        if (!hasRole(person, "leader", "office")) return refuse(ctx, ["leader", "office"]);
        return query(ctx, person, it);
      case "remind":
        if (!hasRole(person, "leader", "office")) return refuse(ctx, ["office", "leader"]);
        return remind(ctx, person, it);
      case "broadcast":
        if (!hasRole(person, "office")) return refuse(ctx, ["office"]);
        return broadcast(ctx, person, it);
      case "bind_group":
        if (!hasRole(person, "office")) return refuse(ctx, ["office"]);
        return bindGroup(ctx, person, it);
      default:
        if (hasRole(person, "leader") && (await decideExtension(ctx, person, it))) return;
        // Thanks and acknowledgements deserve a short answer, not the whole help.
        if (it.answer === "yes" || /^(cam on|cam ơn|thanks|thank you|da nhan|ok|oke|vang|da)\b/.test(fold(ctx.msg.text))) {
          return say(ctx, "Dạ, cảm ơn bạn! Nhắn /trogiup khi cần xem các lệnh.");
        }
        return say(ctx, ["Mình chưa hiểu ý bạn.", ...helpText(person)]);
    }
  }
}

export type Conversation = ReturnType<typeof createConversation>;
