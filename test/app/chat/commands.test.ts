/**
 * The command table: every intent has exactly one command; each command's help line shows to the
 * people who may use it and to no one else; a person without its role gets the one-line refusal
 * the table names, and nothing else happens.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { COMMANDS, createConversation, helpText, type Conversation, type Store } from "../../../src/app/index.ts";
import { helpLines } from "../../../src/app/chat/command.ts";
import type { Intent } from "../../../src/domain/intent.ts";
import type { Person, PersonRole } from "../../../src/domain/entities.ts";
import { createStore } from "../../../src/store/index.ts";
import { FakeClock } from "../../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../../support/databases.ts";

const ALL_INTENTS: Intent[] = ["report", "status", "overdue", "unreported", "my_tasks", "remind", "broadcast", "link", "help", "extend", "decide", "bind_group", "unknown"];
/** A message that the interpreter reads as each command's intent. */
const EXAMPLE: Record<string, string> = {
  help: "/trogiup",
  link: "/dangky 0000 0000 0000",
  my_tasks: "/nhiemvu",
  report: "/baocao 1 xong",
  extend: "/giahan 1 15/7/2020 chờ số liệu",
  status: "/tinhhinh",
  overdue: "/quahan",
  unreported: "/chuabaocao",
  remind: "/nhacnho 1",
  broadcast: "/thongbao Họp giao ban",
  bind_group: "/gannhom Hội CCB",
  decide: "duyệt gia hạn 1",
};
const ROLE_VI: Record<PersonRole, string> = { office: "văn phòng", cadre: "cán bộ các đơn vị", leader: "lãnh đạo" };

describe("the chat command table", () => {
  let test: TestDatabase;
  let store: Store;
  let conversation: Conversation;
  let orgId: string;
  const clock = new FakeClock("2020-06-20T01:00:00Z");
  const people: Partial<Record<PersonRole, Person>> = {};
  let seq = 0;

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "commands", name: "Phường lệnh" })).id;
    conversation = createConversation({ store, clock });
    for (const role of ["office", "cadre", "leader"] as const) {
      const person = await store.persons.create({ orgId, fullName: `Người ${ROLE_VI[role]}`, roles: [role] });
      const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: `cmd-${role}` });
      await store.chats.linkIdentity(orgId, identity.id, person.id, clock.now());
      people[role] = person;
    }
  });
  afterAll(async () => {
    await test.drop();
  });

  const count = async (table: string) => {
    const result: unknown = await test.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`));
    return (result as { rows: { n: number }[] }).rows[0]?.n ?? 0;
  };

  it("answers every intent but unknown with exactly one command, each with an example the interpreter reads as it", async () => {
    for (const intent of ALL_INTENTS.filter((i) => i !== "unknown")) {
      expect(COMMANDS.filter((c) => c.intents.includes(intent)).map((c) => c.name), intent).toHaveLength(1);
    }
    expect(COMMANDS.some((c) => c.intents.includes("unknown"))).toBe(false);
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    const { interpret } = await import("../../../src/domain/intent.ts");
    for (const cmd of COMMANDS) expect(cmd.intents, cmd.name).toContain(interpret(EXAMPLE[cmd.name] ?? "", { today: "2020-06-20" }).intent);
  });

  describe.each(COMMANDS.map((c) => [c.name, c] as const))("%s", (_name, cmd) => {
    it("shows its help line to the roles that may use it, and only to them", () => {
      const today = "2026-03-11";
      if (cmd.roles === "anyone") return expect(helpLines(cmd, today)).toEqual([]);
      expect(helpLines(cmd, today).length).toBeGreaterThan(0);
      for (const role of ["office", "cadre", "leader"] as const) {
        const lines = helpText(people[role] ?? null, COMMANDS, { today });
        for (const line of helpLines(cmd, today)) expect(lines.includes(line), `${cmd.name} for ${role}`).toBe(cmd.roles.includes(role));
      }
    });

    it("refuses the roles that may not use it in one line naming who may, and does nothing else", async () => {
      if (cmd.roles === "anyone") return;
      for (const role of (["office", "cadre", "leader"] as const).filter((r) => !(cmd.roles as readonly PersonRole[]).includes(r))) {
        const before = await Promise.all(["reports", "extensions", "broadcasts", "outbound_messages", "audit_log"].map(count));
        const replies = await conversation.handle({ orgId, channel: "simulator", threadId: `cmd-${role}`, threadKind: "direct", senderId: `cmd-${role}`, messageId: `cmd-${++seq}`, text: EXAMPLE[cmd.name] ?? "", sentAt: clock.now() });
        expect(replies.map((r) => r.text)).toEqual([`Chức năng này dành cho ${(cmd.roles).map((r) => ROLE_VI[r]).join(" và ")}.`]);
        const after = await Promise.all(["reports", "extensions", "broadcasts", "outbound_messages", "audit_log"].map(count));
        // Only the refusal itself was written.
        expect(after.map((n, i) => n - (before[i] ?? 0))).toEqual([0, 0, 0, 1, 0]);
      }
    });
  });
});
