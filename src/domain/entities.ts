/**
 * The words of DESIGN.md §2 as plain records: what the store keeps and the app works with.
 * Dates are `YYYY-MM-DD` calendar days in Asia/Ho_Chi_Minh; moments are `Date`s.
 */
export const CHANNELS = ["zalo", "zalo_bot", "messenger", "simulator"] as const;
export type Channel = (typeof CHANNELS)[number];

export const PERSON_ROLES = ["office", "cadre", "leader"] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

export const ASSIGNMENT_STATUSES = ["not_reported", "in_progress", "done", "blocked"] as const;
/** chưa báo cáo · đang thực hiện · hoàn thành · vướng mắc */
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export type AssignmentRole = "lead" | "support";
export type MembershipRole = "head" | "deputy" | "member";
export type ThreadKind = "direct" | "group";
export type DirectiveStatus = "draft" | "active" | "archived";
export type ReminderKind = "before" | "due" | "overdue" | "escalation" | "occurrence";
export type ReminderStatus = "pending" | "queued" | "sent" | "cancelled" | "failed";
export type OutboundStatus = "pending" | "sent" | "failed" | "cancelled";
export type DeliveryOutcome =
  | "sent"
  | "sending"
  | "failed"
  | "retrying"
  | "window_closed"
  | "rate_limited"
  | "unreachable";

export interface Org {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  settings: Record<string, unknown>;
  createdAt: Date;
}

export interface Unit {
  id: string;
  orgId: string;
  name: string;
  key: string | null;
  parentId: string | null;
  createdAt: Date;
}

export interface UnitAlias {
  orgId: string;
  unitId: string;
  alias: string;
  folded: string;
}

export interface Person {
  id: string;
  orgId: string;
  fullName: string;
  phone: string | null;
  roles: PersonRole[];
  createdAt: Date;
}

export interface UnitMembership {
  orgId: string;
  unitId: string;
  personId: string;
  role: MembershipRole;
  title: string | null;
  createdAt: Date;
}

export interface Identity {
  id: string;
  orgId: string;
  channel: Channel;
  externalId: string;
  personId: string | null;
  displayName: string | null;
  linkedAt: Date | null;
  lastInboundAt: Date | null;
  createdAt: Date;
}

export interface Thread {
  id: string;
  orgId: string;
  channel: Channel;
  externalId: string;
  kind: ThreadKind;
  title: string | null;
  unitId: string | null;
  lastItemId: string | null;
  pending: Record<string, unknown> | null;
  createdAt: Date;
}

export interface Directive {
  id: string;
  orgId: string;
  status: DirectiveStatus;
  docType: string | null;
  number: string | null;
  issuer: string | null;
  issuedDate: string | null;
  signer: string | null;
  recipients: string[];
  sourceText: string;
  sourceHash: string;
  sourceName: string | null;
  /** "TB 05/6": see `directiveName`. */
  shortName: string | null;
  createdAt: Date;
  activatedAt: Date | null;
}

export interface ItemDeadline {
  kind: string;
  text: string | null;
  due: string | null;
  every: string | null;
  timesPerPeriod: number | null;
  [key: string]: unknown;
}

export interface ItemRotation {
  teams: number;
  turn: string;
  text: string;
  [key: string]: unknown;
}

/** A unit proposed for an item (by the parser or by office in review). */
export interface ItemAssignee {
  /** The unit as written ("Hội CCB phường"). */
  name: string;
  role: AssignmentRole;
  /** The built-in dictionary key when the parser recognised the unit ("hoi-ccb"). */
  unitKey: string | null;
}

export interface Item {
  id: string;
  orgId: string;
  directiveId: string;
  ref: string;
  parentRef: string | null;
  position: number;
  text: string;
  summary: string;
  /** Short label for one-line lists: see `itemLabel`. */
  label: string | null;
  deadline: ItemDeadline | null;
  dueDate: string | null;
  rotation: ItemRotation | null;
  assignees: ItemAssignee[];
  createdAt: Date;
}

export interface Assignment {
  id: string;
  orgId: string;
  itemId: string;
  unitId: string;
  role: AssignmentRole;
  status: AssignmentStatus;
  dueDate: string | null;
  percent: number | null;
  statusChangedAt: Date | null;
  doneAt: Date | null;
  createdAt: Date;
}

export interface Extension {
  id: string;
  orgId: string;
  assignmentId: string;
  requestedBy: string | null;
  fromDate: string | null;
  toDate: string;
  reason: string | null;
  status: "requested" | "approved" | "rejected";
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

export interface Occurrence {
  id: string;
  orgId: string;
  assignmentId: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  onDutyUnitId: string | null;
  status: AssignmentStatus;
  percent: number | null;
  statusChangedAt: Date | null;
  doneAt: Date | null;
  createdAt: Date;
}

export interface InboundMessage {
  id: string;
  orgId: string;
  channel: Channel;
  externalMessageId: string;
  threadId: string | null;
  identityId: string | null;
  text: string;
  payload: string | null;
  replyToExternalId: string | null;
  sentAt: Date;
  receivedAt: Date;
  processedAt: Date | null;
  raw: unknown;
}

export interface Report {
  id: string;
  orgId: string;
  assignmentId: string;
  occurrenceId: string | null;
  personId: string | null;
  inboundMessageId: string | null;
  status: AssignmentStatus;
  percent: number | null;
  count: number | null;
  countNoun: string | null;
  text: string;
  reportedAt: Date;
  createdAt: Date;
}

export interface Reminder {
  id: string;
  orgId: string;
  assignmentId: string;
  occurrenceId: string | null;
  kind: ReminderKind;
  plannedAt: Date;
  status: ReminderStatus;
  dedupeKey: string;
  createdAt: Date;
}

export interface OutboundMessage {
  id: string;
  orgId: string;
  threadId: string | null;
  identityId: string | null;
  text: string;
  quoteExternalId: string | null;
  reminderId: string | null;
  itemId: string | null;
  fallbackOf: string | null;
  broadcastId: string | null;
  /** Set on a reply: the inbound message it answers (replies go first and ignore quiet hours). */
  inReplyTo: string | null;
  choices: { title: string; payload: string }[] | null;
  status: OutboundStatus;
  createdAt: Date;
}

export type BroadcastKind = "announcement" | "remind" | "digest";

export interface Broadcast {
  id: string;
  orgId: string;
  kind: BroadcastKind;
  text: string;
  targets: Record<string, unknown>;
  createdBy: string | null;
  dedupeKey: string | null;
  createdAt: Date;
}

export interface Delivery {
  id: string;
  orgId: string;
  outboundMessageId: string;
  channel: Channel;
  attempt: number;
  outcome: DeliveryOutcome;
  externalMessageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  attemptedAt: Date;
}

export interface AuditEntry {
  id: number;
  orgId: string;
  at: Date;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  data: Record<string, unknown>;
}

export interface LinkCode {
  id: string;
  orgId: string;
  personId: string;
  code: string;
  /** The channel the code was issued for, or null for any. */
  channel: Channel | null;
  failedTries: number;
  expiresAt: Date;
  usedAt: Date | null;
  usedByIdentityId: string | null;
  createdAt: Date;
}

/** One assignment with what a status line needs: its item, unit and directive. */
/** The period of a recurring item a board row shows (the one containing today, else the last begun). */
export interface CurrentOccurrence {
  id: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  onDutyUnitId: string | null;
  onDutyUnitName: string | null;
}

/**
 * One assignment as every reader sees it. For a recurring item, `assignment`'s status, percent,
 * due day and done moment are those of the current occurrence (`occurrence`): a report on this
 * week's Green Sunday turns the unit's cell, its status and the unreported lists.
 */
export interface BoardRow {
  assignment: Assignment;
  occurrence: CurrentOccurrence | null;
  item: { id: string; ref: string; summary: string; label: string | null; text: string; parentRef: string | null; deadline: ItemDeadline | null };
  unit: { id: string; name: string };
  directive: { id: string; number: string | null; docType: string | null; issuedDate: string | null; shortName: string | null; activatedAt: Date | null };
}
