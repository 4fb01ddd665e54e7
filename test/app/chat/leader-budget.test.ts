/**
 * Every leader answer fits one phone screen — one message, at most 12 lines and 1,000
 * characters — for a ward with 5 active directives × 40 assignments, with long unit names,
 * every status and overdue ages up to 200 days. Details ("chi tiết") are the only exception.
 */
import { describe, expect, it } from "vitest";
import { directiveSummary, itemAcrossDirectives, itemSummary, LEADER_BUDGET, overdueSummary, overview, unitSummary, unreportedSummary } from "../../../src/app/chat/summaries.ts";
import { addDays, BUILTIN_UNITS, splitMessages, type AssignmentStatus, type BoardRow } from "../../../src/domain/index.ts";

const TODAY = "2026-12-03";
const STATUSES: AssignmentStatus[] = ["not_reported", "in_progress", "done", "blocked", "not_reported"];
const DOC_TYPES = ["Thông báo kết luận", "Kế hoạch", "Công văn", "Chỉ thị", "Nghị quyết"];
const LONG = "Tăng cường công tác tuyên truyền, vận động các tầng lớp nhân dân, cán bộ hội viên, đoàn viên tích cực tham gia các cuộc vận động";

/** 5 directives × 40 assignments: 8 items (some with sub-points) × 5 units each. */
function bigWard(): BoardRow[] {
  const units = BUILTIN_UNITS.slice(0, 12);
  const rows: BoardRow[] = [];
  for (let d = 0; d < 5; d++) {
    const directive = { id: `d${d}`, number: d === 0 ? null : `${10 + d}-KH/ĐU`, docType: DOC_TYPES[d] ?? null, issuedDate: "2026-06-05", shortName: null, activatedAt: new Date("2026-06-06T00:00:00Z") };
    for (let i = 0; i < 8; i++) {
      const ref = i < 6 ? String(i + 1) : `6.${i - 5}`;
      const item = { id: `d${d}i${i}`, ref, summary: `${LONG} ${i}`, label: null, text: LONG, parentRef: ref.includes(".") ? "6" : null, deadline: null };
      for (let u = 0; u < 5; u++) {
        const unit = units[(d * 3 + i + u) % units.length]!;
        const n = d * 40 + i * 5 + u;
        const status = STATUSES[n % STATUSES.length]!;
        const dueDate = n % 7 === 0 ? null : addDays(TODAY, -((n * 37) % 200) + 20);
        rows.push({
          assignment: { id: `a${n}`, orgId: "o", itemId: item.id, unitId: unit.key, role: "lead", status, dueDate, percent: status === "in_progress" ? 50 : null, statusChangedAt: null, doneAt: status === "done" ? new Date(`${dueDate ?? TODAY}T03:00:00Z`) : null, createdAt: new Date() },
          occurrence: null,
          item,
          unit: { id: unit.key, name: unit.name },
          directive,
        });
      }
    }
  }
  return rows;
}

const rows = bigWard();
const unitId = rows[0]!.unit.id;
const d0 = rows.filter((r) => r.directive.id === "d0");
const answers: [string, string[]][] = [
  ["tình hình", overview(rows, TODAY)],
  ["tình hình TB 05/6", directiveSummary(d0, TODAY)],
  ["tình hình TB 05/6 nv 6", itemSummary(d0.filter((r) => r.item.ref.startsWith("6")), TODAY, "6")],
  ["tình hình nv 2 (five directives)", itemAcrossDirectives(rows.filter((r) => r.item.ref === "2"), TODAY, "2")],
  ["tình hình <đơn vị>", unitSummary(rows.filter((r) => r.unit.id === unitId), TODAY)],
  ["quá hạn", overdueSummary(rows, TODAY)],
  ["ai chưa báo cáo", unreportedSummary(rows, TODAY, "")],
  ["ai chưa báo cáo nv 2", unreportedSummary(rows.filter((r) => r.item.ref === "2"), TODAY, " NV 2")],
];

describe("leader answers fit one phone screen (5 directives × 40 assignments)", () => {
  it.each(answers)("%s", (_name, lines) => {
    const text = lines.join("\n");
    expect(lines.length).toBeLessThanOrEqual(LEADER_BUDGET.maxLines);
    expect(text.length).toBeLessThanOrEqual(LEADER_BUDGET.maxChars);
    // One message: what `say` would send.
    expect(splitMessages(lines, { maxLines: 15, maxChars: 2000 })).toHaveLength(1);
    // Never a blind cut: no line ends in a half word with "…" glued to it.
    for (const line of lines) expect(line).not.toMatch(/\p{L}…$/u);
  });

  it("names each directive in the overview and every group of refs", () => {
    const text = overview(rows, TODAY).join("\n");
    for (const name of ["TB 05/6", "KH 11", "CV 12", "CT 13", "NQ 14"]) expect(text).toContain(name);
    expect(overdueSummary(rows, TODAY).join("\n")).toMatch(/\((TB 05\/6|KH 11|CV 12|CT 13|NQ 14): NV /);
  });

  it("lists overdue work by unit, the longest overdue first, with the command to see more", () => {
    const lines = overdueSummary(rows, TODAY);
    const days = lines.filter((l) => l.startsWith("• ")).map((l) => Number(/lâu nhất (\d+) ngày/.exec(l)?.[1]));
    expect(days.length).toBeGreaterThan(2);
    expect([...days].sort((a, b) => b - a)).toEqual(days);
    expect(lines.join("\n")).toMatch(/… và \d+ đơn vị khác \(gõ: quá hạn chi tiết\)/);
  });

  it("counts the overdue age buckets and the stale ongoing work in the totals", () => {
    const text = overview(rows, TODAY)[1]!;
    expect(text).toMatch(/\d+ quá hạn \(\d+ quá 30 ngày\)/);
    expect(text).toMatch(/\d+ việc thường xuyên quá 3 tháng chưa báo cáo/);
  });
});
