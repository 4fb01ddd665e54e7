/**
 * Signing in to the office pages: argon2id hashes, sessions stored as hashes, cookie flags,
 * CSRF on the sign-in and sign-out forms, lockout after repeated failures, roles.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebAuth } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { buildApp } from "../../src/http/index.ts";
import { html, page } from "../../src/http/web/index.ts";
import { argon2Hasher } from "../../src/main/components.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { WebClient } from "../support/web.ts";

describe("web sign-in", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  const clock = new FakeClock("2026-11-28T01:00:00Z");
  const PASSWORD = "mật khẩu văn phòng 2026";

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    const auth = createWebAuth({ store, clock, hasher: argon2Hasher });
    const org = await store.orgs.create({ slug: "web", name: "Phường Web" });
    const office = await store.persons.create({ orgId: org.id, fullName: "Nguyễn Văn Phòng", roles: ["office"] });
    const cadre = await store.persons.create({ orgId: org.id, fullName: "Cán bộ Đoàn", roles: ["cadre"] });
    await auth.createAccount({ orgId: org.id, personId: office.id, login: "VanPhong", password: PASSWORD });
    await auth.createAccount({ orgId: org.id, personId: cadre.id, login: "doan", password: PASSWORD });
    app = await buildApp({
      logger: false,
      probes: [],
      web: {
        auth,
        modules: [
          (scope) => {
            scope.get("/directives", async (request, reply) => page(request, reply, { title: "Văn bản", body: html`<p>Xin chào ${request.webUser?.person.fullName ?? "?"}</p>` }));
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await test.drop();
  });

  it("stores an argon2id hash, never the password", async () => {
    const account = await store.web.accountByLogin("vanphong");
    expect(account?.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
    expect(account?.passwordHash).not.toContain(PASSWORD);
  });

  it("sends an anonymous visitor to the sign-in page and back after signing in", async () => {
    const browser = new WebClient(app);
    const first = await browser.get("/directives");
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe("/login?next=%2Fdirectives");
    const form = await browser.get("/login?next=%2Fdirectives");
    expect(form.body).toContain("Đăng nhập");
    const signed = await browser.post("/login", { login: "vanphong", password: PASSWORD, next: "/directives" }, { csrfFrom: "/login" });
    expect(signed.statusCode).toBe(303);
    expect(signed.headers.location).toBe("/directives");
    const cookie = signed.cookies.find((c) => c.name === "dondoc_sid");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    expect(cookie?.path).toBe("/");
    // Over plain HTTP (inject) the cookie is not Secure; behind HTTPS `secure: "auto"` sets it.
    expect((await browser.get("/directives")).body).toContain("Xin chào Nguyễn Văn Phòng");
    // The session is stored as a hash: the cookie's token is not in the database.
    const rows: unknown = await test.database.db.execute("select token_hash from web_sessions");
    expect(JSON.stringify(rows)).not.toContain(cookie?.value ?? "missing");
  });

  it("never redirects outside the site after signing in", async () => {
    const browser = new WebClient(app);
    const res = await browser.post("/login", { login: "vanphong", password: PASSWORD, next: "//evil.example/x" }, { csrfFrom: "/login" });
    expect(res.headers.location).toBe("/overview");
  });

  it("refuses a wrong password and an unknown login with the same Vietnamese message", async () => {
    const browser = new WebClient(app);
    const wrong = await browser.signIn("vanphong", "sai mật khẩu");
    const unknown = await browser.signIn("khongco", "sai mật khẩu");
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    for (const res of [wrong, unknown]) expect(res.body).toContain("Sai tên đăng nhập hoặc mật khẩu.");
    expect(wrong.cookies.find((c) => c.name === "dondoc_sid")).toBeUndefined();
  });

  it("refuses the sign-in form without its CSRF token", async () => {
    const browser = new WebClient(app);
    const res = await browser.post("/login", { login: "vanphong", password: PASSWORD }, { csrf: null });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain("Biểu mẫu đã hết hạn hoặc không hợp lệ");
  });

  it("lets a cadre account not sign in: chat is their channel", async () => {
    const res = await new WebClient(app).signIn("doan", PASSWORD);
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain("dành cho cán bộ văn phòng và lãnh đạo");
  });

  it("signs out: the session stops working, and sign-out needs the form's token", async () => {
    const browser = new WebClient(app);
    await browser.signIn("vanphong", PASSWORD);
    const stolen = browser.cookieHeader();
    expect((await browser.post("/logout", {}, { csrf: null })).statusCode).toBe(403);
    const out = await browser.post("/logout", {}, { csrfFrom: "/directives" });
    expect(out.statusCode).toBe(303);
    // Even the old cookie, replayed, is dead: the session row is gone.
    const replay = await app.inject({ url: "/directives", headers: { cookie: stolen } });
    expect(replay.statusCode).toBe(302);
  });

  it("slows repeated wrong passwords down per address and per account, but never keeps the owner out for long", async () => {
    const guesser = new WebClient(app, "203.0.113.7");
    const owner = new WebClient(app, "198.51.100.20");
    const org = (await store.orgs.bySlug("web"))!;
    const person = await store.persons.create({ orgId: org.id, fullName: "Lãnh đạo", roles: ["leader"] });
    await createWebAuth({ store, clock, hasher: argon2Hasher }).createAccount({ orgId: org.id, personId: person.id, login: "lanhdao", password: PASSWORD });
    for (let i = 0; i < 10; i++) expect((await guesser.signIn("lanhdao", `sai ${i}`)).statusCode).toBe(401);
    // The 11th try at once: refused without checking, with how long to wait.
    const slowed = await guesser.signIn("lanhdao", `sai 10`);
    expect(slowed.statusCode).toBe(429);
    expect(slowed.headers["retry-after"]).toBe("1");
    expect(slowed.body).toContain("thử lại sau 1 giây");
    // The guesser keeps going at the pace it is allowed: its waits double (1 s, 2 s, 4 s…).
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await guesser.signIn("lanhdao", `sai lần ${i}`);
      if (res.statusCode === 429) {
        const wait = Number(res.headers["retry-after"]);
        waits.push(wait);
        clock.advance(wait * 1_000);
      }
    }
    expect(waits.slice(0, 4)).toEqual([1, 2, 4, 8]);
    // The owner, elsewhere, waits at most a minute for the account's own limit, then gets in.
    let ownerWaited = 0;
    let res = await owner.signIn("lanhdao", PASSWORD);
    while (res.statusCode === 429) {
      const wait = Number(res.headers["retry-after"]);
      expect(wait).toBeLessThanOrEqual(60);
      ownerWaited += wait;
      clock.advance(wait * 1_000);
      res = await owner.signIn("lanhdao", PASSWORD);
    }
    expect(res.statusCode).toBe(303);
    expect(ownerWaited).toBeLessThanOrEqual(60);
    // The guesser's address is still slowed (its waits grow to 15 minutes, not reset by the owner).
    expect((await guesser.signIn("lanhdao", PASSWORD)).statusCode).toBe(429);
    clock.advance(60 * 60_000);
  }, 60_000);
});
