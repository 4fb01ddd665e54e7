/**
 * Delivering outbox messages to a Zalo group through the real Zalo gateway (zca-js faked): a
 * message about an item @mentions the unit's cadres who have not reported it, and a reply
 * quotes the message it answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecentMessages, createSendGuard, zaloGateway } from "../../bots/zalo/index.ts";
import { createDelivery } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { FakeZcaApi, groupMessage } from "../fakes/zca-js.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

const BOT = "8000000000000000001";
const GROUP = "5012345678901234567";

describe("delivery to a Zalo group", () => {
  let test: TestDatabase;
  let store: Store;
  let orgId: string;
  let delivery: ReturnType<typeof createDelivery>;
  const clock = new FakeClock("2020-06-20T01:00:00Z");
  const api = new FakeZcaApi(BOT);
  const recent = createRecentMessages();
  let threadId: string;
  let itemId: string;
  let assignmentId: string;
  let lanId: string;

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "zalo-group", name: "Phường nhóm" })).id;
    const guard = createSendGuard({ hourlyCap: 100 }, { clock });
    delivery = createDelivery({ store, clock, gateways: { zalo: zaloGateway({ api: () => api, guard, recent, isLinked: async () => true }) } });

    const unit = await store.units.create({ orgId, name: "Hội Cựu chiến binh", key: "hoi-ccb" });
    const other = await store.units.create({ orgId, name: "Đoàn Thanh niên", key: "doan-tn" });
    const person = async (name: string, roles: ("cadre" | "office")[], unitId: string, zalo: string | null) => {
      const p = await store.persons.create({ orgId, fullName: name, roles });
      await store.persons.addMembership({ orgId, personId: p.id, unitId });
      if (zalo) {
        const identity = await store.chats.upsertIdentity({ orgId, channel: "zalo", externalId: zalo });
        await store.chats.linkIdentity(orgId, identity.id, p.id, clock.now());
      }
      return p;
    };
    lanId = (await person("Nguyễn Thị Lan", ["cadre"], unit.id, "101")).id;
    await person("Trần Văn Bình", ["cadre"], unit.id, "102");
    await person("Lê Văn Chưa Liên Kết", ["cadre"], unit.id, null); // no Zalo account: cannot be mentioned
    await person("Phạm Văn Phòng", ["office"], unit.id, "103"); // not a cadre
    await person("Đỗ Thanh Niên", ["cadre"], other.id, "104"); // another unit
    const { directive } = await store.directives.createDraft({ orgId, sourceText: "1. Rà soát hội viên.", items: [{ ref: "1", text: "Rà soát hội viên.", summary: "Rà soát hội viên" }] });
    itemId = (await store.directives.get(orgId, directive.id))?.items[0]?.id ?? "";
    assignmentId = (await store.tracking.assign({ orgId, itemId, unitId: unit.id, role: "lead", dueDate: "2020-06-30" })).id;
    await store.tracking.assign({ orgId, itemId, unitId: other.id, role: "support", dueDate: "2020-06-30" });
    const thread = await store.chats.upsertThread({ orgId, channel: "zalo", externalId: GROUP, kind: "group", title: "Hội CCB phường" });
    threadId = (await store.chats.bindThread(orgId, thread.id, unit.id)).id;
  });
  afterAll(async () => {
    await test.drop();
  });

  it("@mentions the unit's linked cadres who have not reported the item", async () => {
    const message = await store.outbound.enqueue({ orgId, threadId, text: "Nhắc: NV 1 Rà soát hội viên, hạn 30/06/2020.", itemId });
    expect(await delivery.deliver(orgId, message.id)).toEqual({ status: "sent" });
    const sent = api.sent.at(-1);
    expect(sent?.threadId).toBe(GROUP);
    expect(sent?.content.msg).toBe("@Nguyễn Thị Lan @Trần Văn Bình Nhắc: NV 1 Rà soát hội viên, hạn 30/06/2020.");
    expect(sent?.content.mentions).toEqual([
      { pos: 0, len: "@Nguyễn Thị Lan".length, uid: "101" },
      { pos: "@Nguyễn Thị Lan ".length, len: "@Trần Văn Bình".length, uid: "102" },
    ]);
  });

  it("mentions nobody once the unit has reported, nor for a message without an item", async () => {
    await store.tracking.recordReport({ orgId, assignmentId, personId: lanId, status: "in_progress", percent: 50, reportedAt: clock.now() });
    const about = await store.outbound.enqueue({ orgId, threadId, text: "Nhắc lại NV 1.", itemId });
    expect((await delivery.deliver(orgId, about.id)).status).toBe("sent");
    expect(api.sent.at(-1)?.content).toEqual({ msg: "Nhắc lại NV 1." });
    const notice = await store.outbound.enqueue({ orgId, threadId, text: "Họp giao ban 8h thứ Hai." });
    expect((await delivery.deliver(orgId, notice.id)).status).toBe("sent");
    expect(api.sent.at(-1)?.content.mentions).toBeUndefined();
  });

  it("quotes the message a reply answers", async () => {
    const incoming = groupMessage(BOT, { msgId: "7312345678901234599", uidFrom: "101", idTo: GROUP, content: "@Đôn Đốc bc 1 xong" });
    recent.remember(incoming, "7312345678901234599", GROUP);
    const reply = await store.outbound.enqueue({ orgId, threadId, text: "Đã ghi nhận.", quoteExternalId: "7312345678901234599" });
    expect((await delivery.deliver(orgId, reply.id)).status).toBe("sent");
    expect(api.sent.at(-1)?.content.quote?.msgId).toBe("7312345678901234599");
  });
});
