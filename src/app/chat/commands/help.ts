import type { Person } from "../../../domain/index.ts";
import { allowed, command, helpLines } from "../command.ts";
import { say, type CommandInfo } from "../context.ts";

/** Who reads the help, who speaks, and the day it is shown on (dated examples need it). */
export interface HelpVoice {
  /** The local day (YYYY-MM-DD); without it, examples carry no date. */
  today?: string;
  /** How the reader is addressed: "đồng chí" by default (org setting per role). */
  you?: string;
  /** Who speaks: the org's office, "Văn phòng Đảng ủy" by default. */
  office?: string;
}

/**
 * The help text, made from the command table: each command's lines for those who may use it,
 * in the office's voice.
 *
 * @example
 * helpText(person, COMMANDS, { today: "2026-03-11", you: "đồng chí", office: "Văn phòng Đảng ủy" })
 * // ["Văn phòng Đảng ủy kính chào đồng chí Nguyễn Văn A. Các lệnh đồng chí có thể dùng:", "• /nhiemvu — việc của tôi", …]
 */
export function helpText(person: Person | null, commands: readonly CommandInfo[], voice: HelpVoice = {}): string[] {
  const you = voice.you ?? "đồng chí";
  const office = voice.office ?? "Văn phòng Đảng ủy";
  if (!person) {
    return [
      `${office} kính chào ${you}. Đây là kênh theo dõi, đôn đốc thực hiện nhiệm vụ của Đảng ủy.`,
      `Để bắt đầu, đề nghị ${you} nhắn: /dangky <mã> (mã 12 số do ${office} cấp).`,
    ];
  }
  const lines = [`${office} kính chào ${you} ${person.fullName}. Các lệnh ${you} có thể dùng:`];
  for (const cmd of commands) if (cmd.roles !== "anyone" && allowed(cmd, person.roles)) lines.push(...helpLines(cmd, voice.today ?? null));
  lines.push("Có thể gõ không dấu, không cần dấu /.");
  return lines;
}

export const help = command({
  name: "help",
  intents: ["help"],
  roles: "anyone",
  help: [],
  run: (ctx) => say(ctx, helpText(ctx.person, ctx.commands, { today: ctx.today, you: ctx.you, office: ctx.office })),
});
