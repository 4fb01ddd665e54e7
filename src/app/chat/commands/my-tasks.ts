import { command } from "../command.ts";
import { say } from "../context.ts";
import { rowLine } from "../replies.ts";
import { myRows } from "../reports.ts";

/** `/nhiemvu`: the cadre's open items, then the done ones. */
export const myTasks = command({
  name: "my_tasks",
  intents: ["my_tasks"],
  roles: ["cadre"],
  help: ["• /nhiemvu — việc của tôi"],
  async run(ctx) {
    if (!ctx.person) return;
    const rows = await myRows(ctx, ctx.person);
    if (rows.length === 0) return say(ctx, "Đơn vị của bạn hiện chưa được giao nhiệm vụ nào.");
    const open = rows.filter((r) => r.assignment.status !== "done");
    return say(ctx, [`Bạn có ${open.length} việc chưa xong (trên ${rows.length}):`, ...[...open, ...rows.filter((r) => r.assignment.status === "done")].map((r) => rowLine(r, ctx.today))]);
  },
});
