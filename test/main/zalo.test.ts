/**
 * `dondoc zalo` end to end in one process: the real worker (`startWorker`) and the Zalo process
 * (`startZalo`) on a real database and real Redis (a unique queue prefix), zca-js faked. A group
 * message mentioning the bot is stored, processed by the worker's inbound queue, and its reply
 * goes out through the `deliver-zalo` worker of the Zalo process, quoting the message. Also the
 * CLI's one-line refusals.
 */
import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../src/domain/index.ts";
import { credentialStore } from "../../bots/zalo/index.ts";
import { ThreadType } from "../../bots/zalo/sdk.ts";
import { parseConfig, type Config } from "../../src/config/index.ts";
import type { Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { systemClock } from "../../src/main/components.ts";
import { startWorker } from "../../src/main/worker.ts";
import { Lifecycle } from "../../src/main/lifecycle.ts";
import { alertOfficeOffZalo, startZalo } from "../../src/main/zalo.ts";
import { fakeLogin, groupMessage } from "../fakes/zca-js.ts";
import { runDondoc } from "../support/cli.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { ALWAYS_OPEN } from "../support/queues.ts";
import { TEST_REDIS_URL } from "../support/env.ts";
import { useTempDirs } from "../support/temp-dirs.ts";

const tempDir = useTempDirs("dondoc-zalo-main-");
const BOT = "8000000000000000001";
const GROUP = "5012345678901234567";
const CADRE_UID = "2984561230987654321";

async function waitFor(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("dondoc zalo: the reply path through the zalo delivery worker", () => {
  let test: TestDatabase;
  let store: Store;
  let config: Config;
  let lifecycle: Lifecycle;
  const login = fakeLogin(BOT);
  let orgId: string;

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    const key = randomBytes(32).toString("hex");
    const dataDir = tempDir();
    config = parseConfig({
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `zalo-main-${randomBytes(4).toString("hex")}`,
      DATA_DIR: dataDir,
      ZALO_CREDENTIALS_KEY: key,
      ZALO_SEND_INTERVAL_MS: "1000",
      DELIVERY_RATES: "zalo=50,simulator=200",
      LOG_LEVEL: "silent",
    });
    await credentialStore({ dataDir, account: "default", key: Buffer.from(key, "hex"), clock: systemClock }).save({
      imei: "imei-1",
      cookie: [{ key: "zpw_sek", value: "v1", domain: "chat.zalo.me" }],
      userAgent: "UA",
    });
    orgId = (await store.orgs.create({ slug: "zalo-main", name: "Phường Zalo", settings: ALWAYS_OPEN })).id;
    // A cadre of Hội CCB, linked on Zalo, whose unit has item 1 of an active directive.
    const unit = await store.units.create({ orgId, name: "Hội Cựu chiến binh", key: "hoi-ccb" });
    const cadre = await store.persons.create({ orgId, fullName: "Trần Văn An", roles: ["cadre"] });
    await store.persons.addMembership({ orgId, personId: cadre.id, unitId: unit.id });
    const account = await store.chats.upsertIdentity({ orgId, channel: "zalo", externalId: CADRE_UID });
    await store.chats.linkIdentity(orgId, account.id, cadre.id, systemClock.now());
    const { directive } = await store.directives.createDraft({ orgId, sourceText: "1. Rà soát hội viên.", items: [{ ref: "1", text: "Rà soát hội viên.", summary: "Rà soát hội viên" }] });
    const item = (await store.directives.get(orgId, directive.id))?.items[0];
    await store.tracking.assign({ orgId, itemId: item?.id ?? "", unitId: unit.id, role: "lead", dueDate: "2099-06-30" });
    await store.directives.setStatus(orgId, directive.id, "active", systemClock.now());

    lifecycle = new Lifecycle(pino({ level: "silent" }), 20_000);
    const logger = pino({ level: "silent" });
    await startWorker(config, lifecycle, logger, test.database);
    await startZalo(config, lifecycle, logger, test.database, { orgId, login: login.login });
    await waitFor(() => login.current?.listener.running === true);
  });
  afterAll(async () => {
    await lifecycle?.shutdown("test done");
    await test?.drop();
  });

  it("answers a group message that mentions the bot, quoting it, from the Zalo process only", async () => {
    const api = login.current;
    if (!api) throw new Error("no login");
    const msgId = "7312345678901234570";
    api.listener.deliver(
      groupMessage(BOT, {
        msgId,
        uidFrom: CADRE_UID,
        idTo: GROUP,
        dName: "Trần Văn An",
        ts: String(Date.now()),
        content: "@Đôn Đốc bc 1 xong",
        mentions: [{ uid: BOT, pos: 0, len: 8, type: 0 }],
      }),
    );
    await waitFor(() => api.sent.length > 0);
    const [sent] = api.sent;
    expect(sent?.threadId).toBe(GROUP);
    expect(sent?.type).toBe(ThreadType.Group);
    expect(sent?.content.msg).toContain("Đã ghi nhận báo cáo của đồng chí: Hội Cựu chiến binh · NV 1");
    // The reply quotes the message it answers (the outbox row's quote reached the gateway).
    expect(String(sent?.content.quote?.msgId)).toBe(msgId);
    // The report was recorded, and the reply's delivery with Zalo's message id.
    const board = await store.tracking.board(orgId, localDay(new Date()));
    expect(board[0]?.assignment.status).toBe("done");
    await waitFor(async () => (await store.outbound.pending(orgId)).length === 0);
    // FakeZcaApi numbers its sends from 7000000000001: the reply is known by that id now.
    const reply = await store.outbound.byExternalId(orgId, "zalo", "7000000000001");
    expect(reply?.quoteExternalId).toBe(msgId);
    expect(reply?.status).toBe("sent");
    expect(api.sent).toHaveLength(1);
  });

  it("alerts office on their other accounts when a QR login is needed, and audits it", async () => {
    const office = await store.persons.create({ orgId, fullName: "Văn phòng", roles: ["office"] });
    const zaloOnly = await store.persons.create({ orgId, fullName: "Văn phòng 2", roles: ["office"] });
    for (const [person, channel, uid] of [
      [office, "messenger", "psid-office"],
      [office, "zalo", "zalo-office"],
      [zaloOnly, "zalo", "zalo-office-2"],
    ] as const) {
      const identity = await store.chats.upsertIdentity({ orgId, channel, externalId: uid });
      await store.chats.linkIdentity(orgId, identity.id, person.id, systemClock.now());
    }
    const routed: string[] = [];
    const ids = await alertOfficeOffZalo({ store, clock: systemClock, dispatch: async (routes) => void routed.push(...routes.map((r) => `${r.channel}:${r.id}`)) }, orgId, "Zalo từ chối phiên đăng nhập đã lưu");
    expect(ids).toHaveLength(1);
    const message = await store.outbound.get(orgId, ids[0] ?? "");
    expect(message?.text).toMatch(/^⚠ Tài khoản Zalo của trợ lý cần đăng nhập lại \(Zalo từ chối phiên đăng nhập đã lưu\)\. .*dondoc zalo login/);
    expect(routed).toEqual([`messenger:${ids[0]}`]);
    expect((await store.audit.list(orgId)).some((e) => e.action === "channel.needs_office" && e.entityId === "zalo")).toBe(true);
  });
});

describe("dondoc zalo refuses to start in one line", () => {
  const env = { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: "zalo-cli" };

  it("without ZALO_CREDENTIALS_KEY", async () => {
    const proc = runDondoc(["zalo"], { cwd: tempDir(), env });
    expect(await proc.exited()).not.toBe(0);
    expect(proc.stderr().trim().split("\n")).toHaveLength(1);
    expect(proc.stderr()).toMatch(/ZALO_CREDENTIALS_KEY is not set/);
  });

  it("without a saved session", async () => {
    const proc = runDondoc(["zalo"], { cwd: tempDir(), env: { ...env, ZALO_CREDENTIALS_KEY: randomBytes(32).toString("hex") } });
    expect(await proc.exited()).not.toBe(0);
    expect(proc.stderr().trim().split("\n")).toHaveLength(1);
    expect(proc.stderr()).toMatch(/No saved Zalo session .*dondoc zalo login/);
  });
});
