/**
 * A chat command (DESIGN.md §5) as one module: the intents it answers, who may use it, its line
 * in the help text, and what it does. The list in `commands/index.ts` is the only registry: the
 * help text and the role refusals are made from it.
 */
import type { PersonRole } from "../../domain/index.ts";
import type { Intent, Interpretation } from "../../domain/index.ts";
import type { ChatContext, CommandInfo, HelpLines } from "./context.ts";

export interface ChatCommand extends CommandInfo {
  /** A short name for tests and logs ("report", "status"). */
  name: string;
  /** The intents (src/domain/intent.ts) this command answers. */
  intents: readonly Intent[];
  /** Who may use it: people holding one of these roles, or "anyone" (an unlinked account too). */
  roles: readonly PersonRole[] | "anyone";
  /** Its lines in the help text, shown to the people who may use it (or made for the day shown). */
  help: HelpLines;
  run(ctx: ChatContext, it: Interpretation): Promise<void>;
}

/**
 * @example
 * export const myTasks = command({ name: "my_tasks", intents: ["my_tasks"], roles: ["cadre"], help: ["• /nhiemvu — việc của tôi"], run: async (ctx) => { … } });
 */
export function command(definition: ChatCommand): ChatCommand {
  return definition;
}

/** Whether this person may use the command. */
export function allowed(cmd: CommandInfo, roles: readonly PersonRole[] | null): boolean {
  if (cmd.roles === "anyone") return true;
  return roles !== null && cmd.roles.some((r) => roles.includes(r));
}

/** A command's help lines as shown on `today` (a local day, YYYY-MM-DD; null: undated). */
export function helpLines(cmd: Pick<CommandInfo, "help">, today: string | null): readonly string[] {
  return typeof cmd.help === "function" ? cmd.help(today) : cmd.help;
}
