import { command } from "../command.ts";
import { say } from "../context.ts";
import { rowLine } from "../replies.ts";
import { scope } from "./queries.ts";

/** `/chuabaocao [6]`: who has not reported. */
export const unreported = command({
  name: "unreported",
  intents: ["unreported"],
  roles: ["leader", "office"],
  help: ["• /chuabaocao [6] — ai chưa báo cáo"],
  async run(ctx, it) {
    const found = await scope(ctx, it);
    if (!found) return;
    const silent = found.rows.filter((r) => r.assignment.status === "not_reported");
    if (silent.length === 0) return say(ctx, it.item ? `Tất cả đơn vị đã báo cáo NV ${it.item}.` : "Tất cả đơn vị đã báo cáo.");
    const units = new Set(silent.map((r) => r.unit.name));
    return say(ctx, [`${units.size} đơn vị chưa báo cáo (${silent.length} lượt):`, ...silent.map((r) => rowLine(r, ctx.today))]);
  },
});
