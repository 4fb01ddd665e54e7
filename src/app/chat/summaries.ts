/**
 * What leaders read: answers that fit one phone screen (one message, at most 12 lines and 1,000
 * characters) unless they ask for details. Totals first, then one line per directive, item or
 * unit, the worst first, and the command to type for more. Pure: board rows in, lines out.
 */
import type { BoardRow } from "../../domain/index.ts";
import { directiveName, groupBy, itemLabel, periodSpan, standing, statusText, timingText, timing, viDate } from "../../domain/index.ts";

/** One message on a phone: lines and characters. */
export const LEADER_BUDGET = { maxLines: 12, maxChars: 1000 } as const;

/** Refs listed per line before "…": a line stays one line on a phone. */
const REFS_PER_LINE = 6;

interface Tally {
  total: number;
  done: number;
  inProgress: number;
  blocked: number;
  notReported: number;
  overdue: number;
  over30: number;
  stale: number;
}

function tally(rows: readonly BoardRow[], today: string): Tally {
  const t: Tally = { total: rows.length, done: 0, inProgress: 0, blocked: 0, notReported: 0, overdue: 0, over30: 0, stale: 0 };
  for (const r of rows) {
    const s = r.assignment.status;
    if (s === "done") t.done++;
    else if (s === "in_progress") t.inProgress++;
    else if (s === "blocked") t.blocked++;
    else t.notReported++;
    const st = standing(r.assignment, today, r.directive.activatedAt);
    if (st.class === "overdue") {
      t.overdue++;
      if (st.bucket) t.over30++;
    }
    if (st.class === "stale") t.stale++;
  }
  return t;
}

/** "12 hoàn thành, 3 đang thực hiện, 1 vướng mắc, 8 chưa báo cáo; 5 quá hạn (2 quá 30 ngày)." */
function countsText(t: Tally): string {
  const parts = [`${t.done} hoàn thành`, `${t.inProgress} đang thực hiện`, `${t.blocked} vướng mắc`, `${t.notReported} chưa báo cáo`].filter((p) => !p.startsWith("0 "));
  const late = t.overdue > 0 ? `; ${t.overdue} quá hạn${t.over30 > 0 ? ` (${t.over30} quá 30 ngày)` : ""}` : "; không có việc quá hạn";
  const stale = t.stale > 0 ? `; ${t.stale} việc thường xuyên quá 3 tháng chưa báo cáo` : "";
  return `${parts.join(", ") || "chưa có báo cáo"}${late}${stale}.`;
}

/** "10/20 xong, 3 quá hạn". */
function shortCounts(t: Tally): string {
  return [`${t.done}/${t.total} xong`, ...(t.overdue > 0 ? [`${t.overdue} quá hạn`] : []), ...(t.blocked > 0 ? [`${t.blocked} vướng mắc`] : [])].join(", ");
}

/** "TB 05/6: NV 1, 6.1; KH 12: NV 3" — refs grouped by directive, at most a few per line. */
function refsByDirective(rows: readonly BoardRow[]): string {
  const groups = [...groupBy(rows, (r) => directiveName(r.directive))];
  let shown = 0;
  const parts: string[] = [];
  for (const [name, rs] of groups) {
    const refs = [...new Set(rs.map((r) => r.item.ref))];
    const room = Math.max(1, REFS_PER_LINE - shown);
    const list = refs.length > room ? `${refs.slice(0, room).join(", ")}…` : refs.join(", ");
    shown += Math.min(refs.length, room);
    parts.push(`${name}: NV ${list}`);
    if (shown >= REFS_PER_LINE && groups.length > parts.length) {
      parts.push("…");
      break;
    }
  }
  return parts.join("; ");
}

/** How bad a row is, for "worst first": overdue longest, then blocked, not reported, in progress, done. */
function badness(r: BoardRow, today: string): number {
  const st = standing(r.assignment, today, r.directive.activatedAt);
  if (st.class === "overdue") return 10_000 + st.days;
  if (r.assignment.status === "blocked") return 5_000;
  if (st.class === "stale") return 4_000;
  if (r.assignment.status === "not_reported") return 3_000 - (st.class === "in_term" ? Math.min(st.days, 999) : 0);
  if (r.assignment.status === "in_progress") return 1_000;
  return 0;
}

/** A list capped to `room` lines, with "… và N {noun} khác" when cut. */
function capped(lines: string[], room: number, noun: string, more: string): string[] {
  if (lines.length <= room) return lines;
  return [...lines.slice(0, Math.max(0, room - 1)), `… và ${lines.length - (room - 1)} ${noun} khác (${more}).`];
}

/**
 * The last guard of the budget: list lines are dropped from the end (and counted in a "… và N
 * khác" line) until head + list + tail fit one message.
 */
export function fitBudget(head: string[], list: string[], tail: string[], noun: string): string[] {
  const size = (ls: string[]) => ls.join("\n").length;
  const kept = [...list];
  let dropped = 0;
  const build = () => [...head, ...kept, ...(dropped > 0 ? [`… và ${dropped} ${noun} khác.`] : []), ...tail];
  while (kept.length > 0 && (build().length > LEADER_BUDGET.maxLines || size(build()) > LEADER_BUDGET.maxChars)) {
    // A "… và N khác (gõ …)" line from capped() counts the ones it stands for.
    const last = kept.pop() ?? "";
    const m = /^… và (\d+) /u.exec(last);
    dropped += m ? Number(m[1]) : 1;
  }
  return build();
}

export interface Hint {
  /** A directive's short name when one directive is in view ("TB 05/6"). */
  directive?: string;
}

/**
 * `tình hình`: totals, one line per active directive, the worst units, and what to type next.
 *
 * @example
 * overview(rows, "2026-12-03") // ["Tình hình đến 03/12/2026: 2 văn bản, 45 lượt giao.", "15 hoàn thành, …", "• TB 05/6: 10/20 xong, 3 quá hạn", …]
 */
export function overview(rows: readonly BoardRow[], today: string): string[] {
  const byDirective = [...groupBy(rows, (r) => r.directive.id)].map(([, rs]) => rs);
  const head = [`Tình hình đến ${viDate(today)}: ${byDirective.length} văn bản, ${rows.length} lượt giao.`, countsText(tally(rows, today))];
  const directiveLines = byDirective
    .map((rs) => ({ rs, t: tally(rs, today) }))
    .sort((a, b) => b.t.overdue - a.t.overdue || a.t.done / a.t.total - b.t.done / b.t.total)
    .map(({ rs, t }) => `• ${directiveName(rs[0]!.directive)}: ${shortCounts(t)}`);
  const units = [...groupBy(rows, (r) => r.unit.id)]
    .map(([, rs]) => ({ name: rs[0]!.unit.name, t: tally(rs, today) }))
    .filter((u) => u.t.overdue + u.t.blocked > 0)
    .sort((a, b) => b.t.overdue - a.t.overdue || b.t.blocked - a.t.blocked)
    .slice(0, 3)
    .map((u) => `${u.name} (${[...(u.t.overdue ? [`${u.t.overdue} quá hạn`] : []), ...(u.t.blocked ? [`${u.t.blocked} vướng mắc`] : [])].join(", ")})`);
  const first = byDirective[0]?.[0];
  const tail = [
    ...(units.length > 0 ? [`Chậm nhất: ${units.join("; ")}.`] : []),
    `Gõ: tình hình ${first ? directiveName(first.directive) : "TB 05/6"} · tình hình <tên đơn vị> · quá hạn · ai chưa báo cáo`,
  ];
  return fitBudget(head, capped(directiveLines, 6, "văn bản", "gõ: tình hình chi tiết"), tail, "văn bản");
}

/** `tình hình TB 05/6`: one directive, one line per item. */
export function directiveSummary(rows: readonly BoardRow[], today: string): string[] {
  const d = rows[0]!.directive;
  const name = directiveName(d);
  const head = [`${name}${d.issuedDate ? ` (ngày ${viDate(d.issuedDate)})` : ""}: ${rows.length} lượt giao.`, countsText(tally(rows, today))];
  const items = [...groupBy(rows, (r) => r.item.id)].map(([, rs]) => `• NV ${rs[0]!.item.ref} ${itemLabel(rs[0]!.item)}: ${shortCounts(tally(rs, today))}`);
  return fitBudget(head, capped(items, 8, "nhiệm vụ", `gõ: tình hình ${name} chi tiết`), [`Gõ: tình hình ${name} nv <số> để xem từng đơn vị.`], "nhiệm vụ");
}

/** "đợt 30/11–06/12, Tổ 2 trực": the period of a recurring item a row shows. */
function periodText(o: NonNullable<BoardRow["occurrence"]>): string {
  return `${periodSpan(o)}${o.onDutyUnitName ? `, ${o.onDutyUnitName} trực` : ""}`;
}

/** One unit's standing on a row: "chưa báo cáo · quá hạn 5 ngày", "hoàn thành · trễ hạn 3 ngày · đợt …". */
function rowState(r: BoardRow, today: string, withPeriod = true): string {
  const when = timingText(timing(r.assignment, today));
  const period = withPeriod && r.occurrence ? ` · ${periodText(r.occurrence)}` : "";
  return `${statusText(r.assignment.status, r.assignment.percent)}${when ? ` · ${when}` : ""}${period}`;
}

/** `tình hình nv 6` (in one directive): one line per unit, the worst first. */
export function itemSummary(rows: readonly BoardRow[], today: string, ref: string): string[] {
  const first = rows[0]!;
  const name = directiveName(first.directive);
  const refs = [...new Set(rows.map((r) => r.item.ref))];
  const main = rows.find((r) => r.item.ref === ref) ?? first;
  // A recurring item's rows share their period: said once, in the head.
  const periods = new Set(rows.map((r) => r.occurrence?.periodStart ?? ""));
  const shared = periods.size === 1 && main.occurrence ? main.occurrence : null;
  const head = [
    `NV ${ref} (${name}) ${itemLabel(main.item)}${refs.length > 1 ? ` — gồm NV ${refs.join(", ")}` : ""}${shared ? ` (${periodText(shared)})` : ""}: ${rows.length} lượt giao.`,
    countsText(tally(rows, today)),
  ];
  const sorted = [...rows].sort((a, b) => badness(b, today) - badness(a, today));
  const lines = sorted.map((r) => `• ${r.unit.name}${refs.length > 1 ? ` · NV ${r.item.ref}` : ""}: ${rowState(r, today, !shared)}`);
  return fitBudget(head, capped(lines, 9, "đơn vị", `gõ: tình hình ${name} nv ${ref} chi tiết`), [], "đơn vị");
}

/** `tình hình nv 2` when item 2 is in several directives: one line per directive. */
export function itemAcrossDirectives(rows: readonly BoardRow[], today: string, ref: string): string[] {
  const groups = [...groupBy(rows, (r) => r.directive.id)].map(([, rs]) => rs);
  const head = [`NV ${ref} có trong ${groups.length} văn bản:`];
  const lines = groups.map((rs) => `• ${directiveName(rs[0]!.directive)} NV ${ref} ${itemLabel((rs.find((r) => r.item.ref === ref) ?? rs[0]!).item)}: ${shortCounts(tally(rs, today))}`);
  return fitBudget(head, lines, [`Gõ: tình hình ${directiveName(groups[0]![0]!.directive)} nv ${ref} để xem từng đơn vị.`], "văn bản");
}

/** `tình hình Hội CCB`: one unit's items across directives, the worst first. */
export function unitSummary(rows: readonly BoardRow[], today: string): string[] {
  const unit = rows[0]!.unit.name;
  const head = [`Việc của ${unit}: ${rows.length} lượt giao.`, countsText(tally(rows, today))];
  const sorted = [...rows].sort((a, b) => badness(b, today) - badness(a, today));
  const lines = sorted.map((r) => `• ${directiveName(r.directive)} NV ${r.item.ref} ${itemLabel(r.item)}: ${rowState(r, today)}`);
  return fitBudget(head, capped(lines, 9, "việc", `gõ: tình hình ${unit} chi tiết`), [], "việc");
}

/** Rows grouped by unit, the unit whose oldest row is worst first: "• Đoàn TN: 3 việc (TB 05/6: NV 1, 6.1), lâu nhất 12 ngày". */
function byUnitLines(rows: readonly BoardRow[], today: string, oldest: (rs: BoardRow[]) => string): string[] {
  return [...groupBy(rows, (r) => r.unit.id)]
    .map(([, rs]) => ({ rs, worst: Math.max(...rs.map((r) => badness(r, today))) }))
    .sort((a, b) => b.worst - a.worst || a.rs[0]!.unit.name.localeCompare(b.rs[0]!.unit.name, "vi"))
    .map(({ rs }) => `• ${rs[0]!.unit.name}: ${rs.length} việc (${refsByDirective(rs)})${oldest(rs)}`);
}

/** `quá hạn`: the units with overdue work, oldest first. */
export function overdueSummary(rows: readonly BoardRow[], today: string): string[] {
  const late = rows.filter((r) => standing(r.assignment, today).class === "overdue");
  if (late.length === 0) return ["Không có việc nào quá hạn."];
  const units = new Set(late.map((r) => r.unit.id)).size;
  const over30 = late.filter((r) => standing(r.assignment, today).bucket !== null).length;
  const head = [`Quá hạn: ${late.length} việc của ${units} đơn vị${over30 > 0 ? ` (${over30} việc quá 30 ngày)` : ""}, lâu nhất trước:`];
  const lines = byUnitLines(late, today, (rs) => `, lâu nhất ${Math.max(...rs.map((r) => standing(r.assignment, today).days))} ngày`);
  return fitBudget(head, capped(lines, 9, "đơn vị", "gõ: quá hạn chi tiết"), ["Gõ: tình hình <tên đơn vị> để xem từng việc."], "đơn vị");
}

/** `ai chưa báo cáo [nv 6]`: the units that have not reported, oldest first. */
export function unreportedSummary(rows: readonly BoardRow[], today: string, what: string): string[] {
  const silent = rows.filter((r) => r.assignment.status === "not_reported");
  if (silent.length === 0) return [`Tất cả đơn vị đã báo cáo${what}.`];
  const units = new Set(silent.map((r) => r.unit.id)).size;
  const head = [`Chưa báo cáo${what}: ${units} đơn vị, ${silent.length} việc.`];
  const lines = byUnitLines(silent, today, (rs) => {
    const late = Math.max(0, ...rs.map((r) => (standing(r.assignment, today).class === "overdue" ? standing(r.assignment, today).days : 0)));
    return late > 0 ? `, quá hạn đến ${late} ngày` : "";
  });
  return fitBudget(head, capped(lines, 9, "đơn vị", "gõ: ai chưa báo cáo chi tiết"), ["Gõ: /nhacnho để nhắc các đơn vị này."], "đơn vị");
}
