/**
 * A person of the org linked to a simulator account, the way office would set one up: the person,
 * their unit membership, the chat account and the link.
 */
import type { Store } from "../../src/app/index.ts";
import type { PersonRole } from "../../src/domain/index.ts";

/**
 * @example
 * await linkPerson(store, orgId, clock.now(), { name: "Trần Văn Bình", roles: ["cadre"], sim: "ccb", unit: "Hội Cựu chiến binh" });
 */
export async function linkPerson(store: Store, orgId: string, at: Date, p: { name: string; roles: PersonRole[]; sim: string; unit?: string }) {
  const person = await store.persons.create({ orgId, fullName: p.name, roles: p.roles });
  if (p.unit) {
    const unit = (await store.units.list(orgId)).find((u) => u.name === p.unit);
    if (!unit) throw new Error(`no unit ${p.unit}`);
    await store.persons.addMembership({ orgId, personId: person.id, unitId: unit.id });
  }
  const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: p.sim });
  await store.chats.linkIdentity(orgId, identity.id, person.id, at);
  return person;
}
