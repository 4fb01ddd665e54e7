/**
 * The office pages in headless Chromium (Debian's, driven by playwright-core): sign in, import
 * the seed directive by pasting it, fix one deadline in review, activate, send a report through
 * the simulator channel, and watch the board cell change colour. A screenshot of the board is
 * kept in test/artifacts/.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** The page's own window function, inside `evaluate` (this test file has no DOM types). */
declare function getComputedStyle(el: unknown): { backgroundColor: string };
declare const document: { documentElement: { scrollWidth: number } };
declare const innerWidth: number;
import { createBoardView, createBroadcasts, createGroups, createDirectory, createIntake, createOrgSettings, createWebAuth } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { buildApp } from "../../src/http/index.ts";
import { webModules } from "../../src/main/web-modules.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { simHeaders, simulatorRig, type SimulatorRig } from "../support/simulator.ts";
import { ARTIFACTS, launchBrowser } from "../support/browser.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";
import { plainHasher } from "../support/web.ts";

const SEED = readFileSync(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");

describe("office pages in a browser", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let sim: SimulatorRig;
  let browser: Browser;
  let base: string;
  let orgId: string;
  const clock = new FakeClock("2020-06-20T01:00:00Z"); // 08:00 on 20/6: item 6.2 is due 30/6

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    const org = await store.orgs.create({ slug: "browser", name: "Đảng ủy phường Trình Duyệt" });
    orgId = org.id;
    sim = await simulatorRig({ store, clock, orgId });
    const conversation = sim.conversation;
    const auth = createWebAuth({ store, clock, hasher: plainHasher });
    const office = await store.persons.create({ orgId, fullName: "Nguyễn Thị Văn Phòng", roles: ["office"] });
    await auth.createAccount({ orgId, personId: office.id, login: "vanphong", password: "mật khẩu văn phòng" });
    app = await buildApp({
      logger: false,
      probes: [],
      web: {
        auth,
        modules: webModules({
          store,
          clock,
          intake: createIntake({ store, clock }),
          directory: createDirectory({ store, clock }),
          conversation,
          broadcasts: createBroadcasts({ store, clock }),
          groups: createGroups({ store, clock }),
          settings: createOrgSettings({ store, clock }),
          messengerPage: null,
          board: createBoardView({ store, clock }),
        }),
      },
      channelPlugins: [sim.plugin],
    });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await test?.drop();
  });

  it("signs in, imports and reviews the seed, activates it, and shows a report on the board", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/directives`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.fill('input[name="login"]', "vanphong");
    await page.fill('input[name="password"]', "mật khẩu văn phòng");
    await Promise.all([page.waitForURL(/\/directives$/), page.click('button[type="submit"]')]);

    // Import by pasting the text.
    await page.goto(`${base}/directives/new`);
    await page.fill('textarea[name="text"]', SEED);
    await Promise.all([page.waitForURL(/\/directives\/[0-9a-f-]{36}\/review$/), page.click('button:has-text("Phân tích văn bản")')]);
    const reviewUrl = page.url();
    const directiveId = /directives\/([0-9a-f-]{36})\/review/.exec(reviewUrl)?.[1] ?? "";

    // Fix one deadline: item 6.2 moves to 15/07/2020.
    const item = page.locator('form:has(input[name="ref"][value="6.2"])');
    await item.locator('input[name="dueDate"]').fill("15/07/2020");
    await Promise.all([page.waitForLoadState("load"), item.locator('button:has-text("Lưu")').click()]);
    await page.goto(reviewUrl);
    await expect.poll(() => page.locator('form:has(input[name="ref"][value="6.2"]) input[name="dueDate"]').inputValue()).toBe("15/07/2020");

    // Activate: refused until the warnings listed before the button are confirmed, then the board opens.
    await Promise.all([page.waitForLoadState("load"), page.click('button:has-text("Bắt đầu theo dõi")')]);
    expect(await page.locator(".flash.err").textContent()).toContain("Chưa kích hoạt: đồng chí cần xác nhận");
    const boxes = await page.locator('form#activate input[name="confirm"]').all();
    expect(boxes.length).toBeGreaterThan(0);
    for (const box of boxes) await box.check();
    await Promise.all([page.waitForURL(/\/board/), page.click('button:has-text("Bắt đầu theo dõi")')]);
    expect(await page.locator(".flash.ok").textContent()).toMatch(/đơn vị sẽ được nhắc hạn qua tin nhắn/);
    expect(page.url()).toContain(`/directives/${directiveId}/board`);
    const cell = page.locator('[data-cell="6.2|Hội Cựu chiến binh"]');
    expect(await cell.getAttribute("data-class")).toBe("not_reported");
    const before = await cell.evaluate((el) => getComputedStyle(el).backgroundColor);

    // A cadre of the Hội CCB reports through the simulator channel.
    const ccb = (await store.units.list(orgId)).find((u) => u.name === "Hội Cựu chiến binh");
    expect(ccb).toBeTruthy();
    const cadre = await store.persons.create({ orgId, fullName: "Trần Văn Cựu", roles: ["cadre"] });
    await store.persons.addMembership({ orgId, personId: cadre.id, unitId: ccb?.id ?? "" });
    const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: "ccb-sim" });
    await store.chats.linkIdentity(orgId, identity.id, cadre.id, clock.now());
    const res = await fetch(`${base}/api/simulator/messages`, { method: "POST", headers: simHeaders(), body: JSON.stringify({ senderId: "ccb-sim", text: "bc 6.2 xong 245 hội viên <script>alert(1)</script>" }) });
    expect(res.status).toBe(200);

    await page.reload();
    const after = page.locator('[data-cell="6.2|Hội Cựu chiến binh"]');
    expect(await after.getAttribute("data-class")).toBe("done_on_time");
    expect(await after.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(before);
    // The report's text is on the cell as text, never as markup.
    expect(await page.locator("script:has-text('alert(1)')").count()).toBe(0);
    const shown = `${(await after.getAttribute("title")) ?? ""} ${(await after.textContent()) ?? ""}`;
    // (the report keeps the text; its trailing ">" goes with the trailing punctuation the note drops)
    expect(shown).toContain("<script>alert(1)</script");
    await page.screenshot({ path: join(ARTIFACTS, "board.png"), fullPage: true });

    // On a phone the page itself does not scroll sideways: the wide board scrolls in its box.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    await page.screenshot({ path: join(ARTIFACTS, "board-phone.png") });
    await page.close();
  }, 90_000);
});
