/**
 * Web sign-in for office and leader users (DESIGN.md §1: cadres use chat only). Passwords are
 * hashed by an injected hasher (argon2id in main/); sessions are random tokens of which only
 * the hash is stored, so a database leak signs nobody in.
 */
import type { Org, Person } from "../domain/index.ts";
import type { AttemptPolicy } from "../domain/index.ts";
import type { Clock, Store } from "./ports/index.ts";

/** argon2id (or any current algorithm) behind a port: app/ imports no crypto library. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export class WebAuthError extends Error {
  constructor(
    message: string,
    readonly code: "bad_credentials" | "locked" | "no_role" | "weak_password" | "login_taken",
    /** Seconds until the next try is allowed (code `locked`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "WebAuthError";
  }
}

/**
 * Sign-in attempts slow down instead of locking: per client address (a guesser) and per account
 * (many addresses at once), each counted before the password is checked, so parallel tries cannot
 * slip past. After 10 tries in 15 minutes each further try waits 1 s, 2 s, 4 s… — up to 15
 * minutes for an address, but only up to 60 s for an account, so a stranger cannot keep the
 * real owner out. A successful sign-in clears the account's count.
 */
export const SIGN_IN_LIMITS = {
  perAddress: { windowMs: 15 * 60_000, free: 10, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000 },
  perAccount: { windowMs: 15 * 60_000, free: 10, baseDelayMs: 1_000, maxDelayMs: 60_000 },
} as const satisfies Record<string, AttemptPolicy>;

export interface WebUser {
  person: Person;
  org: Org;
}

/** The store slices createWebAuth uses. */
export type WebAuthStore = Pick<Store, "audit" | "limits" | "web">;

/**
 * @example
 * const auth = createWebAuth({ store, clock, hasher });
 * const { token, expiresAt } = await auth.signIn("vanphong", "mật khẩu dài");
 * const user = await auth.session(token); // { person, org } or null
 */
export function createWebAuth(deps: { store: WebAuthStore; clock: Clock; hasher: PasswordHasher; sessionHours?: number }) {
  const { store, clock, hasher } = deps;
  const hours = deps.sessionHours ?? 12;
  // Made once with the real hasher and its real parameters: verifying it costs what a real check costs.
  let dummy: Promise<string> | null = null;
  const dummyHash = () => (dummy ??= hasher.hash("dondoc: no such account"));

  return {
    async createAccount(input: { orgId: string; personId: string; login: string; password: string }): Promise<{ id: string }> {
      if (input.password.length < 10) throw new WebAuthError("Mật khẩu cần ít nhất 10 ký tự.", "weak_password");
      if (!/^[a-z0-9._-]{3,40}$/i.test(input.login.trim())) throw new WebAuthError("Tên đăng nhập gồm 3–40 chữ cái không dấu, số, dấu chấm, gạch.", "bad_credentials");
      if (await store.web.accountByLogin(input.login)) throw new WebAuthError("Tên đăng nhập này đã có người dùng.", "login_taken");
      return store.web.createAccount({ orgId: input.orgId, personId: input.personId, login: input.login, passwordHash: await hasher.hash(input.password) });
    },

    async signIn(login: string, password: string, client = "unknown"): Promise<{ token: string; expiresAt: Date; maxAgeSeconds: number; user: WebUser }> {
      const now = clock.now();
      const waitText = (retryAt: Date | null) => {
        const seconds = Math.max(1, Math.ceil(((retryAt?.getTime() ?? now.getTime()) - now.getTime()) / 1_000));
        return { seconds, text: seconds >= 90 ? `${Math.ceil(seconds / 60)} phút` : `${seconds} giây` };
      };
      const addressKey = `signin:address:${client}`;
      const byAddress = await store.limits.take(addressKey, now, SIGN_IN_LIMITS.perAddress);
      if (!byAddress.allowed) {
        const wait = waitText(byAddress.retryAt);
        throw new WebAuthError(`Đăng nhập sai nhiều lần. Vui lòng thử lại sau ${wait.text}.`, "locked", wait.seconds);
      }
      const account = await store.web.accountByLogin(login);
      // An unknown login does the same work as a known one (an account counter, a real argon2id
      // check), so how long the answer takes does not tell whether a login exists.
      const accountKey = account ? `signin:account:${account.id}` : `signin:login:${login.trim().toLowerCase().slice(0, 100)}`;
      if (!account) {
        await store.limits.take(accountKey, now, SIGN_IN_LIMITS.perAccount);
        await hasher.verify(await dummyHash(), password).catch(() => false);
        throw new WebAuthError("Sai tên đăng nhập hoặc mật khẩu.", "bad_credentials");
      }
      const byAccount = await store.limits.take(accountKey, now, SIGN_IN_LIMITS.perAccount);
      if (!byAccount.allowed) {
        await store.limits.refund(addressKey);
        const wait = waitText(byAccount.retryAt);
        throw new WebAuthError(`Tài khoản này vừa bị thử mật khẩu sai nhiều lần. Vui lòng thử lại sau ${wait.text}.`, "locked", wait.seconds);
      }
      if (!(await hasher.verify(account.passwordHash, password))) {
        await store.audit.append({ orgId: account.orgId, actor: "web", action: "web.signin_failed", entity: "web_account", entityId: account.id, data: { client }, at: now });
        throw new WebAuthError("Sai tên đăng nhập hoặc mật khẩu.", "bad_credentials");
      }
      await Promise.all([store.limits.reset(accountKey), store.limits.refund(addressKey)]);
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
