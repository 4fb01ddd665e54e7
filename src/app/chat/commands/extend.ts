import { command } from "../command.ts";
import { resolveAndReport } from "../reports.ts";

/** `/giahan 6 15/7/2020 chờ số liệu`: a cadre asks; leaders and office are told. */
export const extend = command({
  name: "extend",
  intents: ["extend"],
  roles: ["cadre"],
  help: ["• /giahan 6 15/7/2020 lý do — xin gia hạn"],
  run: async (ctx, it) => (ctx.person ? resolveAndReport(ctx, ctx.person, it, "extend") : undefined),
});
