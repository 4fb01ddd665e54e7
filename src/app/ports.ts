/**
 * What the use cases need from the outside world. Adapters implement these: the store
 * (src/store), the clock (src/main, test/fakes), channels (bots/), queues (jobs/).
 * Use cases take narrow slices, e.g. `Pick<Store["inbound"], "record">`.
 */
import type {
  Assignment,
  AssignmentRole,
  BoardRow,
  Broadcast,
  BroadcastKind,
  AssignmentStatus,
  AuditEntry,
  Channel,
  Delivery,
  DeliveryOutcome,
  Directive,
  Extension,
  Identity,
  InboundMessage,
  Item,
  ItemAssignee,
  LinkCode,
  ItemDeadline,
  ItemRotation,
  MembershipRole,
  Occurrence,
  Org,
  OutboundMessage,
  Person,
  PersonRole,
  Reminder,
  ReminderKind,
  Report,
  Thread,
  ThreadKind,
  Unit,
  UnitMembership,
} from "../domain/entities.ts";
import type { AttemptPolicy } from "../domain/backoff.ts";

/**
 * The only source of "now" for use cases.
 * @example
 * const clock: Clock = { now: () => new Date("2020-06-20T01:00:00Z") };
 */
export interface Clock {
  now(): Date;
}

/**
 * Orgs (tenants).
 * @example
 * const { org, created } = await store.orgs.ensure({ slug: "phuong-7", name: "Đảng ủy phường 7" });
 */
export interface OrgRepository {
  create(input: { slug: string; name: string; settings?: Record<string, unknown> }): Promise<Org>;
  bySlug(slug: string): Promise<Org | null>;
  all(): Promise<Org[]>;
  /** Returns the org with this slug, creating it first when missing. */
  ensure(input: { slug: string; name: string }): Promise<{ org: Org; created: boolean }>;
  byId(id: string): Promise<Org | null>;
  /** Replaces the org's settings (validated by the app first). */
  setSettings(id: string, settings: Record<string, unknown>): Promise<Org>;
}

/**
 * Units and their aliases; aliases are compared folded (lower case, no diacritics).
 * @example
 * const ccb = await store.units.create({ orgId, name: "Hội Cựu chiến binh", aliases: [{ alias: "Hội CCB", folded: "hoi ccb" }] });
 */
export interface UnitRepository {
  create(input: {
    orgId: string;
    name: string;
    key?: string | null;
    parentId?: string | null;
    aliases?: { alias: string; folded: string }[];
  }): Promise<Unit>;
  list(orgId: string): Promise<Unit[]>;
  /** Every alias of every unit of the org (for matching names in directives and chat). */
  allAliases(orgId: string): Promise<{ unitId: string; alias: string }[]>;
  aliases(orgId: string, unitId: string): Promise<string[]>;
  byKey(orgId: string, key: string): Promise<Unit | null>;
  byAlias(orgId: string, folded: string): Promise<Unit | null>;
  /** Adds another name of a unit; false when the (folded) name is already taken in the org. */
  addAlias(orgId: string, unitId: string, alias: { alias: string; folded: string }): Promise<boolean>;
}

/**
 * People, their roles and unit memberships.
 * @example
 * const p = await store.persons.create({ orgId, fullName: "Trần Văn An", roles: ["cadre"] });
 * await store.persons.addMembership({ orgId, personId: p.id, unitId: ccb.id, role: "head" });
 */
export interface PersonRepository {
  create(input: {
    orgId: string;
    fullName: string;
    phone?: string | null;
    roles: PersonRole[];
  }): Promise<Person>;
  get(orgId: string, id: string): Promise<Person | null>;
  addMembership(input: {
    orgId: string;
    personId: string;
    unitId: string;
    role?: MembershipRole;
    title?: string | null;
  }): Promise<UnitMembership>;
  memberships(orgId: string, personId: string): Promise<UnitMembership[]>;
  /** Every person of the org by name, with their unit memberships (office's people page). */
  list(orgId: string): Promise<PersonWithUnits[]>;
}

/**
 * Chat accounts and conversations.
 * @example
 * const who = await store.chats.upsertIdentity({ orgId, channel: "zalo", externalId: "8436…" });
 */
export interface ChatRepository {
  upsertIdentity(input: {
    orgId: string;
    channel: Channel;
    externalId: string;
    displayName?: string | null;
    /** When this account last wrote to us (decides platform reply windows). */
    lastInboundAt?: Date | null;
  }): Promise<Identity>;
  linkIdentity(orgId: string, identityId: string, personId: string, at: Date): Promise<Identity>;
  identity(orgId: string, channel: Channel, externalId: string): Promise<Identity | null>;
  identityById(orgId: string, id: string): Promise<Identity | null>;
  threadById(orgId: string, id: string): Promise<Thread | null>;
  upsertThread(input: {
    orgId: string;
    channel: Channel;
    externalId: string;
    kind: ThreadKind;
    title?: string | null;
  }): Promise<Thread>;
  bindThread(orgId: string, threadId: string, unitId: string | null): Promise<Thread>;
  /** Group threads bound to a unit (its Zalo group): messages to the unit go there. */
  groupsOfUnit(orgId: string, unitId: string): Promise<Thread[]>;
  /** Remembers what the bot last asked about, or is waiting on, in a thread. */
  setThreadState(
    orgId: string,
    threadId: string,
    state: { lastItemId?: string | null; pending?: Record<string, unknown> | null },
  ): Promise<void>;
  /** A person's linked accounts, the one they wrote from last first (never-used accounts last). */
  identitiesOfPerson(orgId: string, personId: string): Promise<Identity[]>;
  /**
   * The account to reach each person holding a role (optionally only members of one unit): their
   * most recently active linked account. People with no linked account are left out.
   */
  reachable(orgId: string, role: PersonRole, unitId?: string): Promise<{ personId: string; identityId: string; channel: Channel }[]>;
  /** `reachable` for every unit at once: each member holding the role, with their account. */
  reachableByUnit(orgId: string, role: PersonRole): Promise<{ unitId: string; personId: string; identityId: string; channel: Channel }[]>;
  /** Every group thread bound to a unit. */
  boundGroups(orgId: string): Promise<Thread[]>;
  /** Every group thread of the org, bound or not, oldest first (office binds them to units). */
  groupThreads(orgId: string): Promise<Thread[]>;
  /**
   * The accounts on `channel` of the unit's cadres whose assignment for the item is still
   * `not_reported`, with the person's name: whom a group reminder @mentions. One query.
   */
  unreportedAccounts(orgId: string, unitId: string, itemId: string, channel: Channel): Promise<{ externalId: string; name: string }[]>;
  /** People holding a role (office, leader…), for notifications. */
  personsWithRole(orgId: string, role: PersonRole): Promise<Person[]>;
  thread(orgId: string, channel: Channel, externalId: string): Promise<Thread | null>;
  /** Every chat account linked to a person, most recently active first (the people page). */
  linkedIdentities(orgId: string): Promise<Identity[]>;
}

export interface NewItem {
  ref: string;
  parentRef?: string | null;
  text: string;
  summary: string;
  deadline?: ItemDeadline | null;
  dueDate?: string | null;
  rotation?: ItemRotation | null;
  assignees?: ItemAssignee[];
}

export type ItemPatch = Partial<Omit<NewItem, "ref">> & { ref?: string };

/**
 * Directives and their items. A directive is a draft until activated.
 * @example
 * const { directive, created } = await store.directives.createDraft({ orgId, sourceText, items: [] });
 */
export interface DirectiveRepository {
  /** Idempotent on (org, SHA-256 of sourceText): the same text imported twice returns the
   * first directive with `created: false`. */
  createDraft(input: {
    orgId: string;
    sourceText: string;
    sourceName?: string | null;
    docType?: string | null;
    number?: string | null;
    issuer?: string | null;
    issuedDate?: string | null;
    signer?: string | null;
    recipients?: string[];
    items: NewItem[];
  }): Promise<{ directive: Directive; created: boolean }>;
  get(orgId: string, id: string): Promise<{ directive: Directive; items: Item[] } | null>;
  list(orgId: string): Promise<Directive[]>;
  item(orgId: string, itemId: string): Promise<Item | null>;
  /** Adds an item at the end (or after `afterRef`'s position when given). */
  addItem(orgId: string, directiveId: string, item: NewItem): Promise<Item>;
  updateItem(orgId: string, itemId: string, patch: ItemPatch): Promise<Item>;
  removeItem(orgId: string, itemId: string): Promise<boolean>;
  setStatus(orgId: string, id: string, status: Directive["status"], at: Date): Promise<Directive>;
}

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
  /** Every occurrence of the org not yet done, for planning in one pass. */
  openOccurrences(orgId: string): Promise<Occurrence[]>;
  /** Every assignment of the org's active directives, with item, unit and directive. */
  board(orgId: string): Promise<BoardRow[]>;
  /** The board rows of assignments with a reminder due in the hour up to `now` (what firing needs). */
  dueBoardRows(orgId: string, now: Date): Promise<BoardRow[]>;
  /** The board rows of these assignments only. */
  boardRows(orgId: string, assignmentIds: string[]): Promise<BoardRow[]>;
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
  directiveBoard(orgId: string, directiveId: string): Promise<BoardRow[]>;
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

/**
 * Inbound messages: the log that makes "one message records once" true.
 * @example
 * const { message, duplicate } = await store.inbound.record({ orgId, channel: "simulator", externalMessageId: "m1", text: "bc 6 xong", sentAt });
 */
export interface InboundRepository {
  record(input: {
    orgId: string;
    channel: Channel;
    externalMessageId: string;
    threadId?: string | null;
    identityId?: string | null;
    text: string;
    payload?: string | null;
    replyToExternalId?: string | null;
    sentAt: Date;
    raw?: unknown;
  }): Promise<{ message: InboundMessage; duplicate: boolean }>;
  get(orgId: string, id: string): Promise<InboundMessage | null>;
  /**
   * The webhook's hot path in one round trip: upserts the sender's account and the thread and
   * stores the message once (by channel + message id). Returns the new message's id, or null
   * when it was already stored.
   */
  accept(input: {
    orgId: string;
    channel: Channel;
    senderId: string;
    senderName?: string | null;
    threadId: string;
    threadKind: ThreadKind;
    messageId: string;
    text: string;
    payload?: string | null;
    replyToMessageId?: string | null;
    sentAt: Date;
    raw?: unknown;
  }): Promise<string | null>;
  markProcessed(orgId: string, id: string, at: Date): Promise<void>;
}

/**
 * Reminders, the outbox and delivery attempts.
 * @example
 * await store.outbound.planReminder({ orgId, assignmentId, kind: "before", plannedAt, dedupeKey: `${assignmentId}-before-2020-06-23` });
 */
export interface OutboundRepository {
  /** Idempotent on (org, dedupe key): returns null when the reminder was already planned. */
  planReminder(input: {
    orgId: string;
    assignmentId: string;
    occurrenceId?: string | null;
    kind: ReminderKind;
    plannedAt: Date;
    dedupeKey: string;
  }): Promise<Reminder | null>;
  /** Many at once (ON CONFLICT DO NOTHING); returns how many were new. */
  planReminders(rows: {
    orgId: string;
    assignmentId: string;
    occurrenceId?: string | null;
    kind: ReminderKind;
    plannedAt: Date;
    dedupeKey: string;
  }[]): Promise<number>;
  /** The dedupe keys of the org's reminders planned from `since` on (planning skips them before inserting). */
  reminderKeys(orgId: string, since: Date): Promise<Set<string>>;
  /** The distinct moments of the org's pending reminders up to `until` (what the queue must wake for). */
  pendingMoments(orgId: string, until: Date): Promise<Date[]>;
  /** Due pending reminders → queued, oldest first, in one statement (SKIP LOCKED): each is claimed by one caller. */
  claimDue(orgId: string, now: Date, limit: number): Promise<Reminder[]>;
  cancelReminders(orgId: string, ids: string[]): Promise<void>;
  reminders(orgId: string, assignmentId: string): Promise<Reminder[]>;
  /** Cancels what is still pending for an assignment (it was reported done). */
  cancelPendingReminders(orgId: string, assignmentId: string): Promise<number>;
  reminder(orgId: string, id: string): Promise<Reminder | null>;
  enqueue(input: {
    orgId: string;
    threadId?: string | null;
    identityId?: string | null;
    text: string;
    quoteExternalId?: string | null;
    reminderId?: string | null;
    itemId?: string | null;
    fallbackOf?: string | null;
    broadcastId?: string | null;
  }): Promise<OutboundMessage>;
  /** Many outbox rows in one statement (a broadcast); returns their ids in input order. */
  enqueueMany(rows: {
    orgId: string;
    threadId?: string | null;
    identityId?: string | null;
    text: string;
    itemId?: string | null;
    reminderId?: string | null;
    broadcastId?: string | null;
  }[]): Promise<string[]>;
  /** The channel each outbox message goes out on (its account's or its thread's). */
  routes(orgId: string, ids: string[]): Promise<DeliveryRoute[]>;
  /** Records one attempt; the same (message, attempt) again updates it (a `sending` mark becomes its outcome). */
  recordDelivery(input: {
    orgId: string;
    outboundMessageId: string;
    channel: Channel;
    attempt: number;
    outcome: DeliveryOutcome;
    externalMessageId?: string | null;
    errorCode?: string | null;
    errorMessage?: string | null;
    attemptedAt: Date;
  }): Promise<Delivery>;
  deliveries(orgId: string, outboundMessageId: string): Promise<Delivery[]>;
  /**
   * Echoes of our sends, many at once: each message not yet known as sent gets a `sent` row
   * (attempt 0) and the status `sent`, in one statement; returns how many were new.
   */
  recordEchoes(orgId: string, channel: Channel, echoes: { outboundMessageId: string; externalMessageId: string }[], at: Date): Promise<number>;
  get(orgId: string, id: string): Promise<OutboundMessage | null>;
  setStatus(orgId: string, id: string, status: OutboundMessage["status"]): Promise<void>;
  /** The outbound message the platform knows by this id (a user quoting a bot message). */
  byExternalId(orgId: string, channel: Channel, externalMessageId: string): Promise<OutboundMessage | null>;
  pending(orgId: string): Promise<OutboundMessage[]>;
  /** Messages that could not be delivered, newest first, with who and why (for office). */
  failed(orgId: string, limit: number): Promise<FailedDelivery[]>;
  /** Who was reminded of what, when (newest first): reminder messages with their recipient and status. */
  reminderLog(orgId: string, filter: { since?: Date; until?: Date; personId?: string; limit: number }): Promise<ReminderLogEntry[]>;
  /** Pending messages of every org, created before `olderThan`, with their channel. */
  pendingToDeliver(olderThan: Date, limit: number): Promise<DeliveryRoute[]>;
}

export interface ReminderLogEntry {
  at: Date;
  kind: ReminderKind;
  itemRef: string;
  unitName: string;
  recipient: string | null;
  channel: Channel | null;
  status: OutboundMessage["status"];
}

/** Where an outbox message goes: which queue delivers it. */
export interface DeliveryRoute {
  orgId: string;
  id: string;
  channel: Channel;
}

/**
 * Broadcasts: one message to many, and their progress per recipient.
 * @example
 * const b = await store.broadcasts.create({ orgId, kind: "announcement", text, targets, createdBy }, rows);
 */
export interface BroadcastRepository {
  /** The broadcast and its outbox rows in one transaction; null when `dedupeKey` was used already. */
  create(
    input: { orgId: string; kind: BroadcastKind; text: string; targets: Record<string, unknown>; createdBy?: string | null; dedupeKey?: string | null },
    recipients: { identityId?: string | null; threadId?: string | null; text: string; itemId?: string | null }[],
  ): Promise<{ broadcast: Broadcast; outboxIds: string[] } | null>;
  get(orgId: string, id: string): Promise<Broadcast | null>;
  byDedupeKey(orgId: string, dedupeKey: string): Promise<Broadcast | null>;
  list(orgId: string, limit: number): Promise<Broadcast[]>;
  /** One row per recipient: who, where, what happened last. */
  recipients(orgId: string, broadcastId: string): Promise<BroadcastRecipient[]>;
}

export interface BroadcastRecipient {
  outboundMessageId: string;
  status: OutboundMessage["status"];
  channel: Channel | null;
  personName: string | null;
  threadTitle: string | null;
  lastOutcome: DeliveryOutcome | null;
  error: string | null;
  attemptedAt: Date | null;
  /** Set when the message went to the person's other account instead. */
  fallbackOf: string | null;
}

export interface FailedDelivery {
  outboundMessageId: string;
  text: string;
  createdAt: Date;
  channel: Channel | null;
  personName: string | null;
  outcome: DeliveryOutcome | null;
  error: string | null;
  attemptedAt: Date | null;
}

/**
 * One-time link codes.
 * @example
 * const { code } = await store.links.issue({ orgId, personId, expiresAt }); // "482913"
 * const linked = await store.links.redeem({ orgId, code: "482913", identityId, now }); // person id or null
 */
export interface LinkRepository {
  /** Issues a fresh random code of `digits` digits (default 12), unique among the org's codes. */
  issue(input: { orgId: string; personId: string; expiresAt: Date; channel?: Channel | null; digits?: number }): Promise<LinkCode>;
  /**
   * Marks an unused, unexpired code used by this identity and links it. `wrong_channel`: the
   * code exists but was issued for another channel (its failed tries go up; at 3 it is void).
   */
  redeem(input: { orgId: string; code: string; identityId: string; channel: Channel; now: Date }): Promise<{ personId: string } | { refused: "invalid" | "wrong_channel" }>;
}

/**
 * Attempt counters with backoff (sign-in, link codes), read and written atomically per key.
 * @example
 * const { allowed, retryAt } = await store.limits.take("signin:ip:203.0.113.9", now, { windowMs: 900_000, free: 10, baseDelayMs: 1_000, maxDelayMs: 900_000 });
 */
export interface LimitRepository {
  /** Counts one attempt under `key` if the policy allows it now (one locked read-modify-write). */
  take(key: string, now: Date, policy: AttemptPolicy): Promise<{ allowed: boolean; retryAt: Date | null; count: number }>;
  /** Gives one attempt back (it succeeded): successes do not use up a limit. */
  refund(key: string): Promise<void>;
  /** Forgets the key (a successful sign-in clears its failures). */
  reset(key: string): Promise<void>;
}

/**
 * The append-only audit log.
 * @example
 * await store.audit.append({ orgId, actor: "system", action: "directive.activated", entity: "directive", entityId: id });
 */
export interface AuditRepository {
  append(input: {
    orgId: string;
    actor: string;
    action: string;
    entity: string;
    entityId?: string | null;
    data?: Record<string, unknown>;
    at?: Date;
  }): Promise<AuditEntry>;
  list(orgId: string, options?: { limit?: number }): Promise<AuditEntry[]>;
  /** How many entries with this action about this entity since a moment (rate limits). */
  count(orgId: string, action: string, entityId: string, since: Date): Promise<number>;
  /** Entries newest first, filtered (the activity page). */
  search(orgId: string, filter: AuditFilter): Promise<AuditEntry[]>;
}

/** What the activity page filters the audit log by; every field optional but the limit. */
export interface AuditFilter {
  /** Actions to keep: an exact name ("web.signin") or a prefix ending in "." ("report."). */
  actions?: string[];
  /** Entries by this person (actor "person:<id>") or about them (entity id). */
  personId?: string;
  since?: Date;
  /** Exclusive. */
  until?: Date;
  limit: number;
}

/** A person and the units they belong to. */
export interface PersonWithUnits extends Person {
  memberships: { unitId: string; unitName: string; role: MembershipRole; title: string | null }[];
}

/**
 * Access tokens of office and leader users for the office API.
 * @example
 * const { token } = await store.access.createToken({ orgId, personId, label: "máy văn phòng" });
 * const who = await store.access.byToken(token); // { person, org } or null
 */
export interface AccessRepository {
  /** Returns the token once; only its hash is stored. */
  createToken(input: { orgId: string; personId: string; label?: string | null }): Promise<{ token: string }>;
  byToken(token: string): Promise<{ person: Person; org: Org } | null>;
}

/**
 * Web sign-in: accounts (argon2id hashes, hashed by the caller) and sessions (token hashes).
 * @example
 * const account = await store.web.createAccount({ orgId, personId, login: "vanphong", passwordHash });
 */
export interface WebRepository {
  createAccount(input: { orgId: string; personId: string; login: string; passwordHash: string }): Promise<{ id: string }>;
  setPassword(accountId: string, passwordHash: string): Promise<void>;
  accountByLogin(login: string): Promise<{ id: string; orgId: string; personId: string; passwordHash: string } | null>;
  accountOfPerson(personId: string): Promise<{ id: string; login: string } | null>;
  /** Stores the session and returns its token once (only its hash is kept). */
  createSession(input: { orgId: string; accountId: string; expiresAt: Date; at: Date }): Promise<{ token: string }>;
  /** The signed-in user of a live session, or null. */
  session(token: string, now: Date): Promise<{ person: Person; org: Org; sessionId: string } | null>;
  deleteSession(token: string): Promise<void>;
}

/** Everything the store offers, grouped by entity. */
export interface Store {
  orgs: OrgRepository;
  units: UnitRepository;
  persons: PersonRepository;
  chats: ChatRepository;
  directives: DirectiveRepository;
  tracking: TrackingRepository;
  inbound: InboundRepository;
  outbound: OutboundRepository;
  broadcasts: BroadcastRepository;
  audit: AuditRepository;
  access: AccessRepository;
  web: WebRepository;
  links: LinkRepository;
  limits: LimitRepository;
  /** Runs `work` in one database transaction; everything it does commits or none of it. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
}

/**
 * Liveness of a dependency, for /healthz.
 * @example
 * const probe: HealthProbe = { name: "redis", check: async () => { await redis.ping(); } };
 */
export interface HealthProbe {
  name: string;
  /** Resolves when healthy; rejects (or times out) when not. */
  check(): Promise<void>;
}

/**
 * Structured logging, pino-shaped.
 * @example
 * logger.warn({ queue: "heartbeat", err }, "job failed");
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A chat message as every channel adapter normalises it. */
export interface IncomingMessage {
  orgId: string;
  channel: Channel;
  /** The platform's conversation id (a user id for direct chats, a group id for groups). */
  threadId: string;
  threadKind: ThreadKind;
  senderId: string;
  senderName?: string | null;
  messageId: string;
  text: string;
  /** The platform id of the message this one quotes or replies to. */
  replyToMessageId?: string | null;
  /** A quick-reply or button payload the user tapped (Messenger, Zalo Bot), if any. */
  payload?: string | null;
  /** People the message @mentions (Zalo groups), in order; `uid` "-1" is @All. */
  mentions?: { uid: string; name?: string }[];
  sentAt: Date;
  /** The platform payload, kept for audit only. */
  raw?: unknown;
}

/** A message the bot sends back into the same thread; already in the outbox. */
export interface Reply {
  outboundMessageId: string;
  channel: Channel;
  threadId: string;
  text: string;
  quoteMessageId: string | null;
  itemId: string | null;
  /** Tappable answers (quick replies) when the channel has them; titles ≤ 20 characters. */
  choices?: { title: string; payload: string }[];
}

/**
 * What a channel adapter hands incoming messages to, and tells about sent replies.
 * @example
 * const replies = await handler.handle(message);
 * for (const r of replies) await handler.recordSent({ orgId, outboundMessageId: r.outboundMessageId, channel: "simulator", externalMessageId: "bot-1" });
 */
export interface InboundHandler {
  handle(message: IncomingMessage): Promise<Reply[]>;
  /** Stores a message once; its id, or null when it was already stored (webhooks, then queue). */
  accept(message: IncomingMessage): Promise<string | null>;
  recordSent(input: { orgId: string; outboundMessageId: string; channel: Channel; externalMessageId: string; attempt?: number }): Promise<void>;
  /**
   * The platform echoed our sends (metadata = outbox id): they were delivered. A whole webhook
   * batch in one statement; ids that are not this org's messages are ignored.
   */
  recordEchoes(orgId: string, channel: Channel, echoes: { outboundMessageId: string; externalMessageId: string }[]): Promise<void>;
  /** The platform id of an outbound message known to be delivered (by a send or an echo), or null. */
  deliveredId(orgId: string, outboundMessageId: string): Promise<string | null>;
  /** Something office must fix (an expired page token…): a message for office users. */
  alertOffice(orgId: string, text: string): Promise<void>;
  /** Any attempt's outcome, failures included (window closed, unreachable, token, …), at the clock's now. */
  recordDelivery(input: Omit<Parameters<OutboundRepository["recordDelivery"]>[0], "attemptedAt">): Promise<void>;
}

/**
 * Processing of stored inbound messages happens from a queue, so webhooks answer at once.
 * @example
 * await queue.enqueueInbound(orgId, inboundMessageId);
 */
export interface InboundQueue {
  enqueueInbound(orgId: string, inboundMessageId: string): Promise<void>;
}

/** One try to hand a message to the platform, as a Delivery row records it. */
export interface DeliveryAttempt {
  attempt: number;
  outcome: DeliveryOutcome;
  externalMessageId?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** The platform refuses until someone fixes something (token, permission, Page restricted). */
  needsOffice?: boolean;
}

/**
 * A channel adapter's send side. The platform's rules (windows, rate limits, error codes) live
 * here, not in use cases: the delivery use case asks `canSend` and records what `send` says.
 * @example
 * const ok = gateway.canSend({ lastInboundAt: identity.lastInboundAt }, clock.now());
 * if (ok.ok) await gateway.send({ orgId, outboundMessageId, externalId: identity.externalId, text, kind: "update" });
 */
export interface ChannelGateway {
  canSend(target: { lastInboundAt: Date | null; threadKind?: ThreadKind }, now: Date): { ok: true } | { ok: false; reason: DeliveryOutcome; detail: string };
  /**
   * How long after a send the channel's own record of it (a Messenger echo carrying our outbox
   * id) may still arrive. A send interrupted by a crash is resent only after this (default 0).
   */
  confirmWithinMs?: number;
  send(input: {
    orgId: string;
    outboundMessageId: string;
    /** The platform's id of the person or group. */
    externalId: string;
    /** A group thread (Zalo) or one person (default). */
    threadKind?: ThreadKind;
    /** People to @mention in a group (those who have not reported). */
    mentions?: { externalId: string; name: string }[];
    /** The platform id of the message this one answers, to quote it (Zalo). */
    quoteExternalId?: string | null;
    text: string;
    choices?: { title: string; payload: string }[];
    /** A reply to the person's own message, or a message of our own (reminder, notice). */
    kind: "response" | "update";
  }): Promise<DeliveryAttempt[]>;
}

/**
 * Hands outbox messages to the delivery queues (jobs/). Optional everywhere: without it the
 * outbox sweep finds pending messages within a minute.
 * @example
 * await dispatch(await store.outbound.routes(orgId, ids));
 */
export type Dispatch = (routes: DeliveryRoute[]) => Promise<void>;
