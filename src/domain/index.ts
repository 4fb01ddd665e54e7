/**
 * The public surface of `src/domain/`: pure types and rules, no I/O. Other folders import from
 * here, never from the files behind it.
 *
 * @example
 * import { parseDirective, matchUnits, findDeadline, fold } from "../domain/index.ts";
 * const parsed = parseDirective(text, { units: orgUnits });
 */
export { parseDirective } from "./directive-parser.ts";
export type { ParseOptions, ParsedAssignee, ParsedDirective, ParsedItem } from "./directive-parser.ts";

export { BUILTIN_UNITS, expandGroup, matchUnits, mergeUnits, resolveUnit } from "./units.ts";
export type { UnitDef, UnitMention } from "./units.ts";

export { NO_DEADLINE, findDeadline, findRotation, resolveDeadline } from "./deadline.ts";
export type { Deadline, DeadlineContext, DeadlineKind, Period, Rotation } from "./deadline.ts";

export { fold, foldWithMap, nfc, refCovers, safeLine, safeText, sourceSlice } from "./text.ts";
export type { FoldedText } from "./text.ts";

export { interpret } from "./intent.ts";
export type { Intent, InterpretContext, Interpretation } from "./intent.ts";

export { CONFIDENT, MARGIN, rankItems } from "./similarity.ts";
export type { RankableItem, RankedItem } from "./similarity.ts";

export { groupBy } from "./group-by.ts";
export { decideAttempt } from "./backoff.ts";
export type { AttemptDecision, AttemptPolicy, AttemptState } from "./backoff.ts";

export * from "./entities.ts";
export * from "./time.ts";
export * from "./status-text.ts";
export * from "./calendar.ts";
export { DEFAULT_POLICY, planReminders } from "./reminder-policy.ts";
export type { PlannedReminder, ReminderPolicy } from "./reminder-policy.ts";
export { OCCURRENCE_HORIZON, planOccurrences } from "./occurrences.ts";
export type { OccurrencePlan } from "./occurrences.ts";
export { directiveName, docTypeAbbr, findDirectiveSelector, itemLabel, itemName, makeItemLabel, nameKey, pickDirective } from "./names.ts";
