/**
 * The demo ward: on the first `dondoc start --demo`, the org gets the seed directive (activated),
 * its units, a leader, an office user and one cadre per unit, each linked to a simulator id.
 * The seed lives today: its dates are moved so it was issued three weeks before the first start
 * (items due this week and today, one overdue by a few days, this week's Green Sunday with its
 * team), and a few cadres have already reported. Later starts keep the data and print the same
 * instructions.
 */
import { readFileSync } from "node:fs";
import type { Logger as PinoLogger } from "pino";
import { createIntake } from "../app/index.ts";
import type { Clock, Store } from "../app/index.ts";
import type { AssignmentStatus, Org, PersonRole } from "../domain/index.ts";
import { addDays, atLocal, fold, localDay, viDate } from "../domain/index.ts";
import { systemClock } from "./components.ts";

const SEED = new URL("./demo/thong-bao-ket-luan-2020-06-05.md", import.meta.url);

/** Where the demo directive stands, in days from the first start's local day. */
export const DEMO_SCHEDULE = {
  /** Issued three weeks ago; the office imported and activated it the next morning. */
  issued: -21,
  /** NV 1, the plan of every front and association: due in a few days. */
  plan: 3,
  /** NV 6.1, the Youth Union's deputy secretary: due today. */
  youth: 0,
  /** NV 6.2, the membership count of each association: overdue by a few days. */
  members: -5,
} as const;

/** The reports already in: one done on time, one done late, one blocked. */
const DEMO_REPORTS: readonly {
  ref: string;
  unitKey: string;
  /** Days from the first start's local day, and the local time. */
  day: number;
  time: string;
  status: AssignmentStatus;
  count: number | null;
  text: string;
}[] = [
  { ref: "6.2", unitKey: "hoi-lhpn", day: -7, time: "10:15", status: "done", count: 312, text: "Đã hoàn thành rà soát, thống kê: 312 hội viên." },
  { ref: "6.2", unitKey: "hoi-nong-dan", day: -2, time: "15:40", status: "done", count: 198, text: "Đã hoàn thành, tổng số 198 hội viên." },
  {
    ref: "6.2",
    unitKey: "doan-tn",
    day: -1,
    time: "16:20",
    status: "blocked",
    count: null,
    text: "Vướng mắc: 2 chi đoàn tổ dân phố chưa gửi danh sách đoàn viên, đề nghị Văn phòng hỗ trợ đôn đốc.",
  },
];

/**
 * The seed's text with its dates moved to `today`: issued `DEMO_SCHEDULE.issued` days before,
 * and each dated item due on its day of the schedule, written out in the text so the directive
 * reads as it is tracked. Throws if the seed no longer has a phrase it rewrites.
 *
 * @example
 * demoDirective(seedText, "2026-03-11").issuedDate // "2026-02-18"
 */
export function demoDirective(seed: string, today: string): { text: string; issuedDate: string; sourceName: string } {
  const issuedDate = addDays(today, DEMO_SCHEDULE.issued);
  const [y, m, d] = issuedDate.split("-");
  const due = (days: number) => viDate(addDays(today, days));
  const rewrites: [string, string][] = [
    ["Ngày 05 tháng 6 năm 2020,", `Ngày ${d} tháng ${Number(m)} năm ${y},`],
    ["hoạt động 06 tháng đầu năm và phương hướng, nhiệm vụ 6 tháng cuối năm 2020;", "hoạt động thời gian qua và phương hướng, nhiệm vụ thời gian tới;"],
    ["các nhiệm vụ còn lại trong 6 tháng cuối năm 2020.", `các nhiệm vụ thời gian tới, hoàn thành chậm nhất ngày ${due(DEMO_SCHEDULE.plan)}.`],
    ["Theo đó, trong tháng 6 năm 2020:", "Theo đó:"],
    ["nhân sự Phó Bí thư Đoàn phường.", `nhân sự Phó Bí thư Đoàn phường chậm nhất ngày ${due(DEMO_SCHEDULE.youth)}.`],
    ["thực tế của tổ chức mình. Báo cáo", `thực tế của tổ chức mình chậm nhất ngày ${due(DEMO_SCHEDULE.members)}. Báo cáo`],
  ];
  let text = seed;
  for (const [from, to] of rewrites) {
    if (text.split(from).length !== 2) throw new Error(`demo seed: expected "${from}" once`);
    text = text.replace(from, to);
  }
  if (text.includes("2020")) throw new Error("demo seed: a 2020 date was left unmoved");
  return { text, issuedDate, sourceName: `thong-bao-ket-luan-${issuedDate}.md` };
}

export interface DemoPerson {
  simulatorId: string;
  name: string;
  role: PersonRole;
  unit?: string;
}

const slug = (text: string) => fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

async function linkSimulator(store: Store, orgId: string, personId: string, simulatorId: string, at: Date) {
  const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: simulatorId });
  if (identity.personId !== personId) await store.chats.linkIdentity(orgId, identity.id, personId, at);
}

/** Seeds the demo once (dated from `clock`); returns who can chat (also on later starts). */
export async function ensureDemoWard(store: Store, org: Org, logger: PinoLogger, clock: Clock = systemClock): Promise<DemoPerson[]> {
  const people: DemoPerson[] = [];
  if ((await store.directives.list(org.id)).length === 0) {
    const now = clock.now();
    const today = localDay(now);
    const demo = demoDirective(readFileSync(SEED, "utf8"), today);
    // The office imported and activated it the morning after it was issued: this week's Green
    // Sunday is one of the occurrences activation plans, its team on duty by the rotation.
    const activatedAt = atLocal(addDays(demo.issuedDate, 1), "08:30");
    const intake = createIntake({ store, clock: { now: () => activatedAt } });
    const { directive } = await intake.importDirective({ orgId: org.id, text: demo.text, sourceName: demo.sourceName, actor: "demo" });
    const activated = await intake.activate(org.id, directive.id, "demo", { confirm: "all" });
    const leader = await store.persons.create({ orgId: org.id, fullName: "Nguyễn Tiến Giang", roles: ["leader"] });
    await linkSimulator(store, org.id, leader.id, "lanhdao", now);
    // A demo person of its own: never the office user whose API token and web sign-in the first
    // start wrote, so chatting as "vanphong" in the simulator is not acting as that account.
    const office = await store.persons.create({ orgId: org.id, fullName: "Lê Thị Thu (cán bộ văn phòng, demo)", roles: ["office"] });
    await linkSimulator(store, org.id, office.id, "vanphong", now);
    const board = await store.tracking.board(org.id, today);
    const assigned = new Set(board.map((r) => r.unit.id));
    const cadres = new Map<string, string>();
    for (const unit of await store.units.list(org.id)) {
      if (!assigned.has(unit.id)) continue;
      const cadre = await store.persons.create({ orgId: org.id, fullName: `Cán bộ ${unit.name}`, roles: ["cadre"] });
      await store.persons.addMembership({ orgId: org.id, personId: cadre.id, unitId: unit.id, role: "head" });
      await linkSimulator(store, org.id, cadre.id, `canbo-${slug(unit.name)}`, now);
      cadres.set(unit.id, cadre.id);
    }
    // What the cadres already reported, each as the report use case records it.
    for (const r of DEMO_REPORTS) {
      const unit = await store.units.byKey(org.id, r.unitKey);
      const row = board.find((b) => b.item.ref === r.ref && b.unit.id === unit?.id);
      if (!unit || !row) throw new Error(`demo: no assignment of ${r.unitKey} to NV ${r.ref}`);
      const personId = cadres.get(unit.id) ?? null;
      const reportedAt = atLocal(addDays(today, r.day), r.time);
      await store.tracking.recordReport({
        orgId: org.id,
        assignmentId: row.assignment.id,
        personId,
        status: r.status,
        percent: r.status === "done" ? 100 : null,
        count: r.count,
        text: r.text,
        reportedAt,
      });
      await store.audit.append({
        orgId: org.id,
        actor: personId ? `person:${personId}` : "demo",
        action: "report.recorded",
        entity: "assignment",
        entityId: row.assignment.id,
        data: { status: r.status, percent: r.status === "done" ? 100 : null, count: r.count },
        at: reportedAt,
      });
    }
    logger.info({ directive: directive.id, issued: demo.issuedDate, assignments: activated.assignments, reports: DEMO_REPORTS.length }, "demo ward created");
  }
  for (const role of ["leader", "office", "cadre"] as const) {
    for (const person of await store.chats.personsWithRole(org.id, role)) {
      const identity = (await store.chats.identitiesOfPerson(org.id, person.id)).find((i) => i.channel === "simulator");
      if (!identity) continue;
      const memberships = await store.persons.memberships(org.id, person.id);
      const units = await store.units.list(org.id);
      const unit = units.find((u) => memberships.some((m) => m.unitId === u.id))?.name;
      people.push({ simulatorId: identity.externalId, name: person.fullName, role, ...(unit ? { unit } : {}) });
    }
  }
  return people;
}

/**
 * What `dondoc start --demo` prints: who is who, and curl lines to chat (each carries the
 * simulator's per-install secret, read from its file).
 */
export function demoInstructions(url: string, people: DemoPerson[], secretFile: string): string {
  const cadre = people.find((p) => p.role === "cadre" && p.unit === "Hội Cựu chiến binh") ?? people.find((p) => p.role === "cadre");
  const post = (sender: string, text: string) =>
    `curl -s ${url}/api/simulator/messages -H 'content-type: application/json' -H "X-Simulator-Secret: $(cat ${secretFile})" -d '${JSON.stringify({ senderId: sender, text })}'`;
  return [
    "",
    "dondoc demo ward — chat through the simulator:",
    ...people.map((p) => `  ${p.simulatorId.padEnd(44)} ${p.name} (${p.role}${p.unit ? `, ${p.unit}` : ""})`),
    "",
    post("lanhdao", "tình hình"),
    ...(cadre ? [post(cadre.simulatorId, "nhiệm vụ của tôi"), post(cadre.simulatorId, "bc 6.2 xong 245 hội viên")] : []),
    post("lanhdao", "ai chưa báo cáo nv 6"),
    "",
  ].join("\n");
}
