/**
 * The Zalo Bot send client over real HTTP against a fake Bot API: URL shape, the `ok` envelope
 * (HTTP 200 is not success), error classes, retries, 2000-character chunking of Vietnamese text,
 * the gateway's Delivery rows, and the token kept out of every message.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  chunkText,
  classifyZaloBotError,
  isPermanent,
  redactToken,
  sendMessageOnce,
  sendText,
  zaloBotGateway,
  type SendFailureKind,
  type ZaloBotConfig,
} from "../../../bots/zalo-bot/index.ts";
import { startFakeZaloBot, type FakeZaloBot } from "../../fakes/zalo-bot-api.ts";

const TOKEN = "3912345678:ZbTestTokenAbcDEF0123456789";
const CHAT = "6ede9afa66b88fe6d6a9";
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const STARTS_WITH_MARK = /^\p{M}/u;

function fixture(name: string): { status: number; body: unknown } {
  return JSON.parse(readFileSync(new URL(`../../fixtures/zalo-bot/send-${name}.json`, import.meta.url), "utf8")) as { status: number; body: unknown };
}
function scripted(name: string) {
  return fixture(name) as { status: number; body: { ok: boolean } | string };
}

/** A Vietnamese text of at least `min` UTF-16 units, in NFC, with emoji (surrogate pairs) and newlines. */
function vietnameseText(min: number): string {
  const sentences = [
    "Thực hiện Kế hoạch số 12-KH/ĐU, Đảng ủy phường yêu cầu các chi bộ khẩn trương rà soát, tổng hợp kết quả.",
    "Hội Cựu chiến binh, Hội Liên hiệp Phụ nữ và Đoàn Thanh niên báo cáo tiến độ trước ngày 30/6 👍🏽.",
    "Ủy ban nhân dân phường phối hợp Mặt trận Tổ quốc tuyên truyền sâu rộng đến từng hộ gia đình 🇻🇳.",
    "Những vướng mắc, khó khăn cần kịp thời phản ánh về Văn phòng Đảng ủy để được hướng dẫn giải quyết.",
  ];
  let out = "";
  for (let i = 0; out.length < min; i++) out += sentences[i % sentences.length] + (i % 5 === 4 ? "\n" : " ");
  return out.normalize("NFC");
}

function expectWellFormed(chunks: string[], max = 2000) {
  for (const c of chunks) {
    expect(c.length).toBeGreaterThan(0);
    expect(c.length).toBeLessThanOrEqual(max);
    expect(LONE_SURROGATE.test(c)).toBe(false);
    expect(STARTS_WITH_MARK.test(c)).toBe(false);
    expect(c.normalize("NFC")).toBe(c);
  }
}

describe("chunkText", () => {
  it("cuts a 5,000-character Vietnamese text into ≤ 2000-character pieces that rejoin exactly, at spaces or newlines", () => {
    const text = vietnameseText(5000);
    expect(text.length).toBeGreaterThanOrEqual(5000);
    const chunks = chunkText(text);
    expect(chunks.length).toBe(3);
    expect(chunks.join("")).toBe(text);
    expectWellFormed(chunks);
    // Every cut but the last falls right after a space or a newline, never inside a word.
    for (const c of chunks.slice(0, -1)) expect(c).toMatch(/[ \n]$/);
    // And it prefers a newline when one is in the second half of the piece.
    expect(chunks[0]?.endsWith("\n")).toBe(true);
  });

  it("keeps decomposed (NFD) Vietnamese letters whole, giving back the NFC text", () => {
    const nfd = vietnameseText(4000).normalize("NFD").replace(/\s/g, "");
    expect(nfd.length).toBeGreaterThan(4000);
    const chunks = chunkText(nfd);
    expect(chunks.join("")).toBe(nfd.normalize("NFC"));
    expectWellFormed(chunks);
    // With no spaces at all the pieces are filled up to the limit (less one cluster at most).
    expect(chunks[0]?.length).toBeGreaterThan(1990);
  });

  it("never splits an emoji sequence, even with nothing else to cut at", () => {
    // 4 UTF-16 units each, shifted by one so a cut every 2000 units would land inside one.
    const thumbs = "a" + "👍🏽".repeat(1250);
    const chunks = chunkText(thumbs);
    expect(chunks.length).toBe(3);
    expect(chunks.join("")).toBe(thumbs);
    expectWellFormed(chunks);
    for (const c of chunks) expect(c.replace(/^a/, "").split("👍🏽").every((rest) => rest === "")).toBe(true);
  });

  it("splits a pathological cluster longer than the limit between code points, and handles edges", () => {
    const zalgo = "a" + "\u0301\u0323".repeat(1500);
    const chunks = chunkText(zalgo);
    expect(chunks.join("")).toBe(zalgo.normalize("NFC"));
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(2000);
    expect(chunkText("")).toEqual([]);
    expect(chunkText("Đã ghi nhận.")).toEqual(["Đã ghi nhận."]);
    expect(chunkText("x".repeat(2000))).toHaveLength(1);
    expect(chunkText("x".repeat(2001)).map((c) => c.length)).toEqual([2000, 1]);
    expect(() => chunkText("abc", 1)).toThrow(RangeError);
  });
});

describe("classifyZaloBotError", () => {
  it.each<[string, SendFailureKind, number | null]>([
    ["400-bad-request", "invalid", 400],
    ["200-not-ok", "invalid", 400],
    ["401-unauthorized", "token", 401],
    ["403-forbidden", "unreachable", 403],
    ["429-too-many", "slow_down", 429],
    ["500-internal", "retry", 500],
    ["502-html", "retry", 502],
  ])("%s → %s", (name, kind, code) => {
    const { status, body } = fixture(name);
    const failure = classifyZaloBotError(status, body);
    expect(failure.kind).toBe(kind);
    expect(failure.code).toBe(code);
    expect(failure.message.length).toBeGreaterThan(0);
    expect(failure.message).not.toMatch(/<[a-z]/i);
  });

  it("tells permanent from transient, and reads a 200 without an envelope as transient", () => {
    expect((["token", "unreachable", "invalid"] as const).every(isPermanent)).toBe(true);
    expect((["retry", "slow_down", "timeout"] as const).some(isPermanent)).toBe(false);
    expect(classifyZaloBotError(200, "<html>proxy</html>").kind).toBe("retry");
    expect(classifyZaloBotError(200, { ok: false }).kind).toBe("invalid");
  });
});

describe("the send client against the fake Bot API", () => {
  let bot: FakeZaloBot;
  let cfg: ZaloBotConfig;
  beforeEach(async () => {
    bot = await startFakeZaloBot(TOKEN);
    cfg = { baseUrl: `${bot.baseUrl}/`, token: TOKEN };
  });
  afterEach(async () => {
    await bot.close();
  });

  it("POSTs JSON {chat_id, text} to /bot<TOKEN>/sendMessage and returns the message id", async () => {
    const outcome = await sendMessageOnce(cfg, { chat_id: CHAT, text: "Đã ghi nhận báo cáo." });
    expect(outcome).toEqual({ ok: true, messageId: "zb1" });
    const [req] = bot.requests;
    expect(req?.method).toBe("POST");
    expect(req?.token).toBe(TOKEN);
    expect(req?.apiMethod).toBe("sendMessage");
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.body).toEqual({ chat_id: CHAT, text: "Đã ghi nhận báo cáo." });
  });

  it("treats ok:false as a failure even with HTTP 200, with the platform's code and description", async () => {
    bot.script(scripted("200-not-ok"));
    const outcome = await sendMessageOnce(cfg, { chat_id: CHAT, text: "x" });
    expect(outcome).toEqual({ ok: false, kind: "invalid", code: 400, message: "Bad Request: text is too long" });
  });

  it("makes one call per try: a transient failure is handed back for the delivery queue to retry", async () => {
    bot.script(scripted("500-internal"), scripted("502-html"), scripted("429-too-many"));
    const kinds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { outcome, attempts } = await sendText(cfg, CHAT, "Nhắc việc");
      expect(attempts).toHaveLength(1);
      kinds.push(outcome.ok ? "ok" : outcome.kind);
    }
    expect(kinds).toEqual(["retry", "retry", "slow_down"]);
    expect(bot.requests).toHaveLength(3);
    expect(await sendText(cfg, CHAT, "Nhắc việc")).toMatchObject({ outcome: { ok: true, messageId: "zb4" } });
    expect(bot.delivered(CHAT)).toEqual(["Nhắc việc"]);
  });

  it("never calls twice for a permanent failure", async () => {
    for (const name of ["400-bad-request", "401-unauthorized", "403-forbidden"]) {
      const before = bot.requests.length;
      bot.script(scripted(name));
      const { outcome, attempts } = await sendText(cfg, CHAT, "x");
      expect(outcome.ok).toBe(false);
      expect(attempts).toHaveLength(1);
      expect(bot.requests.length - before).toBe(1);
    }
  });

  it("times out a call with no answer, once", async () => {
    bot.script({ hang: true });
    const { outcome, attempts } = await sendText({ ...cfg, timeoutMs: 150 }, CHAT, "x");
    expect(attempts).toHaveLength(1);
    expect(outcome).toMatchObject({ ok: false, kind: "timeout" });
  });

  it("sends a 5,000-character Vietnamese text as ordered pieces that the person reads back whole", async () => {
    const text = vietnameseText(5000);
    const { outcome, attempts } = await sendText(cfg, CHAT, text);
    expect(outcome).toEqual({ ok: true, messageId: "zb1" });
    expect(attempts.map((a) => a.chunk)).toEqual([0, 1, 2]);
    const got = bot.delivered(CHAT);
    expect(got).toHaveLength(3);
    expect(got.join("")).toBe(text);
    expectWellFormed(got);
  });

  it("stops at a piece that cannot go: the rest of a long text is not sent", async () => {
    bot.script(scripted("success"), scripted("403-forbidden"));
    const { outcome, attempts } = await sendText(cfg, CHAT, vietnameseText(5000));
    expect(outcome).toMatchObject({ ok: false, kind: "unreachable" });
    expect(attempts.map((a) => a.chunk)).toEqual([0, 1]);
    expect(bot.requests).toHaveLength(2);
  });

  it("keeps the token out of every outcome message", async () => {
    // The platform (or a proxy) echoing the URL back.
    bot.script({ status: 404, body: { ok: false, error_code: 404, description: `Not Found: POST /bot${TOKEN}/sendMessage` } });
    const echoed = await sendMessageOnce(cfg, { chat_id: CHAT, text: "x" });
    expect(echoed).toMatchObject({ ok: false, kind: "token" });
    // A network error, and a base URL that does not parse (Node puts the whole URL in that error).
    const port = await closedPort();
    const network = await sendMessageOnce({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN }, { chat_id: CHAT, text: "x" });
    expect(network).toMatchObject({ ok: false, kind: "retry" });
    const badUrl = await sendMessageOnce({ baseUrl: "not a url", token: TOKEN }, { chat_id: CHAT, text: "x" });
    expect(badUrl.ok).toBe(false);
    for (const o of [echoed, network, badUrl]) {
      const message = o.ok ? "" : o.message;
      expect(message.length).toBeGreaterThan(0);
      expect(message).not.toContain(TOKEN);
      expect(message).not.toContain("ZbTestToken");
    }
    expect(echoed.ok ? "" : echoed.message).toContain("/bot[redacted]/sendMessage");
    expect(badUrl.ok ? "" : badUrl.message).toContain("[redacted]");
    expect(redactToken(`https://h/botOTHER:token-x/sendMessage`, TOKEN)).toBe("https://h/bot[redacted]/sendMessage");
  });
});

describe("zaloBotGateway", () => {
  let bot: FakeZaloBot;
  beforeEach(async () => {
    bot = await startFakeZaloBot(TOKEN);
  });
  afterEach(async () => {
    await bot.close();
  });
  const input = { orgId: "o", outboundMessageId: "out-1", externalId: CHAT, kind: "update" as const };

  it("has no reply window: anyone who ever wrote can be messaged, anyone who never did cannot", () => {
    const gateway = zaloBotGateway({ bot: { baseUrl: bot.baseUrl, token: TOKEN } });
    const now = new Date("2026-06-30T00:00:00Z");
    expect(gateway.canSend({ lastInboundAt: new Date("2026-06-29T23:59:00Z") }, now)).toEqual({ ok: true });
    expect(gateway.canSend({ lastInboundAt: new Date("2025-01-01T00:00:00Z") }, now)).toEqual({ ok: true });
    const never = gateway.canSend({ lastInboundAt: null }, now);
    expect(never).toMatchObject({ ok: false, reason: "unreachable" });
    expect(never.ok ? "" : never.detail).toMatch(/chưa từng nhắn/);
  });

  it("records its call: a transient failure is retrying, the next try sent with the platform's id", async () => {
    bot.script(scripted("500-internal"));
    const gateway = zaloBotGateway({ bot: { baseUrl: bot.baseUrl, token: TOKEN } });
    expect(await gateway.send({ ...input, text: "Nhắc: nhiệm vụ 6.2 đến hạn hôm nay." })).toEqual([
      { attempt: 1, outcome: "retrying", externalMessageId: null, errorCode: "500:retry", errorMessage: "Internal Server Error", needsOffice: false },
    ]);
    expect(await gateway.send({ ...input, text: "Nhắc: nhiệm vụ 6.2 đến hạn hôm nay." })).toEqual([
      { attempt: 1, outcome: "sent", externalMessageId: "zb2", errorCode: null, errorMessage: null, needsOffice: false },
    ]);
  });

  it("maps permanent failures: a bad token needs office, a blocked person is unreachable", async () => {
    const gateway = zaloBotGateway({ bot: { baseUrl: bot.baseUrl, token: "wrong-token-123" } });
    const [tokenRow, ...rest] = await gateway.send({ ...input, text: "x" });
    expect(rest).toEqual([]);
    expect(tokenRow).toMatchObject({ outcome: "failed", errorCode: "401:token", needsOffice: true });
    expect(tokenRow?.errorMessage).not.toContain("wrong-token-123");

    bot.script(scripted("403-forbidden"));
    const good = zaloBotGateway({ bot: { baseUrl: bot.baseUrl, token: TOKEN } });
    expect(await good.send({ ...input, text: "x" })).toEqual([
      { attempt: 1, outcome: "unreachable", externalMessageId: null, errorCode: "403:unreachable", errorMessage: "Forbidden: the user has blocked the bot", needsOffice: false },
    ]);
  });

  it("spells out a reminder's choices (the platform has no quick replies) and marks pieces of a long text", async () => {
    const gateway = zaloBotGateway({ bot: { baseUrl: bot.baseUrl, token: TOKEN } });
    const choices = [{ title: "Hoàn thành", payload: "R:1:done" }, { title: "Đang thực hiện", payload: "R:1:in_progress" }];
    await gateway.send({ ...input, text: "Nhiệm vụ 6.2 đến hạn.", choices });
    expect(bot.delivered(CHAT)).toEqual(["Nhiệm vụ 6.2 đến hạn.\n\nTrả lời: Hoàn thành · Đang thực hiện"]);
    expect(JSON.stringify(bot.requests.map((r) => r.body))).not.toContain("R:1:");

    bot.script(scripted("success"), scripted("success"), scripted("400-bad-request"));
    const rows = await gateway.send({ ...input, externalId: "chat-2", text: vietnameseText(5000) });
    expect(rows.map((r) => r.outcome)).toEqual(["sent", "sent", "failed"]);
    expect(rows[2]).toMatchObject({ errorCode: "400:invalid", errorMessage: "phần 3: Bad Request: chat not found" });
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("zaloBotGateway in a group", () => {
  let bot: FakeZaloBot;
  beforeEach(async () => {
    bot = await startFakeZaloBot(TOKEN);
  });
  afterEach(async () => {
    await bot.close();
  });

  it("names the people to call on in plain text (the platform has no mentions) and sends to the group's chat id", async () => {
    const gateway = zaloBotGateway({ bot: { baseUrl: bot.baseUrl, token: TOKEN } });
    const rows = await gateway.send({
      orgId: "o",
      outboundMessageId: "out-g",
      externalId: "g0a1b2c3d4e5f6a7b8c9",
      threadKind: "group",
      mentions: [{ externalId: "u1", name: "Nguyễn Văn Bình" }, { externalId: "u2", name: " Lê Hoa " }],
      text: "Nhiệm vụ 6.2 chưa có báo cáo.",
      kind: "update",
    });
    expect(rows.map((r) => r.outcome)).toEqual(["sent"]);
    expect(bot.delivered("g0a1b2c3d4e5f6a7b8c9")).toEqual(["Nguyễn Văn Bình, Lê Hoa: Nhiệm vụ 6.2 chưa có báo cáo."]);
  });
});
