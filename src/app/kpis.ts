/**
 * The Tổng quan page's numbers (issue 15): completion rate, on-time rate, overdue work by age —
 * for the org, per active directive, per unit, a ranking of units (worst first), and done vs due
 * week by week. `computeKpis` is pure (board rows plus the occurrences of recurring work);
 * `createKpiView` loads them from the store.
 *
 * What counts as one piece of work: an assignment, or, for a recurring item, each occurrence that
 * has come due (its due day is today or earlier). Each is classed by `standing` (the state's
 * "theo dõi nhiệm vụ" classes): done on time or late, in term, overdue (≤ 30, 31–120, > 120 days),
 * without a term, or without a report for 3 months.
 */
import type { AssignmentStatus, BoardRow, Occurrence, StandingClass } from "../domain/index.ts";
import { addDays, directiveName, groupBy, localDay, standing, weekday } from "../domain/index.ts";
import { directiveTitle } from "./board.ts";
import type { Clock, Store } from "./ports/index.ts";

/** The tallies of a group of work (the org, a directive, a unit). */
export interface KpiTally {
  /** Pieces of work counted. */
  total: number;
  done: number;
  doneOnTime: number;
  doneLate: number;
  inTerm: number;
  /** Without a due day, reported on within 3 months. */
  noTerm: number;
  /** Without a due day, no report for 3 months. */
  stale: number;
  overdue: number;
  /** Overdue 1–30 days. */
  overdueUpTo30: number;
  /** Overdue 31–120 days. */
  overdueOver30: number;
  /** Overdue more than 120 days. */
  overdueOver120: number;
  /** done / total; null when nothing is counted. */
  completionRate: number | null;
  /** doneOnTime / done; null when nothing is done. */
  onTimeRate: number | null;
  /** overdue / total; null when nothing is counted. */
  overdueRate: number | null;
}

export interface DirectiveKpis extends KpiTally {
  id: string;
  /** "TB 05/6" */
  name: string;
  /** The subject line, when the text has one. */
  title: string | null;
}

export interface UnitKpis extends KpiTally {
  id: string;
  name: string;
}

export interface WeekKpis {
  /** Monday of the week. */
  start: string;
  /** Sunday of the week. */
  end: string;
  /** Work whose due day fell in the week. */
  due: number;
  /** Of those, done (on time or late). */
  done: number;
}

export interface Kpis {
  today: string;
  overall: KpiTally;
  directives: DirectiveKpis[];
  /** By name. */
  units: UnitKpis[];
  /** Worst first: highest overdue rate, then most overdue, then lowest completion rate, then name. */
  ranking: UnitKpis[];
  /** Oldest first, the last one the week of today. */
  weeks: WeekKpis[];
}

export interface KpiInput {
  /** The local day the numbers are for. */
  today: string;
  /** `store.tracking.board(orgId, today)`: every assignment of the active directives. */
  rows: readonly BoardRow[];
  /** Every occurrence of each recurring assignment, by assignment id. */
  occurrences?: ReadonlyMap<string, readonly Occurrence[]>;
  /** Subject lines of directives, by id. */
  titles?: ReadonlyMap<string, string>;
  /** How many weeks the chart shows (12). */
  weeks?: number;
}

interface Work {
  directiveId: string;
  unitId: string;
  status: AssignmentStatus;
  dueDate: string | null;
  cls: StandingClass;
  bucket: "over_30" | "over_120" | null;
}

const emptyTally = (): KpiTally => ({
  total: 0,
  done: 0,
  doneOnTime: 0,
  doneLate: 0,
  inTerm: 0,
  noTerm: 0,
  stale: 0,
  overdue: 0,
  overdueUpTo30: 0,
  overdueOver30: 0,
  overdueOver120: 0,
  completionRate: null,
  onTimeRate: null,
  overdueRate: null,
});

function add(t: KpiTally, w: Work): void {
  t.total += 1;
  switch (w.cls) {
    case "done_on_time":
      t.done += 1;
      t.doneOnTime += 1;
      break;
    case "done_late":
      t.done += 1;
      t.doneLate += 1;
      break;
    case "in_term":
      t.inTerm += 1;
      break;
    case "no_term":
      t.noTerm += 1;
      break;
    case "stale":
      t.stale += 1;
      break;
    case "overdue":
      t.overdue += 1;
      if (w.bucket === "over_120") t.overdueOver120 += 1;
      else if (w.bucket === "over_30") t.overdueOver30 += 1;
      else t.overdueUpTo30 += 1;
      break;
  }
}

function rates(t: KpiTally): KpiTally {
  return {
    ...t,
    completionRate: t.total === 0 ? null : t.done / t.total,
    onTimeRate: t.done === 0 ? null : t.doneOnTime / t.done,
    overdueRate: t.total === 0 ? null : t.overdue / t.total,
  };
}

const isRecurring = (r: BoardRow) => r.occurrence !== null || r.item.deadline?.kind === "recurring";

/** The pieces of work of the board: an assignment, or each occurrence of recurring work. */
function workOf(input: KpiInput, dueOnly: boolean): Work[] {
  const out: Work[] = [];
  for (const r of input.rows) {
    const since = r.directive.activatedAt ?? r.assignment.createdAt;
    const base = { directiveId: r.directive.id, unitId: r.unit.id };
    const occurrences = isRecurring(r) ? (input.occurrences?.get(r.assignment.id) ?? []) : [];
    if (occurrences.length > 0) {
      for (const o of occurrences) {
        if (dueOnly && o.dueDate > input.today) continue;
        const s = standing(o, input.today, since);
        out.push({ ...base, status: o.status, dueDate: o.dueDate, cls: s.class, bucket: s.bucket });
      }
      continue;
    }
    const a = r.assignment;
    if (dueOnly && isRecurring(r) && a.dueDate !== null && a.dueDate > input.today) continue;
    const s = standing(a, input.today, since);
    out.push({ ...base, status: a.status, dueDate: a.dueDate, cls: s.class, bucket: s.bucket });
  }
  return out;
}

/** Monday of the week of `day`. */
const mondayOf = (day: string) => addDays(day, -((weekday(day) + 6) % 7));

/**
 * @example
 * const k = computeKpis({ today: "2020-07-03", rows, occurrences });
 * k.overall.completionRate // 0.25
 */
export function computeKpis(input: KpiInput): Kpis {
  const counted = workOf(input, true);
  const overall = emptyTally();
  const byDirective = new Map<string, DirectiveKpis>();
  const byUnit = new Map<string, UnitKpis>();
  for (const r of input.rows) {
    if (!byDirective.has(r.directive.id)) byDirective.set(r.directive.id, { id: r.directive.id, name: directiveName(r.directive), title: input.titles?.get(r.directive.id) ?? null, ...emptyTally() });
    if (!byUnit.has(r.unit.id)) byUnit.set(r.unit.id, { id: r.unit.id, name: r.unit.name, ...emptyTally() });
  }
  for (const w of counted) {
    add(overall, w);
    const d = byDirective.get(w.directiveId);
    const u = byUnit.get(w.unitId);
    if (d) add(d, w);
    if (u) add(u, w);
  }
  const directives = [...byDirective.values()].map((d) => ({ ...d, ...rates(d) }));
  const units = [...byUnit.values()].map((u) => ({ ...u, ...rates(u) })).sort((a, b) => a.name.localeCompare(b.name, "vi"));
  const ranking = units
    .filter((u) => u.total > 0)
    .sort((a, b) => (b.overdueRate ?? 0) - (a.overdueRate ?? 0) || b.overdue - a.overdue || (a.completionRate ?? 1) - (b.completionRate ?? 1) || a.name.localeCompare(b.name, "vi"));

  // Done vs due by the week of the due day: every piece of work with a due day, due yet or not.
  const count = input.weeks ?? 12;
  const first = addDays(mondayOf(input.today), -7 * (count - 1));
  const weeks: WeekKpis[] = Array.from({ length: count }, (_, i) => {
    const start = addDays(first, 7 * i);
    return { start, end: addDays(start, 6), due: 0, done: 0 };
  });
  const last = weeks[weeks.length - 1]?.end ?? input.today;
  for (const w of workOf(input, false)) {
    if (!w.dueDate || w.dueDate < first || w.dueDate > last) continue;
    const week = weeks[Math.floor((Date.parse(`${w.dueDate}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / (7 * 86_400_000))];
    if (!week) continue;
    week.due += 1;
    if (w.status === "done") week.done += 1;
  }
  return { today: input.today, overall: rates(overall), directives, units, ranking, weeks };
}

/**
 * @example
 * const kpis = await createKpiView({ store, clock }).overview(orgId);
 */
export function createKpiView(deps: { store: Pick<Store, "tracking" | "directives">; clock: Clock }) {
  return {
    async overview(orgId: string): Promise<Kpis> {
      const today = localDay(deps.clock.now());
      const rows = await deps.store.tracking.board(orgId, today);
      const recurring = rows.filter(isRecurring).map((r) => r.assignment.id);
      const occurrences: Map<string, Occurrence[]> = groupBy(await deps.store.tracking.occurrencesOf(orgId, recurring), (o) => o.assignmentId);
      const titles = new Map<string, string>();
      const active = new Set(rows.map((r) => r.directive.id));
      for (const d of await deps.store.directives.list(orgId)) {
        const title = active.has(d.id) ? directiveTitle(d.sourceText) : undefined;
        if (title) titles.set(d.id, title);
      }
      return computeKpis({ today, rows, occurrences, titles });
    },
  };
}

export type KpiView = ReturnType<typeof createKpiView>;
