import { command } from "../command.ts";
import { say } from "../context.ts";

/** `/dangky CODE`: link this chat account to the person the office issued the code for. */
export const link = command({
  name: "link",
  intents: ["link"],
  roles: "anyone",
  help: [],
  async run(ctx, it) {
    if (ctx.person) return say(ctx, `Tài khoản này đã liên kết với ${ctx.person.fullName}.`);
    // A code typed in a group is seen by everyone there: linking happens in a direct chat only.
    if (ctx.thread.kind === "group") return say(ctx, "Mã liên kết là riêng của từng người: đề nghị đồng chí nhắn /dangky trong tin nhắn riêng với trợ lý, không nhắn trong nhóm.");
    if (!it.code) return say(ctx, "Đề nghị đồng chí nhắn /dangky kèm mã 12 số do Văn phòng cấp, ví dụ: /dangky 4829 1375 0062.");
    const outcome = await ctx.deps.linkCodes.redeem(ctx.msg.orgId, ctx.identity, ctx.msg.channel, it.code);
    if (outcome.linked) {
      const { person, unitNames } = outcome;
      return say(ctx, [`Đã liên kết tài khoản với ${person?.fullName ?? "đồng chí"}${unitNames.length > 0 ? ` (${unitNames.join(", ")})` : ""}.`, "Nhắn /trogiup để xem các lệnh."]);
    }
    switch (outcome.reason) {
      case "account_limit":
        return say(ctx, "Tài khoản này đã nhập sai mã quá 5 lần trong một giờ. Đề nghị đồng chí thử lại sau hoặc liên hệ Văn phòng.");
      case "org_limit":
        return say(ctx, "Việc liên kết tài khoản đang tạm dừng do có quá nhiều lần nhập sai mã. Đề nghị đồng chí liên hệ Văn phòng để được hỗ trợ.");
      case "wrong_channel":
        return say(ctx, "Mã này được cấp để liên kết trên kênh khác. Đề nghị đồng chí dùng đúng kênh ghi trong tin của Văn phòng, hoặc xin mã mới.");
      default:
        return say(ctx, "Mã không đúng hoặc đã hết hạn. Đề nghị đồng chí kiểm tra lại, hoặc xin mã mới từ Văn phòng.");
    }
  },
});
