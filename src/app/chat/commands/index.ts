/**
 * Every chat command, in the order the help text lists them. To add one: write its module
 * (`command({ name, intents, roles, help, run })`) and add it here.
 */
import type { ChatCommand } from "../command.ts";
import { bindGroup } from "./bind-group.ts";
import { broadcast } from "./broadcast.ts";
import { decide } from "./decide.ts";
import { extend } from "./extend.ts";
import { help } from "./help.ts";
import { link } from "./link.ts";
import { myTasks } from "./my-tasks.ts";
import { overdue } from "./overdue.ts";
import { remind } from "./remind.ts";
import { report } from "./report.ts";
import { status } from "./status.ts";
import { unreported } from "./unreported.ts";

export const COMMANDS: readonly ChatCommand[] = [help, link, myTasks, report, extend, status, overdue, unreported, remind, broadcast, bindGroup, decide];

export { helpText } from "./help.ts";
