/** People and their unit memberships. */
import { asc, eq } from "drizzle-orm";
import type { PersonRepository } from "../../app/index.ts";
import type { Db } from "../db.ts";
import * as t from "../schema.ts";
import { inOrg, one, oneInOrg } from "./scoped.ts";

export function personRepository(db: Db): PersonRepository {
  return {
    async create(input) {
      return one(await db.insert(t.persons).values(input).returning(), "persons.create");
    },
    async get(orgId, id) {
      return oneInOrg(db, t.persons, orgId, id);
    },
    async addMembership(input) {
      return one(
        await db
          .insert(t.unitMemberships)
          .values(input)
          .onConflictDoUpdate({
            target: [t.unitMemberships.unitId, t.unitMemberships.personId],
            set: { role: input.role ?? "member", title: input.title ?? null },
          })
          .returning(),
        "persons.addMembership",
      );
    },
    async memberships(orgId, personId) {
      return db
        .select()
        .from(t.unitMemberships)
        .where(inOrg(t.unitMemberships, orgId, eq(t.unitMemberships.personId, personId)));
    },
    async list(orgId) {
      const [people, memberships] = await Promise.all([
        db.select().from(t.persons).where(inOrg(t.persons, orgId)).orderBy(asc(t.persons.fullName), asc(t.persons.createdAt)),
        db
          .select({ personId: t.unitMemberships.personId, unitId: t.unitMemberships.unitId, unitName: t.units.name, role: t.unitMemberships.role, title: t.unitMemberships.title })
          .from(t.unitMemberships)
          .innerJoin(t.units, eq(t.units.id, t.unitMemberships.unitId))
          .where(inOrg(t.unitMemberships, orgId))
          .orderBy(asc(t.units.name)),
      ]);
      return people.map((p) => ({
        ...p,
        memberships: memberships.filter((m) => m.personId === p.id).map(({ personId: _p, ...m }) => m),
      }));
    },
  };
}
