/**
 * The conversation pipeline (src/app/chat/conversation.ts): the door, stored once, processed
 * once, replies written as replies and handed to the delivery queues first, the shared checks
 * (linked, real dates), and what is not a command (unknown text, thanks, a leader's bare "duyệt").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../src/domain/index.ts";
import { createConversation, createIntake, type Conversation, type DeliveryRoute, type DispatchOptions, type Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { SEED } from "../support/board-seed.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { linkPerson } from "../support/people.ts";

describe("the conversation pipeline", () => {
  let test: TestDatabase;
  let store: Store;
  let conversation: Conversation;
  let orgId: string;
  const clock = new FakeClock("2020-06-20T01:00:00Z");
  const dispatched: { routes: DeliveryRoute[]; options: DispatchOptions | undefined }[] = [];
  let seq = 0;

  const message = (senderId: string, text: string, extra: Partial<Parameters<Conversation["handle"]>[0]> = {}) => ({
    orgId,
    channel: "simulator" as const,
    threadId: senderId,
    threadKind: "direct" as const,
    senderId,
    messageId: `conv-${++seq}`,
    text,
    sentAt: clock.now(),
    ...extra,
  });
  const say = async (senderId: string, text: string) => (await conversation.handle(message(senderId, text))).map((r) => r.text);

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "conversation", name: "Phường hội thoại" })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    await intake.activate(orgId, (await intake.importDirective({ orgId, text: SEED, actor: "test" })).directive.id, "test", { confirm: "all" });
    conversation = createConversation({ store, clock, dispatch: async (routes, options) => void dispatched.push({ routes, options }) });
    await linkPerson(store, orgId, clock.now(), { name: "Trần Văn Bình", roles: ["cadre"], sim: "ccb", unit: "Hội Cựu chiến binh" });
    await linkPerson(store, orgId, clock.now(), { name: "Nguyễn Tiến Giang", roles: ["leader"], sim: "leader" });
    await linkPerson(store, orgId, clock.now(), { name: "Văn phòng", roles: ["office"], sim: "office" });
  });
  afterAll(async () => {
    await test.drop();
  });

  it("stores a message once and processes it once; the replies are rows marked as answers to it, queued first", async () => {
    const msg = message("ccb", "bc 6.2 đang làm 40%");
    const id = await conversation.accept(msg);
    expect(id).toBeTruthy();
    expect(await conversation.accept(msg)).toBeNull();
    dispatched.length = 0;
    const replies = await conversation.process(orgId, id ?? "");
    expect(replies.map((r) => r.text).join("\n")).toContain("Đã ghi nhận báo cáo của đồng chí: Hội Cựu chiến binh · NV 6.2 (TB 05/6)");
    for (const r of replies) expect((await store.outbound.get(orgId, r.outboundMessageId))?.inReplyTo).toBe(id);
    expect(dispatched).toEqual([{ routes: replies.map((r) => ({ orgId, id: r.outboundMessageId, channel: "simulator" })), options: { priority: "reply" } }]);
    expect(await conversation.process(orgId, id ?? "")).toEqual([]);
    expect((await store.inbound.get(orgId, id ?? ""))?.processedAt).not.toBeNull();
  });

  it("refuses at the door what cannot be made safe, recording why, and stores nothing", async () => {
    const before = (await store.audit.list(orgId, { limit: 1000 })).filter((e) => e.action === "inbound.rejected").length;
    expect(await conversation.accept(message("\u0000\u202e", "xin chào"))).toBeNull();
    expect(await conversation.accept(message("ccb", "x", { messageId: " \u0000 " }))).toBeNull();
    const rejected = (await store.audit.list(orgId, { limit: 1000 })).filter((e) => e.action === "inbound.rejected");
    expect(rejected.length - before).toBe(2);
    expect(rejected.map((e) => e.data.reason)).toEqual(expect.arrayContaining(["no sender id", "no message id"]));
  });

  it("asks an unlinked account to link, and answers a date that does not exist", async () => {
    expect(await say("stranger", "bc 6.2 xong")).toEqual(["Tài khoản này chưa được liên kết với cán bộ nào.\nĐề nghị nhắn /dangky <mã> với mã 12 số do Văn phòng cấp."]);
    expect((await say("ccb", "/giahan 6.2 31/2/2020"))[0]).toMatch(/không có thật/);
  });

  it("answers thanks in one short line and unknown text with one line and the likeliest command, not the help", async () => {
    expect(await say("ccb", "cảm ơn văn phòng ạ")).toEqual(["Dạ, Văn phòng Đảng ủy cảm ơn đồng chí."]);
    expect(await say("ccb", "trời hôm nay đẹp quá")).toEqual(['Văn phòng Đảng ủy chưa rõ ý đồng chí. Để báo cáo, gõ số nhiệm vụ và kết quả, ví dụ "bc 6 xong"; gõ /trogiup để xem các lệnh.']);
    expect(await say("leader", "trời hôm nay đẹp quá")).toEqual(['Văn phòng Đảng ủy chưa rõ ý đồng chí. Gõ "tình hình" để xem tình hình chung; gõ /trogiup để xem các lệnh.']);
  });

  it("addresses people as the org's settings say, per role", async () => {
    await store.orgs.setSettings(orgId, { voice: { address: { cadre: "anh/chị" }, office: "Văn phòng UBND phường" } });
    expect(await say("ccb", "cảm ơn")).toEqual(["Dạ, Văn phòng UBND phường cảm ơn anh/chị."]);
    expect(await say("leader", "cảm ơn")).toEqual(["Dạ, Văn phòng UBND phường cảm ơn đồng chí."]);
    await store.orgs.setSettings(orgId, {});
  });

  it("lets a leader's bare \"duyệt\" decide the one extension waiting, and tells the unit", async () => {
    expect((await say("ccb", "/giahan 6.2 15/7/2020 chờ số liệu")).join("\n")).toMatch(/Đã gửi đề nghị gia hạn NV 6\.2/);
    expect((await say("leader", "duyệt")).join("\n")).toMatch(/Đã duyệt gia hạn NV 6\.2 \(Hội Cựu chiến binh\) đến 15\/07\/2020/);
    const row = (await store.tracking.board(orgId, localDay(clock.now()))).find((r) => r.item.ref === "6.2" && r.unit.name === "Hội Cựu chiến binh");
    expect(row?.assignment.dueDate).toBe("2020-07-15");
    expect((await say("leader", "đồng ý")).join("\n")).toMatch(/Không có đề nghị gia hạn nào đang chờ/);
  });

  it("answers a question the bot asked before anything else, and drops it when the next message is not an answer", async () => {
    const asked = (await say("ccb", "báo cáo việc tuyên truyền phòng chống dịch đã làm xong")).join("\n");
    if (/Có phải đồng chí báo cáo NV/.test(asked)) {
      expect((await say("ccb", "có")).join("\n")).toMatch(/Đã ghi nhận/);
    } else {
      expect(asked).toMatch(/Đã ghi nhận|nhiệm vụ nào/);
    }
    // A stale "có" later records nothing.
    const reports = async () => (await Promise.all((await store.tracking.board(orgId, localDay(clock.now()))).map((r) => store.tracking.reports(orgId, r.assignment.id)))).flat().length;
    const before = await reports();
    await say("ccb", "có");
    expect(await reports()).toBe(before);
  });
});
