import { standing } from "../../../domain/index.ts";
import { command } from "../command.ts";
import { say } from "../context.ts";
import { rowLine } from "../replies.ts";
import { overdueSummary } from "../summaries.ts";
import { scope } from "./queries.ts";

/** `/quahan` ("đơn vị nào quá hạn"): the units with overdue work, the oldest first. */
export const overdue = command({
  name: "overdue",
  intents: ["overdue"],
  roles: ["leader", "office"],
  help: ["• /quahan — đơn vị có việc quá hạn"],
  async run(ctx, it) {
    const found = await scope(ctx, it);
    if (!found) return;
    if (!found.details) return say(ctx, overdueSummary(found.rows, ctx.today));
    const late = found.rows.filter((r) => standing(r.assignment, ctx.today).class === "overdue");
    late.sort((a, b) => standing(b.assignment, ctx.today).days - standing(a.assignment, ctx.today).days);
    if (late.length === 0) return say(ctx, "Không có việc nào quá hạn.");
    return say(ctx, [`${late.length} việc quá hạn:`, ...late.map((r) => rowLine(r, ctx.today))]);
  },
});
