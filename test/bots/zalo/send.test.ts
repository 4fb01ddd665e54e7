import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildMentions, createRecentMessages, createSendGuard, normalizeMessage, zaloGateway } from "../../../bots/zalo/index.ts";
import { ThreadType } from "../../../bots/zalo/sdk.ts";
import { FakeClock } from "../../fakes/clock.ts";
import { FakeZcaApi, groupMessage, userMessage, zaloError } from "../../fakes/zca-js.ts";
import { FakeScheduler } from "./fake-scheduler.ts";

const BOT = "8000000000000000001";
const GROUP = "5012345678901234567";
const PERSON = "2984561230987654321";
type Raw = Parameters<typeof groupMessage>[1];
const fixture = (name: string): Raw => JSON.parse(readFileSync(new URL(`../../fixtures/zalo/${name}.json`, import.meta.url), "utf8")) as Raw;

function setup(options: { hourlyCap?: number; linked?: string[] } = {}) {
  const clock = new FakeClock("2020-06-20T01:00:00Z");
  const scheduler = new FakeScheduler(clock, true);
  const guard = createSendGuard({ hourlyCap: options.hourlyCap ?? 300 }, { clock });
  const api = new FakeZcaApi(BOT);
  const recent = createRecentMessages();
  let connected: FakeZcaApi | null = api;
  const gateway = zaloGateway({ api: () => connected, guard, recent, isLinked: async (_o, uid) => (options.linked ?? [PERSON]).includes(uid) });
  const send = (over: Partial<Parameters<typeof gateway.send>[0]> = {}) =>
    gateway.send({ orgId: "o", outboundMessageId: "out-1", externalId: GROUP, threadKind: "group", text: "Nhắc báo cáo NV 6.2", kind: "update", ...over });
  return { clock, scheduler, guard, api, recent, gateway, send, disconnect: () => (connected = null) };
}

describe("the account's send guard on a fake clock (spacing is the delivery queue's pacer)", () => {
  it("sends one at a time on the account, even when all are started at once", async () => {
    const { api, send } = setup();
    let inFlight = 0;
    let most = 0;
    const origin = api.sendMessage;
    api.sendMessage = async (...args) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return origin(...args);
    };
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => send({ outboundMessageId: `o${i}` })));
    expect(results.every((r) => r[0]?.outcome === "sent")).toBe(true);
    expect(api.sent).toHaveLength(5);
    expect(most).toBe(1);
  });

  it("refuses beyond the hourly cap without calling Zalo, and sends again once the hour has passed", async () => {
    const { clock, api, send } = setup({ hourlyCap: 3 });
    for (let i = 0; i < 3; i++) expect((await send())[0]?.outcome).toBe("sent");
    const refused = await send();
    expect(refused[0]).toMatchObject({ outcome: "rate_limited", errorCode: "hourly_cap" });
    expect(api.sent).toHaveLength(3);
    clock.advance(60 * 60_000);
    expect((await send())[0]?.outcome).toBe("sent");
    expect(api.sent).toHaveLength(4);
  });
});

describe("error codes and empty results", () => {
  it.each([
    [122, "unreachable", false],
    [123, "failed", true],
    [221, "failed", true],
  ] as const)("%i → %s with the reason recorded, sent once, cool-down %s", async (code, outcome, coolsDown) => {
    const { api, send, clock } = setup();
    api.script.push(zaloError(code, "lỗi từ Zalo"));
    const attempts = await send();
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ outcome, errorCode: String(code) });
    expect(attempts[0]?.errorMessage).toContain("lỗi từ Zalo");
    expect(api.sent).toHaveLength(1);
    clock.advance(10_000);
    const next = await send();
    expect(next[0]?.outcome).toBe(coolsDown ? "rate_limited" : "sent");
    expect(api.sent).toHaveLength(coolsDown ? 1 : 2);
    if (coolsDown) {
      clock.advance(15 * 60_000);
      expect((await send())[0]?.outcome).toBe("sent");
    }
  });

  it("an empty result is a failure, not a success", async () => {
    const { api, send } = setup();
    api.script.push({ message: null, attachment: [] });
    const attempts = await send();
    expect(attempts).toEqual([expect.objectContaining({ outcome: "failed", errorCode: "empty_result" })]);
    expect(attempts[0]?.externalMessageId).toBeUndefined();
  });

  it("a network error is failed and not retried (it may have gone out)", async () => {
    const { api, send } = setup();
    api.script.push(new TypeError("fetch failed"));
    expect((await send())[0]).toMatchObject({ outcome: "failed", errorCode: "error", errorMessage: "fetch failed" });
    expect(api.sent).toHaveLength(1);
  });

  it("while reconnecting nothing is sent and the queue may try later", async () => {
    const { api, send, disconnect } = setup();
    disconnect();
    expect((await send())[0]).toMatchObject({ outcome: "retrying", errorCode: "not_connected" });
    expect(api.sent).toHaveLength(0);
  });
});

describe("who may be messaged", () => {
  it("our own messages go to groups and linked people, never to strangers; answers may", async () => {
    const { api, send } = setup({ linked: [PERSON] });
    expect((await send({ externalId: PERSON, threadKind: "direct" }))[0]?.outcome).toBe("sent");
    const stranger = await send({ externalId: "1111111111111111111", threadKind: "direct" });
    expect(stranger[0]).toMatchObject({ outcome: "unreachable", errorCode: "not_linked" });
    expect((await send({ externalId: "1111111111111111111", threadKind: "direct", kind: "response" }))[0]?.outcome).toBe("sent");
    expect(api.sent.map((s) => [s.threadId, s.type])).toEqual([
      [PERSON, ThreadType.User],
      ["1111111111111111111", ThreadType.User],
    ]);
  });
});

describe("mentions and quotes", () => {
  it("@mentions people in a group with offsets over the exact text sent", async () => {
    const { api, send } = setup();
    await send({ text: "Nhắc báo cáo NV 6.2 trước 17 giờ", mentions: [{ externalId: "101", name: "Vũ Thị Lan" }, { externalId: "102", name: "Hội CCB".normalize("NFD") }] });
    const sent = api.sent[0]?.content;
    expect(sent?.msg).toBe("@Vũ Thị Lan @Hội CCB Nhắc báo cáo NV 6.2 trước 17 giờ");
    for (const m of sent?.mentions ?? []) expect(sent?.msg.slice(m.pos, m.pos + m.len)).toMatch(/^@(Vũ Thị Lan|Hội CCB)$/);
    expect(sent?.mentions?.map((m) => m.uid)).toEqual(["101", "102"]);
    // Not in a direct message: Zalo ignores mentions there.
    await send({ externalId: PERSON, threadKind: "direct", mentions: [{ externalId: "101", name: "Lan" }] });
    expect(api.sent[1]?.content.mentions).toBeUndefined();
  });

  it("marks a name already written in the text instead of adding it again", () => {
    const text = "Đề nghị @Lan và @Hoa báo cáo";
    const { msg, mentions } = buildMentions(text, [{ uid: "2", name: "Hoa" }, { uid: "1", name: "Lan" }, { uid: "3", name: "An" }]);
    expect(msg).toBe("@An Đề nghị @Lan và @Hoa báo cáo");
    expect(mentions.map((m) => [m.uid, msg.slice(m.pos, m.pos + m.len)])).toEqual([
      ["3", "@An"],
      ["1", "@Lan"],
      ["2", "@Hoa"],
    ]);
  });

  it("a reply quotes the message it answers, with that message's own ids", async () => {
    const { api, recent, gateway } = setup();
    const question = groupMessage(BOT, fixture("group-mention"));
    const incoming = normalizeMessage(question, { orgId: "o", ownId: BOT });
    recent.remember(question, incoming?.messageId ?? "", incoming?.threadId ?? "");
    const attempts = await gateway.send({ orgId: "o", outboundMessageId: "r1", externalId: GROUP, text: "Đã ghi nhận 50%", kind: "response", quoteMessageId: incoming?.messageId ?? null });
    expect(attempts[0]?.outcome).toBe("sent");
    const sent = api.sent[0];
    expect(sent?.type).toBe(ThreadType.Group); // kind of thread known from the message it answers
    expect(sent?.content.quote).toMatchObject({ msgId: "7312345678901234570", cliMsgId: "1592614860456", uidFrom: "2984561230987654321", content: "@Đôn Đốc bc 6.2 đang thực hiện 50%" });
    // A message zca-js cannot quote (a poll) goes out unquoted rather than failing.
    const poll = userMessage(BOT, { ...fixture("direct-text"), msgId: "9", msgType: "group.poll" });
    recent.remember(poll, "9", PERSON);
    await gateway.send({ orgId: "o", outboundMessageId: "r2", externalId: PERSON, text: "ok", kind: "response", quoteMessageId: "9" });
    expect(api.sent[1]?.content.quote).toBeUndefined();
  });

  it("turns reminder choices into words (Zalo has no quick replies)", async () => {
    const { api, send } = setup();
    await send({ choices: [{ title: "Hoàn thành", payload: "R|a|done" }, { title: "Vướng mắc", payload: "R|a|blocked" }] });
    expect(api.sent[0]?.content.msg).toContain("Hoàn thành · Vướng mắc");
    expect(api.sent[0]?.content.msg).not.toContain("R|a|");
  });
});
