/**
 * How a cadre's message becomes a report (DESIGN.md §4.3, §5 "ask, don't guess"): which
 * assignment it is about (an explicit ref — always before text similarity, the sender's open
 * assignments first —, the bot message quoted, the item last asked about, else the person's open
 * items ranked by word overlap), which directive when the number exists in two, which unit when
 * the person has several, then the status — asked with a one-tap confirmation when the
 * interpreter read it from a misspelling or found none — and the report recorded once per message
 * (on the current occurrence of a recurring item) and acknowledged. The report and extend
 * commands, a tapped quick reply and an answer to a question the bot asked all come through here.
 */
import type { AssignmentStatus, BoardRow, Person } from "../../domain/index.ts";
import type { Interpretation } from "../../domain/index.ts";
import { CONFIDENT, MARGIN, rankItems } from "../../domain/index.ts";
import { shorten, statusText, timing, timingText } from "../../domain/index.ts";
import { directiveName, fold, nameKey, pickDirective } from "../../domain/index.ts";
import { viDate } from "../../domain/index.ts";
import { say, type ChatContext } from "./context.ts";
import { itemName } from "./replies.ts";

type Status = "done" | "in_progress" | "blocked";

/** What the bot is waiting on in a thread (kept in `threads.pending`). */
export type PendingReport = {
  /**
   * confirm_item: an item guessed from free text; choose_directive / choose_unit: the number is in
   * several directives, or the item is the work of several of the person's units; confirm_status:
   * the status was read from a misspelling, or none was written.
   */
  kind: "confirm_item" | "choose_unit" | "choose_directive" | "confirm_status";
  personId: string;
  /** The message that reported: the report is recorded under its id, whatever answers the question. */
  inboundMessageId: string;
  intent: "report" | "extend";
  status: AssignmentStatus | null;
  /** The status is a guess to be confirmed (absent in questions stored before it existed). */
  uncertain?: boolean;
  percent: number | null;
  count: number | null;
  /** What `count` counts ("hội viên"). */
  countNoun?: string | null;
  date: string | null;
  text: string;
  /** The message spoke of this week or this time (see Interpretation.thisPeriod). */
  thisPeriod?: boolean;
  /** confirm_item: the proposed item; otherwise the item of the first assignment offered. */
  itemId: string;
  /** The assignments offered, in order (a number answers by position); confirm_status: the one asked about. */
  assignmentIds?: string[];
  /** confirm_status: the statuses offered, in order. */
  statuses?: Status[];
};

type ReportInput = Omit<PendingReport, "kind" | "personId" | "itemId" | "assignmentIds" | "statuses">;

type Choice = { title: string; payload: string };

const PAYLOAD_STATUSES: readonly AssignmentStatus[] = ["done", "in_progress", "blocked"];

/**
 * The payload of a status quick reply: "R|<assignment id>|<status>" (a reminder's three answers,
 * and the one-tap confirmation of a status the bot was unsure of).
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

/**
 * The payload of a one-tap choice among assignments ("which directive?", "which unit?", "is it
 * this item?"): "A|<assignment id>" — the report the bot asked about goes to that assignment.
 * @example
 * pickPayload("8c1…") // "A|8c1…"
 */
export function pickPayload(assignmentId: string): string {
  return `A|${assignmentId}`;
}

export function parsePickPayload(payload: string): string | null {
  const [tag, assignmentId, ...rest] = payload.split("|");
  return tag === "A" && assignmentId && rest.length === 0 ? assignmentId : null;
}

const STATUS_TITLE: Record<Status, string> = { done: "Hoàn thành", in_progress: "Đang thực hiện", blocked: "Vướng mắc" };

/** The three quick replies of a reminder (titles ≤ 20 characters, as Messenger requires). */
export function reportChoices(assignmentId: string): { title: string; payload: string }[] {
  return PAYLOAD_STATUSES.map((s) => ({ title: STATUS_TITLE[s as Status], payload: reportPayload(assignmentId, s as Status) }));
}

const sameRef = (a: string, b: string) => fold(a) === fold(b);
/** "Đồng chí" at the start of a sentence. */
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** A quick reply's title: at most 20 characters. */
const title = (s: string) => ([...s].length <= 20 ? s : `${[...s].slice(0, 19).join("")}…`);
/** Open assignments first: a ref or an item resolves among them when it can. */
const openFirst = (rows: BoardRow[]) => {
  const open = rows.filter((r) => r.assignment.status !== "done");
  return open.length > 0 ? open : rows;
};
const isRecurring = (row: BoardRow) => row.occurrence != null || row.item.deadline?.kind === "recurring";

/** "245 hội viên", "1.245 hộ": a count with what it counts. */
export function countText(count: number, noun: string | null | undefined): string {
  const n = String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return noun ? `${n} ${noun}` : n;
}

/** The board rows of the person's units (only the bound unit's when the thread is a unit's group). */
export async function myRows(ctx: ChatContext, person: Person): Promise<BoardRow[]> {
  const { store } = ctx.deps;
  const units = new Set((await store.persons.memberships(ctx.msg.orgId, person.id)).map((m) => m.unitId));
  const board = await store.tracking.board(ctx.msg.orgId, ctx.today);
  // A group bound to one unit speaks for that unit only.
  if (ctx.thread.unitId && units.has(ctx.thread.unitId)) return board.filter((r) => r.unit.id === ctx.thread.unitId);
  return board.filter((r) => units.has(r.unit.id));
}

/** A question with one-tap answers: the text lists them too (channels without quick replies, typed answers). */
async function ask(ctx: ChatContext, lines: string[], choices: Choice[], itemId: string | null): Promise<void> {
  await say(ctx, lines, { ...(itemId ? { itemId, asked: true } : {}), choices });
}

async function setPending(ctx: ChatContext, pending: PendingReport | null): Promise<void> {
  await ctx.deps.store.chats.setThreadState(ctx.msg.orgId, ctx.thread.id, { pending });
}

/**
 * The period of a recurring item a report is about; null for an item that does not recur. The
 * board row already carries it: the last occurrence begun by today, which is the one containing
 * today whenever one does (periods do not overlap).
 */
function currentOccurrence(row: BoardRow): { id: string; periodStart: string; periodEnd: string; dueDate: string; team: string | null } | null {
  const o = row.occurrence;
  return o ? { id: o.id, periodStart: o.periodStart, periodEnd: o.periodEnd, dueDate: o.dueDate, team: o.onDutyUnitName } : null;
}

async function recordAndAck(ctx: ChatContext, person: Person, row: BoardRow, p: ReportInput): Promise<void> {
  const { store, clock, alerts } = ctx.deps;
  const orgId = ctx.msg.orgId;
  if (p.intent === "extend") return requestExtension(ctx, person, row, p);
  const status: AssignmentStatus = p.status ?? (p.percent !== null ? (p.percent >= 100 ? "done" : "in_progress") : "in_progress");
  const percent = status === "done" ? 100 : p.percent !== null && p.percent >= 100 ? null : p.percent;
  const occurrence = currentOccurrence(row);
  const { created } = await store.tracking.recordReport({
    orgId,
    assignmentId: row.assignment.id,
    occurrenceId: occurrence?.id ?? null,
    personId: person.id,
    inboundMessageId: p.inboundMessageId,
    status,
    percent,
    count: p.count,
    countNoun: p.countNoun ?? null,
    text: p.text,
    reportedAt: ctx.msg.sentAt,
  });
  if (!created) return; // the same message again: recorded and answered the first time
  if (status === "done" && !occurrence) await store.outbound.cancelPendingReminders(orgId, row.assignment.id);
  await store.audit.append({ orgId, actor: `person:${person.id}`, action: "report.recorded", entity: "assignment", entityId: row.assignment.id, data: { status, percent, count: p.count, countNoun: p.countNoun ?? null, occurrenceId: occurrence?.id ?? null, messageId: ctx.msg.messageId }, at: clock.now() });
  const after = occurrence ? null : ((await store.tracking.assignment(orgId, row.assignment.id)) ?? row.assignment);
  const t = timing(occurrence ? { status, dueDate: occurrence.dueDate, doneAt: status === "done" ? ctx.msg.sentAt : null } : (after ?? row.assignment), ctx.today);
  const due = occurrence ? occurrence.dueDate : (after ?? row.assignment).dueDate;
  const period = occurrence ? ` (đợt ${viDate(occurrence.periodStart)}–${viDate(occurrence.periodEnd)}${occurrence.team ? `, ${occurrence.team} trực` : ""})` : "";
  const lines = [
    `Đã ghi nhận báo cáo của ${ctx.you}: ${row.unit.name} · ${itemName(row)}`,
    `Trạng thái: ${statusText(status, percent)}${p.count !== null ? ` · ${countText(p.count, p.countNoun)}` : ""}${period}`,
    due ? `Hạn: ${viDate(due)}${timingText(t) ? ` — ${timingText(t)}` : ""}` : "Nhiệm vụ thường xuyên, không có hạn.",
  ];
  await say(ctx, lines, { itemId: row.item.id, quote: true });
  if (status === "blocked") {
    await alerts.notify(orgId, ["office", "leader"], `⚠ ${row.unit.name} báo vướng mắc ở ${itemName(row, false)} (${shorten(row.item.summary, 50)}): ${p.text || "không ghi lý do"} — ${person.fullName}.`, { itemId: row.item.id });
  }
}

async function requestExtension(ctx: ChatContext, person: Person, row: BoardRow, p: { date: string | null; text: string }): Promise<void> {
  const { store, clock, alerts } = ctx.deps;
  const orgId = ctx.msg.orgId;
  const name = itemName(row, false);
  if (!p.date) {
    return say(ctx, `Đề nghị ${ctx.you} cho biết xin gia hạn ${name} đến ngày nào. Ví dụ: /giahan ${row.item.ref} 15/7/2020 chờ số liệu.`, { itemId: row.item.id, asked: true });
  }
  if (row.assignment.dueDate && p.date <= row.assignment.dueDate) {
    return say(ctx, `Ngày xin gia hạn (${viDate(p.date)}) phải sau hạn hiện tại của ${name} là ${viDate(row.assignment.dueDate)}.`, { itemId: row.item.id });
  }
  const extension = await store.tracking.requestExtension({ orgId, assignmentId: row.assignment.id, requestedBy: person.id, toDate: p.date, reason: p.text || null });
  await store.audit.append({ orgId, actor: `person:${person.id}`, action: "extension.requested", entity: "extension", entityId: extension.id, data: { assignmentId: row.assignment.id, toDate: p.date, fromDate: row.assignment.dueDate }, at: clock.now() });
  await say(ctx, `Đã gửi đề nghị gia hạn ${name} của ${row.unit.name} đến ${viDate(p.date)}. Lãnh đạo sẽ xem xét.`, { itemId: row.item.id, quote: true });
  await alerts.notify(
    orgId,
    ["leader", "office"],
    `${row.unit.name} xin gia hạn ${name} (${shorten(row.item.summary, 50)}) từ ${row.assignment.dueDate ? viDate(row.assignment.dueDate) : "—"} đến ${viDate(p.date)}${p.text ? `: ${p.text}` : ""}. Lãnh đạo trả lời: duyệt gia hạn ${row.item.ref} hoặc không duyệt gia hạn ${row.item.ref}.`,
    { itemId: row.item.id },
  );
}

/** The report's fields as a pending question keeps them. */
function inputOf(p: ReportInput): ReportInput {
  return {
    intent: p.intent,
    status: p.status,
    uncertain: p.uncertain ?? false,
    percent: p.percent,
    count: p.count,
    countNoun: p.countNoun ?? null,
    date: p.date,
    text: p.text,
    thisPeriod: p.thisPeriod ?? false,
    inboundMessageId: p.inboundMessageId,
  };
}

/**
 * The report goes on once its assignment is known: several candidates are asked about (naming
 * each directive, or each unit), a status the interpreter was unsure of (or did not find) is
 * asked with a one-tap confirmation, and only then is anything recorded.
 */
async function proceed(ctx: ChatContext, person: Person, rows: BoardRow[], p: ReportInput): Promise<void> {
  const [first] = rows;
  if (!first) return say(ctx, `Nhiệm vụ này không giao cho đơn vị của ${ctx.you}.`);
  if (rows.length > 1) return askWhich(ctx, person, rows, p);
  if (p.intent === "report" && (p.uncertain || (p.status === null && p.percent === null))) return askStatus(ctx, person, first, p);
  return recordAndAck(ctx, person, first, p);
}

/** "NV 2 có ở 2 văn bản …": one line and one tap per assignment, naming what tells them apart. */
async function askWhich(ctx: ChatContext, person: Person, rows: BoardRow[], p: ReportInput): Promise<void> {
  const [first] = rows;
  if (!first) return;
  const directives = new Set(rows.map((r) => r.directive.id)).size;
  const units = new Set(rows.map((r) => r.unit.id)).size;
  const items = new Set(rows.map((r) => r.item.id)).size;
  const kind: PendingReport["kind"] = directives > 1 || items > 1 ? "choose_directive" : "choose_unit";
  const label = (r: BoardRow) => (units > 1 ? (items > 1 ? `${itemName(r)} — ${r.unit.name}` : r.unit.name) : itemName(r));
  const short = (r: BoardRow) => title(units > 1 ? (items > 1 ? `${directiveName(r.directive)} · ${r.unit.name}` : r.unit.name) : directiveName(r.directive));
  const question =
    kind === "choose_unit"
      ? `${cap(ctx.you)} báo cáo ${itemName(first)} cho đơn vị nào?`
      : `NV ${first.item.ref} có ở ${directives} văn bản đang theo dõi. ${cap(ctx.you)} báo cáo nhiệm vụ nào?`;
  await setPending(ctx, { kind, personId: person.id, itemId: first.item.id, assignmentIds: rows.map((r) => r.assignment.id), ...inputOf(p) });
  await ask(ctx, [question, ...rows.map((r, i) => `${i + 1}. ${label(r)}`), "Trả lời số thứ tự."], rows.map((r) => ({ title: short(r), payload: pickPayload(r.assignment.id) })), null);
}

/** "… là hoàn thành, đúng không?" with the guess first, or the three statuses when there is none. */
async function askStatus(ctx: ChatContext, person: Person, row: BoardRow, p: ReportInput): Promise<void> {
  const guess = p.status && p.status !== "not_reported" ? p.status : null;
  const statuses: Status[] = guess ? [guess, ...(["done", "in_progress", "blocked"] as const).filter((s) => s !== guess)] : ["done", "in_progress", "blocked"];
  const titles = statuses.map((s, i) => (i === 0 && guess ? `Đúng, ${STATUS_TITLE[s].toLowerCase()}` : STATUS_TITLE[s]));
  const what = p.count !== null ? ` (${countText(p.count, p.countNoun)})` : "";
  const question = guess
    ? `${cap(ctx.you)} báo cáo ${row.unit.name} · ${itemName(row)}${what} là *${STATUS_TITLE[guess].toLowerCase()}*, đúng không?`
    : `Đề nghị ${ctx.you} cho biết tình trạng của ${row.unit.name} · ${itemName(row)}${what}.`;
  await setPending(ctx, { kind: "confirm_status", personId: person.id, itemId: row.item.id, assignmentIds: [row.assignment.id], statuses, ...inputOf(p), status: guess, uncertain: true });
  await ask(
    ctx,
    [question, `Trả lời: ${titles.map((t, i) => `${i + 1}. ${t}`).join(" · ")}`],
    statuses.map((s, i) => ({ title: titles[i] ?? STATUS_TITLE[s], payload: reportPayload(row.assignment.id, s) })),
    row.item.id,
  );
}

/** "1, 2, 6.2 (TB 05/6); 2 (KH 12)": the sender's item numbers, by directive. */
function refsText(rows: BoardRow[]): string {
  const byDirective = new Map<string, string[]>();
  for (const r of rows) {
    const name = directiveName(r.directive);
    const refs = byDirective.get(name) ?? [];
    if (!refs.includes(r.item.ref)) refs.push(r.item.ref);
    byDirective.set(name, refs);
  }
  return [...byDirective].map(([name, refs]) => `${refs.join(", ")} (${name})`).join("; ");
}

/** Narrows rows to the unit the message names ("bc 6 xong cho hội CCB"), when that leaves any. */
function byUnit(rows: BoardRow[], unit: string | null): BoardRow[] {
  if (!unit || rows.length < 2) return rows;
  const named = rows.filter((r) => fold(r.unit.name) === fold(unit));
  return named.length > 0 ? named : rows;
}

/**
 * Which assignment a report is about: explicit ref (within the directive the message names, if
 * it names one), quoted bot message, last item asked, similarity.
 */
export async function resolveAndReport(ctx: ChatContext, person: Person, it: Interpretation, intent: "report" | "extend"): Promise<void> {
  const { store } = ctx.deps;
  const orgId = ctx.msg.orgId;
  const own = await myRows(ctx, person);
  // "bc KH 12 2 xong": a directive named in the message narrows the sender's items to it.
  let mine = own;
  if (ctx.selector && own.length > 0) {
    const named = pickDirective(ctx.selector, [...new Map(own.map((r) => [r.directive.id, { id: r.directive.id, name: directiveName(r.directive) }])).values()]);
    if (!named) return say(ctx, `Văn bản "${ctx.selector.toUpperCase()}" không có nhiệm vụ nào giao cho đơn vị của ${ctx.you}. Nhiệm vụ của ${ctx.you}: ${refsText(own)}.`);
    mine = own.filter((r) => r.directive.id === named.id);
  }
  const base: ReportInput = {
    intent,
    status: it.status,
    uncertain: intent === "report" && it.uncertain,
    percent: it.percent,
    count: it.count,
    countNoun: it.countNoun,
    date: it.date,
    text: it.text,
    thisPeriod: it.thisPeriod,
    inboundMessageId: ctx.inboundId,
  };
  if (own.length === 0) {
    return say(ctx, `Đơn vị của ${ctx.you} hiện chưa được giao nhiệm vụ nào để báo cáo.`);
  }
  const refs = () => refsText(mine);
  let rows: BoardRow[] | null = null;
  // 1. An explicit number always wins, among the sender's own (open first) assignments.
  if (it.item) {
    const ref = it.item;
    const matches = mine.filter((r) => sameRef(r.item.ref, ref));
    if (matches.length === 0) {
      const exists = (await store.tracking.board(orgId, ctx.today)).some((r) => sameRef(r.item.ref, ref));
      return say(ctx, exists ? `Nhiệm vụ ${ref} không giao cho đơn vị của ${ctx.you}. Nhiệm vụ của ${ctx.you}: ${refs()}.` : `Không có nhiệm vụ số ${ref}. Nhiệm vụ của ${ctx.you}: ${refs()}.`);
    }
    rows = openFirst(matches);
  }
  // 2. The bot message quoted; 3. the item last asked about in this thread.
  if (!rows && ctx.msg.replyToMessageId) {
    const quoted = await store.outbound.byExternalId(orgId, ctx.msg.channel, ctx.msg.replyToMessageId);
    const of = quoted?.itemId ? mine.filter((r) => r.item.id === quoted.itemId) : [];
    if (of.length > 0) rows = openFirst(of);
  }
  if (!rows && ctx.thread.lastItemId) {
    const of = mine.filter((r) => r.item.id === ctx.thread.lastItemId);
    if (of.length > 0) rows = openFirst(of);
  }
  // 4. The open items ranked by the words they share with the message; asked when unsure.
  if (!rows) {
    const open = openFirst(mine);
    // "tuần này tổ 1 đã ra quân": a recurring duty's turn, when one of them fits at all.
    const recurring = it.thisPeriod ? open.filter(isRecurring) : [];
    const ranked = (pool: BoardRow[]) => {
      const items = [...new Map(pool.map((r) => [r.item.id, r.item])).values()];
      // Ranked by id: two directives may both have an item "2".
      return { items, ranked: rankItems(it.text || ctx.msg.text, items.map((i) => ({ ref: i.id, text: i.text, summary: i.summary }))) };
    };
    let pick = ranked(recurring);
    if (!(pick.ranked[0]?.score ?? 0)) pick = ranked(open);
    const { items } = pick;
    const [best, second] = pick.ranked;
    const bestItem = items.find((i) => i.id === best?.ref);
    if (!best || !bestItem || best.score === 0) {
      return say(ctx, [`${cap(ctx.you)} báo cáo cho nhiệm vụ nào? Đề nghị ghi số nhiệm vụ, ví dụ: bc 6 xong.`, `Nhiệm vụ của ${ctx.you}: ${refs()}.`]);
    }
    const of = openFirst(mine.filter((r) => r.item.id === bestItem.id));
    // Sure when one item was in the running (the sender's only open item, or the only recurring
    // duty that fits a report on this week's turn), or one stands out clearly.
    if (items.length > 1 && (best.score < CONFIDENT || (second && best.score - second.score < MARGIN))) {
      const [row] = of;
      if (!row) return;
      await setPending(ctx, { kind: "confirm_item", personId: person.id, itemId: bestItem.id, assignmentIds: of.map((r) => r.assignment.id), ...inputOf(base) });
      const choices = of.length === 1 ? [{ title: "Đúng", payload: pickPayload(row.assignment.id) }] : of.map((r) => ({ title: title(r.unit.name), payload: pickPayload(r.assignment.id) }));
      return ask(ctx, [`Có phải ${ctx.you} báo cáo ${itemName(row)}?`, "Trả lời *có* hoặc số nhiệm vụ."], choices, bestItem.id);
    }
    rows = of;
  }
  return proceed(ctx, person, byUnit(rows, it.unit), base);
}

/** The status an answer to "… là hoàn thành, đúng không?" gives: a number, yes (the guess), or a status written plainly. */
function statusAnswer(pending: PendingReport, it: Interpretation, number: string | null): { status: Status | null; percent: number | null } | "no" | null {
  const offered = pending.statuses ?? ["done", "in_progress", "blocked"];
  if (number !== null && !number.includes(".")) {
    const s = offered[Number(number) - 1];
    return s ? { status: s, percent: null } : null;
  }
  const plain = it.status !== null && !it.uncertain && it.item === null ? { status: it.status, percent: it.percent } : null;
  // A quick reply typed out ("Đúng, hoàn thành"), or "đang làm 50%" instead of "no".
  if (plain) return plain;
  if (it.answer === "yes") return { status: pending.uncertain && pending.status && pending.status !== "not_reported" ? pending.status : null, percent: null };
  if (it.answer === "no") return "no";
  return null;
}

/** The person answers a question the bot asked in this thread. Returns false when it is not an answer. */
export async function answerPending(ctx: ChatContext, person: Person, it: Interpretation): Promise<boolean> {
  const pending = ctx.thread.pending as PendingReport | null;
  if (!pending || pending.personId !== person.id) return false;
  const bare = ctx.msg.text.trim().replace(/[.!?\s]+$/u, "");
  const number = /^\d+(\.\d+)?$/.test(bare) ? bare : null;
  // Anything but an answer drops the question: a stale "có" later must not record a report.
  await setPending(ctx, null);
  const mine = await myRows(ctx, person);
  const p = inputOf(pending);

  if (pending.kind === "confirm_status") {
    const row = mine.find((r) => r.assignment.id === pending.assignmentIds?.[0]);
    const answer = statusAnswer(pending, it, number);
    if (answer === null) return false;
    if (!row) {
      await say(ctx, `Nhiệm vụ này không giao cho đơn vị của ${ctx.you}.`);
      return true;
    }
    if (answer === "no" || answer.status === null) {
      // Asked again, with no guess this time.
      await askStatus(ctx, person, row, { ...p, status: null });
      return true;
    }
    await recordAndAck(ctx, person, row, { ...p, status: answer.status, uncertain: false, percent: answer.percent ?? (answer.status === pending.status ? p.percent : null) });
    return true;
  }

  if (pending.kind === "choose_unit" || pending.kind === "choose_directive") {
    const offered = (pending.assignmentIds ?? []).map((id) => mine.find((r) => r.assignment.id === id));
    let index = number && !number.includes(".") ? Number(number) - 1 : -1;
    if (index < 0) {
      // The choice typed out: a directive's short name ("TB 05/6") or a unit's name.
      const typed = nameKey(ctx.msg.text);
      if (typed.length > 0) index = offered.findIndex((r) => r !== undefined && (nameKey(directiveName(r.directive)) === typed || nameKey(r.unit.name) === typed));
    }
    if (index < 0) return false;
    const row = offered[index];
    if (!row) {
      await say(ctx, `Không rõ nhiệm vụ ${ctx.you} chọn. Đề nghị ${ctx.you} gửi lại báo cáo.`);
      return true;
    }
    await proceed(ctx, person, [row], p);
    return true;
  }

  // confirm_item
  if (it.answer === null && number === null) return false;
  if (it.answer === "no") {
    await say(ctx, `Đề nghị ${ctx.you} cho biết số nhiệm vụ. Ví dụ: bc 6 xong.`);
    return true;
  }
  const rows = number
    ? openFirst(mine.filter((r) => sameRef(r.item.ref, number)))
    : openFirst(mine.filter((r) => (pending.assignmentIds ?? []).includes(r.assignment.id) || (!pending.assignmentIds && r.item.id === pending.itemId)));
  if (rows.length === 0) {
    await say(ctx, `Không có nhiệm vụ số ${number ?? ""} trong việc của ${ctx.you}.`);
    return true;
  }
  await proceed(ctx, person, rows, p);
  return true;
}

/**
 * A tap on a quick reply or button. "R|<assignment id>|<status>" records that status on that
 * assignment (a reminder's answers), or confirms the status the bot asked about — the report
 * then keeps what the first message said (its note, count, and message id). "A|<assignment id>"
 * answers "which one?": the report asked about goes on with that assignment. False when the
 * payload is not one of ours.
 */
export async function tapped(ctx: ChatContext, person: Person, payload: string): Promise<boolean> {
  const pick = parsePickPayload(payload);
  const parsed = pick ? null : parseReportPayload(payload);
  if (!pick && !parsed) return false;
  const pending = ctx.thread.pending as PendingReport | null;
  const mine = await myRows(ctx, person);
  const assignmentId = pick ?? parsed?.assignmentId;
  const row = mine.find((r) => r.assignment.id === assignmentId);
  const asked = pending && pending.personId === person.id && (pending.assignmentIds ?? []).includes(assignmentId ?? "") ? pending : null;
  if (pick) {
    if (!asked) {
      await say(ctx, `Câu hỏi này đã hết hiệu lực. Đề nghị ${ctx.you} gửi lại báo cáo.`);
      return true;
    }
    await setPending(ctx, null);
    if (!row) {
      await say(ctx, `Nhiệm vụ này không giao cho đơn vị của ${ctx.you}.`);
      return true;
    }
    await proceed(ctx, person, [row], inputOf(asked));
    return true;
  }
  if (!row || !parsed) {
    await say(ctx, `Nhiệm vụ này không giao cho đơn vị của ${ctx.you}.`);
    return true;
  }
  if (asked?.kind === "confirm_status") {
    await setPending(ctx, null);
    const p = inputOf(asked);
    await recordAndAck(ctx, person, row, { ...p, status: parsed.status, uncertain: false, percent: parsed.status === asked.status ? p.percent : null });
    return true;
  }
  await recordAndAck(ctx, person, row, { intent: "report", status: parsed.status, percent: null, count: null, date: null, text: ctx.msg.text, inboundMessageId: ctx.inboundId });
  return true;
}
