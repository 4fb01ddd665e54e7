/**
 * "Tell the office" (and leaders): the one place that puts a message for people holding a role
 * into the outbox and queues it. Blocked reports, extension requests, a channel that needs a
 * new token, a Zalo account that needs a QR login, a link-code lock all come through here.
 */
import type { Channel, PersonRole } from "../domain/index.ts";
import type { Clock, Dispatch, Store } from "./ports/index.ts";

export interface AlertOptions {
  /** The item the alert is about (a reply quoting it then leads back to the item). */
  itemId?: string | null;
  /** Skip accounts on this channel (the channel that is broken cannot carry its own alert). */
  avoidChannel?: Channel;
}

/**
 * @example
 * const alerts = createAlerts({ store, clock, dispatch });
 * await alerts.notify(orgId, ["office", "leader"], "⚠ Hội CCB báo vướng mắc ở NV 6.2 …", { itemId });
 */
export function createAlerts(deps: { store: Pick<Store, "chats" | "outbound">; clock: Clock; dispatch?: Dispatch }) {
  const { store } = deps;
  async function notify(orgId: string, roles: PersonRole[], text: string, options: AlertOptions = {}): Promise<string[]> {
    // People not linked yet are not reachable: the office sees them on the board.
    const seen = new Set<string>();
    const rows: Parameters<Store["outbound"]["enqueueMany"]>[0] = [];
    for (const role of roles) {
      for (const r of await store.chats.reachable(orgId, role)) {
        if (seen.has(r.personId)) continue;
        let identityId: string | null = r.identityId;
        if (options.avoidChannel && r.channel === options.avoidChannel) {
          identityId = (await store.chats.identitiesOfPerson(orgId, r.personId)).find((i) => i.channel !== options.avoidChannel)?.id ?? null;
        }
        if (!identityId) continue;
        seen.add(r.personId);
        rows.push({ orgId, identityId, text, itemId: options.itemId ?? null });
      }
    }
    const ids = await store.outbound.enqueueMany(rows);
    if (deps.dispatch && ids.length > 0) await deps.dispatch(await store.outbound.routes(orgId, ids));
    return ids;
  }
  return {
    notify,
    /** A message for the office users only. */
    office: (orgId: string, text: string, options: AlertOptions = {}) => notify(orgId, ["office"], text, options),
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
