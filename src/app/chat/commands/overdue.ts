import { timing } from "../../../domain/index.ts";
import { command } from "../command.ts";
import { say } from "../context.ts";
import { rowLine } from "../replies.ts";
import { scope } from "./queries.ts";

/** `/quahan`: what is past its due day, the oldest first. */
export const overdue = command({
  name: "overdue",
  intents: ["overdue"],
  roles: ["leader", "office"],
  help: ["• /quahan — việc quá hạn"],
  async run(ctx, it) {
    const found = await scope(ctx, it);
    if (!found) return;
    const late = found.rows.filter((r) => timing(r.assignment, ctx.today).class === "overdue");
    late.sort((a, b) => timing(b.assignment, ctx.today).days - timing(a.assignment, ctx.today).days);
    if (late.length === 0) return say(ctx, "Không có việc nào quá hạn. 👍");
    return say(ctx, [`${late.length} việc quá hạn:`, ...late.map((r) => rowLine(r, ctx.today))]);
  },
});
