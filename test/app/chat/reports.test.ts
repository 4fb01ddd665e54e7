/**
 * "Ask, don't guess" in the reporting flow (DESIGN.md §2, §4.3, §5), through the conversation
 * with a real store: a status the interpreter is unsure of is asked with a one-tap confirmation
 * and recorded only after the tap; an explicit item number beats text similarity; a number that
 * exists in two of the sender's directives is asked about, naming both; a report on this week's
 * turn of a recurring duty goes to the current occurrence; counts keep their noun; the bot
 * addresses the sender as "đồng chí" and names every item with its directive.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../../src/domain/index.ts";
import { createConversation, createIntake, type Conversation, type Reply, type Store } from "../../../src/app/index.ts";
import { rankItems, type BoardRow } from "../../../src/domain/index.ts";
import { createStore } from "../../../src/store/index.ts";
import { FakeClock } from "../../fakes/clock.ts";
import { SEED } from "../../support/board-seed.ts";
import { createMigratedDatabase, type TestDatabase } from "../../support/databases.ts";

/** A second active directive of the ward: it too has an item 2, for Hội Cựu chiến binh. */
const PLAN = `**ĐẢNG ỦY PHƯỜNG 7**

Số 12-KH/ĐU

*Phường 7, ngày 10 tháng 6 năm 2020*

## KẾ HOẠCH

### Rà soát hội viên và chăm lo gia đình chính sách năm 2020

1. Ủy ban Mặt trận Tổ quốc Việt Nam phường chủ trì tổ chức hội nghị đại biểu nhân dân trước ngày 30/7/2020.

2. Hội Cựu chiến binh phường tổ chức thăm hỏi, tặng quà gia đình chính sách nhân ngày 27/7, hoàn thành trước ngày 31/7/2020.

**T/M BAN THƯỜNG VỤ**
**BÍ THƯ**

**Nguyễn Tiến Giang**`;

const CCB = "Hội Cựu chiến binh";

describe("reports: ask, don't guess", () => {
  let test: TestDatabase;
  let store: Store;
  let conversation: Conversation;
  let orgId: string;
  const clock = new FakeClock("2020-06-20T01:00:00Z"); // Saturday 20 June 2020, 08:00
  let seq = 0;

  const message = (senderId: string, text: string, extra: { payload?: string; threadId?: string } = {}) => ({
    orgId,
    channel: "simulator" as const,
    threadId: extra.threadId ?? senderId,
    threadKind: "direct" as const,
    senderId,
    messageId: `rep-${++seq}`,
    text,
    ...(extra.payload ? { payload: extra.payload } : {}),
    sentAt: clock.now(),
  });
  const send = (senderId: string, text: string, extra: { payload?: string; threadId?: string } = {}) => conversation.handle(message(senderId, text, extra));
  const all = (replies: Reply[]) => replies.map((r) => r.text).join("\n");
  const board = () => store.tracking.board(orgId, localDay(clock.now()));
  async function row(ref: string, directive: "TB 05/6" | "KH 12", unit = CCB): Promise<BoardRow> {
    const found = (await board()).find((r) => r.item.ref === ref && r.unit.name === unit && (directive === "KH 12" ? r.directive.number?.startsWith("12") : !r.directive.number?.startsWith("12")));
    if (!found) throw new Error(`no row ${ref} ${directive} ${unit}`);
    return found;
  }
  const reportsOf = async (r: BoardRow) => store.tracking.reports(orgId, r.assignment.id);
  /** The voice: "đồng chí", never "bạn" or "Mình". */
  const politely = (replies: Reply[]) => {
    for (const r of replies) expect(r.text, r.text).not.toMatch(/\b(?:bạn|Bạn|Mình|mình)\b/u);
    return replies;
  };

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "reports-ask", name: "Đảng ủy phường 7" })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    await intake.activate(orgId, (await intake.importDirective({ orgId, text: SEED, actor: "test" })).directive.id, "test", { confirm: "all" });
    const plan = createIntake({ store, clock: new FakeClock("2020-06-10T01:00:00Z") });
    await plan.activate(orgId, (await plan.importDirective({ orgId, text: PLAN, actor: "test" })).directive.id, "test", { confirm: "all" });
    conversation = createConversation({ store, clock });
    const units = await store.units.list(orgId);
    const link = async (name: string, sim: string, unitNames: string[]) => {
      const person = await store.persons.create({ orgId, fullName: name, roles: ["cadre"] });
      for (const unit of unitNames) await store.persons.addMembership({ orgId, personId: person.id, unitId: units.find((u) => u.name === unit)?.id ?? "" });
      const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: sim });
      await store.chats.linkIdentity(orgId, identity.id, person.id, clock.now());
    };
    await link("Trần Văn Bình", "ccb", [CCB]);
    await link("Lê Thị Hoa", "doan", ["Đoàn TNCS Hồ Chí Minh"]);
  });
  afterAll(async () => {
    await test.drop();
  });

  it("has the two directives the cases need: both give Hội CCB an item 2, the seed's is weekly", async () => {
    const [seed2, plan2] = [await row("2", "TB 05/6"), await row("2", "KH 12")];
    expect(seed2.item.deadline?.kind).toBe("recurring");
    expect(plan2.item.deadline?.kind).not.toBe("recurring");
    expect(seed2.directive.id).not.toBe(plan2.directive.id);
  });

  it("asks about a misspelled status with a one-tap confirmation, and records only after the tap, keeping the count's noun", async () => {
    const target = await row("6.2", "TB 05/6");
    const question = politely(await send("ccb", "bc 6.2 hoàn thàn 245 hội viên"));
    expect(all(question)).toMatch(/^Đồng chí báo cáo Hội Cựu chiến binh · NV 6\.2 \(TB 05\/6\) .*\(245 hội viên\) là \*hoàn thành\*, đúng không\?/);
    expect(all(question)).toContain("1. Đúng, hoàn thành · 2. Đang thực hiện · 3. Vướng mắc");
    const choices = question[question.length - 1]?.choices ?? [];
    expect(choices.map((c) => c.title)).toEqual(["Đúng, hoàn thành", "Đang thực hiện", "Vướng mắc"]);
    for (const c of choices) expect([...c.title].length).toBeLessThanOrEqual(20);
    expect(choices[0]?.payload).toBe(`R|${target.assignment.id}|done`);
    // Nothing recorded yet: not even "đang thực hiện".
    expect(await reportsOf(target)).toHaveLength(0);
    expect((await row("6.2", "TB 05/6")).assignment.status).toBe("not_reported");

    const ack = politely(await send("ccb", "Đúng, hoàn thành", { payload: choices[0]?.payload ?? "" }));
    expect(all(ack)).toMatch(/^Đã ghi nhận báo cáo của đồng chí: Hội Cựu chiến binh · NV 6\.2 \(TB 05\/6\) /);
    expect(all(ack)).toContain("Trạng thái: hoàn thành · 245 hội viên");
    const [report] = await reportsOf(target);
    expect(report).toMatchObject({ status: "done", count: 245, text: "hoàn thàn 245 hội viên" });
    expect((await row("6.2", "TB 05/6")).assignment.status).toBe("done");
  });

  it("takes a typed answer to the confirmation too, and another status than the guess", async () => {
    const target = await row("7", "TB 05/6");
    const question = politely(await send("ccb", "bc 7 xonh", { threadId: "ccb-typed" }));
    expect(all(question)).toMatch(/NV 7 \(TB 05\/6\) .* là \*hoàn thành\*, đúng không\?/);
    expect(await reportsOf(target)).toHaveLength(0);
    // "không": asked again, with no guess; then the status written out.
    const again = politely(await send("ccb", "không", { threadId: "ccb-typed" }));
    expect(all(again)).toMatch(/^Đề nghị đồng chí cho biết tình trạng của Hội Cựu chiến binh · NV 7 \(TB 05\/6\)/);
    expect(await reportsOf(target)).toHaveLength(0);
    const ack = politely(await send("ccb", "2", { threadId: "ccb-typed" }));
    expect(all(ack)).toMatch(/Đã ghi nhận báo cáo của đồng chí: Hội Cựu chiến binh · NV 7 \(TB 05\/6\)/);
    expect(all(ack)).toContain("Trạng thái: đang thực hiện");
    expect(await reportsOf(target)).toEqual([expect.objectContaining({ status: "in_progress", text: "xonh" })]);
  });

  it("asks for the status when none was written instead of recording it as in progress", async () => {
    const target = await row("1", "TB 05/6");
    const question = politely(await send("ccb", "bc 1 đã vận động 30 hộ gia đình", { threadId: "ccb-none" }));
    expect(all(question)).toMatch(/^Đề nghị đồng chí cho biết tình trạng của Hội Cựu chiến binh · NV 1 \(TB 05\/6\) .*\(30 hộ gia đình\)/);
    expect(question[question.length - 1]?.choices?.map((c) => c.title)).toEqual(["Hoàn thành", "Đang thực hiện", "Vướng mắc"]);
    expect(await reportsOf(target)).toHaveLength(0);
    const ack = politely(await send("ccb", "đang thực hiện", { threadId: "ccb-none" }));
    expect(all(ack)).toContain("Trạng thái: đang thực hiện · 30 hộ gia đình");
    expect(await reportsOf(target)).toEqual([expect.objectContaining({ status: "in_progress", count: 30 })]);
  });

  it("sends \"bc 6.2 Hội CCB đã xong\" to 6.2 though another item's text is closer to it", async () => {
    const rows = (await board()).filter((r) => r.unit.name === "Đoàn TNCS Hồ Chí Minh");
    const items = [...new Map(rows.map((r) => [r.item.id, r.item])).values()];
    const [best] = rankItems("Hội CCB đã xong", items);
    expect(best?.ref).not.toBe("6.2");
    for (const text of ["bc 6.2 Hội CCB đã xong", "bc 6.2 chi hội CCB tổ 5 đã xong"]) {
      const ack = politely(await send("doan", text));
      expect(all(ack), text).toMatch(/^Đã ghi nhận báo cáo của đồng chí: Đoàn TNCS Hồ Chí Minh · NV 6\.2 \(TB 05\/6\)/);
    }
    expect(await reportsOf(await row("6.2", "TB 05/6", "Đoàn TNCS Hồ Chí Minh"))).toHaveLength(2);
  });

  it("asks which directive when the number is in two of the sender's, naming both, and records the chosen one", async () => {
    const [seed2, plan2] = [await row("2", "TB 05/6"), await row("2", "KH 12")];
    // Answered by typing a directive's short name.
    const typed = politely(await send("ccb", "bc 2 đang làm 50%", { threadId: "ccb-two" }));
    expect(all(typed)).toMatch(/^NV 2 có ở 2 văn bản đang theo dõi\. Đồng chí báo cáo nhiệm vụ nào\?/);
    expect([...(await reportsOf(seed2)), ...(await reportsOf(plan2))]).toHaveLength(0);
    expect(all(politely(await send("ccb", "kh 12", { threadId: "ccb-two" })))).toMatch(/^Đã ghi nhận báo cáo của đồng chí: Hội Cựu chiến binh · NV 2 \(KH 12\) [\s\S]*đang thực hiện 50%/);
    expect(await reportsOf(plan2)).toEqual([expect.objectContaining({ status: "in_progress", percent: 50 })]);

    // Answered by a tap: "bc 2 xong" goes nowhere silently, though both are open.
    const question = politely(await send("ccb", "bc 2 xong", { threadId: "ccb-two" }));
    const text = all(question);
    expect(text).toMatch(/^NV 2 có ở 2 văn bản đang theo dõi\. Đồng chí báo cáo nhiệm vụ nào\?/);
    expect(text).toMatch(/\n1\. NV 2 \((?:TB 05\/6|KH 12)\) \S/);
    expect(text).toMatch(/\n2\. NV 2 \((?:TB 05\/6|KH 12)\) \S/);
    expect(text).toContain("NV 2 (TB 05/6)");
    expect(text).toContain("NV 2 (KH 12)");
    const choices = question[question.length - 1]?.choices ?? [];
    expect(choices.map((c) => c.title).sort()).toEqual(["KH 12", "TB 05/6"]);
    expect(await reportsOf(plan2)).toHaveLength(1);
    expect(await reportsOf(seed2)).toHaveLength(0);

    const kh = choices.find((c) => c.title === "KH 12");
    const ack = politely(await send("ccb", "KH 12", { threadId: "ccb-two", payload: kh?.payload ?? "" }));
    expect(all(ack)).toMatch(/^Đã ghi nhận báo cáo của đồng chí: Hội Cựu chiến binh · NV 2 \(KH 12\) /);
    expect(all(ack)).toContain("Trạng thái: hoàn thành");
    expect(all(ack)).toContain("Hạn: 31/07/2020");
    expect((await reportsOf(plan2)).map((r) => r.status)).toEqual(["in_progress", "done"]);
    expect(await reportsOf(seed2)).toHaveLength(0);
    // A stale tap on the same question does nothing more.
    expect(all(politely(await send("ccb", "KH 12", { threadId: "ccb-two", payload: kh?.payload ?? "" })))).toMatch(/hết hiệu lực/);
    expect(await reportsOf(plan2)).toHaveLength(2);
    // KH 12's item 2 is done: the next "bc 2" resolves among the open ones, and asks nothing.
    expect(all(politely(await send("ccb", "bc 2 đang làm", { threadId: "ccb-two" })))).toMatch(/^Đã ghi nhận báo cáo của đồng chí: Hội Cựu chiến binh · NV 2 \(TB 05\/6\) /);
  });

  it("takes the directive named in the message instead of asking", async () => {
    const plan2 = await row("2", "KH 12");
    const before = (await reportsOf(plan2)).length;
    const ack = all(politely(await send("ccb", "bc KH 12 nv 2 đang làm 90%", { threadId: "ccb-selector" })));
    expect(ack).toMatch(/^Đã ghi nhận báo cáo của đồng chí: Hội Cựu chiến binh · NV 2 \(KH 12\) [\s\S]*đang thực hiện 90%/);
    expect(await reportsOf(plan2)).toHaveLength(before + 1);
  });

  it("answers a number that is not the sender's with the sender's numbers, by directive", async () => {
    const text = all(politely(await send("ccb", "bc 99 xong", { threadId: "ccb-99" })));
    expect(text).toMatch(/^Không có nhiệm vụ số 99\. Nhiệm vụ của đồng chí: /);
    expect(text).toContain("2 (KH 12)");
    expect(text).toMatch(/1, 2, [\d., ]+ \(TB 05\/6\)/);
    expect(all(politely(await send("ccb", "bc 6.1 xong", { threadId: "ccb-99" })))).toMatch(/^Nhiệm vụ 6\.1 không giao cho đơn vị của đồng chí\./);
  });

  it("records a natural report on this week's turn of a recurring duty on the current occurrence", async () => {
    const seed2 = await row("2", "TB 05/6");
    const occurrences = await store.tracking.occurrences(orgId, seed2.assignment.id);
    const current = occurrences.find((o) => o.periodStart <= "2020-06-20" && "2020-06-20" <= o.periodEnd);
    expect(current).toBeTruthy();
    const ack = politely(await send("ccb", "tuần này tổ 1 đã ra quân dọn vệ sinh khu phố", { threadId: "ccb-week" }));
    expect(all(ack)).toMatch(/^Đã ghi nhận báo cáo của đồng chí: Hội Cựu chiến binh · NV 2 \(TB 05\/6\) /);
    expect(all(ack)).toMatch(/Trạng thái: hoàn thành \(đợt \d\d\/06\/2020–\d\d\/06\/2020/);
    // (The earlier "bc 2 đang làm" went to this week's turn too.)
    const reports = await reportsOf(seed2);
    expect(reports.map((r) => [r.status, r.occurrenceId])).toEqual([
      ["in_progress", current?.id],
      ["done", current?.id],
    ]);
    // Only this week's turn: the next one is still open.
    const after = await store.tracking.occurrences(orgId, seed2.assignment.id);
    expect(after.find((o) => o.id === current?.id)?.status).toBe("done");
    expect(after.filter((o) => o.periodStart > "2020-06-20").every((o) => o.status !== "done")).toBe(true);
  });
});
