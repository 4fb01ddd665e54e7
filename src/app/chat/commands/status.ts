import type { AssignmentStatus } from "../../../domain/index.ts";
import { command } from "../command.ts";
import { say } from "../context.ts";
import { countsLine, rowLine } from "../replies.ts";
import { directiveSummary, itemAcrossDirectives, itemSummary, overview, unitSummary } from "../summaries.ts";
import { scope } from "./queries.ts";

const ORDER: Record<AssignmentStatus, number> = { blocked: 0, not_reported: 1, in_progress: 2, done: 3 };

/**
 * `/tinhhinh`, "tình hình TB 05/6", "tình hình nv 6", "tình hình hội CCB": one phone screen,
 * totals first and the command to type for more; "chi tiết" gives every row.
 */
export const status = command({
  name: "status",
  intents: ["status"],
  roles: ["leader", "office"],
  help: ["• /tinhhinh · tình hình TB 05/6 · tình hình nv 6 · tình hình hội CCB (thêm \"chi tiết\" để xem đủ)"],
  async run(ctx, it) {
    const found = await scope(ctx, it);
    if (!found) return;
    const { rows } = found;
    if (found.details) {
      const sorted = [...rows].sort((a, b) => ORDER[a.assignment.status] - ORDER[b.assignment.status]);
      return say(ctx, [`Chi tiết: ${countsLine(rows, ctx.today)}`, ...sorted.map((r) => rowLine(r, ctx.today, !found.unit))]);
    }
    if (found.unit) return say(ctx, unitSummary(rows, ctx.today));
    if (found.item) {
      const directives = new Set(rows.map((r) => r.directive.id));
      return say(ctx, directives.size > 1 ? itemAcrossDirectives(rows, ctx.today, found.item) : itemSummary(rows, ctx.today, found.item));
    }
    if (found.directive) return say(ctx, directiveSummary(rows, ctx.today));
    return say(ctx, overview(rows, ctx.today));
  },
});
