/**
 * The demo ward: on the first `dondoc start --demo`, the org gets the seed directive (activated),
 * its units, a leader, an office user and one cadre per unit, each linked to a simulator id.
 * Later starts keep the data and print the same instructions.
 */
import { readFileSync } from "node:fs";
import type { Logger as PinoLogger } from "pino";
import { createIntake } from "../app/index.ts";
import type { Store } from "../app/index.ts";
import type { Org, PersonRole } from "../domain/index.ts";
import { fold } from "../domain/index.ts";
import { systemClock } from "./components.ts";

const SEED = new URL("./demo/thong-bao-ket-luan-2020-06-05.md", import.meta.url);

export interface DemoPerson {
  simulatorId: string;
  name: string;
  role: PersonRole;
  unit?: string;
}

const slug = (text: string) => fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

async function linkSimulator(store: Store, orgId: string, personId: string, simulatorId: string) {
  const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: simulatorId });
  if (identity.personId !== personId) await store.chats.linkIdentity(orgId, identity.id, personId, systemClock.now());
}

/** Seeds the demo once; returns who can chat (also on later starts). */
export async function ensureDemoWard(store: Store, org: Org, logger: PinoLogger): Promise<DemoPerson[]> {
  const people: DemoPerson[] = [];
  if ((await store.directives.list(org.id)).length === 0) {
    const intake = createIntake({ store, clock: systemClock });
    const { directive } = await intake.importDirective({
      orgId: org.id,
      text: readFileSync(SEED, "utf8"),
      sourceName: "thong-bao-ket-luan-2020-06-05.md",
      actor: "demo",
    });
    const activated = await intake.activate(org.id, directive.id, "demo");
    const leader = await store.persons.create({ orgId: org.id, fullName: "Nguyễn Tiến Giang", roles: ["leader"] });
    await linkSimulator(store, org.id, leader.id, "lanhdao");
    // A demo person of its own: never the office user whose API token and web sign-in the first
    // start wrote, so chatting as "vanphong" in the simulator is not acting as that account.
    const office = await store.persons.create({ orgId: org.id, fullName: "Lê Thị Thu (cán bộ văn phòng, demo)", roles: ["office"] });
    await linkSimulator(store, org.id, office.id, "vanphong");
    const assigned = new Set((await store.tracking.board(org.id)).map((r) => r.unit.id));
    for (const unit of await store.units.list(org.id)) {
      if (!assigned.has(unit.id)) continue;
      const cadre = await store.persons.create({ orgId: org.id, fullName: `Cán bộ ${unit.name}`, roles: ["cadre"] });
      await store.persons.addMembership({ orgId: org.id, personId: cadre.id, unitId: unit.id, role: "head" });
      await linkSimulator(store, org.id, cadre.id, `canbo-${slug(unit.name)}`);
    }
    logger.info({ directive: directive.id, assignments: activated.assignments }, "demo ward created");
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
