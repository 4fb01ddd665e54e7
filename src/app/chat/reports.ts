/**
 * How a cadre's message becomes a report (DESIGN.md §4.3): which assignment it is about (an
 * explicit ref, the bot message quoted, the item last asked about, else the person's open items
 * ranked by word overlap, asking when unsure), which unit when the person has several, then the
 * report recorded once per message and acknowledged. The report and extend commands, a tapped
 * quick reply and an answer to a question the bot asked all come through here.
 */
import type { AssignmentStatus, BoardRow, Person } from "../../domain/index.ts";
import type { Interpretation } from "../../domain/index.ts";
import { CONFIDENT, MARGIN, rankItems } from "../../domain/index.ts";
import { shorten, statusText, timing, timingText } from "../../domain/index.ts";
import { fold } from "../../domain/index.ts";
import { viDate } from "../../domain/index.ts";
import { say, type ChatContext } from "./context.ts";

/** What the bot is waiting on in a thread (kept in `threads.pending`). */
export type PendingReport = {
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

type ReportInput = Omit<PendingReport, "kind" | "personId" | "itemId">;

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

const sameRef = (a: string, b: string) => fold(a) === fold(b);

/** The board rows of the person's units (only the bound unit's when the thread is a unit's group). */
export async function myRows(ctx: ChatContext, person: Person): Promise<BoardRow[]> {
  const { store } = ctx.deps;
  const units = new Set((await store.persons.memberships(ctx.msg.orgId, person.id)).map((m) => m.unitId));
  const board = await store.tracking.board(ctx.msg.orgId);
  // A group bound to one unit speaks for that unit only.
  if (ctx.thread.unitId && units.has(ctx.thread.unitId)) return board.filter((r) => r.unit.id === ctx.thread.unitId);
  return board.filter((r) => units.has(r.unit.id));
}

async function recordAndAck(ctx: ChatContext, person: Person, row: BoardRow, p: ReportInput): Promise<void> {
  const { store, clock, alerts } = ctx.deps;
  const orgId = ctx.msg.orgId;
  if (p.intent === "extend") return requestExtension(ctx, person, row, p);
  const status: AssignmentStatus = p.status ?? (p.percent !== null ? (p.percent >= 100 ? "done" : "in_progress") : "in_progress");
  const percent = status === "done" ? 100 : p.percent;
  const occurrence = (await store.tracking.occurrences(orgId, row.assignment.id)).find((o) => o.periodStart <= ctx.today && ctx.today <= o.periodEnd);
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
    await alerts.notify(orgId, ["office", "leader"], `⚠ ${row.unit.name} báo vướng mắc ở NV ${row.item.ref} (${shorten(row.item.summary, 50)}): ${p.text || "không ghi lý do"} — ${person.fullName}.`, { itemId: row.item.id });
  }
}

async function requestExtension(ctx: ChatContext, person: Person, row: BoardRow, p: { date: string | null; text: string }): Promise<void> {
  const { store, clock, alerts } = ctx.deps;
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
  await alerts.notify(
    orgId,
    ["leader", "office"],
    `${row.unit.name} xin gia hạn NV ${row.item.ref} (${shorten(row.item.summary, 50)}) từ ${row.assignment.dueDate ? viDate(row.assignment.dueDate) : "—"} đến ${viDate(p.date)}${p.text ? `: ${p.text}` : ""}. Lãnh đạo trả lời: duyệt gia hạn ${row.item.ref} hoặc không duyệt gia hạn ${row.item.ref}.`,
    { itemId: row.item.id },
  );
}

/** Which assignment a report is about: explicit ref, quoted bot message, last item asked, similarity. */
export async function resolveAndReport(ctx: ChatContext, person: Person, it: Interpretation, intent: "report" | "extend"): Promise<void> {
  const { store } = ctx.deps;
  const orgId = ctx.msg.orgId;
  const mine = await myRows(ctx, person);
  const base: ReportInput = { intent, status: it.status, percent: it.percent, count: it.count, date: it.date, text: it.text, inboundMessageId: ctx.inboundId };
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

async function reportOnItem(ctx: ChatContext, person: Person, itemId: string, p: ReportInput, mine?: BoardRow[]): Promise<void> {
  const rows = (mine ?? (await myRows(ctx, person))).filter((r) => r.item.id === itemId);
  const [only] = rows;
  if (!only) return say(ctx, "Nhiệm vụ này không giao cho đơn vị của bạn.");
  if (rows.length > 1) {
    const pending: PendingReport = { kind: "choose_unit", personId: person.id, itemId, assignmentIds: rows.map((r) => r.assignment.id), ...p };
    await ctx.deps.store.chats.setThreadState(ctx.msg.orgId, ctx.thread.id, { pending });
    return say(ctx, [`Bạn báo cáo NV ${only.item.ref} cho đơn vị nào?`, ...rows.map((r, i) => `${i + 1}. ${r.unit.name}`), "Trả lời số thứ tự."], { itemId, asked: true });
  }
  return recordAndAck(ctx, person, only, p);
}

/** The person answers a question the bot asked in this thread. Returns false when it is not an answer. */
export async function answerPending(ctx: ChatContext, person: Person, it: Interpretation): Promise<boolean> {
  const pending = ctx.thread.pending as PendingReport | null;
  if (!pending || pending.personId !== person.id) return false;
  const bare = ctx.msg.text.trim().replace(/[.!?\s]+$/u, "");
  const number = /^\d+(\.\d+)?$/.test(bare) ? bare : null;
  await ctx.deps.store.chats.setThreadState(ctx.msg.orgId, ctx.thread.id, { pending: null });
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

/**
 * A tap on a reminder's quick reply or button: "R|<assignment id>|done" records that status on
 * that assignment, for a person of its unit. False when the payload is not one of ours.
 */
export async function tapped(ctx: ChatContext, person: Person, payload: string): Promise<boolean> {
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
