import { command } from "../command.ts";
import { say } from "../context.ts";
import { sendBroadcast } from "./send-broadcast.ts";

/** `/thongbao Họp giao ban 8h thứ Hai`: an announcement to every reachable cadre. */
export const broadcast = command({
  name: "broadcast",
  intents: ["broadcast"],
  roles: ["office"],
  help: ["• /thongbao <nội dung> — gửi thông báo cho các đơn vị"],
  async run(ctx, it) {
    if (!it.text) return say(ctx, "Nội dung thông báo là gì? Ví dụ: /thongbao Họp giao ban 8h thứ Hai.");
    return sendBroadcast(ctx, { kind: "announcement", text: it.text, targets: { everyone: true } }, (n) => `Đã xếp thông báo gửi tới ${n} cán bộ.`);
  },
});
