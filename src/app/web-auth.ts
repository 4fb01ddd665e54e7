/**
 * Web sign-in for office and leader users (DESIGN.md §1: cadres use chat only). Passwords are
 * hashed by an injected hasher (argon2id in main/); sessions are random tokens of which only
 * the hash is stored, so a database leak signs nobody in.
 */
import type { Org, Person } from "../domain/entities.ts";
import type { Clock, Store } from "./ports.ts";

/** argon2id (or any current algorithm) behind a port: app/ imports no crypto library. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export class WebAuthError extends Error {
  constructor(
    message: string,
    readonly code: "bad_credentials" | "locked" | "no_role" | "weak_password" | "login_taken",
  ) {
    super(message);
    this.name = "WebAuthError";
  }
}

const FAILURES_PER_15_MIN = 10;
/** Verified when the login is unknown, so a wrong login costs as long as a wrong password. */
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$0d3mN1d9kF4cQm5Yx8a1n9oZ3N1Q0B2bXp4S1YxT0hGaw";

export interface WebUser {
  person: Person;
  org: Org;
}

/**
 * @example
 * const auth = createWebAuth({ store, clock, hasher });
 * const { token, expiresAt } = await auth.signIn("vanphong", "mật khẩu dài");
 * const user = await auth.session(token); // { person, org } or null
 */
export function createWebAuth(deps: { store: Store; clock: Clock; hasher: PasswordHasher; sessionHours?: number }) {
  const { store, clock, hasher } = deps;
  const hours = deps.sessionHours ?? 12;

  return {
    async createAccount(input: { orgId: string; personId: string; login: string; password: string }): Promise<{ id: string }> {
      if (input.password.length < 10) throw new WebAuthError("Mật khẩu cần ít nhất 10 ký tự.", "weak_password");
      if (!/^[a-z0-9._-]{3,40}$/i.test(input.login.trim())) throw new WebAuthError("Tên đăng nhập gồm 3–40 chữ cái không dấu, số, dấu chấm, gạch.", "bad_credentials");
      if (await store.web.accountByLogin(input.login)) throw new WebAuthError("Tên đăng nhập này đã có người dùng.", "login_taken");
      return store.web.createAccount({ orgId: input.orgId, personId: input.personId, login: input.login, passwordHash: await hasher.hash(input.password) });
    },

    async signIn(login: string, password: string): Promise<{ token: string; expiresAt: Date; maxAgeSeconds: number; user: WebUser }> {
      const account = await store.web.accountByLogin(login);
      const now = clock.now();
      if (!account) {
        await hasher.verify(DUMMY_HASH, password).catch(() => false);
        throw new WebAuthError("Sai tên đăng nhập hoặc mật khẩu.", "bad_credentials");
      }
      const failures = await store.audit.count(account.orgId, "web.signin_failed", account.id, new Date(now.getTime() - 15 * 60_000));
      if (failures >= FAILURES_PER_15_MIN) throw new WebAuthError("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.", "locked");
      if (!(await hasher.verify(account.passwordHash, password))) {
        await store.audit.append({ orgId: account.orgId, actor: "web", action: "web.signin_failed", entity: "web_account", entityId: account.id, at: now });
        throw new WebAuthError("Sai tên đăng nhập hoặc mật khẩu.", "bad_credentials");
      }
      const expiresAt = new Date(now.getTime() + hours * 3_600_000);
      const { token } = await store.web.createSession({ orgId: account.orgId, accountId: account.id, expiresAt, at: now });
      const user = await store.web.session(token, now);
      if (!user || !user.person.roles.some((r) => r === "office" || r === "leader")) {
        await store.web.deleteSession(token);
        throw new WebAuthError("Trang này dành cho cán bộ văn phòng và lãnh đạo.", "no_role");
      }
      await store.audit.append({ orgId: account.orgId, actor: `person:${account.personId}`, action: "web.signin", entity: "web_account", entityId: account.id, at: now });
      return { token, expiresAt, maxAgeSeconds: hours * 3_600, user: { person: user.person, org: user.org } };
    },

    async session(token: string): Promise<WebUser | null> {
      const found = await store.web.session(token, clock.now());
      return found ? { person: found.person, org: found.org } : null;
    },

    signOut: (token: string) => store.web.deleteSession(token),
  };
}

export type WebAuth = ReturnType<typeof createWebAuth>;
