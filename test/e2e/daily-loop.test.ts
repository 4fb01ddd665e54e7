/**
 * The daily loop as a ward lives it (issue 14), through the conversation on a real store: a
 * report on this week's occurrence of a recurring duty turns every view; two directives with
 * the same item number are named, never mixed; the office's voice; a group left in peace; and
 * every leader answer on one phone screen.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBoardView, createConversation, createIntake, type Conversation, type Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { SEED } from "../support/board-seed.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { linkPerson } from "../support/people.ts";

const PLAN = `ĐẢNG BỘ PHƯỜNG TÂN AN
ĐẢNG ỦY PHƯỜNG
Số 12-KH/ĐU

KẾ HOẠCH
Tổ chức tháng cao điểm vì người nghèo năm 2020

1. Hội Cựu chiến binh phường rà soát hội viên có hoàn cảnh khó khăn, hoàn thành trước ngày 30/6/2020.
2. Hội Cựu chiến binh phường tổ chức ra quân dọn vệ sinh môi trường, hoàn thành trước ngày 25/6/2020.
3. Hội Liên hiệp Phụ nữ phường vận động quyên góp quỹ vì người nghèo, hoàn thành trước ngày 30/6/2020.
`;

describe("the daily loop", () => {
  let test: TestDatabase;
  let store: Store;
  let conversation: Conversation;
  let orgId: string;
  // Thursday 18/6/2020: the week of Green Sunday 21/6 (seed item 2, weekly, two teams).
  const clock = new FakeClock("2020-06-18T02:00:00Z");
  let seq = 0;
  const send = async (senderId: string, text: string, group?: string) =>
    (
      await conversation.handle({
        orgId,
        channel: "simulator",
        threadId: group ?? senderId,
        threadKind: group ? "group" : "direct",
        senderId,
        messageId: `loop-${++seq}`,
        text,
        sentAt: clock.now(),
      })
    ).map((r) => r.text);
  const ask = async (senderId: string, text: string) => (await send(senderId, text)).join("\n");

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "daily-loop", name: "Phường Tân An" })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    await intake.activate(orgId, (await intake.importDirective({ orgId, text: SEED, actor: "test" })).directive.id, "test", { confirm: "all" });
    conversation = createConversation({ store, clock });
    await linkPerson(store, orgId, clock.now(), { name: "Trần Văn Bình", roles: ["cadre"], sim: "ccb", unit: "Hội Cựu chiến binh" });
    await linkPerson(store, orgId, clock.now(), { name: "Nguyễn Tiến Giang", roles: ["leader"], sim: "leader" });
    await linkPerson(store, orgId, clock.now(), { name: "Lê Thị Thu", roles: ["office"], sim: "office" });
  });
  afterAll(async () => {
    await test.drop();
  });

  it("a report on this week's Green Sunday turns the unit's status, the unreported list, the board and the Word draft", async () => {
    const ccbOnItem2 = (await store.tracking.board(orgId, "2020-06-18")).find((r) => r.item.ref === "2" && r.unit.name === "Hội Cựu chiến binh");
    expect(ccbOnItem2?.occurrence).toMatchObject({ periodStart: "2020-06-15", periodEnd: "2020-06-21" });
    expect(ccbOnItem2?.assignment.status).toBe("not_reported");
    expect(await ask("leader", "ai chưa báo cáo nv 2")).toContain("Hội Cựu chiến binh");

    expect(await ask("ccb", "bc 2 tuần này hội đã ra quân xong")).toMatch(/Đã ghi nhận báo cáo của đồng chí: Hội Cựu chiến binh · NV 2 \(TB 05\/6\)/);

    const after = (await store.tracking.board(orgId, "2020-06-18")).find((r) => r.assignment.id === ccbOnItem2?.assignment.id);
    expect(after?.assignment.status).toBe("done");
    // The assignment as a whole is not done: next week's occurrence is still ahead.
    expect((await store.tracking.assignment(orgId, ccbOnItem2?.assignment.id ?? ""))?.status).toBe("not_reported");
    expect(await ask("leader", "ai chưa báo cáo nv 2")).not.toContain("Hội Cựu chiến binh");
    expect(await ask("leader", "tình hình hội CCB")).toMatch(/NV 2 .*: hoàn thành · đúng hạn · đợt 15\/06–21\/06/);

    const views = createBoardView({ store, clock });
    const unit = await views.unitView(orgId, ccbOnItem2?.unit.id ?? "");
    const cell = unit?.directives.flatMap((d) => d.cells).find((c) => c.assignmentId === ccbOnItem2?.assignment.id);
    expect(cell).toMatchObject({ status: "done", cls: "done_on_time" });
    expect(cell?.label).toContain("đợt 15/06–21/06");
    const draft = await views.reportDraft(orgId, ccbOnItem2?.directive.id ?? "");
    const line = draft?.items.find((i) => i.ref === "2")?.units.find((u) => u.unitName === "Hội Cựu chiến binh");
    expect(line?.status).toBe("done");
    expect(line?.statusText).toMatch(/^Hoàn thành/);
    // The Word draft keeps each period of the duty: this week's with its team, the CCB done in it.
    const history = draft?.items.find((i) => i.ref === "2")?.history ?? [];
    expect(history[0]).toMatchObject({ periodStart: "2020-06-15", periodEnd: "2020-06-21" });
    expect(history[0]?.done).toEqual(["Hội Cựu chiến binh"]);
    expect(history[1]?.done).toEqual([]);

    // Next week the duty is open again, and the unit is back on the unreported list.
    clock.set("2020-06-23T02:00:00Z");
    expect(await ask("leader", "ai chưa báo cáo nv 2")).toContain("Hội Cựu chiến binh");
    clock.set("2020-06-18T02:00:00Z");
  });

  it("never mixes two directives' items: names each, asks which before reminding", async () => {
    const intake = createIntake({ store, clock: new FakeClock("2020-06-10T01:00:00Z") });
    await intake.activate(orgId, (await intake.importDirective({ orgId, text: PLAN, actor: "test" })).directive.id, "test", { confirm: "all" });
    const both = await ask("leader", "tình hình nv 2");
    expect(both).toContain("NV 2 có trong 2 văn bản");
    expect(both).toMatch(/• TB 05\/6 NV 2 /);
    expect(both).toMatch(/• KH 12 NV 2 /);
    const one = await ask("leader", "tình hình KH12 nv 2");
    expect(one).toMatch(/^NV 2 \(KH 12\)/);
    expect(one).toContain("Hội Cựu chiến binh");
    expect(one).not.toContain("TB 05/6");
    expect(await ask("leader", "/nhacnho 2")).toMatch(/NV 2 có trong 2 văn bản: .*TB 05\/6.*KH 12|NV 2 có trong 2 văn bản: .*KH 12.*TB 05\/6/);
    expect(await ask("leader", "/nhacnho KH 12 2")).toMatch(/^Đã xếp 1 tin nhắc tới các đơn vị chưa báo cáo NV 2 \(KH 12\)\.$/);
    expect(await ask("leader", "tình hình TB 07")).toMatch(/^Không tìm thấy văn bản "TB 07"\. Các văn bản đang theo dõi: /);
    // The overview has one line per directive.
    const overview = await ask("leader", "tình hình");
    expect(overview).toMatch(/2 văn bản/);
    expect(overview).toMatch(/• TB 05\/6: \d+\/\d+ xong/);
    expect(overview).toMatch(/• KH 12: \d+\/\d+ xong/);
  });

  it("speaks as the office and calls people đồng chí: a greeting, thanks and the unknown get one line", async () => {
    const replies = [await send("leader", "chào văn phòng"), await send("ccb", "cảm ơn văn phòng"), await send("leader", "abc xyz"), await send("ccb", "👍")];
    for (const r of replies) {
      expect(r).toHaveLength(1);
      expect(r[0]?.split("\n")).toHaveLength(1);
      expect(r[0]).not.toMatch(/\b(Mình|mình|bạn|Bạn)\b/u);
      expect(r[0]).toContain("đồng chí");
    }
    expect(replies[0]?.[0]).toBe('Văn phòng Đảng ủy kính chào đồng chí. Đồng chí cần gì xin cứ nhắn; gõ "tình hình" để xem tình hình chung.');
    expect(replies[1]?.[0]).toBe("Dạ, Văn phòng Đảng ủy cảm ơn đồng chí.");
    expect(replies[2]?.[0]).toMatch(/^Văn phòng Đảng ủy chưa rõ ý đồng chí\. Gõ "tình hình"/);
  });

  it("stays silent in a group unless addressed", async () => {
    expect(await send("ccb", "mọi người ăn cơm chưa", "group-1")).toEqual([]);
    expect(await send("ccb", "chào cả nhà", "group-1")).toEqual([]);
    expect(await send("ccb", "😀", "group-1")).toEqual([]);
    expect((await send("leader", "/tinhhinh", "group-1")).join("\n")).toMatch(/^Tình hình đến 18\/06\/2020/);
  });

  it("keeps every leader answer to one message of at most 12 lines and 1,000 characters", async () => {
    for (const q of ["tình hình", "quá hạn", "đơn vị nào quá hạn", "ai chưa báo cáo", "tình hình nv 6", "tình hình TB 05/6", "tình hình TB 05/6 nv 6", "tình hình hội CCB", "ai chưa báo cáo nv 2"]) {
      const replies = await send("leader", q);
      expect(replies, q).toHaveLength(1);
      expect(replies[0]?.split("\n").length, q).toBeLessThanOrEqual(12);
      expect(replies[0]?.length, q).toBeLessThanOrEqual(1000);
    }
    // Details on request may take more.
    expect((await send("leader", "tình hình chi tiết")).join("\n").split("\n").length).toBeGreaterThan(12);
  });
});
