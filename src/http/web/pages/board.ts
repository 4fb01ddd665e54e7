/**
 * The status board (issue 8): a directive's items × units, each cell coloured by status and
 * timing, the last report on hover (title) and on tap (<details>, no JavaScript needed); filters
 * by unit and status; the XLSX and Word exports; and one unit's work across active directives.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CELL_CLASSES, CELL_CLASS_VI, CELL_COLOURS, type BoardCell, type BoardItem, type CellClass } from "../../../app/index.ts";
import { viDate } from "../../../domain/index.ts";
import { boardXlsx, directiveName, reportDocx } from "../../../files/index.ts";
import type { PageDeps } from "../deps.ts";
import { html, page, raw, userOf, type Html, type WebModule } from "../index.ts";
import { activatedFlash, boardViewsOf, isId, notFound, viMoment } from "./directives.ts";

const BOARD_CSS = raw(`<style>
${CELL_CLASSES.map((c) => `.c-${c}{background:${CELL_COLOURS[c].fill};color:${CELL_COLOURS[c].text}}`).join("\n")}
.board td.cell{min-width:7.5rem}.board td.none{background:#fafafa;color:#aab;text-align:center}
.board th.item{min-width:12rem;max-width:22rem;font-weight:normal;position:sticky;left:0;z-index:1}
@media (max-width:640px){.board th.item{min-width:8.5rem;max-width:11rem}}.board th.item b{font-weight:600}
.board details summary{cursor:pointer;list-style:none}.board details summary::-webkit-details-marker{display:none}
.board details[open] summary{margin-bottom:.3rem}.board .report{font-size:.9em;white-space:pre-wrap;word-wrap:break-word}
.chips{display:flex;flex-wrap:wrap;gap:.4rem;margin:.5rem 0 1rem;padding:0;list-style:none}
.chips a{display:inline-block;padding:.2rem .6rem;border-radius:1rem;text-decoration:none;border:1px solid rgba(0,0,0,.15)}
.chips a.on{outline:2px solid #1d2733}.chips a.all{background:#fff;color:#1d2733}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}.exports{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
</style>`);

const isClass = (v: unknown): v is CellClass => typeof v === "string" && (CELL_CLASSES as readonly string[]).includes(v);

/** What a cell says on hover: its label, then the last report with who and when. */
function cellTitle(cell: BoardCell): string {
  const r = cell.lastReport;
  return r ? `${cell.label}\nBáo cáo gần nhất (${r.by ?? "không rõ người báo"}, ${viMoment(r.at)}): ${r.text}` : `${cell.label}\nChưa có báo cáo.`;
}

/** The short words inside a cell: its class, and the percent while in progress. */
const cellShort = (cell: BoardCell) => (cell.cls === "in_progress" && cell.percent !== null ? `${CELL_CLASS_VI.in_progress} ${cell.percent}%` : CELL_CLASS_VI[cell.cls]);

function cellTd(cell: BoardCell, item: BoardItem, unitName: string): Html {
  const r = cell.lastReport;
  return html`<td class="cell c-${cell.cls}" data-cell="${item.ref}|${unitName}" data-class="${cell.cls}" title="${cellTitle(cell)}">
<details><summary>${cellShort(cell)}</summary>
<div class="report">${cell.label}
${r ? html`<q>${r.text}</q>
<span>— ${r.by ?? "không rõ người báo"}, ${viMoment(r.at)}</span>` : "Chưa có báo cáo."}</div></details></td>`;
}

/** The legend, each class a link filtering the board to it, with its count. */
function chips(counts: Record<CellClass, number>, hrefFor: (cls: CellClass | null) => string, current: CellClass | null): Html {
  const total = CELL_CLASSES.reduce((n, c) => n + counts[c], 0);
  return html`<ul class="chips" aria-label="Chú giải và số lượng">
<li><a class="all${current === null ? " on" : ""}" href="${hrefFor(null)}">Tất cả: <b>${total}</b></a></li>
${CELL_CLASSES.map((c) => html`<li><a class="c-${c}${current === c ? " on" : ""}" href="${hrefFor(c)}" data-count="${c}">${CELL_CLASS_VI[c]}: <b>${counts[c]}</b></a></li>`)}
</ul>`;
}

function progressLine(progress: number, done: number, total: number): Html {
  const pct = Math.round(progress * 100);
  return html`<div class="bar" role="progressbar" aria-valuenow="${pct}" aria-valuemin="0" aria-valuemax="100" title="${pct}%"><span style="width:${pct}%"></span></div>
<p class="muted">${done}/${total} việc hoàn thành (${pct}%)</p>`;
}

/** An ASCII name for old browsers and the real one for the rest (RFC 6266 / 5987). */
function attachment(name: string, ext: string): string {
  const ascii = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, (c) => (c === "đ" ? "d" : "D"))
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  const utf8 = encodeURIComponent(`${name}.${ext}`).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii || "dondoc"}.${ext}"; filename*=UTF-8''${utf8}`;
}

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/**
 * @example
 * modules.push(boardPages(deps)); // deps.board, or a view built from deps.store and deps.clock
 */
export function boardPages(deps: PageDeps): WebModule {
  const views = boardViewsOf(deps);

  /** The directive when it is tracked; a draft goes to its review, unknown ids to 404. */
  async function tracked(request: FastifyRequest, reply: FastifyReply): Promise<{ orgId: string; id: string } | FastifyReply> {
    const { id } = request.params as { id: string };
    if (!isId(id)) return notFound(request, reply);
    const orgId = userOf(request).org.id;
    const found = await deps.store.directives.get(orgId, id);
    if (!found) return notFound(request, reply);
    if (found.directive.status === "draft") return reply.redirect(`/directives/${id}/review`, 303);
    return { orgId, id };
  }

  return (app: FastifyInstance) => {
    app.get("/directives/:id/board", async (request, reply) => {
      const at = await tracked(request, reply);
      if (!("orgId" in at)) return at;
      const query = request.query as { unit?: unknown; status?: unknown; ok?: unknown };
      const all = await views.board(at.orgId, at.id);
      if (!all) return notFound(request, reply);
      const unitId = isId(query.unit) && all.units.some((u) => u.id === query.unit) ? query.unit : undefined;
      const status = isClass(query.status) ? query.status : undefined;
      const view = unitId || status ? await views.board(at.orgId, at.id, { ...(unitId ? { unitId } : {}), ...(status ? { status } : {}) }) : all;
      if (!view) return notFound(request, reply);
      const base = `/directives/${at.id}`;
      const href = (u: string | undefined, s: CellClass | null) => {
        const q = new URLSearchParams({ ...(u ? { unit: u } : {}), ...(s ? { status: s } : {}) }).toString();
        return `${base}/board${q ? `?${q}` : ""}`;
      };
      const cellAt = new Map(view.cells.map((c) => [`${c.itemId}|${c.unitId}`, c]));
      const done = view.counts.done_on_time + view.counts.done_late;
      const scopedTotal = CELL_CLASSES.reduce((n, c) => n + view.counts[c], 0);
      const name = directiveName(view.directive);
      return page(request, reply, {
        title: `Bảng theo dõi ${view.directive.shortName}: ${name}`,
        active: "directives",
        ...(query.ok === "activated" ? { flash: { ok: activatedFlash(query) } } : {}),
        body: html`${BOARD_CSS}<p><a href="/directives">← Danh sách văn bản</a></p>
<h1>Bảng theo dõi ${view.directive.shortName}: ${name}</h1>
${view.directive.title ? html`<p class="muted">${view.directive.title}</p>` : ""}
${progressLine(view.progress, done, scopedTotal)}
<div class="exports"><a class="button" href="${base}/board.xlsx" download>Tải bảng (Excel)</a>
<a class="button" href="${base}/report.docx" download>Dự thảo báo cáo (Word)</a></div>
<form class="filters card" method="get" action="${base}/board">
<label>Đơn vị<br><select name="unit"><option value="">Tất cả đơn vị</option>
${all.units.map((u) => html`<option value="${u.id}"${u.id === unitId ? raw(" selected") : ""}>${u.name}</option>`)}</select></label>
<label>Tình trạng<br><select name="status"><option value="">Tất cả</option>
${CELL_CLASSES.map((c) => html`<option value="${c}"${c === status ? raw(" selected") : ""}>${CELL_CLASS_VI[c]}</option>`)}</select></label>
<button type="submit">Lọc</button>${unitId || status ? html` <a href="${base}/board">Bỏ lọc</a>` : ""}
</form>
${chips(view.counts, (c) => href(unitId, c), status ?? null)}
${view.cells.length === 0
  ? html`<p class="card">Không có ô nào khớp bộ lọc.</p>`
  : html`<p class="muted">Rê chuột hoặc chạm vào một ô để xem báo cáo gần nhất.</p>
<div class="scroll"><table class="board">
<thead><tr><th>Nhiệm vụ</th>${view.units.map((u) => html`<th><a href="/units/${u.id}">${u.name}</a></th>`)}</tr></thead>
<tbody>${view.items.map(
  (item) => html`<tr data-item="${item.ref}"><th class="item" scope="row"><b>${item.ref}.</b> ${item.summary}<br><span class="muted">${item.deadlineText}</span></th>
${view.units.map((u) => {
  const cell = cellAt.get(`${item.id}|${u.id}`);
  return cell ? cellTd(cell, item, u.name) : html`<td class="none" aria-label="Không giao">—</td>`;
})}</tr>`,
)}</tbody></table></div>`}
<p class="muted">Số liệu tính đến ngày ${viDate(view.today)}.</p>`,
      });
    });

    app.get("/directives/:id/board.xlsx", async (request, reply) => {
      const at = await tracked(request, reply);
      if (!("orgId" in at)) return at;
      const view = await views.board(at.orgId, at.id);
      if (!view) return notFound(request, reply);
      const bytes = await boardXlsx(view);
      return reply
        .header("content-type", XLSX)
        .header("content-disposition", attachment(`Bảng theo dõi ${directiveName(view.directive)}`, "xlsx"))
        .header("cache-control", "no-store")
        .send(bytes);
    });

    app.get("/directives/:id/report.docx", async (request, reply) => {
      const at = await tracked(request, reply);
      if (!("orgId" in at)) return at;
      const draft = await views.reportDraft(at.orgId, at.id);
      if (!draft) return notFound(request, reply);
      const bytes = await reportDocx(draft, { name: userOf(request).org.name });
      return reply
        .header("content-type", DOCX)
        .header("content-disposition", attachment(`Dự thảo báo cáo ${directiveName(draft.directive)}`, "docx"))
        .header("cache-control", "no-store")
        .send(bytes);
    });

    app.get("/units/:id", async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!isId(id)) return notFound(request, reply, "đơn vị này");
      const view = await views.unitView(userOf(request).org.id, id);
      if (!view) return notFound(request, reply, "đơn vị này");
      const done = view.counts.done_on_time + view.counts.done_late;
      const total = CELL_CLASSES.reduce((n, c) => n + view.counts[c], 0);
      return page(request, reply, {
        title: `Việc của ${view.unit.name}`,
        active: "directives",
        body: html`${BOARD_CSS}<p><a href="/directives">← Danh sách văn bản</a></p>
<h1>Việc của ${view.unit.name}</h1>
${progressLine(view.progress, done, total)}
<ul class="chips" aria-label="Chú giải và số lượng">${CELL_CLASSES.map((c) => html`<li><span class="c-${c}" style="display:inline-block;padding:.2rem .6rem;border-radius:1rem" data-count="${c}">${CELL_CLASS_VI[c]}: <b>${view.counts[c]}</b></span></li>`)}</ul>
${view.directives.length === 0
  ? html`<p class="card">Đơn vị chưa được giao việc trong văn bản nào đang theo dõi.</p>`
  : view.directives.map(
      (group) => html`<section class="card"><h2 style="font-size:1.05rem;margin-top:0"><a href="/directives/${group.directive.id}/board?unit=${view.unit.id}">${directiveName(group.directive)}</a></h2>
<div class="scroll"><table class="board"><thead><tr><th>Nhiệm vụ</th><th>Tình trạng</th></tr></thead>
<tbody>${group.items.map((item, i) => {
  const cell = group.cells[i];
  return html`<tr data-item="${item.ref}"><th class="item" scope="row"><b>${item.ref}.</b> ${item.summary}<br><span class="muted">${item.deadlineText}</span></th>
${cell ? cellTd(cell, item, view.unit.name) : html`<td class="none">—</td>`}</tr>`;
})}</tbody></table></div></section>`,
    )}
<p class="muted">Số liệu tính đến ngày ${viDate(view.today)}.</p>`,
      });
    });
  };
}
