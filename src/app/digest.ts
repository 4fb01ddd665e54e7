/**
 * The weekly digest (DESIGN.md §4.7): leaders get counts by status, the overdue list and the
 * blocked items; office gets who has not reported. Sent once per org and week (a broadcast with
 * a dedupe key), through the same delivery queues as everything else.
 */
import { groupBy } from "../domain/index.ts";
import type { AssignmentStatus, BoardRow } from "../domain/index.ts";
import { dueText, itemName, timing } from "../domain/index.ts";
import { addDays, localDay, viDate } from "../domain/index.ts";
import type { Broadcasts } from "./broadcasts.ts";
import { settingsOrDefaults } from "./org-settings.ts";
import type { Clock, DeliveryRoute, Store } from "./ports/index.ts";

/** At most this many lines per list: a digest must fit one phone message (Messenger: 2,000 characters). */
const MAX_LINES = 10;

function list(rows: string[]): string[] {
  return rows.length > MAX_LINES ? [...rows.slice(0, MAX_LINES), `… và ${rows.length - MAX_LINES} lượt khác.`] : rows;
}

/** ISO week of a local day: "2020-W26", the digest's once-only key. */
export function isoWeek(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(d.getTime() + (3 - weekday) * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000));
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/**
 * @example
 * leaderDigest(board, "2020-06-22") // "Tổng hợp tuần đến 22/06/2020 — 12 lượt giao: 3 hoàn thành, …"
 */
export function leaderDigest(rows: BoardRow[], today: string): string {
  const by = (s: AssignmentStatus) => rows.filter((r) => r.assignment.status === s).length;
  const overdue = rows.filter((r) => r.assignment.status !== "done" && timing(r.assignment, today).class === "overdue");
  const blocked = rows.filter((r) => r.assignment.status === "blocked");
  const since = addDays(today, -7);
  const doneThisWeek = rows.filter((r) => r.assignment.doneAt && localDay(r.assignment.doneAt) > since).length;
  const lines = [
    `📊 Tổng hợp tuần đến ${viDate(today)}`,
    `${rows.length} lượt giao: ${by("done")} hoàn thành (${doneThisWeek} trong tuần), ${by("in_progress")} đang thực hiện, ${by("blocked")} vướng mắc, ${by("not_reported")} chưa báo cáo; ${overdue.length} quá hạn.`,
  ];
  if (overdue.length > 0) {
    lines.push("", "Quá hạn:", ...list(overdue.map((r) => `• ${r.unit.name} · ${itemName(r)} · ${dueText(r.assignment.dueDate, timing(r.assignment, today))}`)));
  }
  if (blocked.length > 0) {
    lines.push("", "Vướng mắc:", ...list(blocked.map((r) => `• ${r.unit.name} · ${itemName(r)}`)));
  }
  if (overdue.length === 0 && blocked.length === 0) lines.push("Không có việc quá hạn hay vướng mắc.");
  lines.push("", "Nhắn /tinhhinh để xem chi tiết.");
  return lines.join("\n");
}

/** Office: the units that have not reported, each with its items. */
export function officeDigest(rows: BoardRow[], today: string): string {
  const silent = rows.filter((r) => r.assignment.status === "not_reported");
  if (silent.length === 0) return `📋 Tuần đến ${viDate(today)}: tất cả đơn vị đã báo cáo.`;
  const byUnit = groupBy(silent, (r) => r.unit.name);
  const lines = [...byUnit].map(([unit, rs]) => `• ${unit}: NV ${rs.map((r) => r.item.ref).join(", ")}`);
  return [`📋 Tuần đến ${viDate(today)}: ${byUnit.size} đơn vị chưa báo cáo (${silent.length} lượt).`, ...list(lines), "", "Nhắn /nhacnho để nhắc tất cả các đơn vị chưa báo cáo."].join("\n");
}

/** The store slices createDigest uses. */
export type DigestStore = Pick<Store, "chats" | "orgs" | "outbound" | "tracking">;

/**
 * @example
 * const digest = createDigest({ store, clock, broadcasts });
 * const routes = await digest.send(orgId); // [] when this week's digest went already
 */
export function createDigest(deps: { store: DigestStore; clock: Clock; broadcasts: Broadcasts }) {
  const { store, clock, broadcasts } = deps;
  return {
    async send(orgId: string): Promise<DeliveryRoute[]> {
      if (!settingsOrDefaults((await store.orgs.byId(orgId))?.settings ?? {}).digest.enabled) return [];
      const today = localDay(clock.now());
      const week = isoWeek(today);
      const rows = (await store.tracking.board(orgId, today)).filter((r) => r.directive.activatedAt);
      if (rows.length === 0) return [];
      const ids = [
        ...(await broadcasts.sendOnce(orgId, { kind: "digest", text: leaderDigest(rows, today), dedupeKey: `digest-leaders-${week}`, to: await store.chats.personsWithRole(orgId, "leader") })),
        ...(await broadcasts.sendOnce(orgId, { kind: "digest", text: officeDigest(rows, today), dedupeKey: `digest-office-${week}`, to: await store.chats.personsWithRole(orgId, "office") })),
      ];
      return store.outbound.routes(orgId, ids);
    },
  };
}

export type Digest = ReturnType<typeof createDigest>;
