/**
 * One way out (DESIGN.md §9), end to end on real queues: a reminder, a broadcast and a reply to
 * the same simulator user arrive in that user's inbox in the order they were sent; and a
 * Messenger reply the platform refuses (its window closed) is carried by the person's Zalo
 * account through the same delivery path as a reminder's copy.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../src/domain/index.ts";
import { messengerGateway } from "../../bots/messenger/index.ts";
import { simulatorGateway, simulatorPlugin } from "../../bots/simulator/index.ts";
import { createRecentMessages, createSendGuard, zaloGateway } from "../../bots/zalo/index.ts";
import { createBroadcasts, createConversation, createDelivery, createInbox, createIntake, createPlanner, type Conversation, type Store } from "../../src/app/index.ts";
import { buildApp } from "../../src/http/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { startFakeGraph, type FakeGraph } from "../fakes/graph-api.ts";
import { FakeZcaApi } from "../fakes/zca-js.ts";
import { SEED } from "../support/board-seed.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { queueRig } from "../support/queues.ts";
import { SIM_SECRET, simHeaders } from "../support/simulator.ts";

describe("every message leaves one way", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let conversation: Conversation;
  let graph: FakeGraph;
  let orgId: string;
  const zalo = new FakeZcaApi("8000000000000000001");
  // Monday 22/06/2020, 09:00 in Vietnam: inside working hours.
  const clock = new FakeClock("2020-06-22T02:00:00Z");
  const rig = queueRig();

  beforeAll(async () => {
    test = await createMigratedDatabase("postgres");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "one-way", name: "Phường một đường" })).id;
    const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
    await intake.activate(orgId, (await intake.importDirective({ orgId, text: SEED, actor: "test" })).directive.id, "test", { confirm: "all" });
    graph = await startFakeGraph();
    conversation = createConversation({ store, clock, dispatch: rig.dispatch });
    const gateways = {
      simulator: simulatorGateway(),
      messenger: messengerGateway({ graph: { baseUrl: graph.baseUrl, pageToken: "PAGE-TOKEN" } }),
      zalo: zaloGateway({ api: () => zalo, guard: createSendGuard({ hourlyCap: 100 }, { clock }), recent: createRecentMessages(), isLinked: async () => true }),
    };
    const delivery = createDelivery({ store, clock, gateways, dispatch: rig.dispatch });
    await rig.start({ clock, process: (o, id) => conversation.process(o, id), delivery, store, channels: ["simulator", "messenger", "zalo"] });
    app = await buildApp({
      logger: false,
      probes: [],
      channelPlugins: [simulatorPlugin({ handler: conversation, queue: rig.inbound, inbox: createInbox({ store, clock }), orgId, clock, secret: SIM_SECRET })],
    });
  });
  afterAll(async () => {
    await app.close();
    await rig.close();
    await graph.close();
    await test.drop();
  });

  async function cadre(name: string, unit: string) {
    const person = await store.persons.create({ orgId, fullName: name, roles: ["cadre"] });
    await store.persons.addMembership({ orgId, personId: person.id, unitId: (await store.units.list(orgId)).find((u) => u.name === unit)?.id ?? "" });
    return person;
  }
  async function settled(ids: string[]) {
    for (const end = Date.now() + 10_000; Date.now() < end; ) {
      const rows = await Promise.all(ids.map((id) => store.outbound.get(orgId, id)));
      if (rows.every((r) => r && r.status !== "pending")) return rows;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("not delivered within 10 s");
  }

  it("puts a reminder, a broadcast and a reply to one simulator user in that user's inbox, in order", async () => {
    const person = await cadre("Hoàng Thị Thu", "Hội Nông dân");
    const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: "sim-thu" });
    await store.chats.linkIdentity(orgId, identity.id, person.id, clock.now());

    // 1. A reminder comes due: the planner writes it and hands it to the queues.
    const row = (await store.tracking.board(orgId, localDay(clock.now()))).find((r) => r.item.ref === "6.2" && r.unit.name === "Hội Nông dân");
    await store.outbound.planReminder({ orgId, assignmentId: row?.assignment.id ?? "", kind: "before", plannedAt: clock.now(), dedupeKey: "one-way-reminder" });
    const fired = await createPlanner({ store, clock }).fire(orgId);
    expect(fired).toHaveLength(1);
    await rig.dispatch(fired);
    await settled(fired.map((r) => r.id));

    // 2. A broadcast to the unit.
    const broadcast = await createBroadcasts({ store, clock, dispatch: rig.dispatch }).send(orgId, { kind: "announcement", text: "Họp giao ban 8h thứ Hai.", targets: { units: ["Hội Nông dân"] } });
    expect(broadcast.recipients).toBe(1);
    for (const end = Date.now() + 10_000; (await store.outbound.pending(orgId)).length > 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));

    // 3. The person writes; the answer comes back through the same queues into the same inbox.
    const res = await app.inject({ method: "POST", url: "/api/simulator/messages", headers: simHeaders(), payload: { senderId: "sim-thu", text: "bc 6.2 đang làm 30%" } });
    expect(res.statusCode).toBe(200);
    const replies = res.json<{ replies: { messageId: string; text: string }[] }>().replies;
    expect(replies.map((r) => r.text).join("\n")).toContain("Đã ghi nhận báo cáo của đồng chí: Hội Nông dân · NV 6.2");

    const inbox = (await app.inject({ url: "/api/simulator/inbox?senderId=sim-thu", headers: simHeaders() })).json<{ inbox: { kind: string; status: string; text: string; messageId: string }[] }>().inbox;
    expect(inbox.map((m) => m.kind)).toEqual(["reminder", "broadcast", "reply"]);
    expect(inbox.every((m) => m.status === "sent")).toBe(true);
    expect(inbox[0]?.text).toContain("NV 6.2");
    expect(inbox[1]?.text).toContain("Họp giao ban 8h thứ Hai.");
    expect(inbox[2]?.messageId).toBe(replies[0]?.messageId);
    // The inbox is guarded like the rest of the simulator.
    expect((await app.inject({ url: "/api/simulator/inbox?senderId=sim-thu" })).statusCode).toBe(401);
  });

  it("carries a Messenger reply refused for a closed window on the person's Zalo account, like a reminder's copy", async () => {
    const person = await cadre("Phan Văn Kiên", "Hội Cựu chiến binh");
    const fb = await store.chats.upsertIdentity({ orgId, channel: "messenger", externalId: "psid-kien" });
    await store.chats.linkIdentity(orgId, fb.id, person.id, clock.now());
    const za = await store.chats.upsertIdentity({ orgId, channel: "zalo", externalId: "2984561230987654321" });
    await store.chats.linkIdentity(orgId, za.id, person.id, clock.now());

    // He writes on Messenger; the Page's window has closed by the time the answer goes out.
    graph.script({ status: 400, body: { error: { message: "(#10) This message is sent outside of allowed window.", type: "OAuthException", code: 10, error_subcode: 2018278, fbtrace_id: "x" } } });
    const id = await conversation.accept({ orgId, channel: "messenger", threadId: "psid-kien", threadKind: "direct", senderId: "psid-kien", messageId: "mid-kien-1", text: "/nhiemvu", sentAt: clock.now() });
    await rig.inbound.enqueueInbound(orgId, id ?? "");
    let replies: Awaited<ReturnType<Store["outbound"]["repliesTo"]>> = [];
    for (const end = Date.now() + 10_000; Date.now() < end; ) {
      replies = await store.outbound.repliesTo(orgId, id ?? "");
      if (replies.length >= 2 && replies.every((r) => r.status !== "pending")) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const [onMessenger, onZalo] = replies;
    expect(onMessenger).toMatchObject({ status: "failed", to: "psid-kien", kind: "reply" });
    expect(onZalo).toMatchObject({ status: "sent", to: "2984561230987654321", kind: "reply" });
    expect(onZalo?.text).toBe(onMessenger?.text);
    expect(zalo.sent.map((m) => m.content.msg)).toContain(onMessenger?.text);
    const ledger = await store.outbound.deliveries(orgId, onMessenger?.outboundMessageId ?? "");
    expect(ledger.map((d) => d.outcome)).toEqual(["window_closed"]);
    expect(ledger[0]?.errorMessage).toContain("chuyển sang zalo");
    expect((await store.outbound.get(orgId, onZalo?.outboundMessageId ?? ""))?.fallbackOf).toBe(onMessenger?.outboundMessageId);
  });
});
