import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../src/domain/index.ts";
import { createBroadcasts, createDigest, createIntake, isoWeek, leaderDigest, officeDigest } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import type { AssignmentStatus, BoardRow, Channel, PersonRole } from "../../src/domain/entities.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

const SEED = readFileSync(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");

describe("isoWeek", () => {
  it.each([
    ["2020-06-22", "2020-W26"], // a Monday
    ["2020-06-28", "2020-W26"], // the Sunday of that week
    ["2020-06-29", "2020-W27"],
    ["2021-01-03", "2020-W53"], // a Sunday in January still in the last week of 2020
    ["2021-01-04", "2021-W01"],
    ["2019-12-30", "2020-W01"], // a Monday in December already in week 1 of 2020
    ["2026-12-31", "2026-W53"],
    ["2027-01-01", "2026-W53"],
  ])("%s is %s", (day, week) => {
    expect(isoWeek(day)).toBe(week);
  });
});

describe("weekly digest", () => {
  let test: TestDatabase;
  let store: Store;
  let orgId: string;
  const clock = new FakeClock("2020-06-20T01:00:00Z"); // 08:00 Saturday 20/6/2020
  const account: Record<string, string> = {};
  const board = () => store.tracking.board(orgId, localDay(clock.now()));
  const digest = () => createDigest({ store, clock, broadcasts: createBroadcasts({ store, clock }) });

  async function addPerson(fullName: string, roles: PersonRole[], accounts: [Channel, string, string][]) {
    const p = await store.persons.create({ orgId, fullName, roles });
    for (const [channel, externalId, at] of accounts) {
      const identity = await store.chats.upsertIdentity({ orgId, channel, externalId, lastInboundAt: new Date(at) });
      await store.chats.linkIdentity(orgId, identity.id, p.id, clock.now());
      account[externalId] = identity.id;
    }
    return p;
  }

  async function report(ref: string, status: AssignmentStatus, at: string, unitName?: string) {
    const rows = (await board()).filter((r) => r.item.ref === ref && (!unitName || r.unit.name === unitName));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) await store.tracking.recordReport({ orgId, assignmentId: r.assignment.id, status, reportedAt: new Date(at) });
    return rows.length;
  }

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "digest", name: "Phường tổng hợp" })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    const { directive, items } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
    // Items 2, 3 and 7 get a due day too (30/6), so that more than ten rows can be overdue.
    for (const ref of ["2", "3", "7"]) {
      const item = items.find((i) => i.ref === ref);
      await intake.updateItem(orgId, directive.id, item?.id ?? "", { dueDate: "2020-06-30" }, "test");
    }
    await intake.activate(orgId, directive.id, "test", { confirm: "all" });

    await addPerson("Bí thư Đảng ủy", ["leader"], [["simulator", "ld", "2020-06-12T02:00:00Z"]]);
    await addPerson("Phó Bí thư (chưa liên kết)", ["leader"], []);
    await addPerson("Văn phòng Đảng ủy", ["office"], [
      ["simulator", "vp-sim", "2020-06-10T02:00:00Z"],
      ["messenger", "vp-fb", "2020-06-15T02:00:00Z"],
    ]);
    const cadre = await addPerson("Cán bộ Hội CCB", ["cadre"], [["simulator", "cb", "2020-06-12T02:00:00Z"]]);
    const ccb = (await store.units.list(orgId)).find((u) => u.key === "hoi-ccb");
    await store.persons.addMembership({ orgId, personId: cadre.id, unitId: ccb?.id ?? "" });
  });
  afterAll(async () => {
    await test.drop();
  });

  it("before anything is late or blocked: counts, and says there is nothing to flag", async () => {
    const rows = await board();
    const n = rows.length;
    expect(leaderDigest(rows, "2020-06-20")).toBe(
      [
        "📊 Tổng hợp tuần đến 20/06/2020",
        `${n} lượt giao: 0 hoàn thành (0 trong tuần), 0 đang thực hiện, 0 vướng mắc, ${n} chưa báo cáo; 0 quá hạn.`,
        "Không có việc quá hạn hay vướng mắc.",
        "",
        "Nhắn /tinhhinh để xem chi tiết.",
      ].join("\n"),
    );
    const office = officeDigest(rows, "2020-06-20").split("\n");
    expect(office[0]).toMatch(new RegExp(`^📋 Tuần đến 20/06/2020: \\d+ đơn vị chưa báo cáo \\(${n} lượt\\)\\.$`));
    expect(office).toContain("• Hội Cựu chiến binh: NV 1, 2, 3, 4.1, 5, 6.2, 7, 8, 9.2");
    expect(office.at(-1)).toBe("Nhắn /nhacnho để nhắc tất cả các đơn vị chưa báo cáo.");
  });

  describe("from a board with reports", () => {
    let rows: BoardRow[];
    const today = "2020-07-06";
    let blocked = 0;

    beforeAll(async () => {
      blocked += await report("3", "blocked", "2020-07-01T02:00:00Z");
      blocked += await report("7", "blocked", "2020-07-01T02:00:00Z");
      blocked += await report("8", "blocked", "2020-07-01T02:00:00Z");
      expect(await report("6.2", "done", "2020-07-03T03:00:00Z")).toBe(4); // this week
      expect(await report("6.1", "done", "2020-06-25T03:00:00Z")).toBe(1); // two weeks ago
      await report("2", "in_progress", "2020-07-01T02:00:00Z", "Hội Cựu chiến binh");
      rows = await board();
    });

    it("leaders: counts by status, overdue and blocked lists capped at ten lines each, under 2,000 characters", () => {
      const n = rows.length;
      const overdue = rows.filter((r) => ["2", "3", "7"].includes(r.item.ref)).length; // due 30/6, none done
      expect(overdue).toBeGreaterThan(10);
      expect(blocked).toBeGreaterThan(10);
      const text = leaderDigest(rows, today);
      const lines = text.split("\n");
      expect(lines[0]).toBe("📊 Tổng hợp tuần đến 06/07/2020");
      expect(lines[1]).toBe(`${n} lượt giao: 5 hoàn thành (4 trong tuần), 1 đang thực hiện, ${blocked} vướng mắc, ${n - 5 - 1 - blocked} chưa báo cáo; ${overdue} quá hạn.`);

      const section = (title: string) => {
        const start = lines.indexOf(title);
        expect(start).toBeGreaterThan(0);
        const end = lines.indexOf("", start);
        return lines.slice(start + 1, end);
      };
      const late = section("Quá hạn:");
      expect(late).toHaveLength(11);
      for (const l of late.slice(0, 10)) expect(l).toMatch(/^• .+ · NV (2|3|7) .+ · hạn 30\/06\/2020 \(quá hạn 6 ngày\)$/);
      expect(late[10]).toBe(`… và ${overdue - 10} lượt khác.`);
      const stuck = section("Vướng mắc:");
      expect(stuck).toHaveLength(11);
      for (const l of stuck.slice(0, 10)) expect(l).toMatch(/^• .+ · NV (3|7|8) /);
      expect(stuck[10]).toBe(`… và ${blocked - 10} lượt khác.`);
      expect(text).not.toContain("Không có việc quá hạn");
      // Done items are not overdue, even those finished late.
      expect(text).not.toMatch(/NV 6\.[12] /);
      expect(lines.at(-1)).toBe("Nhắn /tinhhinh để xem chi tiết.");
      expect(text.length).toBeLessThanOrEqual(2_000);
    });

    it("office: the units that have not reported, each with its items", () => {
      const text = officeDigest(rows, today);
      const lines = text.split("\n");
      const silent = rows.filter((r) => r.assignment.status === "not_reported").length;
      expect(silent).toBe(rows.length - 5 - 1 - blocked);
      expect(lines[0]).toMatch(new RegExp(`^📋 Tuần đến 06/07/2020: \\d+ đơn vị chưa báo cáo \\(${silent} lượt\\)\\.$`));
      // Hội CCB: 2 in progress, 3/7/8 blocked, 6.2 done.
      expect(lines).toContain("• Hội Cựu chiến binh: NV 1, 4.1, 5, 9.2");
      // Đoàn: 6.1 and 6.2 done too.
      expect(lines).toContain("• Đoàn TNCS Hồ Chí Minh: NV 1, 2, 5, 9.2");
      expect(text.length).toBeLessThanOrEqual(2_000);
      expect(officeDigest(rows.filter((r) => r.assignment.status !== "not_reported"), today)).toBe("📋 Tuần đến 06/07/2020: tất cả đơn vị đã báo cáo.");
    });

    it("office: more than ten units are capped too", () => {
      // Eleven units' worth of rows, made from real rows with the unit renamed.
      const base = rows.find((r) => r.assignment.status === "not_reported");
      if (!base) throw new Error("no unreported row");
      const many = Array.from({ length: 12 }, (_, i) => ({ ...base, unit: { ...base.unit, id: `u${i}`, name: `Tổ dân phố ${i + 1}` } }));
      const lines = officeDigest(many, today).split("\n");
      expect(lines[0]).toBe("📋 Tuần đến 06/07/2020: 12 đơn vị chưa báo cáo (12 lượt).");
      expect(lines.filter((l) => l.startsWith("• "))).toHaveLength(10);
      expect(lines).toContain("… và 2 lượt khác.");
    });
  });

  describe("sending", () => {
    async function sent(routes: { id: string; channel: Channel }[]) {
      return Promise.all(
        routes.map(async (r) => {
          const m = await store.outbound.get(orgId, r.id);
          return { identityId: m?.identityId, text: m?.text ?? "", channel: r.channel, broadcastId: m?.broadcastId };
        }),
      );
    }

    it("goes once a week, to leaders and office (their latest account), not to cadres", async () => {
      clock.set("2020-07-06T01:00:00Z"); // Monday 08:00
      const routes = await digest().send(orgId);
      const messages = await sent(routes);
      expect(messages.map((m) => m.identityId).sort()).toEqual([account.ld, account["vp-fb"]].sort());
      const rows = await board();
      const toLeader = messages.find((m) => m.identityId === account.ld);
      expect(toLeader).toMatchObject({ channel: "simulator", text: leaderDigest(rows, "2020-07-06") });
      const toOffice = messages.find((m) => m.identityId === account["vp-fb"]);
      expect(toOffice).toMatchObject({ channel: "messenger", text: officeDigest(rows, "2020-07-06") });
      expect(messages.map((m) => m.identityId)).not.toContain(account.cb);

      const digests = (await store.broadcasts.list(orgId, 100)).filter((b) => b.kind === "digest");
      expect(digests.map((d) => d.dedupeKey).sort()).toEqual(["digest-leaders-2020-W28", "digest-office-2020-W28"]);
      expect(new Set(messages.map((m) => m.broadcastId))).toEqual(new Set(digests.map((d) => d.id)));

      // Again the same week, even late on Sunday: nothing.
      expect(await digest().send(orgId)).toEqual([]);
      clock.set("2020-07-12T16:30:00Z"); // Sunday 23:30 local
      expect(await digest().send(orgId)).toEqual([]);
      expect((await store.broadcasts.list(orgId, 100)).filter((b) => b.kind === "digest")).toHaveLength(2);
    });

    it("goes again the next week (the week of the local day)", async () => {
      clock.set("2020-07-12T17:30:00Z"); // Monday 13/7 00:30 local, still Sunday in UTC
      const routes = await digest().send(orgId);
      expect(routes).toHaveLength(2);
      const keys = (await store.broadcasts.list(orgId, 100)).map((b) => b.dedupeKey);
      expect(keys).toContain("digest-leaders-2020-W29");
      expect(keys).toContain("digest-office-2020-W29");
    });

    it("sends nothing when the org turned it off; a bad setting elsewhere does not stop it", async () => {
      clock.set("2020-07-20T01:00:00Z"); // week 30
      await store.orgs.setSettings(orgId, { digest: { enabled: false } });
      const before = (await store.broadcasts.list(orgId, 100)).length;
      expect(await digest().send(orgId)).toEqual([]);
      expect(await store.broadcasts.list(orgId, 100)).toHaveLength(before);

      // Written by hand, invalid: the digest keeps its default (on).
      await store.orgs.setSettings(orgId, { calendar: { quietStart: "25:00" } });
      expect(await digest().send(orgId)).toHaveLength(2);
    });

    it("sends nothing for an org with no active directive", async () => {
      const other = await store.orgs.create({ slug: "digest-empty", name: "Phường chưa có văn bản" });
      const leader = await store.persons.create({ orgId: other.id, fullName: "Lãnh đạo", roles: ["leader"] });
      const identity = await store.chats.upsertIdentity({ orgId: other.id, channel: "simulator", externalId: "ld-other", lastInboundAt: clock.now() });
      await store.chats.linkIdentity(other.id, identity.id, leader.id, clock.now());
      expect(await digest().send(other.id)).toEqual([]);
      expect(await store.broadcasts.list(other.id, 10)).toEqual([]);
    });
  });
});
