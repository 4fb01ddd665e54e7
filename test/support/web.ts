/**
 * Signing in to the office pages through Fastify inject: scrape the CSRF token from a form,
 * keep cookies between requests like a browser.
 */
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import type { PasswordHasher } from "../../src/app/index.ts";

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
