/**
 * Delivering outbox messages through the Messenger gateway against a fake Graph server: the
 * 24-hour window, the fallback to the person's other account, error classes, and what one try
 * leaves for the next (the delivery queue retries: each `deliver` call is one try).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messengerGateway } from "../../bots/messenger/index.ts";
import { createConversation, createDelivery } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { startFakeGraph } from "../fakes/graph-api.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

const HOUR = 3_600_000;

describe("delivery through the Messenger gateway", () => {
  let test: TestDatabase;
  let store: Store;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  let delivery: ReturnType<typeof createDelivery>;
  let orgId: string;
  const clock = new FakeClock("2020-06-20T01:00:00Z");
  let n = 0;

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "deliver", name: "Phường gửi tin" })).id;
    graph = await startFakeGraph();
    const messenger = messengerGateway({ graph: { baseUrl: graph.baseUrl, pageToken: "PAGE-TOKEN", timeoutMs: 300 } });
    delivery = createDelivery({ store, clock, gateways: { messenger } });
    const office = await store.persons.create({ orgId, fullName: "Văn phòng", roles: ["office"] });
    const officeZalo = await store.chats.upsertIdentity({ orgId, channel: "zalo", externalId: "zalo-office" });
    await store.chats.linkIdentity(orgId, officeZalo.id, office.id, clock.now());
  });
  afterAll(async () => {
    await graph.close();
    await test.drop();
  });

  /** A person with a Messenger account that last wrote `hoursAgo` hours ago, and maybe a Zalo one. */
  async function recipient(hoursAgo: number, withZalo = false) {
    const person = await store.persons.create({ orgId, fullName: `Cán bộ ${++n}`, roles: ["cadre"] });
    const psid = `psid-${n}`;
    const fb = await store.chats.upsertIdentity({ orgId, channel: "messenger", externalId: psid, lastInboundAt: new Date(clock.now().getTime() - hoursAgo * HOUR) });
    await store.chats.linkIdentity(orgId, fb.id, person.id, clock.now());
    if (withZalo) {
      const zalo = await store.chats.upsertIdentity({ orgId, channel: "zalo", externalId: `zalo-${n}` });
      await store.chats.linkIdentity(orgId, zalo.id, person.id, clock.now());
    }
    const message = await store.outbound.enqueue({ orgId, identityId: fb.id, text: `Nhắc việc số ${n}: NV 6.2 hạn 30/06/2020.` });
    return { person, psid, message };
  }
  const sentTo = (psid: string) => graph.requests.filter((r) => r.body.recipient.id === psid);

  it("sends inside the window as UPDATE with the outbox id in metadata", async () => {
    const { psid, message } = await recipient(2);
    expect(await delivery.deliver(orgId, message.id)).toEqual({ status: "sent" });
    const [request] = sentTo(psid);
    expect(request?.body.messaging_type).toBe("UPDATE");
    expect(request?.body.message.metadata).toBe(`outbox:${message.id}`);
    const rows = await store.outbound.deliveries(orgId, message.id);
    expect(rows.map((d) => [d.outcome, d.channel])).toEqual([["sent", "messenger"]]);
    expect((await store.outbound.get(orgId, message.id))?.status).toBe("sent");
    // Delivering again does nothing: it was sent.
    expect(await delivery.deliver(orgId, message.id)).toEqual({ status: "skipped" });
    expect(sentTo(psid)).toHaveLength(1);
  });

  it("sends a reminder with its three quick replies, whose payloads name the assignment", async () => {
    const { psid, person } = await recipient(3);
    const org = orgId;
    const unit = await store.units.create({ orgId: org, name: `Đơn vị ${n}` });
    await store.persons.addMembership({ orgId: org, personId: person.id, unitId: unit.id });
    const { directive } = await store.directives.createDraft({ orgId: org, sourceText: `1. Việc ${n}.`, items: [{ ref: "1", text: "Việc.", summary: "Việc" }] });
    const item = (await store.directives.get(org, directive.id))?.items[0];
    const assignment = await store.tracking.assign({ orgId: org, itemId: item?.id ?? "", unitId: unit.id, role: "lead", dueDate: "2020-06-30" });
    const reminder = await store.outbound.planReminder({ orgId: org, assignmentId: assignment.id, kind: "before", plannedAt: clock.now(), dedupeKey: `r-${assignment.id}` });
    const fb = (await store.chats.identitiesOfPerson(org, person.id))[0];
    const message = await store.outbound.enqueue({ orgId: org, identityId: fb?.id ?? null, text: "Nhắc: NV 1 hạn 30/06/2020.", reminderId: reminder?.id ?? null });
    expect((await delivery.deliver(org, message.id)).status).toBe("sent");
    const request = sentTo(psid).find((r) => r.body.message.metadata === `outbox:${message.id}`);
    const quick = (request?.body.message as { quick_replies?: { title: string; payload: string }[] }).quick_replies;
    expect(quick?.map((q) => [q.title, q.payload])).toEqual([
      ["Hoàn thành", `R|${assignment.id}|done`],
      ["Đang thực hiện", `R|${assignment.id}|in_progress`],
      ["Vướng mắc", `R|${assignment.id}|blocked`],
    ]);
  });

  it("sends nothing outside the 24-hour window and falls back to the person's Zalo account", async () => {
    const { psid, message, person } = await recipient(25, true);
    const result = await delivery.deliver(orgId, message.id);
    expect(result.status).toBe("fallback");
    expect(sentTo(psid)).toHaveLength(0);
    const [row] = await store.outbound.deliveries(orgId, message.id);
    expect(row).toMatchObject({ outcome: "window_closed", errorMessage: expect.stringContaining("chuyển sang zalo") });
    expect((await store.outbound.get(orgId, message.id))?.status).toBe("failed");
    const fallback = await store.outbound.get(orgId, result.fallbackId ?? "");
    const zalo = (await store.chats.identitiesOfPerson(orgId, person.id)).find((i) => i.channel === "zalo");
    expect(fallback).toMatchObject({ status: "pending", identityId: zalo?.id, text: message.text, fallbackOf: message.id });
    // No Zalo sender is configured here: the copy fails, and does not bounce back to Messenger.
    expect(await delivery.deliver(orgId, fallback?.id ?? "")).toMatchObject({ status: "failed" });
    expect((await store.outbound.pending(orgId)).filter((m) => m.fallbackOf === fallback?.id)).toEqual([]);
  });

  it("fails visibly when the window is closed and there is no other account", async () => {
    const { psid, message, person } = await recipient(30);
    expect(await delivery.deliver(orgId, message.id)).toMatchObject({ status: "failed" });
    // Office sees who could not be reached, on which channel, and why.
    const failed = (await store.outbound.failed(orgId, 50)).find((f) => f.outboundMessageId === message.id);
    expect(failed).toMatchObject({ personName: person.fullName, channel: "messenger", outcome: "window_closed", error: expect.stringContaining("không còn kênh nào khác") });
    expect(sentTo(psid)).toHaveLength(0);
    expect((await store.audit.list(orgId)).some((e) => e.action === "delivery.unreachable" && e.entityId === message.id)).toBe(true);
  });

  it("hands a temporary failure (1200) back to the queue, sends on the next try, and records every attempt", async () => {
    const { psid, message } = await recipient(1);
    graph.script({ status: 500, body: { error: { message: "Temporary send message failure", type: "OAuthException", code: 1200 } } });
    expect(await delivery.deliver(orgId, message.id)).toMatchObject({ status: "retry" });
    expect((await store.outbound.get(orgId, message.id))?.status).toBe("pending");
    expect(await delivery.deliver(orgId, message.id)).toEqual({ status: "sent" });
    expect(sentTo(psid)).toHaveLength(2);
    expect((await store.outbound.deliveries(orgId, message.id)).map((d) => d.outcome)).toEqual(["retrying", "sent"]);
    // The last try fails it for good.
    const other = await recipient(1);
    graph.script({ status: 500, body: { error: { message: "Temporary send message failure", type: "OAuthException", code: 1200 } } });
    expect(await delivery.deliver(orgId, other.message.id, { finalTry: true })).toMatchObject({ status: "failed" });
    expect((await store.outbound.get(orgId, other.message.id))?.status).toBe("failed");
  });

  it("hands a rate limit (613) back to the queue as rate_limited", async () => {
    const { message } = await recipient(1);
    graph.script({ status: 400, body: { error: { message: "Calls to this api have exceeded the rate limit.", type: "OAuthException", code: 613 } } });
    expect(await delivery.deliver(orgId, message.id)).toMatchObject({ status: "retry" });
    expect((await store.outbound.deliveries(orgId, message.id)).map((d) => d.outcome)).toEqual(["rate_limited"]);
  });

  it.each([
    ["551 (person unavailable)", { error: { message: "This person isn't available right now.", type: "OAuthException", code: 551, error_subcode: 1545041 } }, "unreachable", false],
    ["190 (token expired)", { error: { message: "Error validating access token", type: "OAuthException", code: 190 } }, "failed", true],
    ["10/2018278 (outside the window)", { error: { message: "outside of allowed window", type: "OAuthException", code: 10, error_subcode: 2018278 } }, "window_closed", false],
  ])("never retries %s", async (_what, body, outcome, office) => {
    const { psid, message } = await recipient(1);
    const alerts = async () => (await store.audit.list(orgId, { limit: 1000 })).filter((e) => e.action === "channel.needs_office").length;
    const officeMessages = async () => (await store.outbound.pending(orgId)).filter((m) => m.text.includes("không gửi được tin")).length;
    const before = await alerts();
    const officeBefore = await officeMessages();
    graph.script({ status: 400, body });
    expect(await delivery.deliver(orgId, message.id)).toMatchObject({ status: "failed" });
    expect(sentTo(psid)).toHaveLength(1);
    expect((await store.outbound.deliveries(orgId, message.id)).map((d) => d.outcome)).toEqual([outcome]);
    // A token problem is office's to fix; an unreachable person or a closed window is not.
    expect((await alerts()) - before).toBe(office ? 1 : 0);
    expect((await officeMessages()) - officeBefore).toBe(office ? 1 : 0);
  });

  it("after a timeout whose message got through, waits for the echo and sends nothing twice", async () => {
    const { psid, message } = await recipient(1);
    graph.script({ hang: true, thenDeliver: true });
    // One try: no answer in time. The send is in doubt: it stays marked `sending`.
    expect(await delivery.deliver(orgId, message.id)).toMatchObject({ status: "retry" });
    expect((await store.outbound.deliveries(orgId, message.id)).map((d) => d.outcome)).toEqual(["sending"]);
    // The queue's next try, before the echo: it waits for the platform's record rather than sending.
    const waiting = await delivery.deliver(orgId, message.id);
    expect(waiting.status).toBe("in_doubt");
    expect(waiting.retryInMs).toBeGreaterThan(0);
    // The platform echoes what it delivered; the webhook records it against our outbox id.
    const mid = graph.echoFor(`outbox:${message.id}`);
    expect(mid).toBeTruthy();
    const conversation = createConversation({ store, clock });
    await conversation.recordEchoes(orgId, "messenger", [{ outboundMessageId: message.id, externalMessageId: mid ?? "" }]);
    expect(await delivery.deliver(orgId, message.id)).toEqual({ status: "skipped" });
    expect(sentTo(psid)).toHaveLength(1);
    expect((await store.outbound.get(orgId, message.id))?.status).toBe("sent");
    expect((await store.outbound.deliveries(orgId, message.id)).filter((d) => d.outcome === "sent").map((d) => d.externalMessageId)).toEqual([mid]);
  });

  it("after a timeout with no echo within the wait, sends again", async () => {
    const { psid, message } = await recipient(1);
    graph.script({ hang: true });
    expect(await delivery.deliver(orgId, message.id)).toMatchObject({ status: "retry" });
    expect((await delivery.deliver(orgId, message.id)).status).toBe("in_doubt");
    clock.advance(11_000);
    expect(await delivery.deliver(orgId, message.id)).toEqual({ status: "sent" });
    expect(sentTo(psid)).toHaveLength(2);
    expect(sentTo(psid)[1]?.body).toEqual(sentTo(psid)[0]?.body);
  });
});
