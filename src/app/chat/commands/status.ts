import type { AssignmentStatus } from "../../../domain/index.ts";
import { command } from "../command.ts";
import { say } from "../context.ts";
import { countsLine, rowLine } from "../replies.ts";
import { scope } from "./queries.ts";

const ORDER: Record<AssignmentStatus, number> = { blocked: 0, not_reported: 1, in_progress: 2, done: 3 };

/** `/tinhhinh`, "tình hình nv 6", "tình hình hội CCB". */
export const status = command({
  name: "status",
  intents: ["status"],
  roles: ["leader", "office"],
  help: ["• /tinhhinh · tình hình nv 6 · tình hình hội CCB"],
  async run(ctx, it) {
    const found = await scope(ctx, it);
    if (!found) return;
    const sorted = [...found.rows].sort((a, b) => ORDER[a.assignment.status] - ORDER[b.assignment.status]);
    return say(ctx, [`${found.title}: ${countsLine(found.rows, ctx.today)}`, ...sorted.map((r) => rowLine(r, ctx.today, !found.oneUnit))]);
  },
});
