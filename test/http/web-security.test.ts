/**
 * Security across every route the web process serves (issue 8): each page and API route refuses
 * an anonymous user; a leader can read but never change; a form without its CSRF token is
 * refused. Routes are enumerated from the built app, so a new page is covered without editing
 * this test.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBroadcasts, createConversation, createGroups, createDirectory, createIntake, createOrgSettings, createWebAuth } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { buildApp } from "../../src/http/index.ts";
import { webModules } from "../../src/main/web-modules.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { plainHasher, WebClient } from "../support/web.ts";

/** Reachable without signing in, on purpose. */
const PUBLIC = [/^\/healthz$/, /^\/login$/, /^\/webhooks\//, /^\/api\/simulator\//, /^\/$/, /^\/assets\//];
const ID = "00000000-0000-4000-8000-000000000000";

describe("every route refuses who may not use it", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  const routes: { method: string; url: string }[] = [];
  const clock = new FakeClock("2020-06-20T01:00:00Z");

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    const intake = createIntake({ store, clock });
    const conversation = createConversation({ store, clock });
    const broadcasts = createBroadcasts({ store, clock });
    const groups = createGroups({ store, clock });
    const settings = createOrgSettings({ store, clock });
    const auth = createWebAuth({ store, clock, hasher: plainHasher });
    const org = await store.orgs.create({ slug: "sec", name: "Phường an toàn" });
    for (const [login, roles] of [["vanphong", ["office"]], ["lanhdao", ["leader"]]] as const) {
      const person = await store.persons.create({ orgId: org.id, fullName: login, roles: [...roles] });
      await auth.createAccount({ orgId: org.id, personId: person.id, login, password: "mật khẩu đủ dài" });
    }
    app = await buildApp({
      logger: false,
      probes: [],
      office: { intake, authenticate: (token) => store.access.byToken(token), broadcasts, settings, groups },
      web: { auth, modules: webModules({ store, clock, intake, directory: createDirectory({ store, clock }), conversation, broadcasts, groups, settings, messengerPage: "dondoc.phuong" }) },
    });
    await app.ready();
    // printRoutes draws a tree whose children hold the rest of their parent's path: rebuild
    // each full path from the indentation, then pair it with its methods.
    const stack: string[] = [];
    for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
      const at = line.indexOf("── ");
      if (at < 0) continue;
      const depth = Math.floor(at / 4);
      const m = /^(\S+)(?: \(([A-Z, ]+)\))?/.exec(line.slice(at + 3));
      if (!m?.[1]) continue;
      stack.length = depth;
      const full = (stack[depth - 1] ?? "") + m[1];
      stack[depth] = full;
      for (const method of (m[2] ?? "").split(", ").filter(Boolean)) {
        if (method === "HEAD" || method === "OPTIONS") continue;
        routes.push({ method, url: full.replace(/:[A-Za-z]+/g, ID).replace(/\*$/, "x") });
      }
    }
  });
  afterAll(async () => {
    await app.close();
    await test.drop();
  });

  const guarded = () => routes.filter((r) => !PUBLIC.some((p) => p.test(r.url)));

  it("finds the pages and the API to check", () => {
    const urls = guarded().map((r) => r.url);
    expect(urls).toContain("/directives");
    expect(urls).toContain("/api/directives");
    expect(urls.length).toBeGreaterThan(15);
  });

  it("refuses an anonymous user everywhere: pages go to sign-in, the API answers 401", async () => {
    for (const { method, url } of guarded()) {
      const res = await app.inject({ method: method as "GET", url, payload: method === "GET" ? undefined : {} });
      const ok = url.startsWith("/api/") ? res.statusCode === 401 : method === "GET" ? res.statusCode === 302 && String(res.headers.location).startsWith("/login") : [401, 403].includes(res.statusCode);
      expect({ method, url, status: res.statusCode, ok }).toMatchObject({ ok: true });
    }
  });

  it("lets a leader read every page but change nothing", async () => {
    const leader = new WebClient(app);
    expect((await leader.signIn("lanhdao", "mật khẩu đủ dài")).statusCode).toBe(303);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await leader.get("/directives")).body)?.[1] ?? "";
    for (const { method, url } of guarded().filter((r) => !r.url.startsWith("/api/"))) {
      if (method === "GET") {
        const res = await leader.get(url);
        // Unknown ids may 404; what matters is no refusal and no sign-in redirect.
        expect({ url, status: res.statusCode, redirectedToLogin: String(res.headers.location ?? "").startsWith("/login") }).toMatchObject({ redirectedToLogin: false });
        expect([401, 403]).not.toContain(res.statusCode);
      } else if (url !== "/logout") {
        const res = await leader.post(url, {}, { csrf });
        expect({ method, url, status: res.statusCode }).toMatchObject({ status: 403 });
      }
    }
  });

  it("refuses every form posted without its CSRF token, even by office", async () => {
    const office = new WebClient(app);
    expect((await office.signIn("vanphong", "mật khẩu đủ dài")).statusCode).toBe(303);
    for (const { method, url } of guarded().filter((r) => !r.url.startsWith("/api/") && r.method === "POST")) {
      const res = await office.post(url, {}, { csrf: null });
      expect({ method, url, status: res.statusCode }).toMatchObject({ status: 403 });
    }
  });
});
