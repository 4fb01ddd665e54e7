export { createIntake, directiveHeader, IntakeError, normalizeSourceText, orgUnitDefs } from "./intake.ts";
export type { Intake, ItemEdit, ActivationResult, IntakeErrorCode } from "./intake.ts";
export type * from "./ports.ts";
