import { command } from "../command.ts";
import { resolveAndReport } from "../reports.ts";

/** `/baocao 6 xong`, "bc6 đang làm 80%", a reply "xong rồi ạ" to a reminder. */
export const report = command({
  name: "report",
  intents: ["report"],
  roles: ["cadre"],
  help: ["• /baocao 6 xong · bc6 đang làm 80% · bc 4 vướng kinh phí"],
  run: async (ctx, it) => (ctx.person ? resolveAndReport(ctx, ctx.person, it, "report") : undefined),
});
