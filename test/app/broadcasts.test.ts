import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../src/domain/index.ts";
import { BroadcastError, createBroadcasts, createConversation, createIntake } from "../../src/app/index.ts";
import type { DeliveryRoute, Store } from "../../src/app/index.ts";
import type { Channel, OutboundMessage, PersonRole, Thread, Unit } from "../../src/domain/entities.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

const SEED = readFileSync(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

describe("broadcasts", () => {
  let test: TestDatabase;
  let store: Store;
  let orgId: string;
  const clock = new FakeClock("2020-06-20T01:00:00Z"); // 08:00 Saturday 20/6/2020 (Asia/Ho_Chi_Minh)
  const broadcasts = () => createBroadcasts({ store, clock });
  const unit: Record<string, Unit> = {};
  /** Person id by short name. */
  const person: Record<string, string> = {};
  /** Identity id by external id. */
  const account: Record<string, string> = {};
  let group: Thread;
  let directThread: Thread;

  /** A person with roles, memberships and linked chat accounts (lastInboundAt null = never wrote). */
  async function addPerson(key: string, fullName: string, roles: PersonRole[], units: Unit[], accounts: [Channel, string, string | null][]) {
    const p = await store.persons.create({ orgId, fullName, roles });
    person[key] = p.id;
    for (const u of units) await store.persons.addMembership({ orgId, personId: p.id, unitId: u.id });
    for (const [channel, externalId, at] of accounts) {
      const identity = await store.chats.upsertIdentity({ orgId, channel, externalId, lastInboundAt: at ? new Date(at) : null });
      await store.chats.linkIdentity(orgId, identity.id, p.id, clock.now());
      account[externalId] = identity.id;
    }
  }

  /** The outbox rows a broadcast wrote. */
  async function outboxOf(broadcastId: string): Promise<OutboundMessage[]> {
    const rows = await store.broadcasts.recipients(orgId, broadcastId);
    const messages = await Promise.all(rows.map((r) => store.outbound.get(orgId, r.outboundMessageId)));
    return messages.map((m) => {
      if (!m) throw new Error("outbox row missing");
      return m;
    });
  }
  const identitiesOf = (rows: OutboundMessage[]) => rows.map((r) => r.identityId).sort();
  const ids = (...externalIds: string[]) => externalIds.map((e) => account[e]).sort();
  /** External ids (readable) of the accounts a broadcast went to. */
  const accountsOf = (rows: OutboundMessage[]) => rows.map((r) => Object.keys(account).find((k) => account[k] === r.identityId) ?? r.threadId).sort();

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "bc", name: "Phường thông báo" })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    const { directive } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
    await intake.activate(orgId, directive.id, "test", { confirm: "all" });
    for (const u of await store.units.list(orgId)) if (u.key) unit[u.key] = u;

    // An (Hội CCB) has two accounts: Messenger is the one used last.
    await addPerson("an", "Trần Văn An", ["cadre"], [unit["hoi-ccb"] as Unit], [
      ["simulator", "an-sim", "2020-06-10T02:00:00Z"],
      ["messenger", "an-fb", "2020-06-15T02:00:00Z"],
    ]);
    await addPerson("binh", "Lê Thị Bình", ["cadre"], [unit["doan-tn"] as Unit], [["simulator", "binh", "2020-06-12T02:00:00Z"]]);
    await addPerson("chi", "Phạm Chi", ["cadre"], [unit["hoi-lhpn"] as Unit], [["simulator", "chi", "2020-06-12T02:00:00Z"]]);
    await addPerson("dung", "Võ Dũng", ["cadre"], [unit["hoi-nong-dan"] as Unit], [["simulator", "dung", "2020-06-12T02:00:00Z"]]);
    // Giang belongs to two units.
    await addPerson("giang", "Ngô Giang", ["cadre"], [unit["hoi-ccb"] as Unit, unit["doan-tn"] as Unit], [["simulator", "giang", "2020-06-12T02:00:00Z"]]);
    // Em (Mặt trận) has no chat account: not reachable.
    await addPerson("em", "Đỗ Em", ["cadre"], [unit["mat-tran"] as Unit], []);
    await addPerson("vp", "Văn phòng Đảng ủy", ["office"], [], [["simulator", "vp", "2020-06-12T02:00:00Z"]]);
    await addPerson("ld", "Bí thư Đảng ủy", ["leader"], [], [["simulator", "ld", "2020-06-12T02:00:00Z"]]);

    // Hội Nông dân talks in its Zalo group.
    group = await store.chats.upsertThread({ orgId, channel: "zalo", externalId: "g-hnd", kind: "group", title: "Nhóm Hội Nông dân" });
    await store.chats.bindThread(orgId, group.id, unit["hoi-nong-dan"]?.id ?? null);
    directThread = await store.chats.upsertThread({ orgId, channel: "simulator", externalId: "binh", kind: "direct" });
  });
  afterAll(async () => {
    await test.drop();
  });

  describe("announcements", () => {
    it("to a unit named by alias, name, key or id: its linked cadres, each once, with the 📢 text", async () => {
      const ccb = unit["hoi-ccb"] as Unit;
      for (const ref of ["Hội CCB", "hoi cuu chien binh", "hoi-ccb", ccb.id]) {
        const sent = await broadcasts().send(orgId, { kind: "announcement", text: "  Họp giao ban 8h thứ Hai  ", targets: { units: [ref] } });
        expect(sent.recipients).toBe(2);
        const rows = await outboxOf(sent.id);
        // An's most recently used account (Messenger), and Giang.
        expect(identitiesOf(rows)).toEqual(ids("an-fb", "giang"));
        for (const r of rows) {
          expect(r).toMatchObject({ text: "📢 Họp giao ban 8h thứ Hai", threadId: null, broadcastId: sent.id, status: "pending", itemId: null });
        }
        const stored = await store.broadcasts.get(orgId, sent.id);
        expect(stored).toMatchObject({ kind: "announcement", text: "Họp giao ban 8h thứ Hai", targets: { units: [ref] }, dedupeKey: null });
      }
    });

    it("to a unit bound to a Zalo group: the group thread only, not its members one by one", async () => {
      const sent = await broadcasts().send(orgId, { kind: "announcement", text: "Nộp danh sách hội viên", targets: { units: ["Hội Nông dân"] } });
      expect(sent.recipients).toBe(1);
      const [row, ...rest] = await outboxOf(sent.id);
      expect(rest).toEqual([]);
      expect(row).toMatchObject({ threadId: group.id, identityId: null, text: "📢 Nộp danh sách hội viên" });
      expect(await store.outbound.routes(orgId, [row?.id ?? ""])).toEqual([{ orgId, id: row?.id, channel: "zalo" }]);
    });

    it("to people: each person's most recently active account", async () => {
      const sent = await broadcasts().send(orgId, { kind: "announcement", text: "Gửi riêng", targets: { people: [person.an ?? "", person.binh ?? ""] } });
      expect(sent.recipients).toBe(2);
      expect(identitiesOf(await outboxOf(sent.id))).toEqual(ids("an-fb", "binh"));

      // An writes from the simulator later: that account is now the one to use.
      await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: "an-sim", lastInboundAt: new Date("2020-06-18T02:00:00Z") });
      const again = await broadcasts().send(orgId, { kind: "announcement", text: "Gửi riêng lần 2", targets: { people: [person.an ?? ""] } });
      expect(identitiesOf(await outboxOf(again.id))).toEqual(ids("an-sim"));
      // Back to Messenger being the latest, for the tests that follow.
      await store.chats.upsertIdentity({ orgId, channel: "messenger", externalId: "an-fb", lastInboundAt: new Date("2020-06-19T02:00:00Z") });
    });

    it("to groups by thread id", async () => {
      const sent = await broadcasts().send(orgId, { kind: "announcement", text: "Cho nhóm", targets: { groups: [group.id] } });
      expect(sent.recipients).toBe(1);
      expect((await outboxOf(sent.id)).map((r) => r.threadId)).toEqual([group.id]);
    });

    it("to everyone: every reachable cadre (not office, not leaders, not the unlinked)", async () => {
      const sent = await broadcasts().send(orgId, { kind: "announcement", text: "Toàn thể", targets: { everyone: true } });
      expect(sent.recipients).toBe(5);
      expect(identitiesOf(await outboxOf(sent.id))).toEqual(ids("an-fb", "binh", "chi", "dung", "giang"));
    });

    it("sends to each account or group once when targets overlap", async () => {
      const sent = await broadcasts().send(orgId, {
        kind: "announcement",
        text: "Trùng",
        targets: {
          units: ["Hội CCB", "Đoàn TNCS Hồ Chí Minh", "CCB", "HND"],
          people: [person.giang ?? "", person.an ?? ""],
          groups: [group.id],
          everyone: true,
        },
      });
      const rows = await outboxOf(sent.id);
      expect(sent.recipients).toBe(rows.length);
      const keys = rows.map((r) => r.identityId ?? r.threadId);
      expect(new Set(keys).size).toBe(keys.length);
      expect(rows.filter((r) => r.identityId !== null).map((r) => r.identityId).sort()).toEqual(ids("an-fb", "binh", "chi", "dung", "giang"));
      expect(rows.filter((r) => r.threadId !== null).map((r) => r.threadId)).toEqual([group.id]);
      expect(sent.recipients).toBe(6);
    });

    it("records who sent it and writes an audit entry", async () => {
      const sent = await broadcasts().send(orgId, { kind: "announcement", text: "Có người gửi", targets: { groups: [group.id] }, createdBy: person.vp ?? null });
      expect((await store.broadcasts.get(orgId, sent.id))?.createdBy).toBe(person.vp);
      expect(await store.audit.count(orgId, "broadcast.announcement", sent.id, new Date(0))).toBe(1);
    });
  });

  describe("refusals", () => {
    async function rejects(promise: Promise<unknown>, message: RegExp) {
      const before = (await store.broadcasts.list(orgId, 1_000)).length;
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(BroadcastError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/[ăâđêôơưàáảãạếốộ]/i); // Vietnamese
      // Nothing is written when refused.
      expect(await store.broadcasts.list(orgId, 1_000)).toHaveLength(before);
    }

    it("an unknown unit, group, person or item, naming each", async () => {
      await rejects(broadcasts().send(orgId, { kind: "announcement", text: "x", targets: { units: ["Hội Không Có", "Hội CCB"] } }), /^Không tìm thấy: đơn vị "Hội Không Có"\.$/);
      await rejects(broadcasts().send(orgId, { kind: "remind", targets: { notReportedOn: "99" } }), /Không tìm thấy: nhiệm vụ "99"/);
      await rejects(
        broadcasts().send(orgId, { kind: "announcement", text: "x", targets: { units: ["Hội Không Có"], groups: [UNKNOWN_ID], people: [person.em ?? ""] } }),
        /đơn vị "Hội Không Có".*người ".*" \(chưa liên kết tài khoản chat\).*nhóm "00000000-0000-4000-8000-000000000000"/,
      );
      // A direct chat is not a group.
      await rejects(broadcasts().send(orgId, { kind: "announcement", text: "x", targets: { groups: [directThread.id] } }), /nhóm "/);
      // Another org's unit id is unknown here.
      const other = await store.orgs.create({ slug: "bc-other", name: "Phường khác" });
      const foreign = await store.units.create({ orgId: other.id, name: "Hội Khác" });
      await rejects(broadcasts().send(orgId, { kind: "announcement", text: "x", targets: { units: [foreign.id] } }), /Không tìm thấy: đơn vị/);
    });

    it("an announcement without text, or too long", async () => {
      await rejects(broadcasts().send(orgId, { kind: "announcement", targets: { everyone: true } }), /^Thiếu nội dung thông báo\.$/);
      await rejects(broadcasts().send(orgId, { kind: "announcement", text: "   ", targets: { everyone: true } }), /^Thiếu nội dung thông báo\.$/);
      await rejects(broadcasts().send(orgId, { kind: "announcement", text: "a".repeat(2_001), targets: { everyone: true } }), /quá dài/);
    });

    it("nobody reachable", async () => {
      // Mặt trận's only cadre has no chat account.
      await rejects(broadcasts().send(orgId, { kind: "announcement", text: "x", targets: { units: ["mat-tran"] } }), /^Không có người nhận nào đã liên kết tài khoản chat\.$/);
    });
  });

  describe("reminders to units that have not reported", () => {
    const conversation = () => createConversation({ store, clock });
    let msg = 0;
    const say = (senderId: string, channel: Channel, text: string) =>
      conversation().handle({ orgId, channel, threadId: senderId, threadKind: "direct", senderId, messageId: `bc-${++msg}`, text, sentAt: clock.now() });

    it("reaches only the units that have not reported on the item, each with its own text", async () => {
      // Hội CCB reports 6.2 done (from An's Messenger account, still his latest).
      const replies = await say("an-fb", "messenger", "bc 6.2 xong");
      expect(replies.map((r) => r.text).join("\n")).toMatch(/Hội Cựu chiến binh/);
      const item62 = (await store.tracking.board(orgId, localDay(clock.now()))).find((r) => r.item.ref === "6.2")?.item;

      const sent = await broadcasts().send(orgId, { kind: "remind", targets: { notReportedOn: "6.2" } });
      const rows = await outboxOf(sent.id);
      // Đoàn: Bình and Giang; Phụ nữ: Chi; Nông dân: its group. Not Hội CCB (An), which reported.
      expect(sent.recipients).toBe(4);
      const byKey = new Map(rows.map((r) => [r.identityId ?? r.threadId ?? "", r]));
      const to = (key: string | undefined) => byKey.get(key ?? "")?.text;
      expect([...byKey.keys()].sort()).toEqual([account.binh, account.chi, account.giang, group.id].sort());
      const due = `hạn 30/06/2020 \\(còn 10 ngày\\)`;
      expect(to(account.binh)).toMatch(new RegExp(`^Văn phòng Đảng ủy nhắc Đoàn TNCS Hồ Chí Minh: NV 6\\.2 \\(TB 05/6\\) .+ chưa có báo cáo, ${due}\\. Đề nghị đồng chí trả lời tin này để báo cáo\\.$`));
      // Giang is in Hội CCB (done) and Đoàn (not reported): she gets Đoàn's reminder.
      expect(to(account.giang)).toMatch(/^Văn phòng Đảng ủy nhắc Đoàn TNCS Hồ Chí Minh: NV 6\.2 \(TB 05\/6\) /);
      expect(to(account.chi)).toMatch(new RegExp(`^Văn phòng Đảng ủy nhắc Hội Liên hiệp Phụ nữ: NV 6\\.2 \\(TB 05/6\\) .+ chưa có báo cáo, ${due}`));
      expect(to(group.id)).toMatch(/^Văn phòng Đảng ủy nhắc Hội Nông dân: NV 6\.2 \(TB 05\/6\) /);
      for (const r of rows) expect(r.itemId).toBe(item62?.id);
    });

    it("a reminder with its own text uses it as is", async () => {
      const sent = await broadcasts().send(orgId, { kind: "remind", text: "Đề nghị báo cáo NV 6.2 trước thứ Hai.", targets: { notReportedOn: "6.2" } });
      const rows = await outboxOf(sent.id);
      expect(rows).toHaveLength(4);
      for (const r of rows) expect(r.text).toBe("Đề nghị báo cáo NV 6.2 trước thứ Hai.");
    });

    it('"*": every unit with anything unreported, each account once, each text naming a unit and an item', async () => {
      const sent = await broadcasts().send(orgId, { kind: "remind", targets: { notReportedOn: "*" } });
      const rows = await outboxOf(sent.id);
      // Hội CCB still has items 1, 2, … unreported, so An is reminded too; Mặt trận has nobody.
      expect(identitiesOf(rows.filter((r) => r.identityId))).toEqual(ids("an-fb", "binh", "chi", "giang"));
      expect(rows.filter((r) => r.threadId).map((r) => r.threadId)).toEqual([group.id]);
      expect(sent.recipients).toBe(5);
      for (const r of rows) {
        expect(r.text).toMatch(/^Văn phòng Đảng ủy nhắc .+: NV [\d.]+ \(TB 05\/6\) .+ chưa có báo cáo.*\. Đề nghị đồng chí trả lời tin này để báo cáo\.$/);
        expect(r.itemId).toBeTruthy();
      }
      expect(rows.find((r) => r.identityId === account["an-fb"])?.text).toMatch(/^Văn phòng Đảng ủy nhắc Hội Cựu chiến binh: /);
      expect(rows.find((r) => r.identityId === account.chi)?.text).toMatch(/^Văn phòng Đảng ủy nhắc Hội Liên hiệp Phụ nữ: /);
    });

    it("says so when every unit has reported the item", async () => {
      // Đoàn is the only unit on 6.1; Bình reports it done.
      await say("binh", "simulator", "bc 6.1 xong");
      await expect(broadcasts().send(orgId, { kind: "remind", targets: { notReportedOn: "6.1" } })).rejects.toThrow(
        new BroadcastError("Không có đơn vị nào chưa báo cáo để nhắc."),
      );
    });

    it('a parent item ("6", whose sub-items 6.1 and 6.2 are what is tracked) covers its sub-items', async () => {
      // Office says "nhắc nhiệm vụ 6": item 6 is in the directive; its work is tracked as 6.1 and 6.2.
      const sent = await broadcasts().send(orgId, { kind: "remind", targets: { notReportedOn: "6" } });
      const rows = await outboxOf(sent.id);
      expect([...new Set(rows.map((r) => r.identityId ?? r.threadId))].sort()).toEqual([account.binh, account.chi, account.giang, group.id].sort());
      for (const r of rows) expect(r.text).toMatch(/NV 6\.2 /);
    });

    it("never queues an empty message (a reminder without text to plain units, people or everyone)", async () => {
      // Without text a reminder to units, people or everyone has nothing to say: refused, nothing written.
      for (const targets of [{ units: ["Hội CCB"] }, { everyone: true }, { notReportedOn: "6.2", people: [person.dung ?? ""] }]) {
        const before = (await store.broadcasts.list(orgId, 1_000)).length;
        await expect(broadcasts().send(orgId, { kind: "remind", targets }), JSON.stringify(targets)).rejects.toThrow(/Thiếu nội dung nhắc/);
        expect((await store.broadcasts.list(orgId, 1_000)).length).toBe(before);
      }
      // By item alone it names each unit's own item: rows were written, and none is empty.
      const { id } = await broadcasts().send(orgId, { kind: "remind", targets: { notReportedOn: "6.2" } });
      const rows = await outboxOf(id);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.text.trim()).not.toBe("");
        expect(r.text).toMatch(/NV 6\.2/);
      }
    });
  });

  describe("dispatch and progress", () => {
    it("hands the delivery queues one route per outbox row, with each row's channel", async () => {
      const calls: DeliveryRoute[][] = [];
      const withDispatch = createBroadcasts({ store, clock, dispatch: async (routes) => void calls.push(routes) });
      const sent = await withDispatch.send(orgId, { kind: "announcement", text: "Có hàng đợi", targets: { units: ["Hội CCB", "HND"], people: [person.binh ?? ""] } });
      expect(calls).toHaveLength(1);
      const routes = calls[0] ?? [];
      const rows = await outboxOf(sent.id);
      expect(routes.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
      const channelOf = (row: OutboundMessage | undefined) => routes.find((r) => r.id === row?.id)?.channel;
      expect(channelOf(rows.find((r) => r.identityId === account["an-fb"]))).toBe("messenger");
      expect(channelOf(rows.find((r) => r.identityId === account.giang))).toBe("simulator");
      expect(channelOf(rows.find((r) => r.identityId === account.binh))).toBe("simulator");
      expect(channelOf(rows.find((r) => r.threadId === group.id))).toBe("zalo");
      for (const r of routes) expect(r.orgId).toBe(orgId);
      expect(routes).toHaveLength(4);
    });

    it("view(): sent, failed and pending per recipient from the delivery rows; a fallback copy that went counts as sent, via its channel", async () => {
      const b = broadcasts();
      const sent = await b.send(orgId, { kind: "announcement", text: "Theo dõi tiến độ", targets: { units: ["Hội CCB"], people: [person.chi ?? ""], groups: [group.id] } });
      expect(sent.recipients).toBe(4);
      const rows = await outboxOf(sent.id);
      const an = rows.find((r) => r.identityId === account["an-fb"]);
      const giang = rows.find((r) => r.identityId === account.giang);
      const chi = rows.find((r) => r.identityId === account.chi);
      if (!an || !giang || !chi) throw new Error("recipients missing");

      const pendingView = await b.view(orgId, sent.id);
      expect(pendingView?.counts).toEqual({ total: 4, sent: 0, failed: 0, pending: 4 });

      const at = (iso: string) => new Date(iso);
      // Chi: sent.
      await store.outbound.recordDelivery({ orgId, outboundMessageId: chi.id, channel: "simulator", attempt: 1, outcome: "sent", externalMessageId: "x-chi", attemptedAt: at("2020-06-20T01:01:00Z") });
      // Giang: retried, then failed for good.
      await store.outbound.recordDelivery({ orgId, outboundMessageId: giang.id, channel: "simulator", attempt: 1, outcome: "retrying", errorMessage: "timeout", attemptedAt: at("2020-06-20T01:01:00Z") });
      await store.outbound.recordDelivery({ orgId, outboundMessageId: giang.id, channel: "simulator", attempt: 2, outcome: "failed", errorMessage: "bị chặn", attemptedAt: at("2020-06-20T01:02:00Z") });
      // An: Messenger window closed, a copy went to his simulator account.
      await store.outbound.recordDelivery({ orgId, outboundMessageId: an.id, channel: "messenger", attempt: 1, outcome: "window_closed", errorMessage: "quá 24 giờ → chuyển sang simulator", attemptedAt: at("2020-06-20T01:01:00Z") });
      const copy = await store.outbound.enqueue({ orgId, identityId: account["an-sim"] ?? null, text: an.text, fallbackOf: an.id, broadcastId: sent.id });
      await store.outbound.recordDelivery({ orgId, outboundMessageId: copy.id, channel: "simulator", attempt: 1, outcome: "sent", externalMessageId: "x-an", attemptedAt: at("2020-06-20T01:03:00Z") });
      // The group: marked as being sent, no outcome yet.
      const groupRow = rows.find((r) => r.threadId === group.id);
      await store.outbound.recordDelivery({ orgId, outboundMessageId: groupRow?.id ?? "", channel: "zalo", attempt: 1, outcome: "sending", attemptedAt: at("2020-06-20T01:01:00Z") });

      const view = await b.view(orgId, sent.id);
      expect(view).toMatchObject({ id: sent.id, kind: "announcement", text: "Theo dõi tiến độ" });
      // The copy is not a recipient of its own.
      expect(view?.counts).toEqual({ total: 4, sent: 2, failed: 1, pending: 1 });
      const byName = new Map(view?.recipients.map((r) => [r.name, r]));
      expect(byName.get("Trần Văn An")).toEqual({ name: "Trần Văn An", channel: "messenger", status: "sent", via: "simulator", error: null, at: at("2020-06-20T01:03:00Z") });
      expect(byName.get("Phạm Chi")).toEqual({ name: "Phạm Chi", channel: "simulator", status: "sent", via: null, error: null, at: at("2020-06-20T01:01:00Z") });
      expect(byName.get("Ngô Giang")).toEqual({ name: "Ngô Giang", channel: "simulator", status: "failed", via: null, error: "bị chặn", at: at("2020-06-20T01:02:00Z") });
      expect(byName.get("Nhóm Hội Nông dân")).toMatchObject({ channel: "zalo", status: "pending", via: null, error: null });
    });

    it("view(): a copy that also failed leaves the recipient failed, with the copy's error", async () => {
      const b = broadcasts();
      const sent = await b.send(orgId, { kind: "announcement", text: "Hai kênh đều hỏng", targets: { people: [person.an ?? ""] } });
      const [original] = await outboxOf(sent.id);
      if (!original) throw new Error("no row");
      await store.outbound.recordDelivery({ orgId, outboundMessageId: original.id, channel: "messenger", attempt: 1, outcome: "window_closed", errorMessage: "quá 24 giờ", attemptedAt: clock.now() });
      const copy = await store.outbound.enqueue({ orgId, identityId: account["an-sim"] ?? null, text: original.text, fallbackOf: original.id, broadcastId: sent.id });
      expect((await b.view(orgId, sent.id))?.counts).toEqual({ total: 1, sent: 0, failed: 0, pending: 1 });
      await store.outbound.recordDelivery({ orgId, outboundMessageId: copy.id, channel: "simulator", attempt: 1, outcome: "failed", errorMessage: "không gửi được", attemptedAt: clock.now() });
      const view = await b.view(orgId, sent.id);
      expect(view?.counts).toEqual({ total: 1, sent: 0, failed: 1, pending: 0 });
      expect(view?.recipients[0]).toMatchObject({ status: "failed", via: null, error: "không gửi được" });
    });

    it("view() is null for an unknown id or another org's broadcast; list() is newest first", async () => {
      expect(await broadcasts().view(orgId, UNKNOWN_ID)).toBeNull();
      const other = await store.orgs.create({ slug: "bc-third", name: "Phường thứ ba" });
      const mine = await store.broadcasts.list(orgId, 1);
      expect(mine).toHaveLength(1);
      expect(await broadcasts().view(other.id, mine[0]?.id ?? "")).toBeNull();
      clock.advance(60_000);
      const latest = await broadcasts().send(orgId, { kind: "announcement", text: "Mới nhất", targets: { groups: [group.id] } });
      const listed = await broadcasts().list(orgId, 3);
      expect(listed[0]?.id).toBe(latest.id);
      expect(listed).toHaveLength(3);
    });
  });

  describe("the account chosen for a person with one never-used account", () => {
    it("is the most recently active one, for units and everyone as for people", async () => {
      // Hà linked a Zalo account that never wrote (e.g. set up by office), and writes from the simulator.
      await addPerson("ha", "Hoàng Hà", ["cadre"], [unit.ubnd as Unit], [
        ["zalo", "ha-zalo", null],
        ["simulator", "ha-sim", "2020-06-15T02:00:00Z"],
      ]);
      const toPerson = await broadcasts().send(orgId, { kind: "announcement", text: "Hà (người)", targets: { people: [person.ha ?? ""] } });
      expect(accountsOf(await outboxOf(toPerson.id))).toEqual(["ha-sim"]);
      const toUnit = await broadcasts().send(orgId, { kind: "announcement", text: "Hà (đơn vị)", targets: { units: ["UBND"] } });
      expect(accountsOf(await outboxOf(toUnit.id))).toEqual(["ha-sim"]);
      const toAll = await broadcasts().send(orgId, { kind: "announcement", text: "Hà (mọi người)", targets: { everyone: true } });
      expect(accountsOf(await outboxOf(toAll.id))).toContain("ha-sim");
    });
  });

  describe("in the conversation", () => {
    const conversation = () => createConversation({ store, clock });
    let msg = 0;
    const say = async (senderId: string, text: string) => {
      const replies = await conversation().handle({ orgId, channel: "simulator", threadId: senderId, threadKind: "direct", senderId, messageId: `conv-${++msg}`, text, sentAt: clock.now() });
      return replies.map((r) => r.text).join("\n");
    };

    it("office: /thongbao creates an announcement to every reachable cadre", async () => {
      clock.advance(60_000);
      const reachable = (await store.chats.reachable(orgId, "cadre")).length;
      expect(await say("vp", "/thongbao Họp giao ban 8h thứ Hai")).toBe(`Đã xếp thông báo gửi tới ${reachable} cán bộ.`);
      const [latest] = await store.broadcasts.list(orgId, 1);
      expect(latest).toMatchObject({ kind: "announcement", text: "Họp giao ban 8h thứ Hai", targets: { everyone: true }, createdBy: person.vp });
      const rows = await outboxOf(latest?.id ?? "");
      expect(rows).toHaveLength(reachable);
      // An, Bình, Chi, Dũng, Giang, Hà; not office or the leader.
      expect(rows.map((r) => r.identityId)).not.toContain(account.vp);
      expect(rows.map((r) => r.identityId)).not.toContain(account.ld);
      expect(rows.map((r) => r.identityId)).toContain(account["an-fb"]);
      for (const r of rows) expect(r.text).toBe("📢 Họp giao ban 8h thứ Hai");
    });

    it("a cadre's /thongbao is refused and sends nothing", async () => {
      const before = (await store.broadcasts.list(orgId, 1_000)).length;
      expect(await say("chi", "/thongbao Mai nghỉ")).toBe("Chức năng này dành cho văn phòng.");
      expect(await store.broadcasts.list(orgId, 1_000)).toHaveLength(before);
    });

    it("office: /nhacnho 6.2 creates a remind broadcast to the units that have not reported", async () => {
      clock.advance(60_000);
      expect(await say("vp", "/nhacnho 6.2")).toBe("Đã xếp 4 tin nhắc tới các đơn vị chưa báo cáo NV 6.2.");
      const [latest] = await store.broadcasts.list(orgId, 1);
      expect(latest).toMatchObject({ kind: "remind", targets: { notReportedOn: "6.2" }, createdBy: person.vp });
      expect(await outboxOf(latest?.id ?? "")).toHaveLength(4);
    });

    it("office: /nhacnho 6 reminds the units of item 6's sub-items", async () => {
      clock.advance(60_000);
      const before = (await store.broadcasts.list(orgId, 1_000)).length;
      expect(await say("vp", "/nhacnho 6")).toMatch(/^Đã xếp \d+ tin nhắc tới các đơn vị chưa báo cáo NV 6\.$/);
      const [latest] = await store.broadcasts.list(orgId, 1);
      expect(await store.broadcasts.list(orgId, 1_000)).toHaveLength(before + 1);
      expect(latest).toMatchObject({ kind: "remind", targets: { notReportedOn: "6" } });
    });
  });
});
