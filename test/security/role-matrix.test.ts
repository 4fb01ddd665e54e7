/**
 * The role matrix of the chat commands (DESIGN.md §5, README "Chat"): every command × every
 * role × a direct and a group thread, against the real conversation core on PostgreSQL.
 *
 * The expected matrix below is written by hand from the design, never computed from the
 * implementation. Each cell starts from the same state (`arrange`) and compares the tables a
 * command may touch before and after:
 * - a refused cell answers exactly one message in the sender's thread and changes nothing:
 *   no report, extension, broadcast, binding, link, audit entry, no message to anyone else;
 * - an allowed cell answers something that is not a refusal and, for the commands with an
 *   effect, that effect exists (and no other).
 */
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { localDay } from "../../src/domain/index.ts";
import { createConversation, createIntake, type Conversation } from "../../src/app/index.ts";
import type { IncomingMessage, Reply, Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

const SEED = readFileSync(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");

type Role = "unlinked" | "cadre" | "office" | "leader";
type Where = "direct" | "group";
type Command =
  | "help"
  | "link"
  | "my_tasks"
  | "report"
  | "extend"
  | "decide"
  | "status"
  | "overdue"
  | "unreported"
  | "remind"
  | "broadcast"
  | "bind_group";

/**
 * How a cell must end:
 * - `allow`: answered, not refused; the command's effect (EFFECTS) happened;
 * - `refuse`: one line naming who may use it ("Chức năng này dành cho …");
 * - `not_linked`: the account is not linked to a person, so only help and link work;
 * - `already_linked`: /dangky from an account already linked says so, and links nothing;
 * - `group_only`: /gannhom outside a group says to type it in the group;
 * - `direct_only`: /dangky in a group says to send the code in a direct chat (everyone in a group sees it).
 */
type Outcome = "allow" | "refuse" | "not_linked" | "already_linked" | "group_only" | "direct_only";
type Cell = Outcome | { direct: Outcome; group: Outcome };

const ROLES: readonly Role[] = ["unlinked", "cadre", "office", "leader"];
const WHERE: readonly Where[] = ["direct", "group"];

/** What each role types for each command. */
const TEXT: Record<Exclude<Command, "link">, string> = {
  help: "/trogiup",
  my_tasks: "/nhiemvu",
  report: "/baocao 6.2 xong",
  extend: "/giahan 6.2 15/7/2020 chờ số liệu",
  decide: "duyệt gia hạn 6.2",
  status: "/tinhhinh",
  overdue: "/quahan",
  unreported: "/chuabaocao",
  remind: "/nhacnho 6.2",
  broadcast: "/thongbao Họp giao ban 8h thứ Hai",
  bind_group: "/gannhom Hội CCB",
};

/**
 * DESIGN.md §5 "who", per role. link: anyone with a code (an account already linked is told so);
 * help: anyone; my_tasks, report: cadre; extend: cadre asks, leader approves (`decide`);
 * status, overdue, unreported, remind: leader and office; broadcast: office; bind_group: office,
 * typed in the unit's group (README "Chat"). An unlinked account may only link or ask for help.
 */
const MATRIX: Record<Command, Record<Role, Cell>> = {
  help:       { unlinked: "allow",      cadre: "allow",          office: "allow",                                   leader: "allow" },
  link:       { unlinked: { direct: "allow", group: "direct_only" }, cadre: "already_linked", office: "already_linked", leader: "already_linked" },
  my_tasks:   { unlinked: "not_linked", cadre: "allow",          office: "refuse",                                  leader: "refuse" },
  report:     { unlinked: "not_linked", cadre: "allow",          office: "refuse",                                  leader: "refuse" },
  extend:     { unlinked: "not_linked", cadre: "allow",          office: "refuse",                                  leader: "refuse" },
  decide:     { unlinked: "not_linked", cadre: "refuse",         office: "refuse",                                  leader: "allow" },
  status:     { unlinked: "not_linked", cadre: "refuse",         office: "allow",                                   leader: "allow" },
  overdue:    { unlinked: "not_linked", cadre: "refuse",         office: "allow",                                   leader: "allow" },
  unreported: { unlinked: "not_linked", cadre: "refuse",         office: "allow",                                   leader: "allow" },
  remind:     { unlinked: "not_linked", cadre: "refuse",         office: "allow",                                   leader: "allow" },
  broadcast:  { unlinked: "not_linked", cadre: "refuse",         office: "allow",                                   leader: "refuse" },
  bind_group: { unlinked: "not_linked", cadre: "refuse",         office: { direct: "group_only", group: "allow" }, leader: "refuse" },
};

/** Who the one-line refusal must name (README: "Chức năng này dành cho lãnh đạo và văn phòng."). */
const ROLE_VI = { cadre: "cán bộ", office: "văn phòng", leader: "lãnh đạo" } as const;
const NAMED: Partial<Record<Command, (keyof typeof ROLE_VI)[]>> = {
  my_tasks: ["cadre"],
  report: ["cadre"],
  extend: ["cadre"],
  decide: ["leader"],
  status: ["leader", "office"],
  overdue: ["leader", "office"],
  unreported: ["leader", "office"],
  remind: ["office", "leader"],
  broadcast: ["office"],
  bind_group: ["office"],
};

/** What the tables look like before and after a cell. */
interface Snapshot {
  reports: number;
  requested: number;
  approved: number;
  rejected: number;
  broadcasts: number;
  broadcastOutbound: number;
  outbound: number;
  boundThreads: number;
  usedCodes: number;
  linkedIdentities: number;
  auditId: number;
  assignments: string;
}
type Counter = Exclude<keyof Snapshot, "outbound" | "auditId" | "assignments"> | "sideOutbound";
const COUNTERS: readonly Counter[] = ["reports", "requested", "approved", "rejected", "broadcasts", "broadcastOutbound", "sideOutbound", "boundThreads", "usedCodes", "linkedIdentities"];

/**
 * The effect of an allowed cell: the audit actions it appends (exactly), how each counter moves
 * (0 when not named; "more" = at least one more), whether assignments change. `sideOutbound`
 * counts outbox rows other than the replies to the message itself: alerts and broadcasts.
 */
interface Effect {
  audit: string[];
  deltas: Partial<Record<Counter, number | "more">>;
  assignments?: boolean;
}
const NONE: Effect = { audit: [], deltas: {} };
const EFFECTS: Record<Command, Effect> = {
  help: NONE,
  link: { audit: ["identity.linked"], deltas: { usedCodes: 1, linkedIdentities: 1 } },
  my_tasks: NONE,
  report: { audit: ["report.recorded"], deltas: { reports: 1 }, assignments: true },
  // Office and leaders are told of the request.
  extend: { audit: ["extension.requested"], deltas: { requested: 1, sideOutbound: "more" } },
  // The pending request is approved, the due day moves and the unit is told.
  decide: { audit: ["extension.approved"], deltas: { requested: -1, approved: 1, sideOutbound: "more" }, assignments: true },
  status: NONE,
  overdue: NONE,
  unreported: NONE,
  remind: { audit: ["broadcast.remind"], deltas: { broadcasts: 1, broadcastOutbound: "more", sideOutbound: "more" } },
  broadcast: { audit: ["broadcast.announcement"], deltas: { broadcasts: 1, broadcastOutbound: "more", sideOutbound: "more" } },
  bind_group: { audit: ["thread.bound"], deltas: { boundThreads: 1 } },
};

/** Any of these in an allowed cell's answer means it was not really allowed. */
const REFUSALS = /dành cho|chưa được liên kết|chỉ dùng trong nhóm|chưa hiểu/;
const GROUP_ID = "nhom-ccb";
const CCB = "Hội Cựu chiến binh";

interface CellCase {
  command: Command;
  role: Role;
  where: Where;
  outcome: Outcome;
}

const outcomeOf = (cell: Cell, where: Where): Outcome => (typeof cell === "string" ? cell : cell[where]);
const casesOf = (command: Command): CellCase[] =>
  ROLES.flatMap((role) => WHERE.map((where) => ({ command, role, where, outcome: outcomeOf(MATRIX[command][role], where) })));

describe("role matrix: every chat command × role × thread", () => {
  let test: TestDatabase;
  let store: Store;
  let conversation: Conversation;
  let orgId: string;
  let groupThreadId: string;
  let ccbId: string;
  let ccb62: { id: string; dueDate: string | null };
  let unlinkedIdentityId: string;
  let spareId: string;
  const clock = new FakeClock("2020-06-20T01:00:00Z"); // 08:00, Saturday 20 June 2020; 6.2 is due 30/06
  const run = randomUUID().slice(0, 8);
  let seq = 0;
  const senders: Record<Role, string> = { unlinked: "rm-chua-lien-ket", cadre: "rm-canbo-ccb", office: "rm-vanphong", leader: "rm-lanhdao" };
  const names: Record<Exclude<Role, "unlinked">, string> = { cadre: "Trần Văn Bình", office: "Chánh Văn phòng", leader: "Nguyễn Tiến Giang" };
  /** Set by arrange for the link cells: a live one-time code of a person with no account yet. */
  let liveCode = "";

  async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
    const result: unknown = await test.database.db.execute(query);
    return (result as { rows: T[] }).rows;
  }

  async function snapshot(): Promise<Snapshot> {
    const [row] = await rows<Snapshot>(sql`
      select
        (select count(*)::int from reports) as "reports",
        (select count(*)::int from extensions where status = 'requested') as "requested",
        (select count(*)::int from extensions where status = 'approved') as "approved",
        (select count(*)::int from extensions where status = 'rejected') as "rejected",
        (select count(*)::int from broadcasts) as "broadcasts",
        (select count(*)::int from outbound_messages where broadcast_id is not null) as "broadcastOutbound",
        (select count(*)::int from outbound_messages) as "outbound",
        (select count(*)::int from threads where unit_id is not null) as "boundThreads",
        (select count(*)::int from link_codes where used_at is not null) as "usedCodes",
        (select count(*)::int from identities where person_id is not null) as "linkedIdentities",
        (select coalesce(max(id), 0)::int from audit_log) as "auditId",
        (select md5(coalesce(string_agg(id::text || ':' || status::text || ':' || coalesce(due_date::text, '-') || ':' || coalesce(percent::text, '-'), ',' order by id), '')) from assignments) as "assignments"`);
    if (!row) throw new Error("no snapshot");
    return row;
  }

  const auditSince = async (id: number) =>
    (await rows<{ action: string }>(sql`select action from audit_log where id > ${id} order by id`)).map((r) => r.action);

  /** The same starting state for every cell, whatever the cells before it did. */
  async function arrange(command: Command) {
    await test.database.db.execute(sql`delete from extensions where status = 'requested'`);
    await test.database.db.execute(sql`update assignments set status = 'not_reported', percent = null, done_at = null, status_changed_at = null, due_date = ${ccb62.dueDate} where id = ${ccb62.id}`);
    await test.database.db.execute(sql`update threads set unit_id = null, pending = null, last_item_id = null`);
    await test.database.db.execute(sql`update identities set person_id = null, linked_at = null where id = ${unlinkedIdentityId}`);
    if (command === "decide") {
      // A cadre's request waiting for the leader.
      await store.tracking.requestExtension({ orgId, assignmentId: ccb62.id, requestedBy: null, toDate: "2020-07-15", reason: "chờ số liệu" });
    }
    if (command === "link") {
      const issued = await conversation.issueLinkCode(orgId, spareId, "test");
      if (!issued) throw new Error("no link code");
      liveCode = issued.display;
    }
  }

  function textOf(command: Command): string {
    return command === "link" ? `/dangky ${liveCode}` : TEXT[command];
  }

  function send(role: Role, where: Where, text: string): Promise<Reply[]> {
    const senderId = senders[role];
    const msg: IncomingMessage = {
      orgId,
      channel: "simulator",
      threadId: where === "group" ? GROUP_ID : senderId,
      threadKind: where,
      senderId,
      messageId: `rm-${run}-${++seq}`,
      text,
      sentAt: clock.now(),
    };
    return conversation.handle(msg);
  }

  async function person(role: Exclude<Role, "unlinked">, units: string[]) {
    const p = await store.persons.create({ orgId, fullName: names[role], roles: [role] });
    for (const unitId of units) await store.persons.addMembership({ orgId, personId: p.id, unitId, role: "head" });
    const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: senders[role] });
    await store.chats.linkIdentity(orgId, identity.id, p.id, clock.now());
  }

  beforeAll(async () => {
    test = await createMigratedDatabase("postgres");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "role-matrix", name: "Đảng ủy phường ma trận" })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    const { directive } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
    await intake.activate(orgId, directive.id, "test", { confirm: "all" });
    conversation = createConversation({ store, clock });

    const ccb = (await store.units.list(orgId)).find((u) => u.name === CCB);
    if (!ccb) throw new Error(`no unit ${CCB}`);
    ccbId = ccb.id;
    const row = (await store.tracking.board(orgId, localDay(clock.now()))).find((r) => r.item.ref === "6.2" && r.unit.id === ccbId);
    if (!row) throw new Error("no assignment 6.2 of Hội CCB");
    expect(row.assignment.dueDate).toBe("2020-06-30");
    ccb62 = { id: row.assignment.id, dueDate: row.assignment.dueDate };

    await person("cadre", [ccbId]);
    await person("office", []);
    await person("leader", []);
    unlinkedIdentityId = (await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: senders.unlinked })).id;
    // The person the unlinked account links to in the link cells.
    spareId = (await store.persons.create({ orgId, fullName: "Phạm Minh Đức", roles: ["cadre"] })).id;
    groupThreadId = (await store.chats.upsertThread({ orgId, channel: "simulator", externalId: GROUP_ID, kind: "group", title: "Nhóm Hội CCB" })).id;
  });
  afterAll(async () => {
    await test?.drop();
  });

  const commands = Object.keys(MATRIX) as Command[];

  describe.each(commands.map((c) => [`${c}: "${c === "link" ? "/dangky <mã>" : TEXT[c]}"`, c] as const))("%s", (_title, command) => {
    beforeEach(async () => {
      await arrange(command);
    });

    it.each(casesOf(command).map((c) => [`${c.role} in a ${c.where} thread → ${c.outcome}`, c] as const))("%s", async (_title, { role, where, outcome }) => {
      const text = textOf(command);
      const before = await snapshot();
      const replies = await send(role, where, text);
      const after = await snapshot();
      const answer = replies.map((r) => r.text).join("\n");
      const context = `${role} in ${where}: "${text}" → ${JSON.stringify(answer)}`;

      // Every answer goes back to the thread it came from.
      const threadExternalId = where === "group" ? GROUP_ID : senders[role];
      for (const reply of replies) expect(reply.threadId, context).toBe(threadExternalId);
      if (replies.length > 0) {
        // …and each reply is an outbox row of the sender's thread (so `sideOutbound` below is exact).
        const ids = sql.join(replies.map((r) => sql`${r.outboundMessageId}::uuid`), sql`, `);
        const [own] = await rows<{ n: number }>(sql`
          select count(*)::int as n from outbound_messages o join threads t on t.id = o.thread_id
          where o.id in (${ids}) and t.channel = 'simulator' and t.external_id = ${threadExternalId}`);
        expect(own?.n, context).toBe(replies.length);
      }

      const delta: Record<Counter, number> = {
        reports: after.reports - before.reports,
        requested: after.requested - before.requested,
        approved: after.approved - before.approved,
        rejected: after.rejected - before.rejected,
        broadcasts: after.broadcasts - before.broadcasts,
        broadcastOutbound: after.broadcastOutbound - before.broadcastOutbound,
        // New outbox rows that are not the replies to this very message.
        sideOutbound: after.outbound - before.outbound - replies.length,
        boundThreads: after.boundThreads - before.boundThreads,
        usedCodes: after.usedCodes - before.usedCodes,
        linkedIdentities: after.linkedIdentities - before.linkedIdentities,
      };
      const audit = await auditSince(before.auditId);

      if (outcome === "allow") {
        expect(replies.length, context).toBeGreaterThan(0);
        expect(answer, context).not.toMatch(REFUSALS);
        const effect = EFFECTS[command];
        for (const counter of COUNTERS) {
          const wanted = effect.deltas[counter] ?? 0;
          if (wanted === "more") expect(delta[counter], `${counter}: ${context}`).toBeGreaterThan(0);
          else expect(delta[counter], `${counter}: ${context}`).toBe(wanted);
        }
        expect(audit, context).toEqual(effect.audit);
        expect(after.assignments !== before.assignments, `assignments changed: ${context}`).toBe(effect.assignments ?? false);
        await expectEffect(command);
        return;
      }

      // Refused: exactly one answer, and nothing stored or sent anywhere else.
      expect(replies, context).toHaveLength(1);
      expect(delta, context).toEqual(Object.fromEntries(COUNTERS.map((c) => [c, 0])));
      expect(audit, context).toEqual([]);
      expect(after.assignments, context).toBe(before.assignments);
      switch (outcome) {
        case "refuse": {
          expect(answer, context).toMatch(/dành cho/);
          expect(answer, context).not.toContain("\n"); // one line, not a help dump
          for (const r of NAMED[command] ?? []) expect(answer, context).toContain(ROLE_VI[r]);
          break;
        }
        case "not_linked":
          expect(answer, context).toMatch(/chưa được liên kết/);
          break;
        case "already_linked":
          expect(answer, context).toMatch(new RegExp(`đã liên kết với ${names[role as Exclude<Role, "unlinked">]}`));
          break;
        case "group_only":
          expect(answer, context).toMatch(/trong nhóm/);
          break;
        case "direct_only":
          expect(answer, context).toMatch(/tin nhắn riêng/);
          break;
      }
    });
  });

  /** The effect of an allowed cell, read back from the store. */
  async function expectEffect(command: Command) {
    switch (command) {
      case "report": {
        const assignment = await store.tracking.assignment(orgId, ccb62.id);
        expect(assignment?.status).toBe("done");
        break;
      }
      case "decide":
        expect((await store.tracking.assignment(orgId, ccb62.id))?.dueDate).toBe("2020-07-15");
        break;
      case "bind_group": {
        const thread = await store.chats.threadById(orgId, groupThreadId);
        expect(thread?.unitId).toBe(ccbId);
        break;
      }
      case "link": {
        const identity = await store.chats.identityById(orgId, unlinkedIdentityId);
        expect(identity?.personId).toBe(spareId);
        break;
      }
      default:
        break;
    }
  }
});
