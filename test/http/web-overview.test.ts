/**
 * The Tổng quan page (issue 15) through Fastify inject on the seed board (03/07/2020) plus one
 * unit with a hostile name holding work 32 days overdue: the KPI tables carry the hand-counted
 * numbers in Vietnamese format, names are escaped, the chart's library and script are served by
 * the app, and `/` lands here.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { viPercent } from "../../src/http/web/pages/overview.ts";
import { seedBoard, type BoardSeed } from "../support/board-seed.ts";
import { officeWebApp, WebClient } from "../support/web.ts";

const EVIL = `<img src=x onerror=alert(1)> Tổ "dân phố" 9`;

/** The text of the cell `data-k=key` in the row `data-attr=value`. */
function cell(body: string, row: string, key: string): string | undefined {
  const tr = new RegExp(`<tr ${row}>([\\s\\S]*?)</tr>`).exec(body)?.[1] ?? "";
  return new RegExp(`data-k="${key}">([^<]*)<`).exec(tr)?.[1];
}

describe("Tổng quan page", () => {
  let seed: BoardSeed;
  let app: FastifyInstance;
  let office: WebClient;
  let evilId = "";

  beforeAll(async () => {
    seed = await seedBoard("web-overview");
    const { store, orgId } = seed;
    const evil = await store.units.create({ orgId, name: EVIL });
    evilId = evil.id;
    const found = await store.directives.get(orgId, seed.directiveId);
    const item = found!.items.find((i) => i.ref === "8")!;
    await store.tracking.assign({ orgId, itemId: item.id, unitId: evil.id, role: "lead", dueDate: "2020-06-01" }); // 32 days overdue
    ({ app } = await officeWebApp(seed));
    office = new WebClient(app);
    expect((await office.signIn("vanphong", "mật khẩu văn phòng")).statusCode).toBe(303);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await seed?.test.drop();
  });

  it("formats shares the Vietnamese way", () => {
    expect(viPercent(0.925)).toBe("92,5%");
    expect(viPercent(1)).toBe("100%");
    expect(viPercent(2 / 3)).toBe("66,7%");
    expect(viPercent(null)).toBe("—");
  });

  it("is where / leads, first in the menu", async () => {
    const home = await office.get("/");
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe("/overview");
    const res = await office.get("/overview");
    expect(res.statusCode).toBe(200);
    const nav = /<header>([\s\S]*?)<\/header>/.exec(res.body)?.[1] ?? "";
    expect(nav.indexOf('href="/overview"')).toBeGreaterThan(-1);
    expect(nav.indexOf('href="/overview"')).toBeLessThan(nav.indexOf('href="/directives"'));
    expect(nav).toContain('class="on">Tổng quan</a>');
  });

  it("shows the KPIs counted by hand, in Vietnamese", async () => {
    const { body } = await office.get("/overview");
    // Seed: 64 pieces of work (24 weekly occurrences come due), 2 done (1 on time), 27 overdue ≤ 30 days;
    // plus the hostile unit's item 8, 32 days overdue.
    for (const [key, value] of [
      ["total", "65"],
      ["done", "2"],
      ["completion", "3,1%"],
      ["on-time", "1"],
      ["on-time-rate", "50%"],
      ["overdue", "28"],
      ["overdue-30", "27"],
      ["overdue-over-30", "1"],
      ["overdue-over-120", "0"],
    ]) {
      expect(cell(body, 'data-directive="all"', key!), key).toBe(value);
      expect(cell(body, `data-directive="${seed.directiveId}"`, key!), key).toBe(value);
    }
    for (const label of ["Tỷ lệ hoàn thành", "Đúng hạn", "Quá hạn trên 30 ngày", "Quá hạn trên 120 ngày", "Xếp hạng đơn vị", "Tiến độ theo tuần"]) expect(body).toContain(label);
    expect(body).toMatch(/data-kpi="completion"><dt>Tỷ lệ hoàn thành<\/dt><dd>3,1%/);
    // The hostile unit: 1 piece of work, overdue (100%); only Các tổ dân phố (4 of 4 overdue) ranks worse.
    const units = /id="units-table"[\s\S]*?<\/table>/.exec(body)?.[0] ?? "";
    expect(cell(units, `data-unit="${evilId}"`, "overdue-over-30")).toBe("1");
    expect(cell(units, `data-unit="${evilId}"`, "completion")).toBe("0%");
    const ranking = /id="ranking-table"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? "";
    const order = [...ranking.matchAll(/data-unit="([^"]+)"/g)].map((m) => m[1]);
    expect(order.slice(0, 2)).toEqual([seed.unitId("Các tổ dân phố"), evilId]);
    expect(ranking).toMatch(/<td class="num">1<\/td><td class="name"><a href="\/units\/[^"]+">Các tổ dân phố<\/a><\/td><td class="num">100%/);
    // This week: item 6 (due 30/06) for 5 units and the 6 Sunday occurrences; 2 done.
    expect(body).toMatch(/<tr data-week="2020-06-29"><th scope="row">29\/06–05\/07<\/th><td class="num">11<\/td><td class="num">2<\/td><\/tr>/);
  });

  it("escapes names and keeps the chart data inert", async () => {
    const { body } = await office.get("/overview");
    expect(body).not.toContain("<img src=x");
    expect(body).toContain("&lt;img src=x onerror=alert(1)&gt; Tổ &quot;dân phố&quot; 9");
    const json = /<script type="application\/json" id="overview-data">([\s\S]*?)<\/script>/.exec(body)?.[1] ?? "";
    expect(json).not.toMatch(/[<>]/);
    const data = JSON.parse(json) as { labels: string[]; due: number[]; done: number[] };
    expect(data.labels).toHaveLength(12);
    expect(data.due.at(-1)).toBe(11);
    expect(data.done.at(-1)).toBe(2);
    // Every script is an external file of the app (the CSP forbids inline script).
    expect(body).toContain('<script src="/assets/uPlot.iife.min.js" defer></script>');
    expect(body).toContain('<script src="/assets/overview.js" defer></script>');
    expect([...body.matchAll(/<script(?![^>]*\b(src=|type="application\/json"))[^>]*>/g)]).toHaveLength(0);
  });

  it("serves the chart library and its script itself", async () => {
    for (const [url, type] of [
      ["/assets/uPlot.iife.min.js", "text/javascript"],
      ["/assets/uPlot.min.css", "text/css"],
      ["/assets/overview.js", "text/javascript"],
    ]) {
      const res = await office.get(url!);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["content-type"]).toContain(type);
    }
  });
});
