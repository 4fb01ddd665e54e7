import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../src/domain/index.ts";
import { createIntake, createOrgSettings, createPlanner, DEFAULT_VOICE, effectiveSettings, OrgSettingsError, parseOrgSettings } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { DEFAULT_CALENDAR } from "../../src/domain/calendar.ts";
import { DEFAULT_POLICY } from "../../src/domain/reminder-policy.ts";
import { localIso } from "../../src/domain/time.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

const SEED = readFileSync(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");

function refusal(raw: unknown): string {
  try {
    parseOrgSettings(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(OrgSettingsError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

describe("parseOrgSettings", () => {
  it("accepts a partial, valid setting and nothing at all", () => {
    const s = { reminders: { beforeDays: [2], sendAt: "07:30" }, calendar: { extraDaysOff: ["2020-06-23"], quietStart: "22:00" }, digest: { enabled: false } };
    expect(parseOrgSettings(s)).toEqual(s);
    expect(parseOrgSettings({})).toEqual({});
    expect(parseOrgSettings(null)).toEqual({});
    expect(parseOrgSettings(undefined)).toEqual({});
  });

  it("refuses unknown keys, at the top and inside a section, naming them", () => {
    expect(refusal({ remiders: {} })).toBe("Cấu hình settings: khóa không hợp lệ: remiders.");
    expect(refusal({ calendar: { holiday: true } })).toBe("Cấu hình calendar: khóa không hợp lệ: holiday.");
    expect(refusal({ digest: { enabled: true, day: "monday" } })).toBe("Cấu hình digest: khóa không hợp lệ: day.");
  });

  it.each([["7:30"], ["24:00"], ["07:60"], ["0730"], ["8h"]])("refuses the time %j", (bad) => {
    expect(refusal({ reminders: { sendAt: bad } })).toBe("Cấu hình reminders.sendAt: giờ phải có dạng HH:MM, ví dụ 07:30.");
    expect(refusal({ calendar: { quietEnd: bad } })).toBe("Cấu hình calendar.quietEnd: giờ phải có dạng HH:MM, ví dụ 07:30.");
  });

  it.each([["23/06/2020"], ["2020-6-23"], ["2020/06/23"], [""]])("refuses the day %j", (bad) => {
    expect(refusal({ calendar: { extraDaysOff: ["2020-06-22", bad] } })).toBe("Cấu hình calendar.extraDaysOff.1: ngày phải có dạng YYYY-MM-DD.");
    expect(refusal({ calendar: { workingDays: [bad] } })).toBe("Cấu hình calendar.workingDays.0: ngày phải có dạng YYYY-MM-DD.");
  });

  it("refuses out-of-range numbers and wrong types, naming the field", () => {
    expect(refusal({ reminders: { beforeDays: [0] } })).toMatch(/^Cấu hình reminders\.beforeDays\.0: /);
    expect(refusal({ reminders: { overdueEveryWorkingDays: 0 } })).toMatch(/^Cấu hình reminders\.overdueEveryWorkingDays: /);
    expect(refusal({ digest: { enabled: "no" } })).toMatch(/^Cấu hình digest\.enabled: /);
    expect(refusal("reminders")).toMatch(/^Cấu hình settings: /);
  });
});

describe("effectiveSettings", () => {
  it("is the defaults for no settings", () => {
    expect(effectiveSettings({})).toEqual({ policy: DEFAULT_POLICY, calendar: DEFAULT_CALENDAR, digest: { enabled: true }, voice: DEFAULT_VOICE });
    expect(DEFAULT_VOICE).toEqual({ office: "Văn phòng Đảng ủy", address: { leader: "đồng chí", cadre: "đồng chí", office: "đồng chí" } });
  });

  it("lets an org choose how each role is addressed, and refuses any other form of address", () => {
    const s = effectiveSettings({ voice: { address: { cadre: "anh/chị" }, office: "Văn phòng UBND phường" } });
    expect(s.voice).toEqual({ office: "Văn phòng UBND phường", address: { leader: "đồng chí", cadre: "anh/chị", office: "đồng chí" } });
    expect(() => effectiveSettings({ voice: { address: { leader: "mày" } } })).toThrow(/^Cấu hình voice\.address\.leader: /);
  });

  it("puts the org's own values over the defaults, field by field", () => {
    const s = effectiveSettings({ reminders: { beforeDays: [2] }, calendar: { extraDaysOff: ["2020-06-23"] }, digest: { enabled: false } });
    expect(s.policy).toEqual({ ...DEFAULT_POLICY, beforeDays: [2] });
    expect(s.calendar).toEqual({ ...DEFAULT_CALENDAR, extraDaysOff: ["2020-06-23"] });
    expect(s.digest).toEqual({ enabled: false });
    // The defaults themselves are left alone.
    expect(DEFAULT_POLICY.beforeDays).toEqual([7, 3, 1]);
    expect(DEFAULT_CALENDAR.extraDaysOff).toEqual([]);
  });

  it("merges over a given base instead of the defaults", () => {
    const base = { policy: { ...DEFAULT_POLICY, sendAt: "09:00" }, calendar: { ...DEFAULT_CALENDAR, sundayOff: false } };
    const s = effectiveSettings({ reminders: { onDueDay: false } }, base);
    expect(s.policy).toEqual({ ...DEFAULT_POLICY, sendAt: "09:00", onDueDay: false });
    expect(s.calendar.sundayOff).toBe(false);
  });

  it("throws on invalid settings", () => {
    expect(() => effectiveSettings({ calendar: { quietStart: "25:00" } })).toThrow(OrgSettingsError);
  });
});

describe("org settings in the store and the planner", () => {
  let test: TestDatabase;
  let store: Store;
  const clock = new FakeClock("2020-06-20T01:00:00Z"); // 08:00 Saturday 20/6/2020
  const orgs: Record<string, string> = {};

  async function seededOrg(slug: string) {
    const orgId = (await store.orgs.create({ slug, name: `Phường ${slug}` })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    const { directive } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
    await intake.activate(orgId, directive.id, "test", { confirm: "all" });
    orgs[slug] = orgId;
    return orgId;
  }

  /** Planned reminders of Đoàn's item 6.1 (due 30/6/2020), as "local time kind". */
  async function ladder(orgId: string) {
    const row = (await store.tracking.board(orgId, localDay(clock.now()))).find((r) => r.item.ref === "6.1" && r.unit.name === "Đoàn TNCS Hồ Chí Minh");
    if (!row) throw new Error("no 6.1");
    return (await store.outbound.reminders(orgId, row.assignment.id)).map((r) => `${localIso(r.plannedAt).slice(0, 16)} ${r.kind}`);
  }

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    const settings = createOrgSettings({ store, clock });
    await seededOrg("plain");
    await settings.set(await seededOrg("day-off"), { calendar: { extraDaysOff: ["2020-06-23"] } }, "test");
    await settings.set(await seededOrg("one-rung"), { reminders: { beforeDays: [2] } }, "test");
    // Written by hand, bypassing validation: the planner keeps the defaults.
    await store.orgs.setSettings(await seededOrg("broken"), { reminders: { beforeDays: "two" } });
    for (const orgId of Object.values(orgs)) await createPlanner({ store, clock }).plan(orgId);
  });
  afterAll(async () => {
    await test.drop();
  });

  it("createOrgSettings stores what it validated, audits it, and refuses bad settings without storing", async () => {
    const settings = createOrgSettings({ store, clock });
    const orgId = orgs["day-off"] ?? "";
    expect(await settings.get(orgId)).toEqual({ calendar: { extraDaysOff: ["2020-06-23"] } });
    expect(await settings.get(orgs.plain ?? "")).toEqual({});
    await expect(settings.set(orgId, { calendar: { extraDaysOff: ["23/6/2020"] } }, "test")).rejects.toThrow(OrgSettingsError);
    expect(await settings.get(orgId)).toEqual({ calendar: { extraDaysOff: ["2020-06-23"] } });
    expect(await store.audit.count(orgId, "org.settings", orgId, new Date(0))).toBe(1);
  });

  it("an org without settings: the default ladder", async () => {
    expect((await ladder(orgs.plain ?? "")).slice(0, 5)).toEqual([
      "2020-06-23T08:00 before",
      "2020-06-27T08:00 before",
      "2020-06-29T08:00 before",
      "2020-06-30T08:00 due",
      "2020-07-02T08:00 overdue",
    ]);
  });

  it("an org's extra day off moves the reminder planned on it to the next working day (at the end of quiet hours)", async () => {
    expect((await ladder(orgs["day-off"] ?? "")).slice(0, 5)).toEqual([
      "2020-06-24T07:00 before",
      "2020-06-27T08:00 before",
      "2020-06-29T08:00 before",
      "2020-06-30T08:00 due",
      "2020-07-02T08:00 overdue",
    ]);
  });

  it("beforeDays [2]: only that rung (2 days before 30/6 is a Sunday: Monday morning)", async () => {
    const ladderOf = await ladder(orgs["one-rung"] ?? "");
    expect(ladderOf.filter((l) => l.endsWith(" before"))).toEqual(["2020-06-29T07:00 before"]);
    expect(ladderOf.slice(0, 3)).toEqual(["2020-06-29T07:00 before", "2020-06-30T08:00 due", "2020-07-02T08:00 overdue"]);
  });

  it("a broken setting written by hand plans with the defaults", async () => {
    expect(await ladder(orgs.broken ?? "")).toEqual(await ladder(orgs.plain ?? ""));
  });
});
