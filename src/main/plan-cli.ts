/**
 * `dondoc plan --directive FILE --now … --days 30 [--json]`: the reminders the policy would send
 * for a directive, without a database or Redis — what office sees before activating.
 */
import { BUILTIN_UNITS, expandGroup, parseDirective, type ParsedItem } from "../domain/index.ts";
import { planOccurrences } from "../domain/index.ts";
import { planReminders, type ReminderKind } from "../domain/index.ts";
import { localDay, localIso } from "../domain/index.ts";
import { assertParsableLength, IntakeError } from "../app/index.ts";
import { CliError, readText } from "./intake-cli.ts";
import { systemClock } from "./components.ts";

export interface PlanRow {
  item: string;
  unit: string;
  at: string;
  kind: ReminderKind;
}

function unitsOf(item: ParsedItem): string[] {
  const names = new Set<string>();
  for (const a of item.assignees) {
    const members = a.unitKey ? expandGroup(a.unitKey, BUILTIN_UNITS) : [];
    if (members.length === 0) names.add(a.name);
    for (const key of members) names.add(BUILTIN_UNITS.find((u) => u.key === key)?.name ?? a.name);
  }
  return [...names];
}

const PERIOD_DAYS = { week: 7, month: 28, quarter: 90, year: 365 } as const;

/** The plan as rows, oldest first (ties by item, then unit). */
export function planDirective(text: string, now: Date, days: number): PlanRow[] {
  const parsed = parseDirective(text);
  const until = new Date(now.getTime() + days * 86_400_000);
  const tracked = parsed.items.filter((item) => !parsed.items.some((c) => c.parentRef === item.ref && c.assignees.length > 0));
  const rows: PlanRow[] = [];
  for (const item of tracked) {
    const units = unitsOf(item);
    if (units.length === 0) continue;
    const d = item.deadline;
    if (d.kind === "recurring") {
      const every = d.every ?? "month";
      const occurrences = planOccurrences(d, item.rotation, localDay(now), Math.ceil(days / PERIOD_DAYS[every]) + 1);
      if (item.rotation && item.rotation.teams > 1) {
        // A rotation: each occurrence's reminder goes to the team on duty, once.
        for (const o of occurrences) {
          for (const r of planReminders({ dueDate: null, occurrences: [o] }, { from: now, until })) {
            rows.push({ item: item.ref, unit: `Tổ ${o.team ?? 1}`, at: localIso(r.at), kind: r.kind });
          }
        }
        continue;
      }
      for (const unit of units) {
        for (const r of planReminders({ dueDate: null, occurrences }, { from: now, until })) {
          rows.push({ item: item.ref, unit, at: localIso(r.at), kind: r.kind });
        }
      }
      continue;
    }
    if (!d.due) continue; // ongoing or undated: no ladder
    for (const unit of units) {
      for (const r of planReminders({ dueDate: d.due }, { from: now, until })) {
        rows.push({ item: item.ref, unit, at: localIso(r.at), kind: r.kind });
      }
    }
  }
  return rows.sort((a, b) => a.at.localeCompare(b.at) || a.item.localeCompare(b.item, "vi", { numeric: true }) || a.unit.localeCompare(b.unit, "vi"));
}

export async function runPlan(options: { directive: string; now?: string; days?: string; json?: boolean }): Promise<string> {
  const now = options.now ? new Date(options.now) : systemClock.now();
  if (Number.isNaN(now.getTime())) {
    throw new CliError(`Thời điểm --now không hợp lệ: "${options.now}" (ví dụ 2020-06-20T08:00:00+07:00).`, `--now must be an ISO time such as 2020-06-20T08:00:00+07:00`);
  }
  const days = Number(options.days ?? 30);
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw new CliError("--days phải là số ngày từ 1 đến 366.", "--days must be a whole number from 1 to 366");
  }
  const text = await readText(options.directive);
  try {
    assertParsableLength(text);
  } catch (error) {
    if (error instanceof IntakeError) throw new CliError(error.messageVi, error.message);
    throw error;
  }
  const rows = planDirective(text, now, days);
  if (options.json) return JSON.stringify(rows);
  const KIND_VI: Record<ReminderKind, string> = { before: "trước hạn", due: "đúng hạn", overdue: "quá hạn", escalation: "báo lãnh đạo", occurrence: "định kỳ" };
  return [
    ...rows.map((r) => `${r.at.slice(0, 16).replace("T", " ")}  NV ${r.item.padEnd(5)} ${KIND_VI[r.kind].padEnd(13)} ${r.unit}`),
    `${rows.length} lời nhắc trong ${days} ngày.`,
  ].join("\n");
}
