/**
 * Signing in to the office pages through Fastify inject: scrape the CSRF token from a form,
 * keep cookies between requests like a browser.
 */
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { createBroadcasts, createConversation, createDirectory, createGroups, createIntake, createOrgSettings, createWebAuth, type Clock, type PasswordHasher, type Store, type WebAuth } from "../../src/app/index.ts";
import { buildApp, type PageDeps } from "../../src/http/index.ts";
import { webModules } from "../../src/main/web-modules.ts";

/** A fast stand-in for argon2 in tests that are not about hashing (the real one is tested in web-auth.test.ts). */
export const plainHasher: PasswordHasher = {
  hash: async (p) => `plain:${p}`,
  verify: async (h, p) => h === `plain:${p}`,
};

export class WebClient {
  private cookies = new Map<string, string>();
  /** `address`: the client's IP as the server sees it (sign-in limits count per address). */
  constructor(
    private readonly app: FastifyInstance,
    private readonly address = "127.0.0.1",
  ) {}

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies) {
      if (c.value === "" || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: "GET", url, remoteAddress: this.address, headers: { cookie: this.cookieHeader() } });
    this.remember(res);
    return res;
  }

  /** Posts a form; `csrf: true` first fetches `from` and takes its `_csrf` field. */
  async post(url: string, fields: Record<string, string | string[]>, options: { csrfFrom?: string; csrf?: string | null } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    let token = options.csrf;
    if (token === undefined) token = csrfOf((await this.get(options.csrfFrom ?? url)).body);
    if (token) body.set("_csrf", token);
    const res = await this.app.inject({ method: "POST", url, remoteAddress: this.address, payload: body.toString(), headers: { cookie: this.cookieHeader(), "content-type": "application/x-www-form-urlencoded" } });
    this.remember(res);
    return res;
  }

  async signIn(login: string, password: string): Promise<LightMyRequestResponse> {
    return this.post("/login", { login, password }, { csrfFrom: "/login" });
  }
}

/** The `_csrf` value of the first form in a page. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error("no _csrf field in the page");
  return m[1];
}

/**
 * The office pages as `dondoc web` serves them, over a test store: every page module with its
 * real use cases, sign-in with `plainHasher`, and an office user `vanphong` / "mật khẩu văn phòng".
 * `deps` replaces any use case (a conversation, board views…).
 *
 * @example
 * const { app, auth } = await officeWebApp(seed);
 */
export async function officeWebApp(
  seed: { store: Store; clock: Clock; orgId: string },
  deps: Partial<PageDeps> = {},
): Promise<{ app: FastifyInstance; auth: WebAuth; officeId: string }> {
  const { store, clock, orgId } = seed;
  const auth = createWebAuth({ store, clock, hasher: plainHasher });
  const office = await store.persons.create({ orgId, fullName: "Nguyễn Thị Văn Phòng", roles: ["office"] });
  await auth.createAccount({ orgId, personId: office.id, login: "vanphong", password: "mật khẩu văn phòng" });
  const app = await buildApp({
    logger: false,
    probes: [],
    web: {
      auth,
      modules: webModules({
        store,
        clock,
        intake: createIntake({ store, clock }),
        directory: createDirectory({ store, clock }),
        conversation: createConversation({ store, clock }),
        broadcasts: createBroadcasts({ store, clock }),
        groups: createGroups({ store, clock }),
        settings: createOrgSettings({ store, clock }),
        messengerPage: null,
        ...deps,
      }),
    },
  });
  return { app, auth, officeId: office.id };
}
