/**
 * The Messenger send client over real HTTP against a fake Graph API: request shape and limits,
 * the token's place, error classification from real-shaped error bodies, backoff, slow-down,
 * no retry where retrying cannot help, timeouts reconciled through the echo, the 24-hour window.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  buildSendRequest,
  classifyGraphError,
  isWindowOpen,
  sendOnce,
  type GraphConfig,
  type SendFailureKind,
} from "../../../bots/messenger/send.ts";
import type { SendRequest } from "../../../bots/messenger/types.ts";
import { startFakeGraph, type FakeGraph } from "../../fakes/graph-api.ts";

const TOKEN = "EAAGtestPageToken0123456789";
const PSID = "6543210987654321";

function fixture(name: string): { status: number; body: unknown } {
  const url = new URL(`../../fixtures/messenger/graph-${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as { status: number; body: unknown };
}

/** A sleep that does not wait and remembers what it was asked for. */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textOf(req: SendRequest): string {
  if (!("text" in req.message)) throw new Error("not a text message");
  return req.message.text;
}

describe("buildSendRequest", () => {
  it("builds a text message with messaging_type, metadata and capped quick replies", () => {
    const quickReplies = Array.from({ length: 15 }, (_, i) => ({ title: `Lựa chọn ${i + 1}`, payload: `CHOICE:${i + 1}` }));
    quickReplies[0] = { title: "Hoàn thành toàn bộ nhiệm vụ được giao", payload: "DONE:42" };
    const req = buildSendRequest(PSID, { text: "Nhiệm vụ 6.2 đến hạn hôm nay. Tiến độ?", quickReplies }, { messagingType: "UPDATE", metadata: "outbox:123" });

    expect(req.recipient).toEqual({ id: PSID });
    expect(req.messaging_type).toBe("UPDATE");
    expect(req.message).toMatchObject({ text: "Nhiệm vụ 6.2 đến hạn hôm nay. Tiến độ?", metadata: "outbox:123" });
    const chips = req.message.quick_replies ?? [];
    expect(chips).toHaveLength(13);
    expect(chips.map((c) => c.payload)).toEqual(["DONE:42", ...Array.from({ length: 12 }, (_, i) => `CHOICE:${i + 2}`)]);
    expect(chips.every((c) => c.content_type === "text" && c.title.length <= 20)).toBe(true);
    expect(chips[0]?.title).toBe("Hoàn thành toàn bộ…");
    expect(chips[1]?.title).toBe("Lựa chọn 2");
  });

  it("builds a button template of at most 3 postback buttons with text cut to 640", () => {
    const buttons = [
      { title: "Đã xong", payload: "DONE:42" },
      { title: "Xin gia hạn thêm thời gian", payload: "EXTEND:42" },
      { title: "Đang làm", payload: "DOING:42" },
      { title: "Bỏ qua", payload: "SKIP:42" },
    ];
    const req = buildSendRequest(PSID, { text: "Tiến độ nhiệm vụ 6.2 ".repeat(40), buttons, quickReplies: [{ title: "Xem", payload: "SHOW:42" }] }, { messagingType: "RESPONSE", metadata: "outbox:9" });

    expect(req.message).not.toHaveProperty("text");
    if (!("attachment" in req.message)) throw new Error("expected a template");
    const { payload } = req.message.attachment;
    expect(req.message.attachment.type).toBe("template");
    expect(payload.template_type).toBe("button");
    expect(payload.text.length).toBeLessThanOrEqual(640);
    expect(payload.text.endsWith("…")).toBe(true);
    expect(payload.buttons).toEqual([
      { type: "postback", title: "Đã xong", payload: "DONE:42" },
      { type: "postback", title: "Xin gia hạn thêm th…", payload: "EXTEND:42" },
      { type: "postback", title: "Đang làm", payload: "DOING:42" },
    ]);
    expect(req.message.metadata).toBe("outbox:9");
    expect(req.message.quick_replies).toEqual([{ content_type: "text", title: "Xem", payload: "SHOW:42" }]);
  });

  it("sends an empty buttons list as plain text", () => {
    const req = buildSendRequest(PSID, { text: "Chào đồng chí", buttons: [] }, { messagingType: "RESPONSE", metadata: "outbox:1" });
    expect(req.message).toEqual({ text: "Chào đồng chí", metadata: "outbox:1" });
  });

  it("refuses payloads and metadata over 1000 characters instead of corrupting them", () => {
    const long = "X".repeat(1001);
    expect(() => buildSendRequest(PSID, { text: "a", quickReplies: [{ title: "t", payload: long }] }, { messagingType: "RESPONSE", metadata: "m" })).toThrow(RangeError);
    expect(() => buildSendRequest(PSID, { text: "a", buttons: [{ title: "t", payload: long }] }, { messagingType: "RESPONSE", metadata: "m" })).toThrow(RangeError);
    expect(() => buildSendRequest(PSID, { text: "a" }, { messagingType: "RESPONSE", metadata: long })).toThrow(RangeError);
  });

  it("keeps a text of exactly 2000 characters whole", () => {
    const text = "ạ".repeat(2000);
    expect(textOf(buildSendRequest(PSID, { text }, { messagingType: "RESPONSE", metadata: "m" }))).toBe(text);
  });

  it("cuts Vietnamese text with emoji over 2000 characters on a character boundary", () => {
    const sentence = "Đồng chí Nguyễn Thị Hồng Nhung báo cáo: nhiệm vụ 6.2 đã hoàn thành 80% 🎉👍🏽 ";
    const text = sentence.repeat(60); // ~4800 UTF-16 units
    const cut = textOf(buildSendRequest(PSID, { text }, { messagingType: "RESPONSE", metadata: "m" }));

    expect(cut.length).toBeLessThanOrEqual(2000);
    expect(cut.length).toBeGreaterThan(1980);
    expect(cut.endsWith("…")).toBe(true);
    expect(text.startsWith(cut.slice(0, -1))).toBe(true);
    expect(LONE_SURROGATE.test(cut)).toBe(false);
    // A skin-tone emoji is one character: never "👍" left without its "🏽".
    expect(cut.slice(0, -1).trimEnd()).not.toMatch(/👍$/);
  });

  it("never splits an emoji sequence at the cut", () => {
    const family = "👨‍👩‍👧‍👦"; // 11 UTF-16 units, one character
    const cut = textOf(buildSendRequest(PSID, { text: "a".repeat(1997) + family + "b" }, { messagingType: "RESPONSE", metadata: "m" }));
    expect(cut).toBe("a".repeat(1997) + "…");
  });

  it("counts decomposed Vietnamese (Unicode tổ hợp) as the composed letters it shows", () => {
    const decomposed = "ệ".normalize("NFD"); // e + two combining marks
    expect(decomposed).toHaveLength(3);
    const cut = textOf(buildSendRequest(PSID, { text: "a".repeat(1998) + decomposed + "xyz" }, { messagingType: "RESPONSE", metadata: "m" }));
    expect(cut).toBe("a".repeat(1998) + "ệ…");
  });
});

describe("classifyGraphError", () => {
  const error = (code: number, error_subcode?: number) => ({ error: { message: `(#${code}) test`, type: "OAuthException", code, error_subcode, fbtrace_id: "T" } });

  it.each<[string, number, unknown, SendFailureKind, number | null, number | null]>([
    ["1200 temporary", 500, fixture("1200-temporary").body, "retry", 1200, null],
    ["2 unexpected", 500, fixture("2-unexpected").body, "retry", 2, null],
    ["4 app limit", 403, fixture("4-app-limit").body, "slow_down", 4, null],
    ["613 rate limit", 400, fixture("613-rate-limit").body, "slow_down", 613, null],
    ["551/1545041 unavailable", 400, fixture("551-unavailable").body, "unreachable", 551, 1545041],
    ["10/2018278 outside window", 400, fixture("10-outside-window").body, "window_closed", 10, 2018278],
    ["10 with another window subcode", 400, error(10, 2018065), "window_closed", 10, 2018065],
    ["10/1893063 page restricted", 400, error(10, 1893063), "token", 10, 1893063],
    ["100/2018001 no matching user", 400, fixture("100-no-matching-user").body, "unreachable", 100, 2018001],
    ["100 invalid parameter", 400, fixture("100-invalid-parameter").body, "invalid", 100, null],
    ["190 invalid token", 400, fixture("190-invalid-token").body, "token", 190, 460],
    ["200 permission", 403, fixture("200-permission").body, "token", 200, null],
    ["230 permission", 403, error(230), "token", 230, null],
    ["unknown code, 5xx", 503, error(99999), "retry", 99999, null],
    ["unknown code, 4xx", 400, error(99999), "invalid", 99999, null],
    ["a Graph error as raw JSON text", 400, JSON.stringify(error(613)), "slow_down", 613, null],
    ["HTML 502", 502, fixture("502-html").body, "retry", null, null],
    ["plain 404", 404, "Not Found", "invalid", null, null],
    ["bare 429", 429, "", "slow_down", null, null],
  ])("%s", (_name, status, body, kind, code, subcode) => {
    expect(classifyGraphError(status, body)).toMatchObject({ ok: false, kind, code, subcode });
  });

  it("keeps Graph's message, and says what came back when it was not Graph", () => {
    expect(classifyGraphError(400, fixture("10-outside-window").body).message).toMatch(/^\(#10\) This message is sent outside of allowed window/);
    expect(classifyGraphError(502, fixture("502-html").body).message).toBe(
      "HTTP 502: Facebook | Error Sorry, something went wrong. We're working on it and we'll get it fixed as soon as we can.",
    );
  });
});

describe("sending through the fake Graph API", () => {
  let graph: FakeGraph;
  let cfg: GraphConfig;
  const request = () => buildSendRequest(PSID, { text: "Nhắc việc: nhiệm vụ 6.2 đến hạn 30/6" }, { messagingType: "RESPONSE", metadata: "outbox:77" });

  beforeEach(async () => {
    graph = await startFakeGraph();
    cfg = { baseUrl: graph.baseUrl, pageToken: TOKEN };
  });
  afterEach(async () => {
    await graph.close();
  });

  it("posts to /me/messages with the token as a Bearer header only, and returns the message id", async () => {
    const outcome = await sendOnce(cfg, request());

    expect(outcome).toEqual({ ok: true, messageId: "m_1" });
    expect(graph.requests).toHaveLength(1);
    const [seen] = graph.requests;
    expect(seen?.path).toBe("/v25.0/me/messages");
    expect(seen?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(seen?.body).toEqual({ recipient: { id: PSID }, messaging_type: "RESPONSE", message: { text: "Nhắc việc: nhiệm vụ 6.2 đến hạn 30/6", metadata: "outbox:77" } });
    expect(JSON.stringify(seen?.body)).not.toContain(TOKEN);
  });

  it("adds appsecret_proof when the app secret is set, still without the token in the URL", async () => {
    await sendOnce({ ...cfg, appSecret: "app-secret" }, request());
    const expected = createHmac("sha256", "app-secret").update(TOKEN).digest("hex");
    const path = graph.requests[0]?.path ?? "";
    expect(path).toBe(`/v25.0/me/messages?appsecret_proof=${expected}`);
    expect(path).not.toContain(TOKEN);
  });

  it("tolerates a trailing slash on the base URL", async () => {
    expect(await sendOnce({ ...cfg, baseUrl: `${graph.baseUrl}/` }, request())).toEqual({ ok: true, messageId: "m_1" });
    expect(graph.requests[0]?.path).toBe("/v25.0/me/messages");
  });

  it("sends a button template exactly as built", async () => {
    const req = buildSendRequest(PSID, { text: "Nhiệm vụ 6.2?", buttons: [{ title: "Đã xong", payload: "DONE:42" }] }, { messagingType: "UPDATE", metadata: "outbox:5" });
    await sendOnce(cfg, req);
    expect(graph.requests[0]?.body).toEqual(req);
  });

  it("never puts the token into an outcome message", async () => {
    graph.script({ status: 400, body: { error: { message: `Malformed access token ${TOKEN}`, type: "OAuthException", code: 190, fbtrace_id: "T" } } });
    const outcome = await sendOnce(cfg, request());
    expect(outcome).toMatchObject({ ok: false, kind: "token", code: 190 });
    expect(JSON.stringify(outcome)).not.toContain(TOKEN);
    expect(JSON.stringify(outcome)).toContain("[redacted]");
  });

  it("reads a real-shaped error answer into its kind", async () => {
    graph.script(fixture("10-outside-window"));
    expect(await sendOnce(cfg, request())).toMatchObject({ ok: false, kind: "window_closed", code: 10, subcode: 2018278 });
  });

  it("treats an HTML 5xx page as retry; the next call (the queue's next try) succeeds", async () => {
    graph.script(fixture("502-html"));
    expect(await sendOnce(cfg, request())).toMatchObject({ ok: false, kind: "retry", code: null, subcode: null, message: expect.stringMatching(/^HTTP 502: /) });
    expect(await sendOnce(cfg, request())).toEqual({ ok: true, messageId: "m_2" });
  });

  it.each<[string, SendFailureKind, number]>([
    ["1200-temporary", "retry", 1200],
    ["2-unexpected", "retry", 2],
    ["613-rate-limit", "slow_down", 613],
    ["4-app-limit", "slow_down", 4],
  ])("reads %s as %s, in one call (retrying is the delivery queue's)", async (name, kind, code) => {
    graph.script(fixture(name));
    expect(await sendOnce(cfg, request())).toMatchObject({ ok: false, kind, code });
    expect(graph.requests).toHaveLength(1);
  });

  it.each<[string, SendFailureKind]>([
    ["551-unavailable", "unreachable"],
    ["10-outside-window", "window_closed"],
    ["190-invalid-token", "token"],
    ["200-permission", "token"],
    ["100-invalid-parameter", "invalid"],
    ["100-no-matching-user", "unreachable"],
  ])("reads %s as %s", async (name, kind) => {
    graph.script(fixture(name));
    expect(await sendOnce(cfg, request())).toMatchObject({ ok: false, kind });
    expect(graph.requests).toHaveLength(1);
  });

  it("times out a call with no answer, once: the message may have gone out", async () => {
    graph.script({ hang: true, thenDeliver: true });
    expect(await sendOnce({ ...cfg, timeoutMs: 150 }, request())).toEqual({ ok: false, kind: "timeout", code: null, subcode: null, message: "no answer within 150 ms" });
    expect(graph.requests).toHaveLength(1);
    // The platform did deliver it: its echo carries our metadata.
    expect(graph.echoFor("outbox:77")).toBe("m_1");
  });

  it("reports a network error as retry", async () => {
    const gone = await startFakeGraph();
    await gone.close();
    const outcome = await sendOnce({ ...cfg, baseUrl: gone.baseUrl }, request());
    expect(outcome).toMatchObject({ ok: false, kind: "retry", code: null, message: expect.stringContaining("ECONNREFUSED") });
  });

  it("uses an injected fetch", async () => {
    const fake = vi.fn(async () => new Response(JSON.stringify({ recipient_id: PSID, message_id: "m_injected" }), { status: 200 }));
    expect(await sendOnce({ ...cfg, fetch: fake }, request())).toEqual({ ok: true, messageId: "m_injected" });
    expect(fake).toHaveBeenCalledOnce();
    expect(graph.requests).toHaveLength(0);
  });

  it("fake: close() ends a request that hangs", async () => {
    graph.script({ hang: true });
    const pending = fetch(`${graph.baseUrl}/me/messages`, { method: "POST", body: JSON.stringify(request()) });
    await vi.waitFor(() => expect(graph.requests).toHaveLength(1));
    await graph.close();
    await expect(pending).rejects.toThrow();
    graph = await startFakeGraph(); // for afterEach
  });
});

describe("isWindowOpen", () => {
  const last = new Date("2026-06-01T08:00:00Z");
  const after = (minutes: number) => new Date(last.getTime() + minutes * 60_000);

  it("is open at 23 h 59 and closed at 24 h 01", () => {
    expect(isWindowOpen(last, after(23 * 60 + 59))).toBe(true);
    expect(isWindowOpen(last, after(24 * 60 + 1))).toBe(false);
  });

  it("closes at exactly 24 h, and is closed for someone who never wrote", () => {
    expect(isWindowOpen(last, after(24 * 60))).toBe(false);
    expect(isWindowOpen(null, after(0))).toBe(false);
  });
});
