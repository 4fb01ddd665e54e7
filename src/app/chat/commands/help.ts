import type { Person } from "../../../domain/index.ts";
import { allowed, command } from "../command.ts";
import { say, type CommandInfo } from "../context.ts";

/** The help text, made from the command table: each command's lines for those who may use it. */
export function helpText(person: Person | null, commands: readonly CommandInfo[]): string[] {
  if (!person) {
    return ["Chào bạn! Đây là trợ lý đôn đốc nhiệm vụ của Đảng ủy.", "Để bắt đầu, đề nghị nhắn: /dangky <mã> (mã 12 số do Văn phòng cấp)."];
  }
  const lines = [`Chào ${person.fullName}! Các lệnh bạn dùng được:`];
  for (const cmd of commands) if (cmd.roles !== "anyone" && allowed(cmd, person.roles)) lines.push(...cmd.help);
  lines.push("Có thể gõ không dấu, không cần dấu /.");
  return lines;
}

export const help = command({
  name: "help",
  intents: ["help"],
  roles: "anyone",
  help: [],
  run: (ctx) => say(ctx, helpText(ctx.person, ctx.commands)),
});
