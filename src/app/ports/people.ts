/** Units and people. */
import type { MembershipRole, Person, PersonRole, Unit, UnitMembership } from "../../domain/index.ts";

/**
 * Units and their aliases; aliases are compared folded (lower case, no diacritics).
 * @example
 * const ccb = await store.units.create({ orgId, name: "Hội Cựu chiến binh", aliases: [{ alias: "Hội CCB", folded: "hoi ccb" }] });
 */
export interface UnitRepository {
  create(input: {
    orgId: string;
    name: string;
    key?: string | null;
    parentId?: string | null;
    aliases?: { alias: string; folded: string }[];
  }): Promise<Unit>;
  list(orgId: string): Promise<Unit[]>;
  /** Every alias of every unit of the org (for matching names in directives and chat). */
  allAliases(orgId: string): Promise<{ unitId: string; alias: string }[]>;
  aliases(orgId: string, unitId: string): Promise<string[]>;
  byKey(orgId: string, key: string): Promise<Unit | null>;
  byAlias(orgId: string, folded: string): Promise<Unit | null>;
  /** Adds another name of a unit; false when the (folded) name is already taken in the org. */
  addAlias(orgId: string, unitId: string, alias: { alias: string; folded: string }): Promise<boolean>;
}

/**
 * People, their roles and unit memberships.
 * @example
 * const p = await store.persons.create({ orgId, fullName: "Trần Văn An", roles: ["cadre"] });
 * await store.persons.addMembership({ orgId, personId: p.id, unitId: ccb.id, role: "head" });
 */
export interface PersonRepository {
  create(input: {
    orgId: string;
    fullName: string;
    phone?: string | null;
    roles: PersonRole[];
  }): Promise<Person>;
  get(orgId: string, id: string): Promise<Person | null>;
  addMembership(input: {
    orgId: string;
    personId: string;
    unitId: string;
    role?: MembershipRole;
    title?: string | null;
  }): Promise<UnitMembership>;
  memberships(orgId: string, personId: string): Promise<UnitMembership[]>;
  /** Every person of the org by name, with their unit memberships (office's people page). */
  list(orgId: string): Promise<PersonWithUnits[]>;
}

/** A person and the units they belong to. */
export interface PersonWithUnits extends Person {
  memberships: { unitId: string; unitName: string; role: MembershipRole; title: string | null }[];
}
