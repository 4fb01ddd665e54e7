/**
 * The Tổng quan page in headless Chromium (Debian's, via playwright-core) on the seed board:
 * at 1366×768 and at 390×844 the page never scrolls sideways, the uPlot chart is drawn (a canvas
 * with bars on it), and no script breaks the CSP. Screenshots: test/artifacts/overview-*.png.
 */
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, launchBrowser } from "../support/browser.ts";
import { seedBoard, type BoardSeed } from "../support/board-seed.ts";
import { officeWebApp } from "../support/web.ts";

/** The page's own globals, inside `evaluate` (this test file has no DOM types). */
declare const document: {
  documentElement: { scrollWidth: number };
  querySelector(s: string): { width: number; height: number; getContext(k: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } } | null;
};
declare const innerWidth: number;

describe("Tổng quan in a browser", () => {
  let seed: BoardSeed;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    seed = await seedBoard("overview-browser");
    ({ app } = await officeWebApp(seed));
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await seed?.test.drop();
  });

  for (const [name, width, height] of [
    ["desktop", 1366, 768],
    ["phone", 390, 844],
  ] as const) {
    it(`lands on Tổng quan after sign-in and draws the chart at ${width}×${height}`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
      });
      // Every asset loads (the browser's own favicon probe aside).
      page.on("response", (r) => {
        if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) problems.push(`${r.status()} ${r.url()}`);
      });
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(`${base}/`);
      await page.fill('input[name="login"]', "vanphong");
      await page.fill('input[name="password"]', "mật khẩu văn phòng");
      await Promise.all([page.waitForURL(`${base}/overview`), page.click('button[type="submit"]')]);
      await page.waitForSelector('#overview-chart[data-drawn="1"] canvas');
      await page.waitForTimeout(200);

      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      // The canvas fills its card and has bars on it: coloured pixels, not a blank plot.
      const drawn = await page.evaluate(() => {
        const canvas = document.querySelector("#overview-chart canvas");
        if (!canvas) return { width: 0, painted: 0 };
        const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
        let painted = 0;
        for (let i = 0; i < data.length; i += 4) if ((data[i + 3] ?? 0) > 0 && (data[i + 1] ?? 0) > (data[i] ?? 0) + 40) painted += 1; // green "Hoàn thành" bars
        return { width: canvas.width, painted };
      });
      expect(drawn.width).toBeGreaterThan(width / 2);
      expect(drawn.painted).toBeGreaterThan(20);
      expect(await page.textContent("#weeks-table")).toContain("29/06–05/07");
      await page.screenshot({ path: join(ARTIFACTS, `overview-${name}.png`), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    }, 60_000);
  }
});
