export {
  ACTIVATION_WARNING_KINDS,
  ACTIVATION_WARNING_LABEL,
  activationMessage,
  assertParsableLength,
  createIntake,
  directiveHeader,
  IntakeError,
  isActivationWarningKind,
  MAX_DIRECTIVE_CHARS,
  normalizeSourceText,
  orgUnitDefs,
} from "./intake.ts";
export type { Intake, ItemEdit, ActivationResult, IntakeErrorCode, ActivateOptions, ActivationReach, ActivationWarning, ActivationWarningKind } from "./intake.ts";
export type * from "./ports/index.ts";
export { cleanText, COMMANDS, createConversation, helpText, parseReportPayload, reportChoices, reportPayload } from "./chat/index.ts";
export type { ChatCommand, Conversation, ConversationDeps, ConversationLimits } from "./chat/index.ts";
export { createAlerts } from "./alerts.ts";
export type { Alerts } from "./alerts.ts";
export { createDelivery } from "./delivery.ts";
export type { Delivery, DeliverOptions, DeliveryResult } from "./delivery.ts";
export { BroadcastError, createBroadcasts } from "./broadcasts.ts";
export type { Broadcasts, BroadcastRequest, BroadcastTargets, BroadcastView } from "./broadcasts.ts";
export { createPlanner } from "./planner.ts";
export type { Planner, PlannerDeps } from "./planner.ts";
export { createDigest, isoWeek, leaderDigest, officeDigest } from "./digest.ts";
export type { Digest } from "./digest.ts";
export { createOrgSettings, DEFAULT_VOICE, effectiveSettings, OrgSettingsError, orgSettingsSchema, parseOrgSettings, settingsOrDefaults } from "./org-settings.ts";
export type { Address, OrgSettings, Voice } from "./org-settings.ts";
export { createGroups, GroupBindingError, resolveUnit } from "./groups.ts";
export type { Groups } from "./groups.ts";
export { createWebAuth, WebAuthError } from "./web-auth.ts";
export type { PasswordHasher, WebAuth, WebUser } from "./web-auth.ts";
export { CELL_CLASSES, CELL_CLASS_VI, CELL_COLOURS, cellClass, cellLabel, createBoardView, deadlineText, directiveTitle, isProposal } from "./board.ts";
export type {
  BoardCell,
  BoardFilters,
  BoardItem,
  BoardUnit,
  BoardView,
  BoardViews,
  CellClass,
  DirectiveHeader,
  DirectiveProgress,
  LastReport,
  ReportDraft,
  ReportItem,
  ReportNote,
  ReportUnitLine,
  UnitView,
} from "./board.ts";
export { createInbox } from "./inbox.ts";
export type { Inbox, RepliesState } from "./inbox.ts";
export { createDirectory, DirectoryError } from "./directory.ts";
export type { Directory } from "./directory.ts";
export { computeKpis, createKpiView } from "./kpis.ts";
export type { DirectiveKpis, KpiInput, Kpis, KpiTally, KpiView, UnitKpis, WeekKpis } from "./kpis.ts";
