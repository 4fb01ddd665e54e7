/** Who may do what: API tokens, web sign-in, link codes, attempt limits. */
import type { Channel, LinkCode, Org, Person } from "../../domain/index.ts";
import type { AttemptPolicy } from "../../domain/index.ts";

/**
 * One-time link codes.
 * @example
 * const { code } = await store.links.issue({ orgId, personId, expiresAt }); // "482913"
 * const linked = await store.links.redeem({ orgId, code: "482913", identityId, now }); // person id or null
 */
export interface LinkRepository {
  /** Issues a fresh random code of `digits` digits (default 12), unique among the org's codes. */
  issue(input: { orgId: string; personId: string; expiresAt: Date; channel?: Channel | null; digits?: number }): Promise<LinkCode>;
  /**
   * Marks an unused, unexpired code used by this identity and links it. `wrong_channel`: the
   * code exists but was issued for another channel (its failed tries go up; at 3 it is void).
   */
  redeem(input: { orgId: string; code: string; identityId: string; channel: Channel; now: Date }): Promise<{ personId: string } | { refused: "invalid" | "wrong_channel" }>;
}

/**
 * Attempt counters with backoff (sign-in, link codes), read and written atomically per key.
 * @example
 * const { allowed, retryAt } = await store.limits.take("signin:ip:203.0.113.9", now, { windowMs: 900_000, free: 10, baseDelayMs: 1_000, maxDelayMs: 900_000 });
 */
export interface LimitRepository {
  /** Counts one attempt under `key` if the policy allows it now (one locked read-modify-write). */
  take(key: string, now: Date, policy: AttemptPolicy): Promise<{ allowed: boolean; retryAt: Date | null; count: number }>;
  /** Gives one attempt back (it succeeded): successes do not use up a limit. */
  refund(key: string): Promise<void>;
  /** Forgets the key (a successful sign-in clears its failures). */
  reset(key: string): Promise<void>;
}

/**
 * Access tokens of office and leader users for the office API.
 * @example
 * const { token } = await store.access.createToken({ orgId, personId, label: "máy văn phòng" });
 * const who = await store.access.byToken(token); // { person, org } or null
 */
export interface AccessRepository {
  /** Returns the token once; only its hash is stored. */
  createToken(input: { orgId: string; personId: string; label?: string | null }): Promise<{ token: string }>;
  byToken(token: string): Promise<{ person: Person; org: Org } | null>;
}

/**
 * Web sign-in: accounts (argon2id hashes, hashed by the caller) and sessions (token hashes).
 * @example
 * const account = await store.web.createAccount({ orgId, personId, login: "vanphong", passwordHash });
 */
export interface WebRepository {
  createAccount(input: { orgId: string; personId: string; login: string; passwordHash: string }): Promise<{ id: string }>;
  setPassword(accountId: string, passwordHash: string): Promise<void>;
  accountByLogin(login: string): Promise<{ id: string; orgId: string; personId: string; passwordHash: string } | null>;
  accountOfPerson(personId: string): Promise<{ id: string; login: string } | null>;
  /** Stores the session and returns its token once (only its hash is kept). */
  createSession(input: { orgId: string; accountId: string; expiresAt: Date; at: Date }): Promise<{ token: string }>;
  /** The signed-in user of a live session, or null. */
  session(token: string, now: Date): Promise<{ person: Person; org: Org; sessionId: string } | null>;
  deleteSession(token: string): Promise<void>;
}
