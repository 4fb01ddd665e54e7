/**
 * The Zalo Bot webhook end to end: secret header checked in constant time, wrapped or bare
 * updates stored once by message id in a real database, processed from a real BullMQ queue by a
 * real worker, answered through `sendMessage` of a fake Bot API; stickers, images and the like
 * acknowledged and ignored; token and secret never in the logs.
 */

import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../../src/domain/index.ts";
import { sql } from "drizzle-orm";
import { sameSecret, zaloBotGateway, zaloBotWebhook } from "../../../bots/zalo-bot/index.ts";
import { createConversation, createDelivery, createIntake, type Conversation } from "../../../src/app/index.ts";
import type { Store } from "../../../src/app/index.ts";
import { buildApp } from "../../../src/http/index.ts";
import { createStore } from "../../../src/store/index.ts";
import { FakeClock } from "../../fakes/clock.ts";
import { startFakeZaloBot, type FakeZaloBot } from "../../fakes/zalo-bot-api.ts";
import { createMigratedDatabase, type TestDatabase } from "../../support/databases.ts";
import { queueRig } from "../../support/queues.ts";

const TOKEN = "3912345678:ZbWebhookTokenXYZ0123456789";
const SECRET = "zalo-bot-secret-8d1f0c";
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/zalo-bot/webhook-${name}.json`, import.meta.url));
const SEED = readFileSync(new URL("../../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");

/** A text update with a message id and chat of our choosing, wrapped or bare. */
function textUpdate(opts: { messageId: string; chatId: string; text: string; wrapped?: boolean }): Buffer {
  const update = {
    event_name: "message.text.received",
    message: { message_id: opts.messageId, from: { id: opts.chatId, display_name: "Cán bộ thử", is_bot: false }, chat: { id: opts.chatId, chat_type: "PRIVATE" }, text: opts.text, date: 1592614800000 },
  };
  return Buffer.from(JSON.stringify(opts.wrapped === false ? update : { ok: true, result: update }), "utf8");
}

describe("Zalo Bot webhook", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let orgId: string;
  let conversation: Conversation;
  let bot: FakeZaloBot;
  const rig = queueRig();
  const logLines: string[] = [];
  const clock = new FakeClock("2020-06-20T01:00:00Z");

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "zb-ward", name: "Phường Zalo Bot" })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    const { directive } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
    await intake.activate(orgId, directive.id, "test", { confirm: "all" });
    conversation = createConversation({ store, clock, dispatch: rig.dispatch });
    bot = await startFakeZaloBot(TOKEN);
    const delivery = createDelivery({ store, clock, gateways: { zalo_bot: zaloBotGateway({ bot: { baseUrl: bot.baseUrl, token: TOKEN } }) }, dispatch: rig.dispatch });
    await rig.start({ clock, process: (o, id) => conversation.process(o, id), delivery, store, channels: ["zalo_bot"] });
    const logger = pino({ level: "trace" }, { write: (line: string) => void logLines.push(line) });
    app = await buildApp({ logger, probes: [], channelPlugins: [zaloBotWebhook({ secretToken: SECRET, orgId, handler: conversation, queue: rig.inbound, bodyLimit: 64 * 1024 })] });
  });
  afterAll(async () => {
    await app.close();
    await rig.close();
    await bot.close();
    await test.drop();
  });

  /** `secret: null` sends no header at all. */
  const post = (raw: Buffer | string, secret: string | string[] | null = SECRET) =>
    app.inject({ method: "POST", url: "/webhooks/zalo-bot", headers: { "content-type": "application/json", ...(secret === null ? {} : { "x-bot-api-secret-token": secret }) }, payload: raw });

  async function inboundIds(): Promise<string[]> {
    const result: unknown = await test.database.db.execute(sql`select external_message_id as id from inbound_messages where channel = 'zalo_bot' order by received_at, external_message_id`);
    return (result as { rows: { id: string }[] }).rows.map((r) => r.id);
  }
  /** Until every stored message is answered and nothing waits in the outbox (or 10 s). */
  async function drained(): Promise<void> {
    for (const end = Date.now() + 10_000; Date.now() < end; ) {
      const result: unknown = await test.database.db.execute(sql`select
        (select count(*)::int from inbound_messages where processed_at is null) as inbound,
        (select count(*)::int from outbound_messages where status = 'pending') as outbound`);
      const row = (result as { rows: { inbound: number; outbound: number }[] }).rows[0];
      if (row?.inbound === 0 && row.outbound === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the queues did not drain within 10 s");
  }
  async function sendsTo(chatId: string, atLeast: number): Promise<string[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const texts = bot.delivered(chatId);
      if (texts.length >= atLeast || Date.now() > deadline) return texts;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("refuses a missing or wrong secret with 401 before reading the body, storing nothing", async () => {
    const raw = fixture("text-wrapped");
    const cases: (string | string[] | null)[] = [null, "", "wrong-secret-value", SECRET.slice(0, -1), `${SECRET}x`, SECRET.toUpperCase(), ` ${SECRET}`, [SECRET, SECRET]];
    for (const [i, secret] of cases.entries()) {
      const res = await post(raw, secret);
      expect([i, res.statusCode]).toEqual([i, 401]);
    }
    // Even a body that is not JSON, or far over the cap, gets 401 and not 400/413 without the secret.
    expect((await post("{not json", "nope")).statusCode).toBe(401);
    expect((await post(Buffer.alloc(200 * 1024, 0x20), null)).statusCode).toBe(401);
    expect(await inboundIds()).toEqual([]);
    expect(bot.requests).toHaveLength(0);
  });

  it("compares secrets whatever their length", () => {
    expect(sameSecret(SECRET, SECRET)).toBe(true);
    for (const given of [undefined, 42, [SECRET], "", "x", SECRET + SECRET]) expect(sameSecret(given, SECRET)).toBe(false);
    expect(sameSecret("", "")).toBe(false);
  });

  it("stores a wrapped text once, however often it arrives, answers 200 and replies to chat.id", async () => {
    const raw = fixture("text-wrapped");
    const first = await post(raw);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ ok: true });
    expect((await post(raw)).statusCode).toBe(200);
    expect(await inboundIds()).toEqual(["2d758cb5e222177a4e35"]);
    // Everything the two posts set off has run: only then is "one answer" a fact, not a race.
    await sendsTo("6ede9afa66b88fe6d6a9", 1);
    await drained();
    const texts = bot.delivered("6ede9afa66b88fe6d6a9");
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/chưa được liên kết/);
    const request = bot.requests.find((r) => r.body.chat_id === "6ede9afa66b88fe6d6a9");
    expect(request?.apiMethod).toBe("sendMessage");
    expect(request?.token).toBe(TOKEN);
    // The reply is recorded as a delivery with the platform's message id.
    // (recorded just after the platform answers: poll, the worker may still be writing it).
    const expected = { outcome: "sent", id: `zb${bot.requests.indexOf(request ?? bot.requests[0]!) + 1}` };
    let rows: { outcome: string; id: string }[] = [];
    for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      const result: unknown = await test.database.db.execute(sql`select outcome, external_message_id as id from deliveries where channel = 'zalo_bot'`);
      rows = (result as { rows: { outcome: string; id: string }[] }).rows;
      if (rows.some((r) => r.outcome === expected.outcome && r.id === expected.id)) break;
    }
    expect(rows).toContainEqual(expected);
  });

  it("reads the bare update too, and one message id arriving in both shapes is recorded once", async () => {
    const before = (await inboundIds()).length;
    expect((await post(fixture("text-bare"))).statusCode).toBe(200);
    expect(await inboundIds()).toContain("9a1b2c3d4e5f60718293");
    const same = { ok: true, result: JSON.parse(fixture("text-bare").toString("utf8")) as unknown };
    expect((await post(JSON.stringify(same))).statusCode).toBe(200);
    expect((await inboundIds()).length).toBe(before + 1);
    await sendsTo("7f1e0c9ab2d34e5f6a70", 1);
    // Processed once: still one reply once everything has run.
    await drained();
    expect(bot.delivered("7f1e0c9ab2d34e5f6a70")).toHaveLength(1);
  });

  it("acknowledges images, stickers, voice, unsupported, unknown events and ok:false with 200, storing nothing", async () => {
    const before = await inboundIds();
    const requestsBefore = bot.requests.length;
    for (const name of ["image", "sticker", "voice", "unsupported", "unknown-event"]) {
      const res = await post(fixture(name));
      expect([name, res.statusCode]).toEqual([name, 200]);
    }
    expect((await post(JSON.stringify({ ok: false, error_code: 408, description: "Request timeout" }))).statusCode).toBe(200);
    expect((await post(JSON.stringify({ hello: "world" }))).statusCode).toBe(200);
    expect(await inboundIds()).toEqual(before);
    await new Promise((r) => setTimeout(r, 300));
    expect(bot.requests.length).toBe(requestsBefore);
    const ignoredEvents = logLines.map((l) => JSON.parse(l) as { msg?: string; event?: string }).filter((l) => l.msg === "zalo bot update ignored").map((l) => l.event);
    expect(ignoredEvents).toEqual(expect.arrayContaining(["message.image.received", "message.sticker.received", "message.voice.received", "message.unsupported.received", "message.location.received"]));
  });

  it("keeps big numeric ids exact, from the stored message to the reply's chat_id", async () => {
    expect((await post(fixture("big-numeric-ids"))).statusCode).toBe(200);
    expect(await inboundIds()).toContain("98765432109876543219");
    const texts = await sendsTo("12345678901234567891", 1);
    expect(texts).toHaveLength(1);
  });

  it("refuses bad JSON with 400 and a body over the cap with 413", async () => {
    const before = await inboundIds();
    expect((await post("{\"ok\":true,")).statusCode).toBe(400);
    const big = textUpdate({ messageId: "big-1", chatId: "c-big", text: "x".repeat(70 * 1024) });
    expect((await post(big)).statusCode).toBe(413);
    expect(await inboundIds()).toEqual(before);
  });

  it("links on /dangky with a code from office, then records a typed report", async () => {
    const cadre = await store.persons.create({ orgId, fullName: "Đỗ Thị Mai", roles: ["cadre"] });
    const unit = (await store.units.list(orgId)).find((u) => u.name === "Hội Liên hiệp Phụ nữ");
    await store.persons.addMembership({ orgId, personId: cadre.id, unitId: unit?.id ?? "" });
    const issued = await conversation.issueLinkCode(orgId, cadre.id, "test");
    const chat = "a0b1c2d3e4f5a6b7c8d9";
    expect((await post(textUpdate({ messageId: "link-1", chatId: chat, text: `/dangky ${issued?.code ?? ""}`, wrapped: false }))).statusCode).toBe(200);
    expect((await sendsTo(chat, 1))[0]).toMatch(/Đã liên kết tài khoản với Đỗ Thị Mai/);
    const identity = await store.chats.identity(orgId, "zalo_bot", chat);
    expect(identity?.personId).toBe(cadre.id);
    // Then a report typed in the chat is recorded on the unit's item and acknowledged.
    const row = (await store.tracking.board(orgId, localDay(clock.now()))).find((r) => r.item.ref === "6.2" && r.unit.id === unit?.id);
    expect(row?.assignment.status).toBe("not_reported");
    expect((await post(textUpdate({ messageId: "report-1", chatId: chat, text: "bc 6.2 đang làm 60% ạ" }))).statusCode).toBe(200);
    expect((await sendsTo(chat, 2))[1]).toMatch(/Đã ghi nhận báo cáo của đồng chí: Hội Liên hiệp Phụ nữ · NV 6\.2[\s\S]*đang thực hiện 60%/);
    const after = await store.tracking.assignment(orgId, row?.assignment.id ?? "");
    expect(after).toMatchObject({ status: "in_progress", percent: 60 });
    const reports = await store.tracking.reports(orgId, row?.assignment.id ?? "");
    expect(reports.map((r) => ({ status: r.status, percent: r.percent, personId: r.personId }))).toEqual([{ status: "in_progress", percent: 60, personId: cadre.id }]);
  });

  it("never writes the bot token or the webhook secret to the log", () => {
    expect(logLines.length).toBeGreaterThan(10);
    const all = logLines.join("\n");
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(TOKEN.split(":")[1]);
    expect(all).not.toContain(SECRET);
  });
});
