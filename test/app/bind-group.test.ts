/**
 * "/gannhom <đơn vị>" typed inside a Zalo group: office binds the group to a unit; cadres and
 * direct chats are refused. Real database, the conversation use case as the channels call it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConversation, type Conversation } from "../../src/app/index.ts";
import type { IncomingMessage, Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

const GROUP = "5012345678901234567";

describe("/gannhom in a Zalo group", () => {
  let test: TestDatabase;
  let store: Store;
  let conversation: Conversation;
  let orgId: string;
  let ccbId: string;
  const clock = new FakeClock("2020-06-20T01:00:00Z");
  let n = 0;

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    conversation = createConversation({ store, clock });
    orgId = (await store.orgs.create({ slug: "gannhom", name: "Phường gắn nhóm" })).id;
    ccbId = (await store.units.create({ orgId, name: "Hội Cựu chiến binh", key: "hoi-ccb" })).id;
    for (const [name, roles, uid] of [
      ["Văn phòng Đảng ủy", ["office"], "office-1"],
      ["Trần Văn An", ["cadre"], "cadre-1"],
    ] as const) {
      const person = await store.persons.create({ orgId, fullName: name, roles: [...roles] });
      const identity = await store.chats.upsertIdentity({ orgId, channel: "zalo", externalId: uid });
      await store.chats.linkIdentity(orgId, identity.id, person.id, clock.now());
    }
  });
  afterAll(async () => {
    await test.drop();
  });

  const say = (senderId: string, text: string, threadKind: "group" | "direct" = "group"): Promise<string[]> => {
    const msg: IncomingMessage = { orgId, channel: "zalo", threadId: threadKind === "group" ? GROUP : senderId, threadKind, senderId, messageId: `m-${++n}`, text, sentAt: clock.now() };
    return conversation.handle(msg).then((replies) => replies.map((r) => r.text));
  };
  const groupUnit = async () => (await store.chats.thread(orgId, "zalo", GROUP))?.unitId ?? null;

  it("refuses a cadre, leaving the group unbound", async () => {
    expect(await say("cadre-1", "/gannhom Hội CCB")).toEqual(["Chức năng này dành cho văn phòng."]);
    expect(await groupUnit()).toBeNull();
  });

  it("refuses in a direct chat, even for office", async () => {
    const [answer] = await say("office-1", "/gannhom Hội CCB", "direct");
    expect(answer).toMatch(/^Lệnh \/gannhom chỉ dùng trong nhóm chat của đơn vị/);
    expect((await store.chats.thread(orgId, "zalo", "office-1"))?.unitId).toBeNull();
  });

  it("binds the group for office, typed without slash or diacritics, and audits it", async () => {
    expect(await say("office-1", "gan nhom hoi ccb")).toEqual(["Đã gắn nhóm này với Hội Cựu chiến binh. Báo cáo trong nhóm sẽ tính cho đơn vị này."]);
    expect(await groupUnit()).toBe(ccbId);
    const entries = (await store.audit.list(orgId)).filter((e) => e.action === "thread.bound");
    expect(entries).toHaveLength(1);
    expect(entries[0]?.data).toMatchObject({ unitId: ccbId, previousUnitId: null });
  });

  it("answers in Vietnamese when the unit is unknown, keeping the binding", async () => {
    expect(await say("office-1", "/gannhom Hội Nông dân")).toEqual(['Không tìm thấy đơn vị "Hội Nông dân". Hãy ghi đúng tên đơn vị, ví dụ: /gannhom Hội CCB.']);
    expect(await groupUnit()).toBe(ccbId);
  });
});
