import { directiveName, groupBy, pickDirective, refCovers } from "../../../domain/index.ts";
import { command } from "../command.ts";
import { say } from "../context.ts";
import { sendBroadcast } from "./send-broadcast.ts";

/**
 * `/nhacnho [TB 05/6] [6]`: remind every unit that has not reported (on item 6 of that
 * directive). An item number found in several active directives is asked about, never guessed.
 */
export const remind = command({
  name: "remind",
  intents: ["remind"],
  roles: ["office", "leader"],
  help: ["• /nhacnho 6 — nhắc các đơn vị chưa báo cáo (/nhacnho TB 05/6 6 khi có nhiều văn bản)"],
  async run(ctx, it) {
    const board = await ctx.deps.store.tracking.board(ctx.msg.orgId, ctx.today);
    const directives = [...groupBy(board, (r) => r.directive.id)].map(([id, rs]) => ({ id, name: directiveName(rs[0]!.directive) }));
    const picked = ctx.selector ? pickDirective(ctx.selector, directives) : null;
    if (ctx.selector && !picked) return say(ctx, `Không tìm thấy văn bản "${ctx.selector.toUpperCase()}". Các văn bản đang theo dõi: ${directives.map((d) => d.name).join(", ")}.`);
    const text = it.text;
    if (it.item && !picked) {
      const ref = it.item;
      const holding = directives.filter((d) => board.some((r) => r.directive.id === d.id && refCovers(r.item.ref, ref)));
      if (holding.length > 1) {
        return say(ctx, [`NV ${ref} có trong ${holding.length} văn bản: ${holding.map((d) => d.name).join(", ")}.`, `Đề nghị ${ctx.you} gõ rõ văn bản, ví dụ: /nhacnho ${holding[0]!.name} ${ref}`]);
      }
    }
    const scopeText = [it.item ? ` NV ${it.item}` : "", picked ? ` (${picked.name})` : ""].join("");
    return sendBroadcast(
      ctx,
      { kind: "remind", ...(text ? { text } : {}), targets: { notReportedOn: it.item ?? "*", ...(picked ? { notReportedIn: picked.id } : {}) } },
      (n) => `Đã xếp ${n} tin nhắc tới các đơn vị chưa báo cáo${scopeText}.`,
    );
  },
});
