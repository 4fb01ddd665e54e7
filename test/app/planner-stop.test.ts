/**
 * Reminders end: a deadline more than `reminders.stopAfterDays` (default 90) past is no longer
 * reminded, and the office is told once per assignment. And a recurring item's occurrence
 * reported done cancels that occurrence's pending reminder, while the coming ones still come.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../src/domain/index.ts";
import { createIntake, createPlanner, parseOrgSettings } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { REMINDERS_STOPPED } from "../../src/app/planner.ts";
import { localIso } from "../../src/domain/time.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

// Wednesday 10/6/2026, 08:00 in Hà Nội: NV 1 was due 100 days before, NV 2 80 days before.
const NOW = "2026-06-10T01:00:00Z";
const TEXT = `THÔNG BÁO KẾT LUẬN

Ngày 20 tháng 02 năm 2026, Ban Thường vụ Đảng ủy đã họp và kết luận như sau:

1. Hội Cựu chiến binh phường hoàn thành việc rà soát, thống kê hội viên chậm nhất ngày 02/03/2026.

2. Hội Nông dân phường hoàn thành việc tổng kết mô hình kinh tế chậm nhất ngày 22/03/2026.

3. Ủy ban Mặt trận Tổ quốc Việt Nam phường tổ chức ra quân ngày chủ nhật xanh hàng tuần.
`;

describe("reminders for long-past deadlines, and for a recurring occurrence reported done", () => {
  let test: TestDatabase;
  let store: Store;
  const clock = new FakeClock(NOW);
  const planner = () => createPlanner({ store, clock });
  const ids: Record<string, string> = {};

  async function ward(slug: string, settings: Record<string, unknown> = {}): Promise<string> {
    const orgId = (await store.orgs.create({ slug, name: `Phường ${slug}`, settings })).id;
    const intake = createIntake({ store, clock });
    const { directive } = await intake.importDirective({ orgId, text: TEXT, actor: "test" });
    await intake.activate(orgId, directive.id, "test", { confirm: "all" });
    const link = async (fullName: string, role: "office" | "cadre" | "leader", externalId: string, unit?: string) => {
      const person = await store.persons.create({ orgId, fullName, roles: [role] });
      if (unit) {
        const found = (await store.units.list(orgId)).find((u) => u.name === unit);
        await store.persons.addMembership({ orgId, personId: person.id, unitId: found?.id ?? "" });
      }
      const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: `${slug}-${externalId}` });
      await store.chats.linkIdentity(orgId, identity.id, person.id, clock.now());
      ids[`${slug}-${externalId}`] = identity.id;
    };
    await link("Cán bộ Văn phòng", "office", "office");
    await link("Bí thư", "leader", "leader");
    await link("Chủ tịch Hội CCB", "cadre", "ccb", "Hội Cựu chiến binh");
    await link("Chủ tịch Hội Nông dân", "cadre", "nd", "Hội Nông dân");
    await link("Chủ tịch MTTQ", "cadre", "mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam");
    return orgId;
  }

  async function assignmentOf(orgId: string, ref: string) {
    const row = (await store.tracking.board(orgId, localDay(clock.now()))).find((r) => r.item.ref === ref);
    if (!row) throw new Error(`no ${ref}`);
    return row.assignment.id;
  }

  /** The outbox messages (pending delivery) to one identity. */
  const outboxTo = async (orgId: string, identity: string) => (await store.outbound.pending(orgId)).filter((m) => m.identityId === ids[identity]);

  let orgId: string;
  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = await ward("dung");
  });
  afterAll(async () => {
    await test.drop();
  });

  it("plans no reminder for a deadline 100 days past and tells the office exactly once", async () => {
    await planner().plan(orgId);
    const stale = await assignmentOf(orgId, "1");
    expect(await store.outbound.reminders(orgId, stale)).toEqual([]);

    const notices = await outboxTo(orgId, "dung-office");
    expect(notices.map((m) => m.text)).toEqual([expect.stringMatching(/^Dừng nhắc tự động: NV 1 \(.*\) .* — Hội Cựu chiến binh chưa hoàn thành, hạn 02\/03\/2026 \(quá hạn 100 ngày\)\. Quá 90 ngày sau hạn/)]);
    expect(notices[0]?.text).toMatch(/đề nghị đồng chí xem xét gia hạn, đôn đốc trực tiếp hoặc kết thúc theo dõi\.$/);
    // Only the office: not the leader, not the unit.
    expect(await outboxTo(orgId, "dung-leader")).toEqual([]);
    expect(await outboxTo(orgId, "dung-ccb")).toEqual([]);

    // Planning again (the worker plans every hour) tells no one again.
    expect(await planner().plan(orgId)).toBe(0);
    expect(await outboxTo(orgId, "dung-office")).toHaveLength(1);
    const entries = await store.audit.search(orgId, { actions: [REMINDERS_STOPPED], limit: 10 });
    expect(entries.map((e) => [e.entityId, e.data.dueDate, e.data.overdueDays])).toEqual([[stale, "2026-03-02", 100]]);
  });

  it("keeps reminding a deadline 80 days past, up to 90 days after it, then stops and tells the office once more", async () => {
    const younger = await assignmentOf(orgId, "2");
    const reminders = await store.outbound.reminders(orgId, younger);
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.every((r) => r.kind === "overdue")).toBe(true);
    // The last one names a day no later than 90 days after 22/3 (20/6).
    expect(reminders.map((r) => r.dedupeKey.slice(-10)).every((day) => day <= "2026-06-20")).toBe(true);
    expect(localIso(reminders.at(-1)?.plannedAt ?? new Date(0)) < "2026-06-21").toBe(true);

    clock.set("2026-06-22T01:00:00Z"); // 92 days past NV 2
    await planner().plan(orgId);
    const texts = (await outboxTo(orgId, "dung-office")).map((m) => m.text);
    expect(texts).toHaveLength(2);
    expect(texts.filter((t) => t.startsWith("Dừng nhắc tự động: NV 1 "))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith("Dừng nhắc tự động: NV 2 "))).toEqual([expect.stringContaining("Hội Nông dân chưa hoàn thành, hạn 22/03/2026 (quá hạn 92 ngày)")]);
    expect(await store.audit.search(orgId, { actions: [REMINDERS_STOPPED], limit: 10 })).toHaveLength(2);
    clock.set(NOW);
  });

  it("drops an overdue reminder planned before the deadline grew too old, when it comes due", async () => {
    const stale = await assignmentOf(orgId, "1");
    await store.outbound.planReminders([{ orgId, assignmentId: stale, kind: "overdue", plannedAt: clock.now(), dedupeKey: `${stale}-overdue-legacy` }]);
    await planner().fire(orgId);
    expect((await store.outbound.reminders(orgId, stale)).map((r) => r.status)).toEqual(["cancelled"]);
    expect(await outboxTo(orgId, "dung-ccb")).toEqual([]);
  });

  it("follows the org's own reminders.stopAfterDays, a whole number of days from 1", async () => {
    expect(parseOrgSettings({ reminders: { stopAfterDays: 120 } })).toEqual({ reminders: { stopAfterDays: 120 } });
    expect(() => parseOrgSettings({ reminders: { stopAfterDays: 0 } })).toThrow("Cấu hình reminders.stopAfterDays: phải từ 1 trở lên.");
    expect(() => parseOrgSettings({ reminders: { stopAfterDays: 1.5 } })).toThrow(/reminders\.stopAfterDays/);
    const later = await ward("muon", { reminders: { stopAfterDays: 120 } });
    await planner().plan(later);
    const overdue = (await store.outbound.reminders(later, await assignmentOf(later, "1"))).map((r) => r.kind);
    expect(overdue.length).toBeGreaterThan(0);
    expect(await outboxTo(later, "muon-office")).toEqual([]);
  });

  it("cancels this week's occurrence reminder once the occurrence is reported done, and still reminds the next ones", async () => {
    const orgId = await ward("tuan");
    const weekly = await assignmentOf(orgId, "3");
    await planner().plan(orgId);
    const pending = async () => (await store.outbound.reminders(orgId, weekly)).filter((r) => r.status === "pending").map((r) => localIso(r.plannedAt).slice(0, 16));
    expect((await pending()).slice(0, 2)).toEqual(["2026-06-13T08:00", "2026-06-20T08:00"]);

    // Wednesday: the front reports this week's Green Sunday done (as the report use case records
    // a report on a recurring item: on the occurrence whose period holds today).
    const current = (await store.tracking.occurrences(orgId, weekly)).find((o) => o.periodStart <= "2026-06-10" && "2026-06-10" <= o.periodEnd);
    expect(current?.dueDate).toBe("2026-06-14");
    await store.tracking.recordReport({ orgId, assignmentId: weekly, occurrenceId: current?.id ?? null, status: "done", text: "xong", reportedAt: clock.now() });

    // Saturday 08:00, this occurrence's reminder moment: cancelled, nothing sent.
    clock.set("2026-06-13T01:00:00Z");
    await planner().fire(orgId);
    const saturday = (await store.outbound.reminders(orgId, weekly)).find((r) => localIso(r.plannedAt).startsWith("2026-06-13"));
    expect(saturday?.status).toBe("cancelled");
    expect((await outboxTo(orgId, "tuan-mttq")).filter((m) => m.reminderId)).toEqual([]);

    // Planning on Sunday (this week still done) adds the coming occurrences' reminders.
    clock.set("2026-06-14T01:00:00Z");
    expect(await planner().plan(orgId)).toBeGreaterThan(0);
    expect(await pending()).toContain("2026-07-18T08:00");
    expect(await pending()).not.toContain("2026-06-13T08:00");

    // Next Saturday: next week's occurrence is reminded.
    clock.set("2026-06-20T01:00:00Z");
    await planner().fire(orgId);
    const sent = (await outboxTo(orgId, "tuan-mttq")).filter((m) => m.reminderId);
    expect(sent.map((m) => m.text)).toEqual([expect.stringMatching(/^Nhắc .*NV 3 .*\(hạn 21\/06\/2026\)$/)]);
    clock.set(NOW);
  });
});
