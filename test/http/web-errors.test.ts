/**
 * Error pages (issue 15): a browser path nobody serves is a 404 page and a route that fails a 500
 * page, both in the site's layout and in Vietnamese, never a stack or raw JSON; the API, the
 * webhooks and the health probe keep answering JSON.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebAuth } from "../../src/app/index.ts";
import { buildApp } from "../../src/http/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { plainHasher, WebClient } from "../support/web.ts";

const SECRET = "connect ECONNREFUSED 10.0.0.9:5432 at Pool.query (/app/node_modules/pg/lib/secret.js:1:1)";

describe("error pages", () => {
  let test: TestDatabase;
  let app: FastifyInstance;
  let office: WebClient;

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    const store = createStore(test.database.db);
    const clock = new FakeClock("2020-06-20T01:00:00Z");
    const orgId = (await store.orgs.create({ slug: "errors", name: "Phường lỗi" })).id;
    const auth = createWebAuth({ store, clock, hasher: plainHasher });
    const person = await store.persons.create({ orgId, fullName: "Văn phòng", roles: ["office"] });
    await auth.createAccount({ orgId, personId: person.id, login: "vanphong", password: "mật khẩu đủ dài" });
    const failing = (scope: FastifyInstance) => {
      scope.get("/trang-loi", async () => {
        throw new Error(SECRET);
      });
    };
    app = await buildApp({ logger: false, probes: [], web: { auth, modules: [failing] } });
    office = new WebClient(app);
    await office.signIn("vanphong", "mật khẩu đủ dài");
  });
  afterAll(async () => {
    await app.close();
    await test.drop();
  });

  const isPage = (res: { headers: Record<string, unknown>; body: string }) => {
    expect(String(res.headers["content-type"])).toMatch(/^text\/html/);
    expect(res.body).toMatch(/^<!doctype html>\s*<html lang="vi">/);
    expect(res.body).toContain("<header><strong>dondoc</strong>");
    expect(res.body).toContain('<a href="/overview">Về trang chính</a>');
  };

  it("answers an unknown page with a 404 page in the layout, with the menu when signed in", async () => {
    const res = await office.get("/khong-co-trang-nay?x=1");
    expect(res.statusCode).toBe(404);
    isPage(res);
    expect(res.body).toContain("<title>Không tìm thấy trang · dondoc</title>");
    expect(res.body).toContain("<h1>Không tìm thấy trang</h1>");
    expect(res.body).toContain("Văn phòng · Văn phòng");
    expect(res.body).toContain('href="/activity"');
    expect(res.body).not.toContain("not_found");

    // A POST to nowhere, and a visitor not signed in: the same page, without the menu.
    expect((await app.inject({ method: "POST", url: "/directives/x/y/z", payload: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } })).statusCode).toBe(404);
    const anonymous = await app.inject({ url: "/directives/a/b/c/d" });
    expect(anonymous.statusCode).toBe(404);
    isPage(anonymous);
    expect(anonymous.body).toContain("<h1>Không tìm thấy trang</h1>");
    expect(anonymous.body).not.toContain('href="/activity"');
  });

  it("answers a page that fails with a 500 page in the layout, never the error itself", async () => {
    const res = await office.get("/trang-loi");
    expect(res.statusCode).toBe(500);
    isPage(res);
    expect(res.body).toContain("<h1>Đã có lỗi, đề nghị thử lại sau</h1>");
    for (const leak of ["ECONNREFUSED", "node_modules", "secret.js", "Error:", "internal_error", "stack"]) expect(res.body).not.toContain(leak);
  });

  it("keeps JSON for the API, the webhooks and the health probe", async () => {
    for (const url of ["/api/khong-co", "/api", "/webhooks/khong-co"]) {
      const res = await office.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(String(res.headers["content-type"]), url).toMatch(/^application\/json/);
      expect(res.json(), url).toMatchObject({ error: "not_found" });
    }
    const health = await app.inject({ url: "/healthz" });
    expect(String(health.headers["content-type"])).toMatch(/^application\/json/);
  });
});
