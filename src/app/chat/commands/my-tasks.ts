import { standing } from "../../../domain/index.ts";
import { command } from "../command.ts";
import { say } from "../context.ts";
import { rowLine } from "../replies.ts";
import { myRows } from "../reports.ts";

/** Open items shown before "…": the list stays on one phone screen. */
const SHOWN = 9;

/** `/nhiemvu`: the cadre's open items, the most urgent first; the done ones only counted. */
export const myTasks = command({
  name: "my_tasks",
  intents: ["my_tasks"],
  roles: ["cadre"],
  help: ["• /nhiemvu — việc của đơn vị mình"],
  async run(ctx) {
    if (!ctx.person) return;
    const rows = await myRows(ctx, ctx.person);
    if (rows.length === 0) return say(ctx, `Đơn vị của ${ctx.you} hiện chưa được giao nhiệm vụ nào.`);
    const urgency = (r: (typeof rows)[number]) => {
      const st = standing(r.assignment, ctx.today, r.directive.activatedAt);
      return st.class === "overdue" ? -10_000 - st.days : st.class === "in_term" ? st.days : 5_000;
    };
    const open = rows.filter((r) => r.assignment.status !== "done").sort((a, b) => urgency(a) - urgency(b));
    const done = rows.length - open.length;
    if (open.length === 0) return say(ctx, `Đơn vị của ${ctx.you} đã hoàn thành cả ${rows.length} việc được giao.`);
    const lines = open.slice(0, SHOWN).map((r) => `• ${rowLine(r, ctx.today, false)}`);
    if (open.length > SHOWN) lines.push(`… và ${open.length - SHOWN} việc khác.`);
    return say(ctx, [`Đơn vị của ${ctx.you} còn ${open.length} việc chưa xong${done > 0 ? ` (đã xong ${done})` : ""}:`, ...lines, `Báo cáo: gõ số nhiệm vụ và kết quả, ví dụ "bc ${open[0]!.item.ref} xong".`]);
  },
});
