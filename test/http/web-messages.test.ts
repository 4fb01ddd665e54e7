/**
 * "Tin đã gửi" (issue 15 §5): the office sees, per person, every message the bot sent each of
 * their chat accounts — a reply, a broadcast — newest first, escaped, and nobody else's.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBroadcasts, createConversation } from "../../src/app/index.ts";
import { seedBoard, type BoardSeed } from "../support/board-seed.ts";
import { linkPerson } from "../support/people.ts";
import { officeWebApp, WebClient } from "../support/web.ts";

describe("messages sent to a person", () => {
  let seed: BoardSeed;
  let app: FastifyInstance;
  let office: WebClient;
  let cadreId = "";
  let otherId = "";

  beforeAll(async () => {
    seed = await seedBoard("web-messages");
    const { store, clock, orgId } = seed;
    cadreId = (await linkPerson(store, orgId, clock.now(), { name: "Trần Văn Bình", roles: ["cadre"], sim: "sim-binh", unit: "Hội Cựu chiến binh" })).id;
    otherId = (await linkPerson(store, orgId, clock.now(), { name: "Lê Văn Tư", roles: ["cadre"], sim: "sim-tu", unit: "Hội Nông dân" })).id;
    const conversation = createConversation({ store, clock });
    const broadcasts = createBroadcasts({ store, clock });
    const web = await officeWebApp(seed, { conversation, broadcasts });
    app = web.app;
    await conversation.handle({ orgId, channel: "simulator", threadId: "sim-binh", threadKind: "direct", senderId: "sim-binh", messageId: "m-1", text: "chào văn phòng", sentAt: clock.now() });
    await broadcasts.send(orgId, { kind: "announcement", text: "Họp <b>giao ban</b> 8h thứ Hai", targets: { people: [cadreId] }, createdBy: web.officeId });
    await conversation.handle({ orgId, channel: "simulator", threadId: "sim-tu", threadKind: "direct", senderId: "sim-tu", messageId: "m-2", text: "cảm ơn", sentAt: clock.now() });
    office = new WebClient(app);
    expect((await office.signIn("vanphong", "mật khẩu văn phòng")).statusCode).toBe(303);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await seed?.test.drop();
  });

  it("lists what the bot sent the person, newest first, escaped, and only theirs", async () => {
    const people = await office.get("/people");
    expect(people.body).toContain(`<a href="/people/${cadreId}/messages">Tin đã gửi</a>`);
    const res = await office.get(`/people/${cadreId}/messages`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("<h1>Tin đã gửi tới Trần Văn Bình</h1>");
    expect(res.body).toContain("<h2>Mô phỏng</h2>");
    const broadcast = res.body.indexOf("📢 Họp &lt;b&gt;giao ban&lt;/b&gt; 8h thứ Hai");
    const greeting = res.body.indexOf("Văn phòng Đảng ủy kính chào đồng chí.");
    expect(broadcast).toBeGreaterThan(0);
    expect(greeting).toBeGreaterThan(broadcast); // newest first
    expect(res.body).toMatch(/<td>Thông báo<\/td>/);
    expect(res.body).toMatch(/<td>Trả lời<\/td>/);
    expect(res.body).not.toContain("Dạ, Văn phòng Đảng ủy cảm ơn đồng chí."); // Lê Văn Tư's reply
    expect((await office.get(`/people/${otherId}/messages`)).body).toContain("Dạ, Văn phòng Đảng ủy cảm ơn đồng chí.");
  });

  it("answers an unknown or malformed person with the 404 page", async () => {
    expect((await office.get("/people/00000000-0000-4000-8000-000000000000/messages")).statusCode).toBe(404);
    expect((await office.get("/people/not-an-id/messages")).statusCode).toBe(404);
  });
});
