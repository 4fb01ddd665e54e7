/** Chat accounts, threads and who can be reached. */
import type { Channel, Identity, Person, PersonRole, Thread, ThreadKind } from "../../domain/index.ts";

/**
 * Chat accounts and conversations.
 * @example
 * const who = await store.chats.upsertIdentity({ orgId, channel: "zalo", externalId: "8436…" });
 */
export interface ChatRepository {
  upsertIdentity(input: {
    orgId: string;
    channel: Channel;
    externalId: string;
    displayName?: string | null;
    /** When this account last wrote to us (decides platform reply windows). */
    lastInboundAt?: Date | null;
  }): Promise<Identity>;
  linkIdentity(orgId: string, identityId: string, personId: string, at: Date): Promise<Identity>;
  identity(orgId: string, channel: Channel, externalId: string): Promise<Identity | null>;
  identityById(orgId: string, id: string): Promise<Identity | null>;
  threadById(orgId: string, id: string): Promise<Thread | null>;
  upsertThread(input: {
    orgId: string;
    channel: Channel;
    externalId: string;
    kind: ThreadKind;
    title?: string | null;
  }): Promise<Thread>;
  bindThread(orgId: string, threadId: string, unitId: string | null): Promise<Thread>;
  /** Group threads bound to a unit (its Zalo group): messages to the unit go there. */
  groupsOfUnit(orgId: string, unitId: string): Promise<Thread[]>;
  /** Remembers what the bot last asked about, or is waiting on, in a thread. */
  setThreadState(
    orgId: string,
    threadId: string,
    state: { lastItemId?: string | null; pending?: Record<string, unknown> | null },
  ): Promise<void>;
  /** A person's linked accounts, the one they wrote from last first (never-used accounts last). */
  identitiesOfPerson(orgId: string, personId: string): Promise<Identity[]>;
  /**
   * The account to reach each person holding a role (optionally only members of one unit): their
   * most recently active linked account. People with no linked account are left out.
   */
  reachable(orgId: string, role: PersonRole, unitId?: string): Promise<{ personId: string; identityId: string; channel: Channel }[]>;
  /** `reachable` for every unit at once: each member holding the role, with their account. */
  reachableByUnit(orgId: string, role: PersonRole): Promise<{ unitId: string; personId: string; identityId: string; channel: Channel }[]>;
  /** Every group thread bound to a unit. */
  boundGroups(orgId: string): Promise<Thread[]>;
  /** Every group thread of the org, bound or not, oldest first (office binds them to units). */
  groupThreads(orgId: string): Promise<Thread[]>;
  /**
   * The accounts on `channel` of the unit's cadres whose assignment for the item is still
   * `not_reported`, with the person's name: whom a group reminder @mentions. One query.
   */
  unreportedAccounts(orgId: string, unitId: string, itemId: string, channel: Channel): Promise<{ externalId: string; name: string }[]>;
  /** People holding a role (office, leader…), for notifications. */
  personsWithRole(orgId: string, role: PersonRole): Promise<Person[]>;
  thread(orgId: string, channel: Channel, externalId: string): Promise<Thread | null>;
  /** Every chat account linked to a person, most recently active first (the people page). */
  linkedIdentities(orgId: string): Promise<Identity[]>;
}
