/**
 * The office web pages (issue 8): server-rendered HTML in Vietnamese, served by the same Fastify
 * process. Sign-in with a session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS), a CSRF
 * token on every form (@fastify/csrf-protection), office may change things, leaders only read.
 * Cadres do not sign in: they use chat.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { extname } from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyCsrf from "@fastify/csrf-protection";
import fastifyFormbody from "@fastify/formbody";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { WebAuthError, type WebAuth, type WebUser } from "../../app/index.ts";
import { html } from "./html.ts";
import { layout } from "./layout.ts";

export { html, raw, escape, Html } from "./html.ts";
export { layout } from "./layout.ts";

export const SESSION_COOKIE = "dondoc_sid";

declare module "fastify" {
  interface FastifyRequest {
    webUser?: WebUser;
    /** A multipart form's `_csrf` field, read by its handler (see `checkFormCsrf`). */
    formCsrf?: string;
  }
  interface FastifyContextConfig {
    /** A multipart route that checks the CSRF token itself, from its first form field. */
    csrfInForm?: boolean;
  }
}

/** A page module: registers its routes in the signed-in scope. */
export type WebModule = (app: FastifyInstance) => void | Promise<void>;

export interface WebDeps {
  auth: WebAuth;
  modules?: WebModule[];
  /** Largest upload (a Word directive), bytes. */
  maxUploadBytes?: number;
}

/** The signed-in user (the scope's hook guarantees one on every page route). */
export function userOf(request: FastifyRequest): WebUser {
  if (!request.webUser) throw new Error("page route without a signed-in user");
  return request.webUser;
}

export const isOffice = (user: WebUser) => user.person.roles.includes("office");

/**
 * Sends a page in the layout, with a fresh CSRF token for its forms.
 *
 * @example
 * return page(request, reply, { title: "Nhật ký", active: "activity", body: html`…` });
 */
export function page(
  request: FastifyRequest,
  reply: FastifyReply,
  input: { title: string; active?: string; body: ReturnType<typeof html> | ((csrf: string) => ReturnType<typeof html>); flash?: { ok?: string; err?: string }; status?: number },
): FastifyReply {
  const csrf = reply.generateCsrf();
  const body = typeof input.body === "function" ? input.body(csrf) : input.body;
  return reply
    .code(input.status ?? 200)
    .header("cache-control", "no-store")
    .type("text/html; charset=utf-8")
    .send(layout({ title: input.title, user: request.webUser ?? null, csrf, body, ...(input.active ? { active: input.active } : {}), ...(input.flash ? { flash: input.flash } : {}) }));
}

/** The hidden CSRF field every form carries. */
export const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

const PUBLIC = new Set(["/login"]);

const TYPES: Record<string, string> = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml" };

/** The pages' own scripts and styles (src/http/web/assets), read once; served from the app itself, never a CDN. */
function loadAssets(): Map<string, { body: Buffer; type: string }> {
  const dir = new URL("./assets/", import.meta.url);
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, { body: readFileSync(new URL(name, dir)), type });
  }
  // The chart library of the Tổng quan page, from node_modules (npm `uplot`): works offline.
  const require = createRequire(import.meta.url);
  for (const name of ["uPlot.iife.min.js", "uPlot.min.css"]) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, { body: readFileSync(require.resolve(`uplot/dist/${name}`)), type });
  }
  return assets;
}

/** Where a signed-in person lands: the overview leaders and office read first. */
const HOME = "/overview";

/** Paths that answer machines in JSON (the office API, chat platforms, the health probe); every other path is a page. */
const MACHINE_PATHS = /^\/(?:api|webhooks)(?:\/|$)|^\/healthz(?:[/?]|$)/;

/**
 * Whether a request's path is a browser page (an error there is an HTML page, not JSON).
 *
 * @example
 * isPagePath("/khong-co") // true
 * isPagePath("/api/khong-co") // false
 */
export const isPagePath = (url: string): boolean => !MACHINE_PATHS.test(url);

/** What the error pages say: never a stack, never an internal message. */
export const ERROR_PAGE = {
  404: { title: "Không tìm thấy trang", text: "Trang này không có hoặc đã được chuyển. Đề nghị kiểm tra lại địa chỉ." },
  500: { title: "Đã có lỗi, đề nghị thử lại sau", text: "Hệ thống chưa xử lý được yêu cầu này. Đề nghị thử lại sau ít phút; nếu vẫn lỗi, đề nghị báo bộ phận kỹ thuật." },
} as const;

/** The signed-in user of a request outside the pages' scope (its cookie read by hand), or null. */
async function sessionUser(auth: WebAuth, request: FastifyRequest): Promise<WebUser | null> {
  const header = request.headers.cookie ?? "";
  const token = header
    .split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`))
    ?.slice(SESSION_COOKIE.length + 1);
  if (!token) return null;
  try {
    return await auth.session(decodeURIComponent(token));
  } catch {
    return null;
  }
}

/**
 * The 404 or 500 page in the site's layout, for a path no page route answered or an error outside
 * the pages' scope. Shows the menu when the visitor is signed in.
 *
 * @example
 * app.setNotFoundHandler((request, reply) => (isPagePath(request.url) ? errorPage(auth, request, reply, 404) : reply.code(404).send({ … })));
 */
export async function errorPage(auth: WebAuth | null, request: FastifyRequest, reply: FastifyReply, status: number): Promise<FastifyReply> {
  const user = request.webUser ?? (auth && status === 404 ? await sessionUser(auth, request) : null);
  const { title, text } = ERROR_PAGE[status === 404 ? 404 : 500];
  return reply
    .code(status)
    .header("cache-control", "no-store")
    .type("text/html; charset=utf-8")
    .send(layout({ title, user, csrf: "", body: html`<h1>${title}</h1><p>${text}</p><p><a href="${HOME}">Về trang chính</a></p>` }));
}

/**
 * Only a path of this site: a crafted `next` cannot send a signed-in user elsewhere. Refused:
 * anything with control characters, whitespace or backslashes (browsers drop tabs and read "\\"
 * as "/", so "/\t/evil.example" would leave the site), and anything that does not resolve to this
 * origin.
 *
 * @example
 * safeNext("/directives/1/board?unit=2") // "/directives/1/board?unit=2"
 * safeNext("/\t/evil.example/pwned") // "/overview"
 */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || next.length > 2_000 || !next.startsWith("/")) return HOME;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f\\]|%(?:0[0-9a-f]|1[0-9a-f]|7f|5c)/i.test(next)) return HOME;
  try {
    const base = "http://dondoc.invalid";
    const url = new URL(next, base);
    if (url.origin !== base) return HOME;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return HOME;
  }
}

/**
 * The CSRF check for a multipart form, made by its handler once it has read the `_csrf` field
 * (the form's first field, so nothing else is read before it): the token stays out of the URL.
 * Throws the plugin's own CSRF error (the error page) when it does not pass.
 */
export function checkFormCsrf(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, token: string | undefined): void {
  request.formCsrf = token ?? "";
  let failure: Error | null = null;
  let passed = false;
  // The plugin's check is synchronous; its refusal goes to reply.send, caught here instead.
  const probe = Object.create(reply, { send: { value: (err: unknown) => ((failure = err instanceof Error ? err : new Error(String(err))), probe) } }) as FastifyReply;
  app.csrfProtection(request, probe, () => {
    passed = true;
  });
  if (!passed) throw failure ?? new Error("CSRF check did not run");
}

function loginPage(request: FastifyRequest, reply: FastifyReply, next: string, err?: string, status = 200) {
  return page(request, reply, {
    title: "Đăng nhập",
    status,
    ...(err ? { flash: { err } } : {}),
    body: (csrf) => html`<div class="card" style="max-width:24rem;margin:2rem auto">
<h1>Đăng nhập</h1>
<p class="muted">Dành cho cán bộ văn phòng và lãnh đạo. Cán bộ các đơn vị báo cáo qua Zalo hoặc Messenger.</p>
<form method="post" action="/login">${csrfField(csrf)}
<input type="hidden" name="next" value="${next}">
<p><label>Tên đăng nhập<br><input type="text" name="login" autocomplete="username" required autofocus></label></p>
<p><label>Mật khẩu<br><input type="password" name="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Đăng nhập</button></p>
</form></div>`,
  });
}

/**
 * @example
 * await app.register(webPages({ auth, modules: [directivePages(deps), boardPages(deps)] }));
 */
export function webPages(deps: WebDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyCookie);
    await app.register(fastifyFormbody);
    await app.register(multipart, { limits: { files: 1, fileSize: deps.maxUploadBytes ?? 2 * 1_048_576, fields: 20 } });
    await app.register(fastifyCsrf, {
      cookieOpts: { path: "/", sameSite: "lax", httpOnly: true, secure: "auto" },
      // Forms post `_csrf` (a multipart form as its first field, read by the handler); never in the URL.
      getToken: (req) => {
        const body = req.body as Record<string, unknown> | undefined;
        const fromBody = body && typeof body._csrf === "string" ? body._csrf : undefined;
        const header = req.headers["x-csrf-token"];
        return req.formCsrf ?? fromBody ?? (typeof header === "string" ? header : undefined);
      },
    });

    app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) request.log.error({ err: error }, "page failed");
      const message = error.code?.startsWith("FST_CSRF")
        ? "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang rồi làm lại."
        : status === 413 || error.code === "FST_REQ_FILE_TOO_LARGE"
          ? "Tệp quá lớn (tối đa 2 MB)."
          : "Yêu cầu không hợp lệ.";
      if (status >= 500 || status === 404) return errorPage(null, request, reply, status);
      return reply.code(status).type("text/html; charset=utf-8").send(layout({ title: "Lỗi", user: request.webUser ?? null, csrf: "", body: html`<h1>Không thực hiện được</h1><p>${message}</p><p><a href="${HOME}">Về trang chính</a></p>` }));
    });

    // Who is asking: every page but the sign-in form needs a session.
    app.addHook("onRequest", async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      const user = token ? await deps.auth.session(token) : null;
      if (user) request.webUser = user;
      const path = request.url.split("?")[0] ?? "";
      if (PUBLIC.has(path) || path.startsWith("/assets/") || user) return;
      if (request.method === "GET" || request.method === "HEAD") return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
      return reply.code(401).type("text/html; charset=utf-8").send(layout({ title: "Cần đăng nhập", user: null, csrf: "", body: html`<h1>Cần đăng nhập</h1><p><a href="/login">Đăng nhập</a> để tiếp tục.</p>` }));
    });
    // Every change carries the form's CSRF token…
    app.addHook("preHandler", (request, reply, done) => {
      if (request.method === "GET" || request.method === "HEAD") return done();
      // Only a route that checks it from its form's first field skips this (multipart uploads).
      if (request.routeOptions.config.csrfInForm && request.isMultipart()) return done();
      app.csrfProtection(request, reply, done);
    });
    // …and only office changes anything (leaders read).
    app.addHook("preHandler", async (request, reply) => {
      if (request.method === "GET" || request.method === "HEAD") return;
      const path = request.url.split("?")[0] ?? "";
      if (path === "/login" || path === "/logout") return;
      if (request.webUser && !isOffice(request.webUser)) {
        return page(request, reply, { title: "Không có quyền", status: 403, body: html`<h1>Không có quyền</h1><p>Lãnh đạo xem được mọi trang nhưng không sửa được. Việc thay đổi do văn phòng thực hiện.</p>` });
      }
    });

    app.get("/login", async (request, reply) => {
      if (request.webUser) return reply.redirect(safeNext((request.query as Record<string, unknown>).next));
      return loginPage(request, reply, safeNext((request.query as Record<string, unknown>).next));
    });

    app.post("/login", async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const next = safeNext(body.next);
      const login = typeof body.login === "string" ? body.login : "";
      const password = typeof body.password === "string" ? body.password : "";
      try {
        const { token, maxAgeSeconds } = await deps.auth.signIn(login, password, request.ip);
        // Relative (Max-Age), so the browser's own clock decides, not ours.
        reply.setCookie(SESSION_COOKIE, token, { path: "/", httpOnly: true, sameSite: "lax", secure: "auto", maxAge: maxAgeSeconds });
        return reply.redirect(next, 303);
      } catch (err) {
        if (err instanceof WebAuthError) {
          if (err.retryAfterSeconds) reply.header("retry-after", String(err.retryAfterSeconds));
          return loginPage(request, reply, next, err.message, err.code === "locked" ? 429 : 401);
        }
        throw err;
      }
    });

    app.post("/logout", async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deps.auth.signOut(token);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.redirect("/login", 303);
    });

    app.get("/", async (_request, reply) => reply.redirect("/overview"));

    const assets = loadAssets();
    app.get("/assets/:name", async (request, reply) => {
      const asset = assets.get((request.params as { name: string }).name);
      if (!asset) return reply.code(404).type("text/plain; charset=utf-8").send("Không tìm thấy.");
      return reply.header("cache-control", "public, max-age=3600").type(asset.type).send(asset.body);
    });

    for (const module of deps.modules ?? []) await module(app);
  };
}
export type { PageDeps } from "./deps.ts";
