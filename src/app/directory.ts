/**
 * The office's directory: units with their other names, and people with their roles and units.
 * What the people page changes goes through here, checked and audited in one place.
 */
import type { MembershipRole, Person, PersonRole, Unit } from "../domain/index.ts";
import { fold } from "../domain/index.ts";
import type { Clock, Store } from "./ports/index.ts";

export type DirectoryStore = Pick<Store, "units" | "persons" | "audit" | "transaction">;

/** A refusal with a Vietnamese message for the office. */
export class DirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DirectoryError";
  }
}

const MAX_NAME = 200;

/**
 * @example
 * const directory = createDirectory({ store, clock });
 * await directory.addUnit(orgId, { name: "Hội Cựu chiến binh", aliases: ["Hội CCB"] }, "person:…");
 */
export function createDirectory(deps: { store: DirectoryStore; clock: Clock }) {
  const { store, clock } = deps;
  return {
    async addUnit(orgId: string, input: { name: string; aliases: string[] }, actor: string): Promise<Unit> {
      const name = input.name.normalize("NFC").trim();
      const aliases = input.aliases.map((a) => a.normalize("NFC").trim()).filter((a) => a !== "");
      if (!name) throw new DirectoryError("Hãy nhập tên đơn vị.");
      if (name.length > MAX_NAME || aliases.some((a) => a.length > MAX_NAME)) throw new DirectoryError("Tên quá dài (tối đa 200 ký tự).");
      if ((await store.units.list(orgId)).some((u) => fold(u.name) === fold(name))) throw new DirectoryError(`Đơn vị "${name}" đã có.`);
      const folded = [...new Map(aliases.map((a) => [fold(a), a])).entries()];
      for (const [f, alias] of folded) {
        const taken = await store.units.byAlias(orgId, f);
        if (taken) throw new DirectoryError(`Tên gọi "${alias}" đã dùng cho đơn vị "${taken.name}".`);
      }
      const unit = await store.units.create({ orgId, name, aliases: folded.map(([f, alias]) => ({ alias, folded: f })) });
      await store.audit.append({ orgId, actor, action: "unit.created", entity: "unit", entityId: unit.id, data: { name, aliases }, at: clock.now() });
      return unit;
    },

    async addAlias(orgId: string, unitId: string, rawAlias: string, actor: string): Promise<void> {
      const alias = rawAlias.normalize("NFC").trim();
      const unit = (await store.units.list(orgId)).find((u) => u.id === unitId.toLowerCase());
      if (!unit) throw new DirectoryError("Không tìm thấy đơn vị này.");
      if (!alias) throw new DirectoryError("Hãy nhập tên gọi khác.");
      if (alias.length > MAX_NAME) throw new DirectoryError("Tên quá dài (tối đa 200 ký tự).");
      const taken = await store.units.byAlias(orgId, fold(alias));
      if (taken) throw new DirectoryError(`Tên gọi "${alias}" đã dùng cho đơn vị "${taken.name}".`);
      if (!(await store.units.addAlias(orgId, unit.id, { alias, folded: fold(alias) }))) throw new DirectoryError(`Tên gọi "${alias}" đã được dùng.`);
      await store.audit.append({ orgId, actor, action: "unit.alias_added", entity: "unit", entityId: unit.id, data: { alias }, at: clock.now() });
    },

    async addPerson(orgId: string, input: { fullName: string; phone: string; roles: PersonRole[]; unitIds: string[]; membershipRole: MembershipRole }, actor: string): Promise<Person> {
      const fullName = input.fullName.normalize("NFC").trim();
      const phone = input.phone.trim();
      if (!fullName) throw new DirectoryError("Hãy nhập họ tên.");
      if (fullName.length > MAX_NAME || phone.length > 30) throw new DirectoryError("Họ tên hoặc số điện thoại quá dài.");
      if (input.roles.length === 0) throw new DirectoryError("Hãy chọn ít nhất một vai trò.");
      const units = await store.units.list(orgId);
      const chosen = units.filter((u) => input.unitIds.includes(u.id));
      if (chosen.length !== new Set(input.unitIds).size) throw new DirectoryError("Có đơn vị không tồn tại, hãy tải lại trang.");
      return store.transaction(async (tx) => {
        const created = await tx.persons.create({ orgId, fullName, phone: phone || null, roles: [...new Set(input.roles)] });
        for (const unit of chosen) await tx.persons.addMembership({ orgId, personId: created.id, unitId: unit.id, role: input.membershipRole });
        await tx.audit.append({ orgId, actor, action: "person.created", entity: "person", entityId: created.id, data: { fullName, roles: input.roles, units: chosen.map((u) => u.name) }, at: clock.now() });
        return created;
      });
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;
