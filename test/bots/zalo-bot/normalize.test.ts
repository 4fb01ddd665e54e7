/**
 * Zalo Bot webhook bodies → IncomingMessage: both envelopes, ids kept exact as strings, only text
 * messages kept, everything else listed as ignored.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { normalize, parseJsonKeepingBigIntegers, unwrap } from "../../../bots/zalo-bot/normalize.ts";

const ORG = "org-1";
const RECEIVED = new Date("2026-01-01T00:00:00Z");
const raw = (name: string) => readFileSync(new URL(`../../fixtures/zalo-bot/webhook-${name}.json`, import.meta.url), "utf8");
const body = (name: string) => parseJsonKeepingBigIntegers(raw(name));

describe("parseJsonKeepingBigIntegers", () => {
  it("keeps integers beyond 2^53 as their exact digits and leaves everything else as JSON.parse does", () => {
    const text = raw("big-numeric-ids");
    const parsed = parseJsonKeepingBigIntegers(text) as { result: { message: Record<string, unknown> } };
    const m = parsed.result.message;
    expect(m.message_id).toBe("98765432109876543219");
    expect((m.from as { id: unknown }).id).toBe("12345678901234567891");
    // JSON.parse would have rounded it into another id.
    expect(String((JSON.parse(text) as typeof parsed).result.message.message_id)).not.toBe("98765432109876543219");
    // Digits inside strings and safe numbers are untouched.
    expect(m.text).toBe("id 98765432109876543219 trong chữ");
    expect(m.date).toBe(1750316350000);
    const mixed = '{"a":[-9007199254740993, 9007199254740991, 1.5e300, "x\\"99999999999999999999\\"", -0.5],"b":true}';
    expect(parseJsonKeepingBigIntegers(mixed)).toEqual({ a: ["-9007199254740993", 9007199254740991, 1.5e300, 'x"99999999999999999999"', -0.5], b: true });
    for (const text of ["", '{"ok":', "{'a':1}", '{"a":12345678901234567890'] ) expect(() => parseJsonKeepingBigIntegers(text)).toThrow(SyntaxError);
  });
});

describe("normalize", () => {
  it("reads the wrapped envelope of the official sample", () => {
    const { messages, ignored } = normalize(body("text-wrapped"), ORG, RECEIVED);
    expect(ignored).toEqual([]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      orgId: ORG,
      channel: "zalo_bot",
      threadId: "6ede9afa66b88fe6d6a9",
      threadKind: "direct",
      senderId: "6ede9afa66b88fe6d6a9",
      senderName: "Trần Văn An",
      messageId: "2d758cb5e222177a4e35",
      text: "Báo cáo nhiệm vụ 6.2: đã xong",
    });
    expect(messages[0]?.sentAt.toISOString()).toBe(new Date(1750316131602).toISOString());
    expect(messages[0]?.raw).toMatchObject({ message_id: "2d758cb5e222177a4e35" });
  });

  it("reads the bare update the same way as the wrapped one", () => {
    const bare = body("text-bare") as Record<string, unknown>;
    const wrapped = { ok: true, result: bare };
    const a = normalize(bare, ORG, RECEIVED).messages;
    const b = normalize(wrapped, ORG, RECEIVED).messages;
    expect(a).toHaveLength(1);
    expect(a).toEqual(b);
    expect(a[0]).toMatchObject({ messageId: "9a1b2c3d4e5f60718293", threadId: "7f1e0c9ab2d34e5f6a70", senderName: "Lê Thị Hoa" });
    expect(unwrap({ result: bare })).toBe(bare);
  });

  it("keeps big numeric ids exact as strings", () => {
    const [m] = normalize(body("big-numeric-ids"), ORG, RECEIVED).messages;
    expect(m).toMatchObject({ messageId: "98765432109876543219", senderId: "12345678901234567891", threadId: "12345678901234567891" });
    // A safe numeric id is accepted as its decimal string.
    const small = { event_name: "message.text.received", message: { message_id: 42, from: { id: 7 }, chat: { id: 7, chat_type: "PRIVATE" }, text: "xong", date: 1750316131602 } };
    expect(normalize(small, ORG, RECEIVED).messages[0]).toMatchObject({ messageId: "42", senderId: "7", threadId: "7" });
  });

  it("maps a GROUP chat to a group thread and a date in seconds to the same moment in ms", () => {
    const [m] = normalize(body("group-text"), ORG, RECEIVED).messages;
    expect(m).toMatchObject({ threadKind: "group", threadId: "g0a1b2c3d4e5f6a7b8c9", senderId: "1a2b3c4d5e6f7a8b9c0d" });
    expect(m?.sentAt.getTime()).toBe(1750316200 * 1000);
  });

  it.each(["image", "sticker", "voice", "unsupported", "unknown-event"])("acknowledges a %s update without making a message", (name) => {
    const result = normalize(body(name), ORG, RECEIVED);
    expect(result.messages).toEqual([]);
    expect(result.ignored).toHaveLength(1);
    expect(result.ignored[0]?.event).toBe((unwrap(body(name)) ?? { event_name: "?" }).event_name);
  });

  it("ignores what is not a person's text: bots, empty text, missing ids, ok:false, non-updates", () => {
    const base = unwrap(body("text-wrapped")) as unknown as { event_name: string; message: Record<string, unknown> };
    const variants: unknown[] = [
      { ...base, message: { ...base.message, from: { id: "b1", is_bot: true } } },
      { ...base, message: { ...base.message, text: "   " } },
      { ...base, message: { ...base.message, message_id: "" } },
      { ...base, message: { ...base.message, from: {} } },
      { ...base, message: { ...base.message, message_id: 1e300 } },
      { event_name: "message.text.received" },
      { ok: false, result: base },
      { ok: true, result: "nope" },
      { hello: "world" },
      [base],
      null,
    ];
    for (const [i, v] of variants.entries()) {
      const result = normalize(v, ORG, RECEIVED);
      expect([i, result.messages.length, result.ignored.length]).toEqual([i, 0, 1]);
    }
  });

  it("uses the receive time when the date is missing or not a number", () => {
    const base = unwrap(body("text-wrapped")) as unknown as { event_name: string; message: Record<string, unknown> };
    for (const date of [undefined, "hôm qua", -5, 0]) {
      const [m] = normalize({ ...base, message: { ...base.message, date } }, ORG, RECEIVED).messages;
      expect(m?.sentAt.getTime()).toBe(RECEIVED.getTime());
    }
  });
});
