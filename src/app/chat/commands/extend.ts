import { addDays, parseDay } from "../../../domain/index.ts";
import { command } from "../command.ts";
import { resolveAndReport } from "../reports.ts";

/** The example's new due day: two weeks from `today`, written d/m/yyyy as people type it. */
function exampleDate(today: string | null): string {
  const day = today ? parseDay(addDays(today, 14)) : null;
  return day ? `${day.d}/${day.m}/${day.y}` : "<ngày mới>";
}

/** `/giahan 6 <ngày> chờ số liệu`: a cadre asks; leaders and office are told. */
export const extend = command({
  name: "extend",
  intents: ["extend"],
  roles: ["cadre"],
  help: (today) => [`• /giahan 6 ${exampleDate(today)} lý do — xin gia hạn`],
  run: async (ctx, it) => (ctx.person ? resolveAndReport(ctx, ctx.person, it, "extend") : undefined),
});
