/**
 * The status board (issue 8): a directive's items × units, each cell coloured by status and
 * timing, the last report on hover (title) and on tap (<details>, no JavaScript needed); filters
 * by unit and status; the XLSX and Word exports; and one unit's work across active directives.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CELL_CLASSES, CELL_CLASS_VI, CELL_COLOURS, type BoardCell, type BoardItem, type BoardUnit, type BoardView, type CellClass } from "../../../app/index.ts";
import { daysBetween, viDate } from "../../../domain/index.ts";
import { boardXlsx, directiveName, reportDocx } from "../../../files/index.ts";
import type { PageDeps } from "../deps.ts";
import { html, page, raw, userOf, type Html, type WebModule } from "../index.ts";
import { activatedFlash, boardViewsOf, isId, notFound, viMoment } from "./directives.ts";

/** The layout (assets/board.css) and the palette, inline from CELL_COLOURS (the Excel export's too). */
const BOARD_CSS = raw(`<link rel="stylesheet" href="/assets/board.css"><style>
${CELL_CLASSES.map((c) => `.c-${c}{background:${CELL_COLOURS[c].fill};color:${CELL_COLOURS[c].text}}.k-${c} summary{background:${CELL_COLOURS[c].fill};color:${CELL_COLOURS[c].text}}`).join("\n")}
</style>`);

const isClass = (v: unknown): v is CellClass => typeof v === "string" && (CELL_CLASSES as readonly string[]).includes(v);

/** What a cell says on hover: its label, then the last report with who and when. */
function cellTitle(cell: BoardCell): string {
  const r = cell.lastReport;
  return r ? `${cell.label}\nBáo cáo gần nhất (${r.by ?? "không rõ người báo"}, ${viMoment(r.at)}): ${r.text}` : `${cell.label}\nChưa có báo cáo.`;
}

/** The short words inside a cell: its class, and the percent while in progress. */
const cellShort = (cell: BoardCell) => (cell.cls === "in_progress" && cell.percent !== null ? `${CELL_CLASS_VI.in_progress} ${cell.percent}%` : CELL_CLASS_VI[cell.cls]);

/** A cell on a unit's page: the status in full, the report on tap. */
function cellTd(cell: BoardCell, item: BoardItem, unitName: string): Html {
  return html`<td class="cell c-${cell.cls}" data-cell="${item.ref}|${unitName}" data-class="${cell.cls}" title="${cellTitle(cell)}">
<details><summary>${cellShort(cell)}</summary>
${reportBlock(cell)}</details></td>`;
}

/** The few words a matrix cell has room for; the full label is on hover and in the cell's details. */
const CELL_CHIP: Readonly<Record<CellClass, string>> = {
  done_on_time: "Xong",
  done_late: "Xong trễ",
  in_progress: "Đang làm",
  blocked: "Vướng mắc",
  overdue: "Quá hạn",
  not_reported: "Chưa báo cáo",
};

/** "Đang làm 80%" · "Quá hạn" */
const cellChip = (cell: BoardCell) => (cell.cls === "in_progress" && cell.percent !== null ? `${CELL_CHIP.in_progress} ${cell.percent}%` : CELL_CHIP[cell.cls]);

/**
 * The short timing under a matrix cell's chip: "còn 5 ngày" · "quá 3 ngày" · "hạn hôm nay" ·
 * "hạn 30/06" once done (the chip says on time or late) · "" without a due day. An overdue cell
 * still in progress keeps its percent: "40% · quá 3 ngày".
 */
export function cellWhen(cell: Pick<BoardCell, "cls" | "status" | "percent" | "dueDate">, today: string): string {
  if (!cell.dueDate) return "";
  if (cell.cls === "done_on_time" || cell.cls === "done_late") return `hạn ${viDate(cell.dueDate).slice(0, 5)}`;
  const left = daysBetween(today, cell.dueDate);
  const when = left > 0 ? `còn ${left} ngày` : left === 0 ? "hạn hôm nay" : `quá ${-left} ngày`;
  return cell.cls !== "in_progress" && cell.status === "in_progress" && cell.percent !== null ? `${cell.percent}% · ${when}` : when;
}

/** A phone card's line under an item: "hạn 30/06/2020 (quá hạn 3 ngày)", or the item's own deadline words. */
function dueLine(cell: BoardCell, item: BoardItem, today: string): string {
  if (!cell.dueDate) return item.deadlineText;
  if (cell.cls === "done_on_time" || cell.cls === "done_late") return `hạn ${viDate(cell.dueDate)}`;
  const left = daysBetween(today, cell.dueDate);
  return `hạn ${viDate(cell.dueDate)} (${left > 0 ? `còn ${left} ngày` : left === 0 ? "hôm nay là hạn" : `quá hạn ${-left} ngày`})`;
}

/** What a tap on a cell or a card's chip shows: the full label and the last report. */
function reportBlock(cell: BoardCell): Html {
  const r = cell.lastReport;
  return html`<div class="report">${cell.label}
${r ? html`<q>${r.text}</q>
<span>— ${r.by ?? "không rõ người báo"}, ${viMoment(r.at)}</span>` : "Chưa có báo cáo."}</div>`;
}

/** A matrix cell on the board: the chip and the short timing; the label on hover, the report on tap. */
function matrixTd(cell: BoardCell, item: BoardItem, unitName: string, today: string): Html {
  const when = cellWhen(cell, today);
  return html`<td class="cell c-${cell.cls}" data-cell="${item.ref}|${unitName}" data-class="${cell.cls}" title="${cellTitle(cell)}">
<details><summary><span class="chip">${cellChip(cell)}</span>${when ? html`<span class="when">${when}</span>` : ""}</summary>
${reportBlock(cell)}</details></td>`;
}

/** One line of a phone card: what (the item, or the unit), its due line, the status chip to tap. */
function cardEntry(cell: BoardCell, item: BoardItem, unit: BoardUnit, what: Html, today: string): Html {
  return html`<li class="entry k-${cell.cls}" data-entry="${item.ref}|${unit.name}" data-status="${cell.cls}">
<p class="what">${what}</p>
<p class="due muted">${dueLine(cell, item, today)}</p>
<details><summary>${cellShort(cell)}</summary>${reportBlock(cell)}</details></li>`;
}

/** "3/12 việc hoàn thành" over some cells. */
function tallyLine(cells: BoardCell[], noun: string): string {
  const done = cells.filter((c) => c.cls === "done_on_time" || c.cls === "done_late").length;
  return `${done}/${cells.length} ${noun} hoàn thành`;
}

/** Where the board's cards group the cells: one card per unit (the default) or per item. */
export type BoardCardView = "units" | "items";

/**
 * The phone's board: one card per unit listing its items, or one per item listing its units,
 * each line with its status chip; a tap shows the last report (`<details>`, no script).
 */
function boardCards(view: BoardView, by: BoardCardView, cellAt: Map<string, BoardCell>): Html {
  if (by === "items") {
    return html`${view.items.map((item) => {
      const cells = view.units.flatMap((u) => cellAt.get(`${item.id}|${u.id}`) ?? []);
      return html`<section class="card bcard" data-card="item" data-card-item="${item.ref}">
<h2><b>${item.ref}.</b> ${item.summary}</h2>
<p class="tally muted">${item.deadlineText} · ${tallyLine(cells, "đơn vị")}</p>
<ul class="entries">${view.units.map((u) => {
        const cell = cellAt.get(`${item.id}|${u.id}`);
        return cell ? cardEntry(cell, item, u, html`<a href="/units/${u.id}">${u.name}</a>`, view.today) : "";
      })}</ul></section>`;
    })}`;
  }
  return html`${view.units.map((u) => {
    const cells = view.items.flatMap((i) => cellAt.get(`${i.id}|${u.id}`) ?? []);
    return html`<section class="card bcard" data-card="unit" data-card-unit="${u.name}">
<h2><a href="/units/${u.id}">${u.name}</a></h2>
<p class="tally muted">${tallyLine(cells, "việc")}</p>
<ul class="entries">${view.items.map((item) => {
      const cell = cellAt.get(`${item.id}|${u.id}`);
      return cell ? cardEntry(cell, item, u, html`<span class="sum"><b>${item.ref}.</b> ${item.summary}</span>`, view.today) : "";
    })}</ul></section>`;
  })}`;
}

/** Abbreviations the aliases do not give by the rule below (keyed by the built-in unit keys). */
const SHORT_BY_KEY: Readonly<Record<string, string>> = { "mat-tran": "UBMTTQ" };

/** An acronym word: "CCB", "TN", "ĐU", "VH-XH". */
const ACRONYM = /^[\p{Lu}\p{N}][\p{Lu}\p{N}-]*\p{Lu}[\p{Lu}\p{N}-]*$/u;
const SHORT_MAX = 10;

/**
 * A unit's name for the board's narrow header: the name itself when short; else the alias of at
 * most 10 characters written with an acronym, preferring a word before it ("Hội CCB" over
 * "CCB") and then the shortest ("Đoàn TN" over "Đoàn TNCS"); else the full name (it wraps).
 *
 * @example
 * unitShortName({ name: "Hội Cựu chiến binh", key: "hoi-ccb" }, ["Hội Cựu chiến binh", "Hội CCB", "CCB"]) // "Hội CCB"
 * unitShortName({ name: "Văn phòng Đảng ủy", key: null }, ["VP Đảng ủy", "VPĐU"]) // "VP Đảng ủy"
 */
export function unitShortName(unit: { name: string; key: string | null }, aliases: readonly string[]): string {
  const known = unit.key ? SHORT_BY_KEY[unit.key] : undefined;
  if (known) return known;
  if ([...unit.name].length <= SHORT_MAX) return unit.name;
  const words = (s: string) => s.split(/\s+/).filter(Boolean);
  const candidates = aliases
    .map((a) => a.trim().replace(/\s+/g, " "))
    .filter((a) => a.length > 0 && [...a].length <= SHORT_MAX && words(a).some((w) => ACRONYM.test(w)));
  const best = [...candidates].sort((a, b) => Math.min(words(b).length, 2) - Math.min(words(a).length, 2) || [...a].length - [...b].length)[0];
  return best ? best.charAt(0).toUpperCase() + best.slice(1) : unit.name;
}

/** Short names for the board's units; two units that would read the same keep their full names. */
function shortNames(units: readonly BoardUnit[], known: ReadonlyMap<string, { key: string | null; aliases: string[] }>): Map<string, string> {
  const short = new Map(units.map((u) => [u.id, unitShortName({ name: u.name, key: known.get(u.id)?.key ?? null }, known.get(u.id)?.aliases ?? [])]));
  const seen = new Map<string, number>();
  for (const s of short.values()) seen.set(s.toLocaleLowerCase("vi"), (seen.get(s.toLocaleLowerCase("vi")) ?? 0) + 1);
  for (const u of units) if ((seen.get((short.get(u.id) ?? "").toLocaleLowerCase("vi")) ?? 0) > 1) short.set(u.id, u.name);
  return short;
}

/** The header of a unit's column: its short name, the full one in `title` (and `<abbr>`). */
function unitTh(unit: BoardUnit, short: string): Html {
  return html`<th scope="col" class="unit"><a href="/units/${unit.id}" title="${unit.name}">${short === unit.name ? unit.name : html`<abbr title="${unit.name}">${short}</abbr>`}</a></th>`;
}

/**
 * Where the matrix fits the window (its item column 16rem, each unit 6rem, board.css; 3rem for
 * the page's margins and a scroll bar), it needs no box of its own: the page scrolls and the
 * header row sticks to the window's top. Narrower windows keep the box, scrolling both ways
 * with the item column and the header sticky inside it.
 */
function matrixFits(units: number): Html {
  return raw(`<style>@media (min-width:${16 + 6 * units + 3}rem){.board-page .scroll{overflow:visible;max-height:none;border:0}}</style>`);
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
      const query = request.query as { unit?: unknown; status?: unknown; ok?: unknown; view?: unknown };
      const all = await views.board(at.orgId, at.id);
      if (!all) return notFound(request, reply);
      const unitId = isId(query.unit) && all.units.some((u) => u.id === query.unit) ? query.unit : undefined;
      const status = isClass(query.status) ? query.status : undefined;
      const by: BoardCardView = query.view === "items" ? "items" : "units";
      const view = unitId || status ? await views.board(at.orgId, at.id, { ...(unitId ? { unitId } : {}), ...(status ? { status } : {}) }) : all;
      if (!view) return notFound(request, reply);
      const [units, aliases] = await Promise.all([deps.store.units.list(at.orgId), deps.store.units.allAliases(at.orgId)]);
      const known = new Map(units.map((u) => [u.id, { key: u.key, aliases: aliases.filter((a) => a.unitId === u.id).map((a) => a.alias) }]));
      const short = shortNames(view.units, known);
      const base = `/directives/${at.id}`;
      const href = (u: string | undefined, s: CellClass | null, v: BoardCardView = by) => {
        const q = new URLSearchParams({ ...(u ? { unit: u } : {}), ...(s ? { status: s } : {}), ...(v === "items" ? { view: v } : {}) }).toString();
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
        body: html`${BOARD_CSS}<div class="board-page"><p><a href="/directives">← Danh sách văn bản</a></p>
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
${by === "items" ? raw('<input type="hidden" name="view" value="items">') : ""}<button type="submit">Lọc</button>${unitId || status ? html` <a href="${href(undefined, null)}">Bỏ lọc</a>` : ""}
</form>
${chips(view.counts, (c) => href(unitId, c), status ?? null)}
${view.cells.length === 0
  ? html`<p class="card">Không có ô nào khớp bộ lọc.</p>`
  : html`<div class="matrix" style="--units:${view.units.length}">${matrixFits(view.units.length)}<p class="muted">Rê chuột hoặc bấm vào một ô để xem báo cáo gần nhất; rê chuột lên tên đơn vị để xem tên đầy đủ.</p>
<div class="scroll"><table class="board">
<thead><tr><th class="corner" scope="col">Nhiệm vụ</th>${view.units.map((u) => unitTh(u, short.get(u.id) ?? u.name))}</tr></thead>
<tbody>${view.items.map(
  (item) => html`<tr data-item="${item.ref}"><th class="item" scope="row" title="${item.ref}. ${item.summary} (${item.deadlineText})"><span class="sum"><b>${item.ref}.</b> ${item.summary}</span><span class="muted">${item.deadlineText}</span></th>
${view.units.map((u) => {
  const cell = cellAt.get(`${item.id}|${u.id}`);
  return cell ? matrixTd(cell, item, u.name, view.today) : html`<td class="none" aria-label="Không giao">—</td>`;
})}</tr>`,
)}</tbody></table></div></div>
<nav class="views" aria-label="Cách xem">Xem theo: <a class="${by === "units" ? "on" : ""}" href="${href(unitId, status ?? null, "units")}"${by === "units" ? raw(' aria-current="page"') : ""}>Đơn vị</a>
<a class="${by === "items" ? "on" : ""}" href="${href(unitId, status ?? null, "items")}"${by === "items" ? raw(' aria-current="page"') : ""}>Nhiệm vụ</a></nav>
<div class="bcards" data-view="${by}"><p class="muted">Bấm vào tình trạng để xem báo cáo gần nhất.</p>
${boardCards(view, by, cellAt)}</div>`}
<p class="muted">Số liệu tính đến ngày ${viDate(view.today)}.</p></div>`,
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
