/**
 * Tổng quan (issue 15): the org's KPIs on one page — completion rate, on-time rate, overdue work
 * by age, per active directive and per unit, units ranked worst first, and done vs due week by
 * week (a uPlot chart drawn by /assets/overview.js from the JSON block; the same numbers in a
 * table for screen readers and printing).
 */
import type { FastifyInstance } from "fastify";
import { createKpiView, type KpiTally, type Kpis } from "../../../app/index.ts";
import { viDate } from "../../../domain/index.ts";
import type { PageDeps } from "../deps.ts";
import { html, page, raw, userOf, type Html, type WebModule } from "../index.ts";

const PERCENT = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1, minimumFractionDigits: 0 });

/**
 * @example
 * viPercent(0.925) // "92,5%"
 * viPercent(null) // "—"
 */
export function viPercent(share: number | null): string {
  return share === null ? "—" : `${PERCENT.format(Math.round(share * 1000) / 10)}%`;
}

const OVERVIEW_CSS = raw(`<link rel="stylesheet" href="/assets/uPlot.min.css"><style>
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(10.5rem,1fr));gap:.6rem;margin:0 0 1rem}
.kpis .card{margin:0;padding:.6rem .8rem}.kpis dt{font-size:.9em;color:#445}.kpis dd{margin:.1rem 0 0;font-size:1.6rem;font-weight:600}
.kpis dd small{display:block;font-size:.55em;font-weight:normal;color:#556}.kpis .bad dd{color:#9c0006}
.num{text-align:right;white-space:nowrap}th.num{white-space:normal}th.center{text-align:center}.kpi-table td.name{min-width:9rem}
@media (min-width:900px){#directives-table td.name{min-width:16rem}}
.chart{width:100%;min-height:260px}.chart .u-legend{font-size:.85em}
h2{font-size:1.1rem;margin:1.4rem 0 .5rem}caption{text-align:left;font-weight:600;padding:.3rem 0}
.ranking .bar{min-width:4rem}.ranking .bar>span{background:#c62828}
</style>`);

/** The two header rows of a tally table (the directive and unit tables), overdue split by age. */
function tallyHead(first: string): Html {
  return html`<thead><tr><th scope="col" rowspan="2">${first}</th><th scope="col" rowspan="2" class="num">Số việc</th><th scope="col" rowspan="2" class="num">Hoàn thành</th><th scope="col" rowspan="2" class="num">Tỷ lệ hoàn thành</th><th scope="col" rowspan="2" class="num">Đúng hạn</th><th scope="col" rowspan="2" class="num">Tỷ lệ đúng hạn</th><th scope="colgroup" colspan="4" class="center">Quá hạn</th></tr>
<tr><th scope="col" class="num">Tổng</th><th scope="col" class="num" title="Quá hạn đến 30 ngày">Đến 30 ngày</th><th scope="col" class="num" title="Quá hạn trên 30 ngày (31–120 ngày)">Trên 30 ngày</th><th scope="col" class="num" title="Quá hạn trên 120 ngày">Trên 120 ngày</th></tr></thead>`;
}

function tallyCells(t: KpiTally): Html {
  return html`<td class="num" data-k="total">${t.total}</td><td class="num" data-k="done">${t.done}</td><td class="num" data-k="completion">${viPercent(t.completionRate)}</td><td class="num" data-k="on-time">${t.doneOnTime}</td><td class="num" data-k="on-time-rate">${viPercent(t.onTimeRate)}</td><td class="num" data-k="overdue">${t.overdue}</td><td class="num" data-k="overdue-30">${t.overdueUpTo30}</td><td class="num" data-k="overdue-over-30">${t.overdueOver30}</td><td class="num" data-k="overdue-over-120">${t.overdueOver120}</td>`;
}

function cards(k: KpiTally): Html {
  return html`<dl class="kpis" aria-label="Chỉ số chung">
<div class="card" data-kpi="completion"><dt>Tỷ lệ hoàn thành</dt><dd>${viPercent(k.completionRate)}<small>${k.done}/${k.total} việc</small></dd></div>
<div class="card" data-kpi="on-time"><dt>Đúng hạn</dt><dd>${viPercent(k.onTimeRate)}<small>${k.doneOnTime}/${k.done} việc đã hoàn thành</small></dd></div>
<div class="card${k.overdue > 0 ? " bad" : ""}" data-kpi="overdue"><dt>Quá hạn</dt><dd>${k.overdue}<small>đang thực hiện ${k.inTerm} việc trong hạn</small></dd></div>
<div class="card" data-kpi="overdue-30"><dt>Quá hạn đến 30 ngày</dt><dd>${k.overdueUpTo30}</dd></div>
<div class="card${k.overdueOver30 > 0 ? " bad" : ""}" data-kpi="overdue-over-30"><dt>Quá hạn trên 30 ngày</dt><dd>${k.overdueOver30}<small>từ 31 đến 120 ngày</small></dd></div>
<div class="card${k.overdueOver120 > 0 ? " bad" : ""}" data-kpi="overdue-over-120"><dt>Quá hạn trên 120 ngày</dt><dd>${k.overdueOver120}</dd></div>
</dl>`;
}

/** "29/06–05/07": a week in the chart and its table. */
const weekLabel = (w: { start: string; end: string }) => `${viDate(w.start).slice(0, 5)}–${viDate(w.end).slice(0, 5)}`;

/** The chart's numbers for /assets/overview.js; `<` escaped so no text can close the script element. */
function chartData(k: Kpis): Html {
  const data = { labels: k.weeks.map(weekLabel), due: k.weeks.map((w) => w.due), done: k.weeks.map((w) => w.done), series: { due: "Đến hạn", done: "Hoàn thành" } };
  return raw(`<script type="application/json" id="overview-data">${JSON.stringify(data).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026")}</script>`);
}

export function overviewBody(k: Kpis): Html {
  const all = k.overall;
  return html`${OVERVIEW_CSS}<h1>Tổng quan</h1>
<p class="muted">Số liệu các văn bản đang theo dõi, tính đến ngày ${viDate(k.today)}. Việc định kỳ tính từng đợt đã đến hạn.</p>
${all.total === 0 ? html`<p class="card">Chưa có việc nào đang theo dõi. <a href="/directives">Nhập văn bản chỉ đạo</a> để bắt đầu.</p>` : ""}
${cards(all)}

<h2 id="tien-do">Tiến độ theo tuần (12 tuần gần nhất)</h2>
<div class="card"><div id="overview-chart" class="chart" role="img" aria-label="Biểu đồ số việc đến hạn và số việc hoàn thành theo tuần; số liệu ở bảng bên dưới."></div>
<div class="scroll"><table class="kpi-table" id="weeks-table"><caption>Số việc đến hạn trong tuần và số đã hoàn thành</caption>
<thead><tr><th scope="col">Tuần</th><th scope="col" class="num">Đến hạn</th><th scope="col" class="num">Hoàn thành</th></tr></thead>
<tbody>${k.weeks.map((w) => html`<tr data-week="${w.start}"><th scope="row">${weekLabel(w)}</th><td class="num">${w.due}</td><td class="num">${w.done}</td></tr>`)}</tbody></table></div></div>

<h2 id="theo-van-ban">Theo văn bản</h2>
<div class="scroll"><table class="kpi-table" id="directives-table"><caption>Chỉ số từng văn bản đang theo dõi</caption>
${tallyHead("Văn bản")}
<tbody>${k.directives.map((d) => html`<tr data-directive="${d.id}"><td class="name"><a href="/directives/${d.id}/board"><b>${d.name}</b></a>${d.title ? html`<br><span class="muted">${d.title}</span>` : ""}</td>${tallyCells(d)}</tr>`)}</tbody>
<tfoot><tr data-directive="all"><th scope="row">Tổng cộng</th>${tallyCells(all)}</tr></tfoot></table></div>

<h2 id="xep-hang">Xếp hạng đơn vị (kém nhất trước)</h2>
<p class="muted">Xếp theo tỷ lệ quá hạn (cao nhất trước), rồi số việc quá hạn, rồi tỷ lệ hoàn thành (thấp nhất trước).</p>
<div class="scroll"><table class="kpi-table ranking" id="ranking-table"><caption>Xếp hạng đơn vị</caption>
<thead><tr><th scope="col" class="num">Hạng</th><th scope="col">Đơn vị</th><th scope="col" class="num">Tỷ lệ quá hạn</th><th scope="col" class="num">Quá hạn</th><th scope="col" class="num">Tỷ lệ hoàn thành</th></tr></thead>
<tbody>${k.ranking.map((u, i) => {
  const pct = Math.round((u.overdueRate ?? 0) * 100);
  return html`<tr data-unit="${u.id}"><td class="num">${i + 1}</td><td class="name"><a href="/units/${u.id}">${u.name}</a></td><td class="num">${viPercent(u.overdueRate)}<div class="bar" aria-hidden="true"><span style="width:${pct}%"></span></div></td><td class="num">${u.overdue}</td><td class="num">${viPercent(u.completionRate)}</td></tr>`;
})}</tbody></table></div>

<h2 id="theo-don-vi">Theo đơn vị</h2>
<div class="scroll"><table class="kpi-table" id="units-table"><caption>Chỉ số từng đơn vị</caption>
${tallyHead("Đơn vị")}
<tbody>${k.units.map((u) => html`<tr data-unit="${u.id}"><td class="name"><a href="/units/${u.id}">${u.name}</a></td>${tallyCells(u)}</tr>`)}</tbody></table></div>
<p class="muted">"Quá hạn trên 30 ngày" là từ 31 đến 120 ngày; quá 120 ngày tính riêng. Tỷ lệ đúng hạn = số việc hoàn thành đúng hạn / số việc đã hoàn thành.</p>
${chartData(k)}
<script src="/assets/uPlot.iife.min.js" defer></script><script src="/assets/overview.js" defer></script>`;
}

/**
 * @example
 * modules.push(overviewPages(deps)); // GET /overview
 */
export function overviewPages(deps: PageDeps): WebModule {
  const kpis = createKpiView({ store: deps.store, clock: deps.clock });
  return (app: FastifyInstance) => {
    app.get("/overview", async (request, reply) => {
      const k = await kpis.overview(userOf(request).org.id);
      return page(request, reply, { title: "Tổng quan", active: "overview", body: overviewBody(k) });
    });
  };
}
