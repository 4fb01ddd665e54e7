/**
 * The attack suite against the built app (issue: close the doors). Each attack of the review is
 * replayed, asserting the refusal AND that nothing was stored or sent; the attacks that held
 * (signatures, verify token, CSRF, cross-org ids, stored markup) are replayed too, so they keep
 * holding. The same app as `dondoc web` builds: office API, pages, simulator, Messenger and
 * Zalo Bot webhooks, on PostgreSQL, with the process logger capturing every line.
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messengerWebhook } from "../../bots/messenger/index.ts";
import { zaloBotWebhook } from "../../bots/zalo-bot/index.ts";
import { credentialStore, ZaloCredentialsError } from "../../bots/zalo/index.ts";
import { createBroadcasts, createGroups, createDirectory, createIntake, createOrgSettings, createWebAuth, type Conversation } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { buildApp } from "../../src/http/index.ts";
import { argon2Hasher } from "../../src/main/components.ts";
import { createLogger } from "../../src/main/logging.ts";
import { webModules } from "../../src/main/web-modules.ts";
import { createStore } from "../../src/store/index.ts";
import { createInboundQueue, createRedis } from "../../jobs/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { SEED } from "../support/board-seed.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { TEST_REDIS_URL } from "../support/env.ts";
import { simHeaders, simulatorRig, type SimulatorRig } from "../support/simulator.ts";
import { useTempDirs } from "../support/temp-dirs.ts";
import { csrfOf, plainHasher, WebClient } from "../support/web.ts";

const APP_SECRET = "attack-app-secret-0001";
const VERIFY = "attack-verify-token-0001";
const BOT_SECRET = "attack-bot-secret-0001";
const sign = (raw: Buffer | string, secret = APP_SECRET) => `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
const tempDir = useTempDirs("dondoc-attack-");

/** The rows of a query (both drivers answer `{ rows }`). */
async function rowsOf<T>(db: { execute(query: ReturnType<typeof sql>): Promise<unknown> }, query: ReturnType<typeof sql>): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

describe("attacks on the built app", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let simRig: SimulatorRig;
  let conversation: Conversation;
  let orgId: string;
  let otherOrgId: string;
  let officeToken: string;
  let otherToken: string;
  let officeId: string;
  const logs: string[] = [];
  const clock = new FakeClock("2020-06-20T01:00:00Z");
  const prefix = `attack-${randomUUID().slice(0, 8)}`;
  const connection = createRedis(TEST_REDIS_URL);
  const queue = createInboundQueue(connection, prefix);

  const count = async (query: ReturnType<typeof sql>) => {
    const result: unknown = await test.database.db.execute(query);
    return (result as { rows: { n: number }[] }).rows[0]?.n ?? 0;
  };
  const inboundWith = (text: string) => count(sql`select count(*)::int as n from inbound_messages where text like ${`%${text}%`}`);
  const outboxCount = () => count(sql`select count(*)::int as n from outbound_messages`);
  const sim = (body: object, headers: Record<string, string> = simHeaders(), remoteAddress = "127.0.0.1") =>
    app.inject({ method: "POST", url: "/api/simulator/messages", headers, remoteAddress, payload: body });
  const messenger = (raw: Buffer | string, signature: string | null = sign(raw)) =>
    app.inject({ method: "POST", url: "/webhooks/messenger", headers: { "content-type": "application/json", ...(signature ? { "x-hub-signature-256": signature } : {}) }, payload: raw });
  const messagingEvent = (mid: string, text: string, extra: Record<string, unknown> = {}) => ({ sender: { id: "psid-attacker" }, recipient: { id: "PAGE" }, timestamp: clock.now().getTime(), message: { mid, text }, ...extra });
  const pageBody = (events: unknown[]) => JSON.stringify({ object: "page", entry: [{ id: "PAGE", time: clock.now().getTime(), messaging: events }] });

  beforeAll(async () => {
    test = await createMigratedDatabase("postgres");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "attack-ward", name: "Phường bị tấn công" })).id;
    otherOrgId = (await store.orgs.create({ slug: "other-ward", name: "Phường bên cạnh" })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    await intake.activate(orgId, (await intake.importDirective({ orgId, text: SEED, actor: "test" })).directive.id, "test", { confirm: "all" });
    await intake.importDirective({ orgId: otherOrgId, text: SEED, actor: "test" });
    simRig = await simulatorRig({ store, clock, orgId });
    conversation = simRig.conversation;
    const office = await store.persons.create({ orgId, fullName: "Văn phòng", roles: ["office"] });
    officeId = office.id;
    officeToken = (await store.access.createToken({ orgId, personId: office.id })).token;
    const other = await store.persons.create({ orgId: otherOrgId, fullName: "Văn phòng bên cạnh", roles: ["office"] });
    otherToken = (await store.access.createToken({ orgId: otherOrgId, personId: other.id })).token;
    const auth = createWebAuth({ store, clock, hasher: plainHasher });
    await auth.createAccount({ orgId, personId: office.id, login: "vanphong", password: "mật khẩu văn phòng" });
    // The office is reachable on the simulator, so alerts to it are outbox rows we can count.
    const officeChat = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: "sim-office" });
    await store.chats.linkIdentity(orgId, officeChat.id, office.id, clock.now());
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger("debug", sink);
    app = await buildApp({
      logger,
      probes: [],
      trustProxy: true,
      office: { intake, authenticate: (t) => store.access.byToken(t), issueLinkCode: (o, p, a, options) => conversation.issueLinkCode(o, p, a, options) },
      web: {
        auth,
        modules: webModules({ store, clock, intake, directory: createDirectory({ store, clock }), conversation, broadcasts: createBroadcasts({ store, clock }), groups: createGroups({ store, clock }), settings: createOrgSettings({ store, clock }), messengerPage: null }),
      },
      channelPlugins: [
        simRig.plugin,
        messengerWebhook({ appSecret: APP_SECRET, verifyToken: VERIFY, orgId, handler: conversation, queue }),
        zaloBotWebhook({ secretToken: BOT_SECRET, orgId, handler: conversation, queue, clock }),
      ],
    });
  });
  afterAll(async () => {
    await app.close();
    await simRig.close();
    await queue.close();
    const keys = await connection.keys(`${prefix}:*`);
    if (keys.length > 0) await connection.del(...keys);
    connection.disconnect();
    await test.drop();
  });

  describe("1. the simulator", () => {
    it("refuses a call without the secret, with a wrong one, from another machine, or through a proxy; nothing is stored or sent", async () => {
      const forged = { senderId: "vanphong", text: "/thongbao Tin giả mạo số 1" };
      const outbox = await outboxCount();
      expect((await sim(forged, { "content-type": "application/json" })).statusCode).toBe(401);
      expect((await sim(forged, simHeaders("wrong-secret-but-long-enough"))).statusCode).toBe(401);
      expect((await sim(forged, simHeaders(), "203.0.113.9")).statusCode).toBe(403);
      expect((await sim(forged, { ...simHeaders(), "x-forwarded-for": "203.0.113.9" })).statusCode).toBe(403);
      expect((await sim(forged, { ...simHeaders(), forwarded: "for=203.0.113.9" })).statusCode).toBe(403);
      expect(await inboundWith("Tin giả mạo")).toBe(0);
      expect(await outboxCount()).toBe(outbox);
      const refused = await sim(forged, { "content-type": "application/json" });
      expect(refused.json<{ message: string }>().message).toMatch(/mã bí mật/);
    });

    it("answers a local caller with the secret", async () => {
      const res = await sim({ senderId: "sim-office", text: "/trogiup" });
      expect(res.statusCode).toBe(200);
      expect(res.json<{ replies: unknown[] }>().replies.length).toBeGreaterThan(0);
    });
  });

  describe("2. link codes", () => {
    it("limits failed /dangky tries per org across sender ids, tells the office once, and keeps the live code safe", async () => {
      const cadre = await store.persons.create({ orgId, fullName: "Cán bộ cần liên kết", roles: ["cadre"] });
      const issued = await conversation.issueLinkCode(orgId, cadre.id, "test");
      expect(issued?.code).toMatch(/^\d{12}$/);
      const outbox = await outboxCount();
      const replies: string[] = [];
      // A new sender id for every try, as the attacker did: the per-account limit never trips.
      for (let i = 0; i < 40; i++) {
        const wrong = String(100_000_000_000 + i);
        const r = await conversation.handle({ orgId, channel: "simulator", threadId: `attacker-${i}`, threadKind: "direct", senderId: `attacker-${i}`, messageId: `link-${i}`, text: `/dangky ${wrong}`, sentAt: clock.now() });
        replies.push(r.map((x) => x.text).join("\n"));
      }
      expect(replies.slice(0, 30).every((t) => /Mã không đúng/.test(t))).toBe(true);
      expect(replies.slice(30).every((t) => /tạm dừng/.test(t))).toBe(true);
      // The real code is refused too while the org is locked (it is not even checked).
      const locked = await conversation.handle({ orgId, channel: "simulator", threadId: "attacker-x", threadKind: "direct", senderId: "attacker-x", messageId: "link-live", text: `/dangky ${issued?.code ?? ""}`, sentAt: clock.now() });
      expect(locked.map((r) => r.text).join("\n")).toMatch(/tạm dừng/);
      expect(await count(sql`select count(*)::int as n from identities where person_id = ${cadre.id}`)).toBe(0);
      // Exactly one alert to the office (not one per refused try), besides the 41 replies.
      const alerts = await count(sql`select count(*)::int as n from outbound_messages o join identities i on i.id = o.identity_id where i.person_id = ${officeId} and o.text like '%dò mã%'`);
      expect(alerts).toBe(1);
      expect((await outboxCount()) - outbox).toBe(41 + 1);
      // An hour later the owner of the code links.
      clock.advance(61 * 60_000);
      const linked = await conversation.handle({ orgId, channel: "simulator", threadId: "can-bo-that", threadKind: "direct", senderId: "can-bo-that", messageId: "link-real", text: `/dangky ${issued?.display ?? ""}`, sentAt: clock.now() });
      expect(linked.map((r) => r.text).join("\n")).toMatch(/Đã liên kết tài khoản với Cán bộ cần liên kết/);
      clock.set("2020-06-20T01:00:00Z");
    });

    it("counts /dangky tries atomically: 12 parallel wrong tries from one account check at most 5 codes", async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => conversation.handle({ orgId, channel: "simulator", threadId: "racer", threadKind: "direct", senderId: "racer", messageId: `race-${i}`, text: `/dangky ${String(200_000_000_000 + i)}`, sentAt: clock.now() })),
      );
      const texts = results.map((r) => r.map((x) => x.text).join("\n"));
      expect(texts.filter((t) => /Mã không đúng/.test(t))).toHaveLength(5);
      expect(texts.filter((t) => /quá 5 lần/.test(t))).toHaveLength(7);
      expect(await count(sql`select count(*)::int as n from audit_log where action = 'link.failed' and actor like 'identity:%' and data->>'reason' = 'invalid' and entity_id in (select id::text from identities where external_id = 'racer')`)).toBe(5);
    });

    it("binds a code to the channel the office picked", async () => {
      const cadre = await store.persons.create({ orgId, fullName: "Cán bộ Zalo", roles: ["cadre"] });
      const issued = await app.inject({ method: "POST", url: `/api/persons/${cadre.id}/link-codes`, headers: { authorization: `Bearer ${officeToken}` }, payload: { channel: "zalo" } });
      expect(issued.statusCode).toBe(201);
      const { code, channel, instructions } = issued.json<{ code: string; channel: string; instructions: string }>();
      expect(channel).toBe("zalo");
      expect(instructions).toContain("trên Zalo");
      const r = await conversation.handle({ orgId, channel: "simulator", threadId: "sim-thief", threadKind: "direct", senderId: "sim-thief", messageId: "bound-1", text: `/dangky ${code}`, sentAt: clock.now() });
      expect(r.map((x) => x.text).join("\n")).toMatch(/kênh khác/);
      expect(await count(sql`select count(*)::int as n from identities where person_id = ${cadre.id}`)).toBe(0);
    });
  });

  describe("4. redirects after sign-in", () => {
    it.each(["/%09/evil.example/pwned", "//evil.example", "/\\evil.example", "/%5Cevil.example", "https://evil.example", "/\t/evil.example"])("never leaves the site for next=%s", async (next) => {
      const browser = new WebClient(app);
      const page = await browser.get(`/login?next=${encodeURIComponent(next)}`);
      expect(page.body).toContain('name="next" value="/overview"');
      const res = await browser.post("/login", { login: "vanphong", password: "mật khẩu văn phòng", next }, { csrfFrom: "/login" });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe("/overview");
    });
  });

  describe("5. clean input at the door", () => {
    it("stores chat text, ids and names without NUL, lone surrogates or bidi overrides, from the simulator", async () => {
      const res = await sim({ senderId: "sim-\u0000nul\ud800", senderName: "Kẻ\u202e gian\u0000", text: "bc 6.2 xong\u0000 \ud800\u202e245 hội viên", messageId: "nul-1" });
      expect(res.statusCode).toBe(200);
      const rows = { rows: await rowsOf<unknown>(test.database.db, sql`select m.text, i.external_id, i.display_name from inbound_messages m join identities i on i.id = m.identity_id where m.external_message_id = 'nul-1'`) };
      expect(rows.rows).toEqual([{ text: "bc 6.2 xong 245 hội viên", external_id: "sim-nul", display_name: "Kẻ gian" }]);
    });

    it("stores every event of a signed Messenger batch [good, NUL, good], answers 200 once, and logs no message text or SQL parameters", async () => {
      const before = logs.length;
      const raw = pageBody([messagingEvent("mid-good-1", "tin thứ nhất"), messagingEvent("mid-nul", "có\u0000NUL\ud83d giữa"), messagingEvent("mid-good-2", "tin thứ ba")]);
      const res = await messenger(raw);
      expect(res.statusCode).toBe(200);
      expect(await count(sql`select count(*)::int as n from inbound_messages where external_message_id in ('mid-good-1','mid-nul','mid-good-2')`)).toBe(3);
      expect(await inboundWith("cóNUL giữa")).toBe(1);
      // The platform's retry of the same batch stores nothing more.
      expect((await messenger(raw)).statusCode).toBe(200);
      expect(await count(sql`select count(*)::int as n from inbound_messages where external_message_id in ('mid-good-1','mid-nul','mid-good-2')`)).toBe(3);
      const lines = logs.slice(before).join("");
      expect(lines).not.toContain("tin thứ");
      expect(lines).not.toContain("params:");
    });

    it.each([
      ["a timestamp of 1e20", pageBody([{ ...messagingEvent("mid-time", "giờ lạ"), timestamp: 1e20 }])],
      ["a deeply nested message", pageBody([{ ...messagingEvent("mid-deep", "lồng sâu"), message: { mid: "mid-deep", text: "lồng sâu", attachments: "DEEP" } }]).replace('"DEEP"', "[".repeat(50_000) + "]".repeat(50_000))],
      ["entries that are not objects", JSON.stringify({ object: "page", entry: [null, 7, "x", { messaging: [null, 1, { message: "x" }, { sender: 5, message: { mid: 3, text: {} } }] }] })],
      ["text that is an object", pageBody([{ ...messagingEvent("mid-obj", "x"), message: { mid: "mid-obj", text: { a: 1 } } }])],
      ["a 100,000-character message", pageBody([messagingEvent("mid-huge", `dài ${"a".repeat(100_000)}`)])],
    ])("never answers 500 to a signed, well-formed body with %s, and keeps what it stores bounded", async (_what, raw) => {
      const res = await messenger(raw);
      expect(res.statusCode).toBe(200);
      const rows = { rows: await rowsOf<{ t: number; r: number | null; sent_at: Date }>(test.database.db, sql`select length(text) as t, length(raw::text) as r, sent_at from inbound_messages where received_at > now() - interval '1 minute'`) };
      for (const row of rows.rows) {
        expect(row.t).toBeLessThanOrEqual(4_000);
        expect(row.r ?? 0).toBeLessThanOrEqual(16_384 + 100);
        expect(Number.isFinite(new Date(row.sent_at).getTime())).toBe(true);
      }
    });

    it("cleans Zalo Bot messages with NUL and lone surrogates in text, ids and names", async () => {
      const body = JSON.stringify({ ok: true, result: { event_name: "message.text.received", message: { message_id: "zb-nul\u0000", date: 1592614800000, text: "xin chào\u0000\udc00 văn phòng", from: { id: "zb-user\u202e", display_name: "Ng\u0000ười dùng", is_bot: false }, chat: { id: "zb-user\u202e", chat_type: "PRIVATE" } } } });
      const res = await app.inject({ method: "POST", url: "/webhooks/zalo-bot", headers: { "content-type": "application/json", "x-bot-api-secret-token": BOT_SECRET }, payload: body });
      expect(res.statusCode).toBe(200);
      const rows = { rows: await rowsOf<unknown>(test.database.db, sql`select m.external_message_id as id, m.text, i.external_id, i.display_name from inbound_messages m join identities i on i.id = m.identity_id where m.channel = 'zalo_bot'`) };
      expect(rows.rows).toEqual([{ id: "zb-nul", text: "xin chào văn phòng", external_id: "zb-user", display_name: "Người dùng" }]);
    });
  });

  describe("the signature and token checks that held", () => {
    it.each([
      ["no signature", null],
      ["a wrong secret", sign(pageBody([messagingEvent("mid-forged", "giả mạo")]), "wrong-secret")],
      ["sha1 instead of sha256", `sha1=${createHmac("sha1", APP_SECRET).update(pageBody([messagingEvent("mid-forged", "giả mạo")])).digest("hex")}`],
      ["a signature of the body re-serialized", sign(JSON.stringify(JSON.parse(pageBody([messagingEvent("mid-forged", "giả mạo")])), null, 2))],
    ])("refuses a Messenger post with %s (401), storing nothing", async (_what, signature) => {
      const res = await messenger(pageBody([messagingEvent("mid-forged", "giả mạo")]), signature);
      expect(res.statusCode).toBe(401);
      expect(await inboundWith("giả mạo")).toBe(0);
    });

    it("refuses a wrong verify token and keeps the real one out of the logs", async () => {
      const before = logs.length;
      expect((await app.inject({ url: `/webhooks/messenger?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1` })).statusCode).toBe(403);
      const ok = await app.inject({ url: `/webhooks/messenger?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=42` });
      expect(ok.body).toBe("42");
      expect(logs.slice(before).join("")).not.toContain(VERIFY);
    });

    it("refuses a Zalo Bot post without its secret token, storing nothing", async () => {
      const body = JSON.stringify({ ok: true, result: { event_name: "message.text.received", message: { message_id: "zb-forged", date: 1, text: "giả mạo zalo", from: { id: "u" }, chat: { id: "u", chat_type: "PRIVATE" } } } });
      expect((await app.inject({ method: "POST", url: "/webhooks/zalo-bot", headers: { "content-type": "application/json" }, payload: body })).statusCode).toBe(401);
      expect(await inboundWith("giả mạo zalo")).toBe(0);
    });

    it("keeps each org to its own data: another org's token cannot read or change this org's directive", async () => {
      const [mine] = await store.directives.list(orgId);
      const id = mine?.id ?? "";
      expect((await app.inject({ url: `/api/directives/${id}`, headers: { authorization: `Bearer ${otherToken}` } })).statusCode).toBe(404);
      const res = await app.inject({ method: "POST", url: `/api/directives/${id}/activate`, headers: { authorization: `Bearer ${otherToken}` } });
      expect([404, 409]).toContain(res.statusCode);
      expect((await store.directives.get(orgId, id))?.directive.status).toBe("active");
    });

    it("refuses a page form without its CSRF token and shows stored markup as text", async () => {
      const browser = new WebClient(app);
      await browser.signIn("vanphong", "mật khẩu văn phòng");
      const before = (await store.units.list(orgId)).length;
      expect((await browser.post("/units", { name: "Đơn vị giả" }, { csrf: null })).statusCode).toBe(403);
      expect((await store.units.list(orgId)).length).toBe(before);
      await sim({ senderId: "sim-office", senderName: "<img src=x onerror=alert(1)>", text: "<script>alert(1)</script>" });
      const people = await browser.get("/people");
      expect(people.body).not.toContain("<img src=x");
      const activity = await browser.get("/activity");
      expect(activity.body).not.toContain("<script>alert(1)");
      expect(csrfOf(people.body)).toBeTruthy();
    });
  });

  describe("6 and 7. sign-in", () => {
    it("verifies a real argon2id hash for an unknown login, so it costs what a known one costs", async () => {
      const verified: string[] = [];
      const hasher = { hash: (p: string) => argon2Hasher.hash(p), verify: async (hash: string, password: string) => (verified.push(hash), argon2Hasher.verify(hash, password)) };
      const auth = createWebAuth({ store, clock, hasher });
      await expect(auth.signIn("khong-co-ai", "mật khẩu bất kỳ", "198.51.100.1")).rejects.toThrow(/Sai tên đăng nhập/);
      expect(verified).toHaveLength(1);
      // A valid hash of the same parameters as real ones (a malformed one fails in 1 ms).
      expect(verified[0]).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      await expect(argon2Hasher.verify(verified[0] ?? "", "x")).resolves.toBe(false);
    });

    it("checks at most the free tries when 30 wrong passwords arrive at once", async () => {
      let checks = 0;
      const hasher = { hash: (p: string) => plainHasher.hash(p), verify: async (h: string, p: string) => (checks++, plainHasher.verify(h, p)) };
      const person = await store.persons.create({ orgId, fullName: "Lãnh đạo song song", roles: ["leader"] });
      const auth = createWebAuth({ store, clock, hasher });
      await auth.createAccount({ orgId, personId: person.id, login: "songsong", password: "mật khẩu thật dài" });
      const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => auth.signIn("songsong", `sai ${i}`, `192.0.2.${i}`)));
      expect(results.every((r) => r.status === "rejected")).toBe(true);
      expect(checks).toBe(10);
    });
  });

  describe("8 and 9. headers and proxies", () => {
    it("sends a CSP without inline scripts, no framing, nosniff and a referrer policy on every page", async () => {
      const res = await app.inject({ url: "/login" });
      const csp = String(res.headers["content-security-policy"]);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["referrer-policy"]).toBe("same-origin");
      expect(res.headers["strict-transport-security"]).toBeUndefined();
      expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    });

    it("behind a TLS proxy: HSTS, and the session cookie is Secure", async () => {
      const browser = await app.inject({ url: "/login", headers: { "x-forwarded-proto": "https" } });
      expect(browser.headers["strict-transport-security"]).toMatch(/max-age=31536000/);
      const csrfCookie = String(browser.headers["set-cookie"] ?? "");
      const token = csrfOf(browser.body);
      const cookie = csrfCookie.split(";")[0] ?? "";
      const res = await app.inject({
        method: "POST",
        url: "/login",
        headers: { "x-forwarded-proto": "https", cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ login: "vanphong", password: "mật khẩu văn phòng", _csrf: token }).toString(),
      });
      expect(res.statusCode).toBe(303);
      const session = [res.headers["set-cookie"]].flat().find((c) => String(c).startsWith("dondoc_sid="));
      expect(String(session)).toMatch(/; Secure/);
    });
  });

  describe("10 to 12. secrets and storage", () => {
    it("redacts tokens, cookies and authorization headers from log lines", async () => {
      const before = logs.length;
      await app.inject({ url: "/api/directives", headers: { authorization: `Bearer ${officeToken}`, cookie: "dondoc_sid=SECRET-COOKIE" } });
      const lines = logs.slice(before).join("");
      expect(lines).not.toContain(officeToken);
      expect(lines).not.toContain("SECRET-COOKIE");
    });

    it("refuses a Zalo session whose GCM tag was cut short", async () => {
      const dataDir = tempDir();
      const key = randomBytes(32);
      const saved = credentialStore({ dataDir, account: "default", key, clock });
      await saved.save({ imei: "i", cookie: [], userAgent: "ua" });
      const { readFileSync, writeFileSync } = await import("node:fs");
      const envelope = JSON.parse(readFileSync(saved.path, "utf8")) as { tag: string };
      writeFileSync(saved.path, JSON.stringify({ ...envelope, tag: Buffer.from(envelope.tag, "base64").subarray(0, 4).toString("base64") }));
      await expect(saved.load()).rejects.toThrow(ZaloCredentialsError);
    });
  });
});
