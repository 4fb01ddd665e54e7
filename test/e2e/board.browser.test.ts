/**
 * The status board on every screen (issue 15 item 2), in headless Chromium (Debian's, driven by
 * playwright-core) on the seed ward: at 1366×768 the whole matrix fits with no sideways scroll,
 * unit names abbreviated in its sticky header; at 390×844 (a phone) no matrix at all but one card
 * per unit, or per item (`?view=items`), the filters kept. Screenshots in test/artifacts/.
 */
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBoardView, type BoardView } from "../../src/app/index.ts";
import { SESSION_COOKIE } from "../../src/http/web/index.ts";
import { ARTIFACTS, launchBrowser } from "../support/browser.ts";
import { CCB, DOAN, seedBoard, type BoardSeed } from "../support/board-seed.ts";
import { officeWebApp } from "../support/web.ts";

/** The page's own window, inside `evaluate` (this test file has no DOM types). */
declare const document: { documentElement: { scrollWidth: number; clientWidth: number } };
declare const innerWidth: number;
declare function scrollTo(x: number, y: number): void;
declare function getComputedStyle(el: unknown): { display: string; position: string };

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How wide the page is against its window: a page that scrolls sideways is wider. */
const pageWidths = (page: Page) => page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: innerWidth }));

describe("the status board on a laptop and on a phone", () => {
  let seed: BoardSeed;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let board: BoardView;
  let token: string;

  beforeAll(async () => {
    seed = await seedBoard("board-browser");
    const { store, clock, orgId } = seed;
    const views = createBoardView({ store, clock });
    const whole = await views.board(orgId, seed.directiveId);
    if (!whole) throw new Error("no board");
    board = whole;
    const web = await officeWebApp(seed, { board: views });
    app = web.app;
    token = (await web.auth.signIn("vanphong", "mật khẩu văn phòng", "127.0.0.1")).token;
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await seed?.test.drop();
  });

  /** A signed-in page of that size. */
  async function open(width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: base }]);
    return context.newPage();
  }

  it("fits the whole board in 1366×768: no sideways scroll, short unit names in a sticky header", async () => {
    expect(board.units.length).toBeGreaterThanOrEqual(9);
    const page = await open(1366, 768);
    await page.goto(`${base}/directives/${seed.directiveId}/board`);
    const table = page.locator("table.board");
    const box = (await table.boundingBox()) as Box;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1366);
    expect((await pageWidths(page)).page).toBeLessThanOrEqual(1366);
    // The board's own box does not scroll sideways either: every unit column is in view.
    const scroll = await page.locator(".board-page .scroll").evaluate((el: { scrollWidth: number; clientWidth: number }) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(scroll.scroll).toBeLessThanOrEqual(scroll.client);
    const heads = page.locator("table.board thead th.unit");
    expect(await heads.count()).toBe(board.units.length);
    const last = (await heads.last().boundingBox()) as Box;
    expect(last.x + last.width).toBeLessThanOrEqual(1366);
    // Abbreviated, the full name on hover.
    expect(await page.locator(`table.board thead abbr[title="${CCB}"]`).textContent()).toBe("Hội CCB");
    expect(await page.locator(`table.board thead abbr[title="${DOAN}"]`).textContent()).toBe("Đoàn TN");
    expect(await page.locator('table.board thead abbr[title="Ủy ban Mặt trận Tổ quốc Việt Nam"]').textContent()).toBe("UBMTTQ");
    // A compact cell: the chip and the short timing; the full label on hover.
    const one = page.locator(`[data-cell="1|${CCB}"]`);
    expect(await one.locator(".chip").textContent()).toBe("Đang làm 80%");
    expect(await one.locator(".when").textContent()).toBe("còn 181 ngày");
    expect(await one.getAttribute("title")).toContain("Đang thực hiện 80% · hạn 31/12/2020 (còn 181 ngày)");
    expect(await page.locator(`[data-cell="6.2|${CCB}"] .when`).textContent()).toBe("hạn 30/06");
    // A tap shows the last report.
    await one.locator("summary").click();
    expect(await one.locator(".report").isVisible()).toBe(true);
    expect(await one.locator(".report").textContent()).toContain("Trần Văn An");
    // No cards on a laptop.
    expect(await page.locator(".bcards").isVisible()).toBe(false);
    // The header row and the item column stay in view as the board scrolls.
    expect(await page.locator("table.board thead th.unit").first().evaluate((el) => getComputedStyle(el).position)).toBe("sticky");
    expect(await page.locator("table.board tbody th.item").first().evaluate((el) => getComputedStyle(el).position)).toBe("sticky");
    await one.locator("summary").click();
    await page.screenshot({ path: join(ARTIFACTS, "board-desktop.png"), fullPage: true });
    // The page itself scrolls down (no box of its own at this width), the header row stays on top.
    await page.evaluate(() => scrollTo(0, 700));
    const header = (await heads.first().boundingBox()) as Box;
    expect(Math.abs(header.y)).toBeLessThan(2);

    // A narrower window: the board scrolls sideways in its own box, the page never does.
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.reload();
    expect((await pageWidths(page)).page).toBeLessThanOrEqual(1024);
    const inBox = await page.locator(".board-page .scroll").evaluate((el: { scrollWidth: number; clientWidth: number }) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(inBox.scroll).toBeGreaterThan(inBox.client);
    await page.context().close();
  }, 60_000);

  it("shows a phone one card per unit, or per item, with the filters kept and no sideways scroll", async () => {
    const page = await open(390, 844);
    await page.goto(`${base}/directives/${seed.directiveId}/board`);
    expect(await page.locator(".matrix").isVisible()).toBe(false);
    let widths = await pageWidths(page);
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    // One card per unit of the board, each listing that unit's cells.
    const cards = page.locator('[data-card="unit"]');
    expect(await cards.count()).toBe(board.units.length);
    expect(await cards.allTextContents()).toHaveLength(board.units.length);
    const names = await cards.evaluateAll((els: { getAttribute(n: string): string | null }[]) => els.map((el) => el.getAttribute("data-card-unit")));
    expect(names).toEqual(board.units.map((u) => u.name));
    for (const unit of board.units) {
      const cells = board.cells.filter((c) => c.unitId === unit.id).length;
      expect(await page.locator(`[data-card-unit="${unit.name}"] li.entry`).count()).toBe(cells);
    }
    const ccb = page.locator(`[data-card-unit="${CCB}"]`);
    expect(await ccb.isVisible()).toBe(true);
    // The chip says the status in full; a tap opens the last report.
    const entry = ccb.locator(`[data-entry="1|${CCB}"]`);
    expect(await entry.locator("summary").textContent()).toBe("Đang thực hiện 80%");
    expect(await entry.locator(".report").isVisible()).toBe(false);
    await entry.locator("summary").click();
    expect(await entry.locator(".report").isVisible()).toBe(true);
    expect(await entry.locator(".report").textContent()).toContain("đang làm 80% đã triển khai ở 5 tổ");
    for (const label of ["Hoàn thành đúng hạn", "Hoàn thành trễ hạn", "Đang thực hiện", "Vướng mắc", "Quá hạn", "Chưa báo cáo"]) {
      expect(await page.locator(".bcards summary", { hasText: label }).count()).toBeGreaterThan(0);
    }
    widths = await pageWidths(page);
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    await page.screenshot({ path: join(ARTIFACTS, "board-phone-units.png"), fullPage: true });

    // The switch: one card per item.
    await Promise.all([page.waitForURL(/view=items/), page.click('nav.views a:has-text("Nhiệm vụ")')]);
    const items = page.locator('[data-card="item"]');
    expect(await items.count()).toBe(board.items.length);
    for (const item of board.items) {
      const cells = board.cells.filter((c) => c.itemId === item.id).length;
      expect(await page.locator(`[data-card-item="${item.ref}"] li.entry`).count()).toBe(cells);
    }
    widths = await pageWidths(page);
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    await page.screenshot({ path: join(ARTIFACTS, "board-phone-items.png"), fullPage: true });

    // Filters are kept by the switch, the chips and the form.
    const ccbId = seed.unitId(CCB);
    await page.goto(`${base}/directives/${seed.directiveId}/board?unit=${ccbId}&view=items`);
    const ccbItems = board.cells.filter((c) => c.unitId === ccbId).length;
    expect(await page.locator('[data-card="item"]').count()).toBe(ccbItems);
    expect(await page.locator(`[data-card="item"] li.entry`).count()).toBe(ccbItems);
    expect(await page.locator('nav.views a:has-text("Đơn vị")').getAttribute("href")).toBe(`/directives/${seed.directiveId}/board?unit=${ccbId}`);
    expect(await page.locator('.chips a[data-count="overdue"]').getAttribute("href")).toBe(`/directives/${seed.directiveId}/board?unit=${ccbId}&status=overdue&view=items`);
    await page.selectOption('select[name="status"]', "blocked");
    await Promise.all([page.waitForURL(/status=blocked/), page.click('form.filters button[type="submit"]')]);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ unit: ccbId, status: "blocked", view: "items" });
    expect(await page.locator('[data-card="item"]').count()).toBe(board.cells.filter((c) => c.unitId === ccbId && c.cls === "blocked").length);
    await page.context().close();
  }, 60_000);
});
