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
