/** Access to the office: API tokens, and web accounts with their sessions. Tokens are shown once; only their SHA-256 is stored. */
import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { AccessRepository, WebRepository } from "../../app/index.ts";
import type { Db } from "../db.ts";
import * as t from "../schema.ts";
import { one } from "./scoped.ts";
import { sha256 } from "./sha256.ts";

export function accessRepository(db: Db): AccessRepository {
  return {
    async createToken(input) {
      // 32 random bytes, URL-safe: the token is shown once; only its hash is stored.
      const token = randomBytes(32).toString("base64url");
      await db.insert(t.apiTokens).values({ ...input, tokenHash: sha256(token) });
      return { token };
    },
    async byToken(token) {
      const [row] = await db
        .select({ person: t.persons, org: t.orgs })
        .from(t.apiTokens)
        .innerJoin(t.persons, eq(t.persons.id, t.apiTokens.personId))
        .innerJoin(t.orgs, eq(t.orgs.id, t.apiTokens.orgId))
        .where(and(eq(t.apiTokens.tokenHash, sha256(token)), isNull(t.apiTokens.revokedAt)));
      return row ?? null;
    },
  };
}

export function webRepository(db: Db): WebRepository {
  return {
    async createAccount(input) {
      return one(await db.insert(t.webAccounts).values({ ...input, login: input.login.trim().toLowerCase() }).returning({ id: t.webAccounts.id }), "web.createAccount");
    },
    async setPassword(accountId, passwordHash) {
      await db.update(t.webAccounts).set({ passwordHash }).where(eq(t.webAccounts.id, accountId));
      // A new password ends every session of the account.
      await db.delete(t.webSessions).where(eq(t.webSessions.accountId, accountId));
    },
    async accountByLogin(login) {
      const [row] = await db
        .select({ id: t.webAccounts.id, orgId: t.webAccounts.orgId, personId: t.webAccounts.personId, passwordHash: t.webAccounts.passwordHash })
        .from(t.webAccounts)
        .where(eq(t.webAccounts.login, login.trim().toLowerCase()));
      return row ?? null;
    },
    async accountOfPerson(personId) {
      const [row] = await db.select({ id: t.webAccounts.id, login: t.webAccounts.login }).from(t.webAccounts).where(eq(t.webAccounts.personId, personId));
      return row ?? null;
    },
    async createSession(input) {
      const token = randomBytes(32).toString("base64url");
      await db.insert(t.webSessions).values({ orgId: input.orgId, accountId: input.accountId, tokenHash: sha256(token), expiresAt: input.expiresAt });
      await db.update(t.webAccounts).set({ lastLoginAt: input.at }).where(eq(t.webAccounts.id, input.accountId));
      return { token };
    },
    async session(token, now) {
      const [row] = await db
        .select({ person: t.persons, org: t.orgs, sessionId: t.webSessions.id })
        .from(t.webSessions)
        .innerJoin(t.webAccounts, eq(t.webAccounts.id, t.webSessions.accountId))
        .innerJoin(t.persons, eq(t.persons.id, t.webAccounts.personId))
        .innerJoin(t.orgs, eq(t.orgs.id, t.webSessions.orgId))
        .where(and(eq(t.webSessions.tokenHash, sha256(token)), gt(t.webSessions.expiresAt, now)));
      return row ?? null;
    },
    async deleteSession(token) {
      await db.delete(t.webSessions).where(eq(t.webSessions.tokenHash, sha256(token)));
    },
  };
}
