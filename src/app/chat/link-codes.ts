/**
 * Linking a chat account to a person with a one-time code (DESIGN.md §5 `link`): issuing for the
 * office, redeeming for `/dangky`. Guessing is bounded three ways, each counted atomically in the
 * store: per account (5 an hour), per org (30 an hour, 100 a day; the office is told once when
 * it trips) and per code (3 tries from the wrong channel void it). Codes are 12 random digits, so
 * a day of guessing at the org's limit has about 100·N / 10¹² chances of hitting one of N live
 * codes: under one in a million up to 10,000 live codes.
 */
import type { Channel, Identity, Person } from "../../domain/index.ts";
import type { AttemptPolicy } from "../../domain/index.ts";
import { localDay, viDate } from "../../domain/index.ts";
import type { Alerts } from "../alerts.ts";
import type { Clock, Store } from "../ports/index.ts";

export const LINK_CODE_DIGITS = 12;
const HOUR = 3_600_000;
export const LINK_LIMITS = {
  perAccount: { windowMs: HOUR, free: 5, hardLimit: 5 },
  perOrgHour: { windowMs: HOUR, free: 30, hardLimit: 30 },
  perOrgDay: { windowMs: 24 * HOUR, free: 100, hardLimit: 100 },
  alert: { windowMs: HOUR, free: 1, hardLimit: 1 },
} as const satisfies Record<string, AttemptPolicy>;

/** "482913750062" → "4829 1375 0062": easier to read aloud and type on a phone. */
export function groupCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, "$1 ");
}

const CHANNEL_VI: Record<Channel, string> = { zalo: "Zalo", zalo_bot: "Zalo", messenger: "Messenger", simulator: "kênh mô phỏng" };

export type RedeemOutcome =
  | { linked: true; person: Person | null; unitNames: string[] }
  | { linked: false; reason: "account_limit" | "org_limit" | "invalid" | "wrong_channel" };

/**
 * @example
 * const links = createLinkCodes({ store, clock, alerts });
 * const issued = await links.issue(orgId, personId, "person:…");            // { code, instructions, … }
 * const outcome = await links.redeem(orgId, identity, "zalo", "482913750062");
 */
export function createLinkCodes(deps: {
  store: Pick<Store, "persons" | "links" | "limits" | "audit" | "units">;
  clock: Clock;
  alerts: Pick<Alerts, "office">;
  ttlHours?: number;
  /** The Facebook Page id or username: codes then come with an m.me onboarding link. */
  messengerPage?: string | null;
}) {
  const { store, clock } = deps;

  return {
    /** Office creates a one-time code for a person (optionally only for one channel); null when the person is unknown. */
    async issue(orgId: string, personId: string, actor: string, options: { channel?: Channel | null } = {}) {
      const person = await store.persons.get(orgId, personId);
      if (!person) return null;
      const expiresAt = new Date(clock.now().getTime() + (deps.ttlHours ?? 72) * HOUR);
      const code = await store.links.issue({ orgId, personId, expiresAt, channel: options.channel ?? null, digits: LINK_CODE_DIGITS });
      await store.audit.append({ orgId, actor, action: "link_code.issued", entity: "person", entityId: personId, data: { channel: code.channel }, at: clock.now() });
      const messengerLink = deps.messengerPage && (!code.channel || code.channel === "messenger") ? `https://m.me/${deps.messengerPage}?ref=${code.code}` : null;
      const where = code.channel ? CHANNEL_VI[code.channel] : "Zalo hoặc Messenger";
      const instructions = [
        `Đồng chí nhắn cho trợ lý của Văn phòng trên ${where}: /dangky ${groupCode(code.code)} (mã dùng một lần, hết hạn ngày ${viDate(localDay(expiresAt))}).`,
        ...(messengerLink ? [`Hoặc mở ${messengerLink} trên điện thoại để liên kết Messenger ngay.`] : []),
      ].join(" ");
      return { code: code.code, display: groupCode(code.code), channel: code.channel, expiresAt, person, instructions, messengerLink };
    },

    /** `/dangky CODE` from an unlinked account. */
    async redeem(orgId: string, identity: Pick<Identity, "id">, channel: Channel, code: string): Promise<RedeemOutcome> {
      const now = clock.now();
      const keys = { account: `link:account:${identity.id}`, hour: `link:org:${orgId}:hour`, day: `link:org:${orgId}:day` };
      if (!(await store.limits.take(keys.account, now, LINK_LIMITS.perAccount)).allowed) return { linked: false, reason: "account_limit" };
      const hour = await store.limits.take(keys.hour, now, LINK_LIMITS.perOrgHour);
      const day = hour.allowed ? await store.limits.take(keys.day, now, LINK_LIMITS.perOrgDay) : { allowed: false };
      if (!hour.allowed || !day.allowed) {
        if (hour.allowed) await store.limits.refund(keys.hour);
        await store.audit.append({ orgId, actor: `identity:${identity.id}`, action: "link.org_limited", entity: "org", entityId: orgId, at: now });
        // Told once an hour, not once per refused try.
        if ((await store.limits.take(`link:alert:${orgId}`, now, LINK_LIMITS.alert)).allowed) {
          await deps.alerts.office(
            orgId,
            "⚠ Có quá nhiều lần nhập sai mã liên kết tài khoản trong thời gian ngắn (có thể có người dò mã). Việc liên kết tạm dừng tối đa 24 giờ. Đề nghị Văn phòng kiểm tra nhật ký và cấp lại mã cho cán bộ khi cần.",
          );
        }
        return { linked: false, reason: "org_limit" };
      }
      const result = await store.links.redeem({ orgId, code, identityId: identity.id, channel, now });
      if ("refused" in result) {
        await store.audit.append({ orgId, actor: `identity:${identity.id}`, action: "link.failed", entity: "identity", entityId: identity.id, data: { reason: result.refused }, at: now });
        return { linked: false, reason: result.refused };
      }
      // A success uses up none of the limits.
      await Promise.all([store.limits.refund(keys.account), store.limits.refund(keys.hour), store.limits.refund(keys.day)]);
      await store.audit.append({ orgId, actor: `identity:${identity.id}`, action: "identity.linked", entity: "person", entityId: result.personId, data: { channel }, at: now });
      const person = await store.persons.get(orgId, result.personId);
      const [units, memberships] = await Promise.all([store.units.list(orgId), store.persons.memberships(orgId, result.personId)]);
      const mine = new Set(memberships.map((m) => m.unitId));
      return { linked: true, person, unitNames: units.filter((u) => mine.has(u.id)).map((u) => u.name) };
    },
  };
}

export type LinkCodes = ReturnType<typeof createLinkCodes>;
