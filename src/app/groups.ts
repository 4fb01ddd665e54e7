/**
 * Group threads (Zalo groups of the ward's units) and the unit each speaks for. A bound group
 * gets its unit's reminders and notices, and reports typed in it count for that unit.
 */
import type { Thread, Unit } from "../domain/index.ts";
import { fold } from "../domain/index.ts";
import { matchUnits } from "../domain/index.ts";
import { orgUnitDefs } from "./intake.ts";
import type { Clock, Store } from "./ports/index.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a binding was refused, in Vietnamese for office (`code` for tools). */
export class GroupBindingError extends Error {
  constructor(
    readonly code: "thread_not_found" | "not_a_group" | "unit_not_found",
    message: string,
  ) {
    super(message);
    this.name = "GroupBindingError";
  }
}

/**
 * A unit named the way people write it: its id, its key ("hoi-ccb"), its name or an alias, or
 * any name the dictionary knows for it ("Hội CCB", "hoi ccb"). Null when none matches.
 *
 * @example
 * const unit = await resolveUnit(store, orgId, "hoi ccb"); // the org's "Hội Cựu chiến binh"
 */
export async function resolveUnit(store: Pick<Store, "units">, orgId: string, text: string): Promise<Unit | null> {
  const wanted = text.normalize("NFC").trim();
  if (!wanted) return null;
  const units = await store.units.list(orgId);
  if (UUID.test(wanted)) return units.find((u) => u.id === wanted.toLowerCase()) ?? null;
  const folded = fold(wanted);
  const direct = units.find((u) => u.key === wanted || fold(u.name) === folded) ?? (await store.units.byAlias(orgId, folded));
  if (direct) return direct;
  const defs = await orgUnitDefs(store, orgId);
  // The first unit the text names ("hội ccb phường" → Hội Cựu chiến binh).
  for (const m of matchUnits(wanted, defs)) {
    const unit = units.find((u) => (u.key ?? `org-${u.id}`) === m.key);
    if (unit) return unit;
  }
  return null;
}

/** The store slices createGroups uses. */
export type GroupStore = Pick<Store, "audit" | "chats" | "units">;

/**
 * @example
 * const groups = createGroups({ store, clock });
 * await groups.bind(orgId, threadId, "Hội CCB", "person:…"); // { thread, unit }
 */
export function createGroups(deps: { store: GroupStore; clock: Clock }) {
  const { store, clock } = deps;
  return {
    /** Every group thread with the unit it is bound to (null when none). */
    async list(orgId: string): Promise<{ thread: Thread; unit: Unit | null }[]> {
      const [threads, units] = await Promise.all([store.chats.groupThreads(orgId), store.units.list(orgId)]);
      return threads.map((thread) => ({ thread, unit: units.find((u) => u.id === thread.unitId) ?? null }));
    },

    /**
     * Binds a group thread to a unit (or unbinds it with null), audited. Throws
     * `GroupBindingError` for an unknown thread, a direct chat, or an unknown unit.
     */
    async bind(orgId: string, threadId: string, unitText: string | null, actor: string): Promise<{ thread: Thread; unit: Unit | null }> {
      const thread = UUID.test(threadId) ? await store.chats.threadById(orgId, threadId) : null;
      if (!thread) throw new GroupBindingError("thread_not_found", "Không tìm thấy nhóm chat này.");
      if (thread.kind !== "group") throw new GroupBindingError("not_a_group", "Chỉ gắn được nhóm chat với đơn vị, không gắn được tin nhắn riêng.");
      const unit = unitText === null ? null : await resolveUnit(store, orgId, unitText);
      if (unitText !== null && !unit) throw new GroupBindingError("unit_not_found", `Không tìm thấy đơn vị "${unitText.trim()}".`);
      const bound = await store.chats.bindThread(orgId, thread.id, unit?.id ?? null);
      await store.audit.append({
        orgId,
        actor,
        action: unit ? "thread.bound" : "thread.unbound",
        entity: "thread",
        entityId: thread.id,
        data: { unitId: unit?.id ?? null, previousUnitId: thread.unitId, channel: thread.channel },
        at: clock.now(),
      });
      return { thread: bound, unit };
    },
  };
}

export type Groups = ReturnType<typeof createGroups>;
