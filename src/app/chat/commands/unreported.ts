import { command } from "../command.ts";
import { say } from "../context.ts";
import { rowLine } from "../replies.ts";
import { unreportedSummary } from "../summaries.ts";
import { scope } from "./queries.ts";

/** `/chuabaocao [6]` ("ai chưa báo cáo nv 6"): the units that have not reported, grouped, oldest first. */
export const unreported = command({
  name: "unreported",
  intents: ["unreported"],
  roles: ["leader", "office"],
  help: ["• /chuabaocao [6] — ai chưa báo cáo"],
  async run(ctx, it) {
    const found = await scope(ctx, it);
    if (!found) return;
    const what = [found.item ? ` NV ${found.item}` : "", found.directive ? ` (${found.directive})` : ""].join("");
    if (!found.details) return say(ctx, unreportedSummary(found.rows, ctx.today, what));
    const silent = found.rows.filter((r) => r.assignment.status === "not_reported");
    if (silent.length === 0) return say(ctx, `Tất cả đơn vị đã báo cáo${what}.`);
    return say(ctx, [`Chưa báo cáo${what}: ${silent.length} việc:`, ...silent.map((r) => rowLine(r, ctx.today))]);
  },
});
