/**
 * The status board (issue 8): items × units of a directive, each cell classed by status and
 * timing, with the last report; a unit's own view across directives; progress per directive for
 * the list page; and the data of the *báo cáo tình hình thực hiện* draft. Pure view-models:
 * the web pages and the exports (src/files/exports.ts) only lay them out.
 */
import type { AssignmentStatus, BoardRow, DirectiveStatus, Item, ItemDeadline } from "../domain/index.ts";
import { directiveName as shortNameOf, statusText, timing, timingText } from "../domain/index.ts";
import { fold, groupBy, periodSpan } from "../domain/index.ts";
import { localDay, viDate } from "../domain/index.ts";
import type { Clock, LatestReport, Store } from "./ports/index.ts";

export const CELL_CLASSES = ["done_on_time", "done_late", "in_progress", "blocked", "overdue", "not_reported"] as const;
/** What a board cell's colour says: status and timing together. */
export type CellClass = (typeof CELL_CLASSES)[number];

/**
 * The one palette of the board, shared by the web page (CSS `#rrggbb`) and the XLSX export.
 * Light fills with dark text of the same hue, readable when printed in grey.
 */
export const CELL_COLOURS: Readonly<Record<CellClass, { fill: string; text: string }>> = {
  done_on_time: { fill: "#C6EFCE", text: "#006100" },
  done_late: { fill: "#D8E4BC", text: "#4F6228" },
  in_progress: { fill: "#FFEB9C", text: "#7F4F00" },
  blocked: { fill: "#F8CBAD", text: "#843C0C" },
  overdue: { fill: "#FFC7CE", text: "#9C0006" },
  not_reported: { fill: "#E7E6E6", text: "#3A3838" },
};

/** The legend's words for each class. */
export const CELL_CLASS_VI: Readonly<Record<CellClass, string>> = {
  done_on_time: "Hoàn thành đúng hạn",
  done_late: "Hoàn thành trễ hạn",
  in_progress: "Đang thực hiện",
  blocked: "Vướng mắc",
  overdue: "Quá hạn",
  not_reported: "Chưa báo cáo",
};

type Tracked = { status: AssignmentStatus; percent: number | null; dueDate: string | null; doneAt: Date | null };

/**
 * Done work is on time or late; blocked stays blocked even past its due day (the block is the
 * news); other open work past its due day is overdue.
 *
 * @example
 * cellClass({ status: "in_progress", dueDate: "2020-06-30", doneAt: null }, "2020-07-03") // "overdue"
 */
export function cellClass(a: Omit<Tracked, "percent">, today: string): CellClass {
  const t = timing(a, today);
  if (a.status === "done") return t.class === "done_late" ? "done_late" : "done_on_time";
  if (a.status === "blocked") return "blocked";
  if (t.class === "overdue") return "overdue";
  return a.status;
}

/** "đợt 30/11–06/12 (Tổ 2 trực)": the occurrence a recurring item's cell shows. */
export function periodLabel(o: { periodStart: string; periodEnd: string; onDutyUnitName: string | null }): string {
  return `${periodSpan(o)}${o.onDutyUnitName ? ` (${o.onDutyUnitName} trực)` : ""}`;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * What a cell reads: status, then the due day and how it stands.
 *
 * @example
 * cellLabel({ status: "in_progress", percent: 80, dueDate: "2020-06-30", doneAt: null }, "2020-06-20") // "Đang thực hiện 80% · hạn 30/06/2020 (còn 10 ngày)"
 */
export function cellLabel(a: Tracked, today: string): string {
  const status = capitalize(statusText(a.status, a.percent));
  if (!a.dueDate) return status;
  const when = timingText(timing(a, today));
  return `${status} · hạn ${viDate(a.dueDate)}${when ? ` (${when})` : ""}`;
}

const EVERY_VI: Record<string, string> = { week: "hằng tuần", month: "hằng tháng", quarter: "hằng quý", year: "hằng năm" };

/** "hạn 30/06/2020" · "hằng tuần" · "thường xuyên" · "không có hạn". */
export function deadlineText(dueDate: string | null, deadline: Pick<ItemDeadline, "kind" | "every"> | null): string {
  if (dueDate) return `hạn ${viDate(dueDate)}`;
  if (deadline?.kind === "recurring") return (deadline.every && EVERY_VI[deadline.every]) || "định kỳ";
  return deadline?.kind === "ongoing" ? "thường xuyên" : "không có hạn";
}

/** A report text that asks for something: "đề nghị", "đề xuất", "kiến nghị" (also typed without diacritics). */
export function isProposal(text: string): boolean {
  if (/(đề nghị|đề xuất|kiến nghị)/iu.test(text.normalize("NFC"))) return true;
  const hasDiacritics = /[\u0300-\u036f]/u.test(text.normalize("NFD")) || /[đĐ]/u.test(text);
  // Without diacritics "de nghi" is the only reading; with them, "để nghỉ" is not a proposal.
  return !hasDiacritics && /\b(de nghi|de xuat|kien nghi)\b/.test(fold(text));
}

export interface DirectiveHeader {
  id: string;
  number: string | null;
  docType: string | null;
  issuedDate: string | null;
  issuer: string | null;
  status: DirectiveStatus;
  /** What chat calls it: "TB 05/6". */
  shortName: string;
  /** The subject line of the text ("KẾT LUẬN CỦA BAN THƯỜNG VỤ …", "V/v …"), when one is found. */
  title?: string;
}

export interface BoardItem {
  id: string;
  ref: string;
  summary: string;
  deadlineText: string;
}

export interface BoardUnit {
  id: string;
  name: string;
}

export interface LastReport {
  text: string;
  at: Date;
  /** The reporter's name, when known. */
  by: string | null;
}

export interface BoardCell {
  itemId: string;
  unitId: string;
  assignmentId: string;
  status: AssignmentStatus;
  percent: number | null;
  cls: CellClass;
  dueDate: string | null;
  /** "Đang thực hiện 80% · hạn 30/06/2020 (còn 10 ngày)" */
  label: string;
  lastReport: LastReport | null;
}

export interface BoardFilters {
  unitId?: string;
  status?: CellClass;
}

export interface BoardView {
  directive: DirectiveHeader;
  /** The local day the classes were computed for. */
  today: string;
  /** Items with at least one cell shown, in the directive's order. */
  items: BoardItem[];
  /** Units with at least one cell shown, by name. */
  units: BoardUnit[];
  cells: BoardCell[];
  /** Per class, over the cells of the unit filter (before the status filter: the chips' numbers). */
  counts: Record<CellClass, number>;
  /** Share of those cells done (on time or late), 0..1; 0 when there are none. */
  progress: number;
}

export interface UnitView {
  unit: BoardUnit;
  today: string;
  /** Active directives with work for this unit, newest first. */
  directives: { directive: DirectiveHeader; items: BoardItem[]; cells: BoardCell[] }[];
  counts: Record<CellClass, number>;
  progress: number;
}

export interface DirectiveProgress {
  id: string;
  number: string | null;
  docType: string | null;
  status: DirectiveStatus;
  total: number;
  done: number;
  /** Open and past due. */
  overdue: number;
  /** done / total, 0 when nothing is assigned. */
  share: number;
}

export interface ReportNote {
  unitName: string;
  text: string;
  at: Date;
  by: string | null;
}

export interface ReportUnitLine {
  unitId: string;
  unitName: string;
  cls: CellClass;
  status: AssignmentStatus;
  percent: number | null;
  /** The cell's label: "Hoàn thành · hạn 30/06/2020 (đúng hạn)". */
  statusText: string;
  lastReport: LastReport | null;
}

export interface ReportItem {
  id: string;
  ref: string;
  parentRef: string | null;
  summary: string;
  deadlineText: string;
  /** A heading item whose work is in its sub-items (6 over 6.1 and 6.2). */
  isGroup: boolean;
  units: ReportUnitLine[];
  /** Texts of "vướng mắc" reports, oldest first, one per unit and text. */
  difficulties: ReportNote[];
  /** Report texts that ask for something (đề nghị, đề xuất, kiến nghị). */
  proposals: ReportNote[];
  /** A recurring item's periods so far, the latest first: who was on duty and who reported. */
  history: OccurrenceLine[];
}

/** One period of a recurring item in the report: "Đợt 15/06–21/06 (Tổ 1 trực): 3/5 đơn vị hoàn thành". */
export interface OccurrenceLine {
  periodStart: string;
  periodEnd: string;
  team: string | null;
  done: string[];
  notDone: string[];
}

export interface ReportDraft {
  directive: DirectiveHeader;
  today: string;
  /** Every item of the directive, in order. */
  items: ReportItem[];
  units: BoardUnit[];
  counts: Record<CellClass, number>;
  total: number;
  done: number;
  progress: number;
}

function emptyCounts(): Record<CellClass, number> {
  return Object.fromEntries(CELL_CLASSES.map((c) => [c, 0])) as Record<CellClass, number>;
}

function tally(cells: BoardCell[]): { counts: Record<CellClass, number>; progress: number } {
  const counts = emptyCounts();
  for (const c of cells) counts[c.cls] += 1;
  const done = counts.done_on_time + counts.done_late;
  return { counts, progress: cells.length === 0 ? 0 : done / cells.length };
}

/** The subject line among the first lines of the source text, if any. */
export function directiveTitle(sourceText: string): string | undefined {
  const lines = sourceText
    .split(/\r?\n/)
    .map((l) => l.replace(/^[#>\s]+|[*_]+/g, "").trim())
    .filter((l) => l.length > 0)
    .slice(0, 15);
  const line = lines.find((l) => /^(v\/v\b|về việc\b|kết luận\b)/iu.test(l));
  return line ? line.replace(/\s+/g, " ") : undefined;
}

function header(d: { id: string; number: string | null; docType: string | null; issuedDate: string | null; issuer: string | null; status: DirectiveStatus; sourceText: string; shortName: string | null }): DirectiveHeader {
  const title = directiveTitle(d.sourceText);
  return { id: d.id, number: d.number, docType: d.docType, issuedDate: d.issuedDate, issuer: d.issuer, status: d.status, shortName: shortNameOf(d), ...(title ? { title } : {}) };
}

/** The store slices createBoardView uses. */
export type BoardStore = Pick<Store, "directives" | "tracking" | "units">;

/**
 * @example
 * const view = createBoardView({ store, clock });
 * const board = await view.board(orgId, directiveId, { status: "overdue" });
 * board?.cells[0]?.label // "Chưa báo cáo · hạn 30/06/2020 (quá hạn 3 ngày)"
 */
export function createBoardView(deps: { store: BoardStore; clock: Clock }) {
  const { store, clock } = deps;

  async function cellsOf(orgId: string, rows: BoardRow[], today: string): Promise<BoardCell[]> {
    const last = new Map<string, LatestReport>(
      (await store.tracking.lastReports(orgId, rows.map((r) => r.assignment.id))).map((r) => [r.assignmentId, r]),
    );
    return rows.map((r) => {
      const a = r.assignment;
      const report = last.get(a.id);
      return {
        itemId: r.item.id,
        unitId: r.unit.id,
        assignmentId: a.id,
        status: a.status,
        percent: a.percent,
        cls: cellClass(a, today),
        dueDate: a.dueDate,
        label: cellLabel(a, today) + (r.occurrence ? ` · ${periodLabel(r.occurrence)}` : ""),
        lastReport: report ? { text: report.text, at: report.reportedAt, by: report.personName } : null,
      };
    });
  }

  /** The whole board of a directive, unfiltered, with its items and rows; null when unknown. */
  async function load(orgId: string, directiveId: string) {
    const found = await store.directives.get(orgId, directiveId);
    if (!found) return null;
    const today = localDay(clock.now());
    const rows = await store.tracking.directiveBoard(orgId, directiveId, today);
    const cells = await cellsOf(orgId, rows, today);
    const units = new Map<string, BoardUnit>();
    for (const r of [...rows].sort((a, b) => a.unit.name.localeCompare(b.unit.name, "vi"))) units.set(r.unit.id, { id: r.unit.id, name: r.unit.name });
    return { directive: header(found.directive), items: found.items, today, cells, units: [...units.values()] };
  }

  const boardItem = (i: Item): BoardItem => ({ id: i.id, ref: i.ref, summary: i.summary, deadlineText: deadlineText(i.dueDate, i.deadline) });

  return {
    async board(orgId: string, directiveId: string, filters: BoardFilters = {}): Promise<BoardView | null> {
      const all = await load(orgId, directiveId);
      if (!all) return null;
      const scoped = filters.unitId ? all.cells.filter((c) => c.unitId === filters.unitId) : all.cells;
      const cells = filters.status ? scoped.filter((c) => c.cls === filters.status) : scoped;
      const itemIds = new Set(cells.map((c) => c.itemId));
      const unitIds = new Set(cells.map((c) => c.unitId));
      return {
        directive: all.directive,
        today: all.today,
        items: all.items.filter((i) => itemIds.has(i.id)).map(boardItem),
        units: all.units.filter((u) => unitIds.has(u.id)),
        cells,
        ...tally(scoped),
      };
    },

    /** "Việc của Hội CCB": one unit's cells across the org's active directives; null when the unit is unknown. */
    async unitView(orgId: string, unitId: string): Promise<UnitView | null> {
      const unit = (await store.units.list(orgId)).find((u) => u.id === unitId);
      if (!unit) return null;
      const today = localDay(clock.now());
      const rows = (await store.tracking.board(orgId, today)).filter((r) => r.unit.id === unitId);
      const cells = await cellsOf(orgId, rows, today);
      const directives: UnitView["directives"] = [];
      const headers = new Map((await store.directives.list(orgId)).map((d) => [d.id, header(d)]));
      rows.forEach((r, i) => {
        const cell = cells[i];
        const directive = headers.get(r.directive.id);
        if (!cell || !directive) return;
        let group = directives.find((g) => g.directive.id === r.directive.id);
        if (!group) {
          group = { directive, items: [], cells: [] };
          directives.push(group);
        }
        group.items.push({ id: r.item.id, ref: r.item.ref, summary: r.item.summary, deadlineText: deadlineText(r.assignment.dueDate, r.item.deadline) });
        group.cells.push(cell);
      });
      return { unit: { id: unit.id, name: unit.name }, today, directives, ...tally(cells) };
    },

    /** Every directive of the org, newest first, with its progress bar's numbers. */
    async directiveProgress(orgId: string): Promise<DirectiveProgress[]> {
      const today = localDay(clock.now());
      const counts = new Map((await store.tracking.progressByDirective(orgId, today)).map((c) => [c.directiveId, c]));
      return (await store.directives.list(orgId)).map((d) => {
        const c = counts.get(d.id) ?? { total: 0, done: 0, overdue: 0 };
        return { id: d.id, number: d.number, docType: d.docType, status: d.status, total: c.total, done: c.done, overdue: c.overdue, share: c.total === 0 ? 0 : c.done / c.total };
      });
    },

    /** What the báo cáo tình hình thực hiện says, item by item; null when the directive is unknown. */
    async reportDraft(orgId: string, directiveId: string): Promise<ReportDraft | null> {
      const all = await load(orgId, directiveId);
      if (!all) return null;
      const reports = await store.tracking.reportsOfDirective(orgId, directiveId);
      const unitName = new Map(all.units.map((u) => [u.id, u.name]));
      const notes = (itemId: string, keep: (r: (typeof reports)[number]) => boolean): ReportNote[] => {
        const seen = new Set<string>();
        const out: ReportNote[] = [];
        for (const r of reports) {
          const text = r.text.trim();
          if (r.itemId !== itemId || !text || !keep(r)) continue;
          const key = `${r.unitId}\u0000${fold(text)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ unitName: r.unitName, text, at: r.reportedAt, by: r.personName });
        }
        return out;
      };
      const parents = new Set(all.items.map((i) => i.parentRef).filter((r): r is string => r !== null));
      // Recurring items: every period begun so far, with its team and who reported it done.
      const recurring = new Set(all.items.filter((i) => i.deadline?.kind === "recurring").map((i) => i.id));
      const periods = new Map<string, Map<string, OccurrenceLine>>();
      const unitOfAssignment = new Map(all.cells.map((c) => [c.assignmentId, { itemId: c.itemId, unit: unitName.get(c.unitId) ?? "" }]));
      const recurringCells = all.cells.filter((c) => recurring.has(c.itemId));
      const occurrencesOf = groupBy(await store.tracking.occurrencesOf(orgId, recurringCells.map((c) => c.assignmentId)), (o) => o.assignmentId);
      for (const cell of recurringCells) {
        for (const o of occurrencesOf.get(cell.assignmentId) ?? []) {
          if (o.periodStart > all.today) continue;
          const byPeriod = periods.get(cell.itemId) ?? new Map<string, OccurrenceLine>();
          periods.set(cell.itemId, byPeriod);
          const line = byPeriod.get(o.periodStart) ?? { periodStart: o.periodStart, periodEnd: o.periodEnd, team: o.onDutyUnitId ? (unitName.get(o.onDutyUnitId) ?? null) : null, done: [], notDone: [] };
          byPeriod.set(o.periodStart, line);
          (o.status === "done" ? line.done : line.notDone).push(unitOfAssignment.get(o.assignmentId)?.unit ?? "");
        }
      }
      const items = all.items.map((i): ReportItem => ({
        ...boardItem(i),
        parentRef: i.parentRef,
        isGroup: parents.has(i.ref),
        units: all.cells
          .filter((c) => c.itemId === i.id)
          .map((c) => ({ unitId: c.unitId, unitName: unitName.get(c.unitId) ?? "", cls: c.cls, status: c.status, percent: c.percent, statusText: c.label, lastReport: c.lastReport }))
          .sort((a, b) => a.unitName.localeCompare(b.unitName, "vi")),
        difficulties: notes(i.id, (r) => r.status === "blocked"),
        proposals: notes(i.id, (r) => isProposal(r.text)),
        history: [...(periods.get(i.id)?.values() ?? [])].sort((a, b) => b.periodStart.localeCompare(a.periodStart)),
      }));
      const { counts, progress } = tally(all.cells);
      return { directive: all.directive, today: all.today, items, units: all.units, counts, total: all.cells.length, done: counts.done_on_time + counts.done_late, progress };
    },
  };
}

export type BoardViews = ReturnType<typeof createBoardView>;
