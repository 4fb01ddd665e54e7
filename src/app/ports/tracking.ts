/** The tracked state: assignments, occurrences, reports, extensions. */
import type { Assignment, AssignmentRole, BoardRow, AssignmentStatus, Extension, Occurrence, Report } from "../../domain/index.ts";

/**
 * Assignments, extensions, occurrences and reports: the tracked state.
 * @example
 * const a = await store.tracking.assign({ orgId, itemId, unitId, role: "lead", dueDate: "2020-06-30" });
 */
export interface TrackingRepository {
  assign(input: {
    orgId: string;
    itemId: string;
    unitId: string;
    role: AssignmentRole;
    dueDate?: string | null;
  }): Promise<Assignment>;
  assignment(orgId: string, id: string): Promise<Assignment | null>;
  assignmentsOfItem(orgId: string, itemId: string): Promise<Assignment[]>;
  /** Records a report and moves the assignment's status, in one transaction. Idempotent per
   * (inbound message, assignment): a repeat returns the first report with `created: false`. */
  recordReport(input: {
    orgId: string;
    assignmentId: string;
    occurrenceId?: string | null;
    personId?: string | null;
    inboundMessageId?: string | null;
    status: AssignmentStatus;
    percent?: number | null;
    count?: number | null;
    countNoun?: string | null;
    text?: string;
    reportedAt: Date;
  }): Promise<{ report: Report; created: boolean }>;
  reports(orgId: string, assignmentId: string): Promise<Report[]>;
  upsertOccurrence(input: {
    orgId: string;
    assignmentId: string;
    periodStart: string;
    periodEnd: string;
    dueDate: string;
    onDutyUnitId?: string | null;
  }): Promise<Occurrence>;
  occurrences(orgId: string, assignmentId: string): Promise<Occurrence[]>;
  /** The occurrences of many assignments in one query, by period. */
  occurrencesOf(orgId: string, assignmentIds: string[]): Promise<Occurrence[]>;
  /** Every occurrence of the org not yet done, for planning in one pass. */
  openOccurrences(orgId: string): Promise<Occurrence[]>;
  /**
   * Every assignment of the org's active directives, with item, unit and directive; a recurring
   * item's row shows its occurrence current on `today` (the caller's local day, from its clock).
   */
  board(orgId: string, today: string): Promise<BoardRow[]>;
  /** The board rows of assignments with a reminder due in the hour up to `now` (what firing needs). */
  dueBoardRows(orgId: string, now: Date): Promise<BoardRow[]>;
  /** The board rows of these assignments only. */
  boardRows(orgId: string, assignmentIds: string[], today: string): Promise<BoardRow[]>;
  pendingExtensions(orgId: string): Promise<Extension[]>;
  /** Approves (moving the assignment's due date) or rejects a requested extension, once. */
  decideExtension(input: {
    orgId: string;
    extensionId: string;
    status: "approved" | "rejected";
    decidedBy: string;
    at: Date;
  }): Promise<Extension | null>;
  requestExtension(input: {
    orgId: string;
    assignmentId: string;
    requestedBy?: string | null;
    toDate: string;
    reason?: string | null;
  }): Promise<Extension>;
  /** The latest report (by its own time) of each of these assignments, with who sent it; one query. */
  lastReports(orgId: string, assignmentIds: string[]): Promise<LatestReport[]>;
  /** Every report on the assignments of one directive, oldest first, with its item and unit. */
  reportsOfDirective(orgId: string, directiveId: string): Promise<DirectiveReport[]>;
  /** The board rows of one active directive (none when it is a draft or archived). */
  directiveBoard(orgId: string, directiveId: string, today: string): Promise<BoardRow[]>;
  /** Per directive of the org that has assignments: how many, how many done, how many open past `today`. */
  progressByDirective(orgId: string, today: string): Promise<DirectiveProgressCount[]>;
}

/** The last word on an assignment: what the status board shows on hover. */
export interface LatestReport {
  assignmentId: string;
  status: AssignmentStatus;
  percent: number | null;
  text: string;
  reportedAt: Date;
  /** The reporter's full name; null when the report has no person (office entry, deleted person). */
  personName: string | null;
}

/** One report of a directive, with what the báo cáo groups it by. */
export interface DirectiveReport extends LatestReport {
  id: string;
  itemId: string;
  unitId: string;
  unitName: string;
}

export interface DirectiveProgressCount {
  directiveId: string;
  total: number;
  done: number;
  /** Not done and past their due day. */
  overdue: number;
}
