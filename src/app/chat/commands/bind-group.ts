import { GroupBindingError } from "../../groups.ts";
import { command } from "../command.ts";
import { say } from "../context.ts";

/** `/gannhom Hội CCB` typed by office inside a group: the group now speaks for that unit. */
export const bindGroup = command({
  name: "bind_group",
  intents: ["bind_group"],
  roles: ["office"],
  help: ["• /gannhom <đơn vị> — (gõ trong nhóm Zalo) gắn nhóm với đơn vị"],
  async run(ctx, it) {
    if (ctx.thread.kind !== "group") {
      return say(ctx, "Lệnh /gannhom chỉ dùng trong nhóm chat của đơn vị: hãy gõ lệnh trong nhóm Zalo cần gắn, ví dụ: /gannhom Hội CCB.");
    }
    if (!it.text) return say(ctx, "Gắn nhóm này với đơn vị nào? Ví dụ: /gannhom Hội CCB.");
    try {
      const { unit } = await ctx.deps.groups.bind(ctx.msg.orgId, ctx.thread.id, it.text, `person:${ctx.person?.id ?? ""}`);
      ctx.thread = { ...ctx.thread, unitId: unit?.id ?? null };
      return say(ctx, `Đã gắn nhóm này với ${unit?.name ?? it.text}. Báo cáo trong nhóm sẽ tính cho đơn vị này.`, { quote: true });
    } catch (err) {
      if (err instanceof GroupBindingError) return say(ctx, err.code === "unit_not_found" ? `Không tìm thấy đơn vị "${it.text}". Hãy ghi đúng tên đơn vị, ví dụ: /gannhom Hội CCB.` : err.message);
      throw err;
    }
  },
});
