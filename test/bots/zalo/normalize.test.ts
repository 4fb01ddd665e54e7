import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { idString, isAddressedToBot, normalizeMessage } from "../../../bots/zalo/index.ts";
import { groupMessage, userMessage, WireBigNumber } from "../../fakes/zca-js.ts";

const BOT = "8000000000000000001";
const ORG = "org-1";
type Raw = Parameters<typeof groupMessage>[1];
const fixture = (name: string): Raw => JSON.parse(readFileSync(new URL(`../../fixtures/zalo/${name}.json`, import.meta.url), "utf8")) as Raw;

describe("normalizeMessage", () => {
  it("maps a direct message: thread = the person, every id a string with all 19 digits", () => {
    const m = normalizeMessage(userMessage(BOT, fixture("direct-text")), { orgId: ORG, ownId: BOT });
    expect(m).toMatchObject({
      orgId: ORG,
      channel: "zalo",
      threadKind: "direct",
      threadId: "2984561230987654321",
      senderId: "2984561230987654321",
      senderName: "Trần Văn An",
      messageId: "7312345678901234567",
      text: "bc 6.2 đã xong",
      replyToMessageId: null,
    });
    expect(m?.sentAt.toISOString()).toBe("2020-06-20T01:00:00.000Z");
    expect(m?.mentions).toBeUndefined();
  });

  it("maps a group message: thread = the group, the bot's @mention cut from the text, mentions kept", () => {
    const raw = groupMessage(BOT, fixture("group-mention"));
    const m = normalizeMessage(raw, { orgId: ORG, ownId: BOT });
    expect(m).toMatchObject({ threadKind: "group", threadId: "5012345678901234567", senderId: "2984561230987654321", messageId: "7312345678901234570" });
    expect(m?.text).toBe("bc 6.2 đang thực hiện 50%");
    expect(m?.mentions).toEqual([{ uid: BOT, name: "Đôn Đốc" }]);
    expect(isAddressedToBot(raw, BOT)).toBe(true);
  });

  it("keeps a quoted 19-digit global id intact when json-bigint delivered it as a BigNumber", () => {
    const raw = groupMessage(BOT, { ...fixture("group-quote-bot"), quote: { ...fixture("group-quote-bot").quote!, globalMsgId: "7312345678901234599" } });
    expect(raw.data.quote?.globalMsgId).toBeInstanceOf(WireBigNumber);
    // What a careless Number() would make of it:
    expect(String(Number("7312345678901234599"))).not.toBe("7312345678901234599");
    const m = normalizeMessage(raw, { orgId: ORG, ownId: BOT });
    expect(m?.replyToMessageId).toBe("7312345678901234599");
    expect(isAddressedToBot(raw, BOT)).toBe(true);
  });

  it("drops our own messages (sent from here or from the account's phone)", () => {
    const fromPhone = userMessage(BOT, { ...fixture("direct-text"), uidFrom: "0", idTo: "2984561230987654321" });
    expect(fromPhone.isSelf).toBe(true);
    expect(normalizeMessage(fromPhone, { orgId: ORG, ownId: BOT })).toBeNull();
    const inGroup = groupMessage(BOT, { ...fixture("group-mention"), uidFrom: "0" });
    expect(normalizeMessage(inGroup, { orgId: ORG, ownId: BOT })).toBeNull();
    // And a message of another person is kept.
    expect(normalizeMessage(groupMessage(BOT, fixture("group-mention")), { orgId: ORG, ownId: BOT })).not.toBeNull();
  });

  it("takes a photo's caption as text and normalises Vietnamese to NFC", () => {
    const photo = userMessage(BOT, { ...fixture("direct-text"), msgType: "chat.photo", content: { title: "Ảnh hiện trường", description: "", href: "https://x", thumb: "", childnumber: 0, action: "", params: "", type: "" } });
    expect(normalizeMessage(photo, { orgId: ORG, ownId: BOT })?.text).toBe("Ảnh hiện trường");
    const nfd = userMessage(BOT, { ...fixture("direct-text"), content: "đã xong".normalize("NFD") });
    expect(normalizeMessage(nfd, { orgId: ORG, ownId: BOT })?.text).toBe("đã xong".normalize("NFC"));
  });
});

describe("isAddressedToBot (group gate)", () => {
  const chatter = fixture("group-chatter");
  it("ignores group chatter, @All included", () => {
    const raw = groupMessage(BOT, chatter);
    expect(isAddressedToBot(raw, BOT)).toBe(false);
    expect(normalizeMessage(raw, { orgId: ORG, ownId: BOT })?.mentions).toEqual([{ uid: "-1", name: "Tất cả" }]);
  });
  it("takes a command, a mention of the bot, a quote of the bot; not a quote of someone else", () => {
    expect(isAddressedToBot(groupMessage(BOT, { ...chatter, content: "  /trogiup", mentions: undefined }), BOT)).toBe(true);
    expect(isAddressedToBot(groupMessage(BOT, { ...chatter, content: "@Đôn Đốc tiến độ?", mentions: [{ uid: BOT, pos: 0, len: 8, type: 0 }] }), BOT)).toBe(true);
    const quoteOf = (ownerId: string) => groupMessage(BOT, { ...chatter, mentions: undefined, content: "ok", quote: { ownerId, globalMsgId: "123" } });
    expect(isAddressedToBot(quoteOf(BOT), BOT)).toBe(true);
    expect(isAddressedToBot(quoteOf("2984561230987654322"), BOT)).toBe(false);
  });
  it("passes every direct message", () => {
    expect(isAddressedToBot(userMessage(BOT, { ...fixture("direct-text"), content: "chào" }), BOT)).toBe(true);
  });
});

describe("idString", () => {
  it("keeps every digit whatever form the id took", () => {
    expect(idString("7312345678901234567")).toBe("7312345678901234567");
    expect(idString(new WireBigNumber("7312345678901234567"))).toBe("7312345678901234567");
    expect(idString(1234)).toBe("1234");
    expect(idString(7312345678901234567n)).toBe("7312345678901234567");
    expect(idString(undefined)).toBe("");
  });
});
