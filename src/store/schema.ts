/**
 * The Drizzle schema: one table per entity of DESIGN.md §2, plus the inbound-message log and
 * the append-only audit log. Every table carries `orgId` (the tenant). Column names are camelCase
 * here and snake_case in SQL through Drizzle's `casing: "snake_case"`.
 *
 * Change it, then `npm run db:generate` to write the migration; never edit a migration that has run.
 */
import { sql } from "drizzle-orm";
import { CHANNELS } from "../domain/index.ts";
import {
  bigserial,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

const id = () => uuid().primaryKey().defaultRandom();
const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
const orgRef = () =>
  uuid()
    .notNull()
    .references(() => orgs.id, { onDelete: "cascade" });

/** The channels, as src/domain lists them (adding one there adds it here; drizzle-kit writes the migration). */
export const channel = pgEnum("channel", CHANNELS);
export const personRole = pgEnum("person_role", ["office", "cadre", "leader"]);
export const membershipRole = pgEnum("membership_role", ["head", "deputy", "member"]);
export const threadKind = pgEnum("thread_kind", ["direct", "group"]);
export const directiveStatus = pgEnum("directive_status", ["draft", "active", "archived"]);
export const assignmentRole = pgEnum("assignment_role", ["lead", "support"]);
export const assignmentStatus = pgEnum("assignment_status", [
  "not_reported",
  "in_progress",
  "done",
  "blocked",
]);
export const extensionStatus = pgEnum("extension_status", ["requested", "approved", "rejected"]);
export const reminderKind = pgEnum("reminder_kind", [
  "before",
  "due",
  "overdue",
  "escalation",
  "occurrence",
]);
export const reminderStatus = pgEnum("reminder_status", [
  "pending",
  "queued",
  "sent",
  "cancelled",
  "failed",
]);
export const broadcastKind = pgEnum("broadcast_kind", ["announcement", "remind", "digest"]);
export const outboundStatus = pgEnum("outbound_status", ["pending", "sent", "failed", "cancelled"]);
export const deliveryOutcome = pgEnum("delivery_outcome", [
  "sent",
  /** Marked before the channel call: after a crash, only these can be in doubt. */
  "sending",
  "failed",
  "retrying",
  "window_closed",
  "rate_limited",
  "unreachable",
]);

/** The tenant: one Party committee and everything it tracks. */
export const orgs = pgTable("orgs", {
  id: id(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  timezone: text().notNull().default("Asia/Ho_Chi_Minh"),
  /** Reminder policy, quiet hours, days off: validated by the app, defaults when empty. */
  settings: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
});

/** Who is assigned work. A unit may belong to a group unit ("các đoàn thể CTXH"). */
export const units = pgTable(
  "units",
  {
    id: id(),
    orgId: orgRef(),
    name: text().notNull(),
    /** A stable key from the built-in dictionary ("hoi-ccb") when the unit is a known kind. */
    key: text(),
    parentId: uuid().references((): AnyPgColumn => units.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.orgId, t.name), index().on(t.orgId, t.parentId)],
);

/** Other names of a unit ("Hội CCB" for "Hội Cựu chiến binh"), matched on the folded form. */
export const unitAliases = pgTable(
  "unit_aliases",
  {
    orgId: orgRef(),
    unitId: uuid()
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    alias: text().notNull(),
    /** Lower case, no diacritics, single spaces: what lookups compare. */
    folded: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.folded] }), index().on(t.unitId)],
);

export const persons = pgTable(
  "persons",
  {
    id: id(),
    orgId: orgRef(),
    fullName: text().notNull(),
    phone: text(),
    /** What the person may do: office, cadre, leader (several at once). */
    roles: personRole().array().notNull().default(sql`'{}'::person_role[]`),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.orgId)],
);

export const unitMemberships = pgTable(
  "unit_memberships",
  {
    orgId: orgRef(),
    unitId: uuid()
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    personId: uuid()
      .notNull()
      .references(() => persons.id, { onDelete: "cascade" }),
    role: membershipRole().notNull().default("member"),
    /** The position as written ("Chủ tịch Hội CCB"), shown to office. */
    title: text(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.personId] }), index().on(t.personId)],
);

/** A chat account (Zalo, Messenger, …), linked to a person once the person registers. */
export const identities = pgTable(
  "identities",
  {
    id: id(),
    orgId: orgRef(),
    channel: channel().notNull(),
    externalId: text().notNull(),
    personId: uuid().references(() => persons.id, { onDelete: "set null" }),
    displayName: text(),
    linkedAt: timestamp({ withTimezone: true }),
    /** The last message from this account: decides platform reply windows. */
    lastInboundAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.orgId, t.channel, t.externalId), index().on(t.personId)],
);

/** A direct or group conversation. A Zalo group can be bound to a unit. */
export const threads = pgTable(
  "threads",
  {
    id: id(),
    orgId: orgRef(),
    channel: channel().notNull(),
    externalId: text().notNull(),
    kind: threadKind().notNull(),
    title: text(),
    unitId: uuid().references(() => units.id, { onDelete: "set null" }),
    /** The item the bot last asked this thread about (item resolution, DESIGN.md §4.3). */
    lastItemId: uuid().references((): AnyPgColumn => items.id, { onDelete: "set null" }),
    /** A question the bot is waiting on in this thread (confirm an item, choose a unit). */
    pending: jsonb().$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.orgId, t.channel, t.externalId)],
);

export const directives = pgTable(
  "directives",
  {
    id: id(),
    orgId: orgRef(),
    status: directiveStatus().notNull().default("draft"),
    docType: text(),
    number: text(),
    issuer: text(),
    issuedDate: date({ mode: "string" }),
    signer: text(),
    recipients: text().array().notNull().default(sql`'{}'::text[]`),
    sourceText: text().notNull(),
    /** SHA-256 of the normalised source text: the same text imports once per org. */
    sourceHash: text().notNull(),
    sourceName: text(),
    /** What chat and pages call it ("TB 05/6", "KH 12"): made at intake, the office may edit it. */
    shortName: text(),
    createdAt: createdAt(),
    activatedAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique().on(t.orgId, t.sourceHash), index().on(t.orgId, t.status)],
);

/** The deadline as the parser resolved it (domain `Deadline`), kept for review and planning. */
export type StoredDeadline = {
  kind: string;
  text: string | null;
  due: string | null;
  every: string | null;
  timesPerPeriod: number | null;
  [key: string]: unknown;
};
export type StoredRotation = { teams: number; turn: string; text: string; [key: string]: unknown };
/** A proposed assignee as parsed or edited in review; becomes an Assignment on activation. */
export type StoredAssignee = { name: string; role: "lead" | "support"; unitKey: string | null };

export const items = pgTable(
  "items",
  {
    id: id(),
    orgId: orgRef(),
    directiveId: uuid()
      .notNull()
      .references(() => directives.id, { onDelete: "cascade" }),
    ref: text().notNull(),
    parentRef: text(),
    position: integer().notNull(),
    text: text().notNull(),
    summary: text().notNull(),
    /** A short label for one-line lists, made once at intake (never cut mid-word); the office may edit it. */
    label: text(),
    deadline: jsonb().$type<StoredDeadline>(),
    /** The resolved due day, or null for recurring, ongoing and undated items. */
    dueDate: date({ mode: "string" }),
    rotation: jsonb().$type<StoredRotation>(),
    assignees: jsonb().$type<StoredAssignee[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.directiveId, t.ref), index().on(t.orgId)],
);

/** Item × unit. Carries the status; timing (overdue, late) is derived, never stored. */
export const assignments = pgTable(
  "assignments",
  {
    id: id(),
    orgId: orgRef(),
    itemId: uuid()
      .notNull()
      .references(() => items.id, { onDelete: "cascade" }),
    unitId: uuid()
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    role: assignmentRole().notNull(),
    status: assignmentStatus().notNull().default("not_reported"),
    /** Current due day (moves with approved extensions); null when the item has none. */
    dueDate: date({ mode: "string" }),
    percent: integer(),
    statusChangedAt: timestamp({ withTimezone: true }),
    doneAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    unique().on(t.itemId, t.unitId),
    index().on(t.orgId, t.status),
    index().on(t.unitId),
    check("assignments_percent_range", sql`${t.percent} between 0 and 100`),
  ],
);

/** Gia hạn: a request to move an assignment's due date, and the leader's decision. */
export const extensions = pgTable(
  "extensions",
  {
    id: id(),
    orgId: orgRef(),
    assignmentId: uuid()
      .notNull()
      .references(() => assignments.id, { onDelete: "cascade" }),
    requestedBy: uuid().references(() => persons.id, { onDelete: "set null" }),
    fromDate: date({ mode: "string" }),
    toDate: date({ mode: "string" }).notNull(),
    reason: text(),
    status: extensionStatus().notNull().default("requested"),
    decidedBy: uuid().references(() => persons.id, { onDelete: "set null" }),
    decidedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.assignmentId)],
);

/** One period of a recurring item for one assignment, with the team on duty. */
export const occurrences = pgTable(
  "occurrences",
  {
    id: id(),
    orgId: orgRef(),
    assignmentId: uuid()
      .notNull()
      .references(() => assignments.id, { onDelete: "cascade" }),
    periodStart: date({ mode: "string" }).notNull(),
    periodEnd: date({ mode: "string" }).notNull(),
    dueDate: date({ mode: "string" }).notNull(),
    /** The team on duty this period (a rotation's "Tổ 2"), as a unit. */
    onDutyUnitId: uuid().references(() => units.id, { onDelete: "set null" }),
    status: assignmentStatus().notNull().default("not_reported"),
    percent: integer(),
    statusChangedAt: timestamp({ withTimezone: true }),
    doneAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.assignmentId, t.periodStart)],
);

/** Every chat message that reached dondoc, once: the key is the platform's message id. */
export const inboundMessages = pgTable(
  "inbound_messages",
  {
    id: id(),
    orgId: orgRef(),
    channel: channel().notNull(),
    externalMessageId: text().notNull(),
    threadId: uuid().references(() => threads.id, { onDelete: "set null" }),
    identityId: uuid().references(() => identities.id, { onDelete: "set null" }),
    text: text().notNull().default(""),
    /** A tapped quick-reply or button payload. */
    payload: text(),
    replyToExternalId: text(),
    sentAt: timestamp({ withTimezone: true }).notNull(),
    receivedAt: createdAt(),
    processedAt: timestamp({ withTimezone: true }),
    /** The platform payload as received, for audit; nothing above bots/ reads it. */
    raw: jsonb(),
  },
  (t) => [unique().on(t.channel, t.externalMessageId), index().on(t.orgId, t.receivedAt)],
);

/** Báo cáo tiến độ: what a cadre said about an assignment (or one occurrence of it). */
export const reports = pgTable(
  "reports",
  {
    id: id(),
    orgId: orgRef(),
    assignmentId: uuid()
      .notNull()
      .references(() => assignments.id, { onDelete: "cascade" }),
    occurrenceId: uuid().references(() => occurrences.id, { onDelete: "set null" }),
    personId: uuid().references(() => persons.id, { onDelete: "set null" }),
    inboundMessageId: uuid().references(() => inboundMessages.id, { onDelete: "set null" }),
    status: assignmentStatus().notNull(),
    percent: integer(),
    count: integer(),
    /** What the count counts, as written ("hội viên", "hộ"). */
    countNoun: text(),
    text: text().notNull().default(""),
    reportedAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // One inbound message records one report per assignment, however often it arrives.
    uniqueIndex("reports_message_assignment_unique").on(t.inboundMessageId, t.assignmentId),
    index().on(t.assignmentId, t.reportedAt),
    check("reports_percent_range", sql`${t.percent} between 0 and 100`),
  ],
);

/** A planned outbound reminder, tied to an assignment (and occurrence) and a moment. */
export const reminders = pgTable(
  "reminders",
  {
    id: id(),
    orgId: orgRef(),
    assignmentId: uuid()
      .notNull()
      .references(() => assignments.id, { onDelete: "cascade" }),
    occurrenceId: uuid().references(() => occurrences.id, { onDelete: "cascade" }),
    kind: reminderKind().notNull(),
    plannedAt: timestamp({ withTimezone: true }).notNull(),
    status: reminderStatus().notNull().default("pending"),
    /** Deterministic key (assignment, kind, day): planning twice creates nothing new. */
    dedupeKey: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.orgId, t.dedupeKey), index().on(t.status, t.plannedAt)],
);

/**
 * One message from office (or a digest) to many: the outbox rows carrying its id are its
 * recipients, so its progress is read from them.
 */
export const broadcasts = pgTable(
  "broadcasts",
  {
    id: id(),
    orgId: orgRef(),
    kind: broadcastKind().notNull(),
    text: text().notNull(),
    /** What office asked for (units, people, groups, "not reported on item N"), as sent. */
    targets: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdBy: uuid().references(() => persons.id, { onDelete: "set null" }),
    /** Set for scheduled ones (a weekly digest): the same key is one broadcast. */
    dedupeKey: text(),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.orgId, t.dedupeKey), index().on(t.orgId, t.createdAt)],
);

/** The outbox: one message dondoc means to send to a thread. Deliveries are its attempts. */
export const outboundMessages = pgTable(
  "outbound_messages",
  {
    id: id(),
    orgId: orgRef(),
    threadId: uuid().references(() => threads.id, { onDelete: "set null" }),
    identityId: uuid().references(() => identities.id, { onDelete: "set null" }),
    text: text().notNull(),
    /** The platform id of the message this one quotes, when it is a reply. */
    quoteExternalId: text(),
    /** One-tap answers (quick replies) a question carries: delivered with it where the channel has them. */
    choices: jsonb().$type<{ title: string; payload: string }[]>(),
    reminderId: uuid().references(() => reminders.id, { onDelete: "set null" }),
    itemId: uuid().references(() => items.id, { onDelete: "set null" }),
    /** Set on the copy sent to a person's other account when the first could not be reached. */
    fallbackOf: uuid().references((): AnyPgColumn => outboundMessages.id, { onDelete: "set null" }),
    broadcastId: uuid().references(() => broadcasts.id, { onDelete: "set null" }),
    /** A reply: the inbound message it answers. Replies ride a higher priority and ignore quiet hours. */
    inReplyTo: uuid().references(() => inboundMessages.id, { onDelete: "set null" }),
    status: outboundStatus().notNull().default("pending"),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.orgId, t.status), index().on(t.broadcastId), index().on(t.status, t.createdAt), index().on(t.inReplyTo)],
);

/** One attempt to send an outbound message, with the platform's message id and the result. */
export const deliveries = pgTable(
  "deliveries",
  {
    id: id(),
    orgId: orgRef(),
    outboundMessageId: uuid()
      .notNull()
      .references(() => outboundMessages.id, { onDelete: "cascade" }),
    channel: channel().notNull(),
    attempt: integer().notNull(),
    outcome: deliveryOutcome().notNull(),
    externalMessageId: text(),
    errorCode: text(),
    errorMessage: text(),
    attemptedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    unique().on(t.outboundMessageId, t.attempt),
    index().on(t.orgId, t.outcome),
    // A reply quoting a bot message is matched by the platform's id of that message.
    index().on(t.channel, t.externalMessageId),
  ],
);

/** Append-only: a database trigger refuses UPDATE and DELETE (see the custom migration). */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    orgId: orgRef(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** "person:<uuid>", "system", "worker", … */
    actor: text().notNull(),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index().on(t.orgId, t.at)],
);

/** Access tokens for the office API: one per office or leader user; only the hash is kept. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    orgId: orgRef(),
    personId: uuid()
      .notNull()
      .references(() => persons.id, { onDelete: "cascade" }),
    /** SHA-256 of the token, hex. */
    tokenHash: text().notNull().unique(),
    label: text(),
    createdAt: createdAt(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.personId)],
);

/** One-time codes office gives a person to link a chat account (`/dangky 482913`). */
export const linkCodes = pgTable(
  "link_codes",
  {
    id: id(),
    orgId: orgRef(),
    personId: uuid()
      .notNull()
      .references(() => persons.id, { onDelete: "cascade" }),
    code: text().notNull(),
    /** The channel the office issued it for, when it picked one: redeemed only there. */
    channel: channel(),
    /** Tries with this code from the wrong channel; at 3 the code is void. */
    failedTries: integer().notNull().default(0),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    usedByIdentityId: uuid().references(() => identities.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.orgId, t.code), index().on(t.personId)],
);

/** A web sign-in for an office or leader user: a login name and an argon2id hash. */
export const webAccounts = pgTable(
  "web_accounts",
  {
    id: id(),
    orgId: orgRef(),
    personId: uuid()
      .notNull()
      .unique()
      .references(() => persons.id, { onDelete: "cascade" }),
    /** Folded (lower case), unique across orgs: the sign-in form asks for nothing else. */
    login: text().notNull().unique(),
    passwordHash: text().notNull(),
    lastLoginAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
);

/** A signed-in browser: only the SHA-256 of the cookie's token is stored. */
export const webSessions = pgTable(
  "web_sessions",
  {
    id: id(),
    orgId: orgRef(),
    accountId: uuid()
      .notNull()
      .references(() => webAccounts.id, { onDelete: "cascade" }),
    tokenHash: text().notNull().unique(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.accountId)],
);

/**
 * Attempt counters (sign-in, link codes): one row per key ("signin:ip:…", "link:org:…"), read and
 * written in one locked transaction, so parallel tries cannot slip past a limit.
 */
export const attemptCounters = pgTable("attempt_counters", {
  key: text().primaryKey(),
  count: integer().notNull().default(0),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  blockedUntil: timestamp({ withTimezone: true }),
});
