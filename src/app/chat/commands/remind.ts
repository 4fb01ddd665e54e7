import { command } from "../command.ts";
import { sendBroadcast } from "./send-broadcast.ts";

/** `/nhacnho [6]`: remind every unit that has not reported (on item 6). */
export const remind = command({
  name: "remind",
  intents: ["remind"],
  roles: ["office", "leader"],
  help: ["• /nhacnho 6 — nhắc các đơn vị chưa báo cáo"],
  run: (ctx, it) =>
    sendBroadcast(ctx, { kind: "remind", ...(it.text ? { text: it.text } : {}), targets: { notReportedOn: it.item ?? "*" } }, (n) => `Đã xếp ${n} tin nhắc tới các đơn vị chưa báo cáo${it.item ? ` NV ${it.item}` : ""}.`),
});
