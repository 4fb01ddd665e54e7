/**
 * The conversation: one module per chat command (`commands/`), the inbound pipeline
 * (`conversation.ts`), what every command shares (`context.ts`, `replies.ts`, `reports.ts`), the
 * door every message passes (`door.ts`) and link codes (`link-codes.ts`).
 */
export { cleanText, createConversation } from "./conversation.ts";
export type { Conversation, ConversationDeps } from "./conversation.ts";
export type { ChatContext, ConversationLimits } from "./context.ts";
export type { ChatCommand } from "./command.ts";
export { COMMANDS, helpText } from "./commands/index.ts";
export { parseReportPayload, reportChoices, reportPayload } from "./reports.ts";
export { admit, boundedRaw } from "./door.ts";
export { createLinkCodes, groupCode, LINK_CODE_DIGITS } from "./link-codes.ts";
