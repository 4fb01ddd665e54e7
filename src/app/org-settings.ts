/**
 * An org's own reminder policy and calendar (DESIGN.md §4.2), kept in `orgs.settings`:
 * whatever it does not set keeps the default. Validated here, so a bad value written by hand
 * is refused with a Vietnamese message instead of silently planning nothing.
 */
import { z } from "zod";
import { DEFAULT_CALENDAR, type CalendarPolicy } from "../domain/index.ts";
import { DEFAULT_POLICY, type PersonRole, type ReminderPolicy } from "../domain/index.ts";
import type { Clock, Store } from "./ports/index.ts";

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "giờ phải có dạng HH:MM, ví dụ 07:30");
const ADDRESS = z.enum(["đồng chí", "anh/chị", "bạn"]);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "ngày phải có dạng YYYY-MM-DD");

export const orgSettingsSchema = z
  .object({
    reminders: z
      .object({
        beforeDays: z.array(z.number().int().min(1).max(60)).max(10),
        onDueDay: z.boolean(),
        overdueEveryWorkingDays: z.number().int().min(1).max(30),
        escalateAfterDays: z.number().int().min(1).max(60),
        occurrenceLeadDays: z.number().int().min(0).max(14),
        sendAt: time,
        /** Days past a deadline after which its reminders stop and the office is told once (default 90). */
        stopAfterDays: z.number().int().min(1).max(3650),
      })
      .partial()
      .strict(),
    calendar: z
      .object({
        quietStart: time,
        quietEnd: time,
        saturdayAfternoonOff: z.boolean(),
        sundayOff: z.boolean(),
        holidays: z.boolean(),
        extraDaysOff: z.array(day).max(366),
        workingDays: z.array(day).max(366),
      })
      .partial()
      .strict(),
    voice: z
      .object({
        /** Who speaks: "Văn phòng Đảng ủy" by default. */
        office: z.string().trim().min(3).max(60),
        /** How people of each role are addressed: "đồng chí" by default. */
        address: z
          .object({ leader: ADDRESS, cadre: ADDRESS, office: ADDRESS })
          .partial()
          .strict(),
      })
      .partial()
      .strict(),
    digest: z
      .object({
        /** Send the weekly digest to leaders and office (default true). */
        enabled: z.boolean(),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

export type OrgSettings = z.infer<typeof orgSettingsSchema>;

export type Address = z.infer<typeof ADDRESS>;

export interface Voice {
  office: string;
  address: Record<PersonRole, Address>;
}

export const DEFAULT_VOICE: Voice = { office: "Văn phòng Đảng ủy", address: { leader: "đồng chí", cadre: "đồng chí", office: "đồng chí" } };

export interface EffectiveSettings {
  policy: ReminderPolicy;
  calendar: CalendarPolicy;
  digest: { enabled: boolean };
  voice: Voice;
}

/**
 * For the jobs: the org's settings, or the defaults when what is stored no longer validates (a
 * bad hand edit must not stop reminders or the digest; the office API refuses it in Vietnamese).
 */
export function settingsOrDefaults(raw: unknown, base: { policy?: ReminderPolicy; calendar?: CalendarPolicy } = {}): EffectiveSettings {
  try {
    return effectiveSettings(raw, base);
  } catch {
    return { policy: base.policy ?? DEFAULT_POLICY, calendar: base.calendar ?? DEFAULT_CALENDAR, digest: { enabled: true }, voice: DEFAULT_VOICE };
  }
}

export class OrgSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OrgSettingsError";
  }
}

/** Validates settings; throws OrgSettingsError naming the first bad field (in Vietnamese). */
export function parseOrgSettings(raw: unknown): OrgSettings {
  const result = orgSettingsSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join(".") || "settings";
    const what =
      issue?.code === "unrecognized_keys"
        ? `khóa không hợp lệ: ${issue.keys.join(", ")}`
        : issue?.code === "too_small"
          ? `phải từ ${String(issue.minimum)} trở lên`
          : issue?.code === "too_big"
            ? `phải không quá ${String(issue.maximum)}`
            : issue?.code === "invalid_type"
              ? `sai kiểu dữ liệu (cần ${issue.expected === "number" ? "số" : issue.expected === "boolean" ? "true/false" : issue.expected === "array" ? "danh sách" : issue.expected === "string" ? "chuỗi" : issue.expected})`
              : (issue?.message ?? "không hợp lệ");
    throw new OrgSettingsError(`Cấu hình ${where}: ${what}.`);
  }
  return result.data;
}

/**
 * The defaults with the org's own values on top.
 *
 * @example
 * const { policy, calendar } = effectiveSettings(org.settings); // settings = { calendar: { extraDaysOff: ["2026-09-01"] } }
 */
export function effectiveSettings(raw: unknown, base: { policy?: ReminderPolicy; calendar?: CalendarPolicy } = {}): EffectiveSettings {
  const s = parseOrgSettings(raw);
  return {
    policy: { ...(base.policy ?? DEFAULT_POLICY), ...s.reminders },
    calendar: { ...(base.calendar ?? DEFAULT_CALENDAR), ...s.calendar },
    digest: { enabled: s.digest?.enabled ?? true },
    voice: { office: s.voice?.office ?? DEFAULT_VOICE.office, address: { ...DEFAULT_VOICE.address, ...s.voice?.address } },
  };
}

/** The store slices createOrgSettings uses. */
export type SettingsStore = Pick<Store, "audit" | "orgs">;

/**
 * Reading and replacing an org's settings (office API).
 *
 * @example
 * await createOrgSettings({ store, clock }).set(orgId, { calendar: { extraDaysOff: ["2026-09-01"] } }, "person:…");
 */
export function createOrgSettings(deps: { store: SettingsStore; clock: Clock }) {
  return {
    async get(orgId: string): Promise<Record<string, unknown>> {
      return (await deps.store.orgs.byId(orgId))?.settings ?? {};
    },
    async set(orgId: string, raw: unknown, actor = "office"): Promise<Record<string, unknown>> {
      const settings = parseOrgSettings(raw) as Record<string, unknown>;
      const org = await deps.store.orgs.setSettings(orgId, settings);
      await deps.store.audit.append({ orgId, actor, action: "org.settings", entity: "org", entityId: orgId, data: settings, at: deps.clock.now() });
      return org.settings;
    },
  };
}
