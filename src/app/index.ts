export {
  assertParsableLength,
  createIntake,
  directiveHeader,
  IntakeError,
  MAX_DIRECTIVE_CHARS,
  normalizeSourceText,
  orgUnitDefs,
} from "./intake.ts";
export type { Intake, ItemEdit, ActivationResult, IntakeErrorCode } from "./intake.ts";
export type * from "./ports.ts";
export { cleanText, createConversation } from "./conversation.ts";
export type { Conversation, ConversationDeps, ConversationLimits } from "./conversation.ts";
export { createDelivery } from "./delivery.ts";
export type { DeliveryResult } from "./delivery.ts";
export { createPlanner } from "./planner.ts";
export type { Planner, PlannerDeps } from "./planner.ts";
