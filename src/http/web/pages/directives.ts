/**
 * Directive pages (issue 8): the list with a progress bar each, import by paste or Word file,
 * and the review screen (source text beside the parsed items, each editable, what the parser
 * could not resolve highlighted) that ends in activation.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  ACTIVATION_WARNING_LABEL,
  createBoardView,
  directiveTitle,
  IntakeError,
  isActivationWarningKind,
  type ActivationWarning,
  type ActivationWarningKind,
  type BoardViews,
  type ItemEdit,
} from "../../../app/index.ts";
import type { Directive, Item, ItemAssignee } from "../../../domain/index.ts";
import { directiveName as shortNameOf, localIso, viDate } from "../../../domain/index.ts";
import { DirectiveFileError, directiveName, readDirectiveBuffer } from "../../../files/index.ts";
import { badDateMessage, dateInput, readViDate } from "../dates.ts";
import type { PageDeps } from "../deps.ts";
import { checkFormCsrf, csrfField, html, isOffice, page, raw, userOf, type Html, type WebModule } from "../index.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A route id that can be looked up (anything else is simply not found, never a database error). */
export const isId = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

/** The board views of the page deps, built once per module when main/ did not pass them. */
export const boardViewsOf = (deps: PageDeps): BoardViews => deps.board ?? createBoardView({ store: deps.store, clock: deps.clock });

export function notFound(request: FastifyRequest, reply: FastifyReply, what = "văn bản này"): FastifyReply {
  return page(request, reply, {
    title: "Không tìm thấy",
    status: 404,
    body: html`<h1>Không tìm thấy ${what}</h1><p><a href="/directives">Về danh sách văn bản</a></p>`,
  });
}

/** "20/06/2020 09:00" in the ward's time. */
export function viMoment(at: Date): string {
  const iso = localIso(at);
  return `${viDate(iso.slice(0, 10))} ${iso.slice(11, 16)}`;
}

const STATUS_VI: Record<Directive["status"], string> = { draft: "Nháp, chờ duyệt", active: "Đang theo dõi", archived: "Đã lưu trữ" };

/** The review screen's own layout: side by side from 900px, stacked below. */
const REVIEW_CSS = raw(`<style>
.review{display:grid;grid-template-columns:1fr;gap:1rem}
@media (min-width:900px){.review{grid-template-columns:minmax(0,5fr) minmax(0,6fr)}.review .source{position:sticky;top:.5rem;max-height:calc(100vh - 1rem);overflow:auto}}
.source pre{white-space:pre-wrap;word-wrap:break-word;font-size:14px;line-height:1.5;font-family:inherit;margin:0}
.item label{display:block;margin:.3rem 0}.item input[type=text],.item textarea{width:100%}
.item .row{display:flex;flex-wrap:wrap;gap:.5rem}.item .row>label{flex:1 1 10rem}
.item.warn{border-color:#e0b040}.note{color:#7f4f00;margin:.2rem 0;font-size:.92em}.item h3{font-size:1rem;margin:0 0 .3rem}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.activate h2{font-size:1.05rem;margin:0 0 .4rem}.activate ul{margin:0 0 .6rem;padding-left:1.2rem}.activate li{margin:.4rem 0}
.activate li label{display:block;margin:.2rem 0;font-weight:600}
</style>`);

const FLASH_OK: Record<string, string> = {
  saved: "Đã lưu nhiệm vụ.",
  added: "Đã thêm nhiệm vụ.",
  removed: "Đã xóa nhiệm vụ.",
  existing: "Văn bản này đã được nhập trước đó; đây là bản nháp đã có.",
};

/** Why an item needs a look before activation; empty when it is fine. */
export function itemWarnings(item: Item, items: Item[]): string[] {
  const notes: string[] = [];
  const viaChildren = items.some((c) => c.parentRef === item.ref && c.assignees.length > 0);
  if (item.assignees.length === 0 && !viaChildren) notes.push("Chưa có đơn vị thực hiện.");
  const unknown = item.assignees.filter((a) => !a.unitKey).map((a) => a.name);
  if (unknown.length > 0) notes.push(`Chưa nhận ra đơn vị: ${unknown.join(", ")} (sẽ tạo đơn vị mới khi kích hoạt nếu không sửa).`);
  const d = item.deadline;
  if (d?.text && !item.dueDate && d.kind !== "recurring" && d.kind !== "ongoing") {
    notes.push(`Không xác định được ngày hạn từ “${d.text}”: hãy chọn ngày hạn.`);
  }
  return notes;
}

/** The kinds ticked on the activate form (one checkbox `confirm` per kind; unknown values ignored). */
export function confirmedKinds(body: Record<string, unknown>): ActivationWarningKind[] {
  const raw = body.confirm;
  const values = Array.isArray(raw) ? raw : [raw];
  return [...new Set(values.filter(isActivationWarningKind))];
}

const count = (value: unknown): number | null => (typeof value === "string" && /^\d{1,6}$/.test(value) ? Number(value) : null);

/**
 * The board's line after activation, from `?ok=activated&reached=R&of=N` (the activation's reach):
 * who will be reminded, never "every unit" when some cannot be reached.
 */
export function activatedFlash(query: unknown): string | undefined {
  const q = (query ?? {}) as Record<string, unknown>;
  if (q.ok !== "activated") return undefined;
  const reached = count(q.reached);
  const of = count(q.of);
  if (reached === null || of === null || reached > of) return "Đã bắt đầu theo dõi.";
  if (of === 0) return "Đã bắt đầu theo dõi. Không có đơn vị nào cần nhắc hạn.";
  if (reached === of) return `Đã bắt đầu theo dõi. ${of === 1 ? "Đơn vị được giao việc" : `Cả ${of} đơn vị`} sẽ được nhắc hạn qua tin nhắn.`;
  return `Đã bắt đầu theo dõi. ${reached}/${of} đơn vị sẽ được nhắc hạn qua tin nhắn; ${of - reached} đơn vị chưa liên lạc được sẽ chưa nhận được tin nhắc cho đến khi có cán bộ liên kết tài khoản (trang Cán bộ) hoặc gắn nhóm Zalo (trang Nhóm Zalo).`;
}

/** The warnings of a draft before its activate button; a checkbox per kind for office. */
function activationWarningList(warnings: ActivationWarning[], office: boolean, confirmed: readonly ActivationWarningKind[]): Html {
  if (warnings.length === 0) return html``;
  return html`<h2>Cần xác nhận trước khi bắt đầu theo dõi</h2>
<ul class="warnings">${warnings.map(
    (w) => html`<li data-warning="${w.kind}"><span class="note">⚠ ${w.message}</span>${office
      ? html`<label><input type="checkbox" name="confirm" value="${w.kind}"${confirmed.includes(w.kind) ? raw(" checked") : ""}> Xác nhận vẫn bắt đầu theo dõi dù ${ACTIVATION_WARNING_LABEL[w.kind]}</label>`
      : ""}</li>`,
  )}</ul>`;
}

const names = (assignees: ItemAssignee[], role: "lead" | "support") =>
  assignees
    .filter((a) => a.role === role)
    .map((a) => a.name)
    .join(", ");

const splitNames = (value: string) =>
  value
    .split(/[,;\n]/)
    .map((n) => n.trim())
    .filter((n) => n.length > 0);

const field = (body: Record<string, unknown>, name: string): string | undefined => {
  const v = body[name];
  return typeof v === "string" ? v : undefined;
};

/** A due date typed in a shape that does not read as a day (shown on the review page). */
export class BadDateError extends Error {
  constructor(readonly messageVi: string) {
    super(messageVi);
  }
}

/**
 * The form's fields as an intake edit: deadline and due day only when they changed. The due day
 * is typed dd/mm/yyyy (d/m/yyyy too); anything else is a {@link BadDateError}.
 */
export function editFrom(body: Record<string, unknown>, current: Item | null): ItemEdit {
  const edit: ItemEdit = {};
  const ref = field(body, "ref");
  if (ref !== undefined) edit.ref = ref;
  const summary = field(body, "summary");
  if (summary !== undefined) edit.summary = summary;
  const text = field(body, "text");
  if (text !== undefined && text.trim()) edit.text = text;
  const deadline = field(body, "deadline");
  if (deadline !== undefined && deadline.trim() !== (current?.deadline?.text ?? "").trim()) edit.deadline = deadline;
  const due = field(body, "dueDate");
  if (due !== undefined) {
    const typed = readViDate(due);
    if (typed.kind === "invalid") throw new BadDateError(badDateMessage("Ngày hạn", typed.text));
    const day = typed.kind === "day" ? typed.day : null;
    if (day !== (current?.dueDate ?? null)) edit.dueDate = day;
  }
  const lead = field(body, "lead");
  const support = field(body, "support");
  if (lead !== undefined || support !== undefined) {
    edit.assignees = [
      ...splitNames(lead ?? "").map((name) => ({ name, role: "lead" as const })),
      ...splitNames(support ?? "").map((name) => ({ name, role: "support" as const })),
    ];
  }
  return edit;
}

/**
 * How the list names a directive: its short name as chat uses it ("TB 05/6"), its subject line
 * ("V/v …", when the text has one) and its header (type, number, date, issuer) — never "no number".
 *
 * @example
 * listedName(d) // { name: "TB 05/6", title: "Kết luận của Ban Thường vụ…", header: "Thông báo kết luận ngày 05/06/2020 của Đảng ủy phường 7" }
 */
export function listedName(d: Pick<Directive, "shortName" | "docType" | "number" | "issuedDate" | "issuer" | "sourceText">): { name: string; title: string | undefined; header: string } {
  return { name: shortNameOf(d), title: directiveTitle(d.sourceText), header: directiveName(d) };
}

/** The list as a table on a laptop, as one card per directive on a phone (no sideways scroll). */
const LIST_CSS = raw(`<style>
.dlist td.dname{overflow-wrap:anywhere}.dlist .dtitle{font-weight:500}.dlist td.dprogress{min-width:9rem}.dlist .bar{margin:.2rem 0}
@media (max-width:640px){.dlist,.dlist tbody,.dlist tr,.dlist td{display:block;width:100%}.dlist thead{display:none}
.dlist tr{background:#fff;border:1px solid #d8dde3;border-radius:6px;margin:0 0 .7rem;padding:.5rem .6rem}
.dlist td{border:0;padding:.15rem 0;font-size:.95em;min-width:0}.dlist td.dprogress{min-width:0}
.dlist td[data-label]::before{content:attr(data-label) ": ";color:#667}.dlist td.dprogress .bar{min-width:0;width:100%}}
</style>`);

function progressBar(share: number, label: string): Html {
  const pct = Math.round(share * 100);
  return html`<div class="bar" role="progressbar" aria-valuenow="${pct}" aria-valuemin="0" aria-valuemax="100" aria-label="${label}" title="${label}"><span style="width:${pct}%"></span></div>`;
}

/**
 * @example
 * modules.push(directivePages(deps));
 */
export function directivePages(deps: PageDeps): WebModule {
  const board = boardViewsOf(deps);

  function importForm(request: FastifyRequest, reply: FastifyReply, input: { text?: string; err?: string; status?: number } = {}) {
    const office = isOffice(userOf(request));
    return page(request, reply, {
      title: "Nhập văn bản mới",
      active: "directives",
      status: input.status ?? 200,
      ...(input.err ? { flash: { err: input.err } } : {}),
      body: (csrf) => html`<p><a href="/directives">← Danh sách văn bản</a></p>
<h1>Nhập văn bản mới</h1>
${office
  ? html`<form class="card" method="post" action="/directives" enctype="multipart/form-data">${csrfField(csrf)}
<p><label for="text">Dán nội dung văn bản (thông báo kết luận, kế hoạch, công văn…)</label><br>
<textarea id="text" name="text" rows="16" style="width:100%" placeholder="Dán toàn bộ văn bản vào đây">${input.text ?? ""}</textarea></p>
<p><label>Hoặc chọn tệp Word (.docx), .txt, .md — tối đa 2 MB<br>
<input type="file" name="file" accept=".docx,.txt,.md,.markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain,text/markdown"></label></p>
<p class="muted">Nếu chọn tệp, hệ thống đọc tệp và bỏ qua phần dán. Văn bản được lưu ở dạng nháp để kiểm tra trước khi bắt đầu theo dõi.</p>
<p><button type="submit">Phân tích văn bản</button></p>
</form>`
  : html`<p>Chỉ cán bộ văn phòng được nhập văn bản mới.</p>`}`,
    });
  }

  async function reviewPage(
    request: FastifyRequest,
    reply: FastifyReply,
    directiveId: string,
    input: { ok?: string; err?: string; status?: number; draft?: { ref: string; text: string; dueDate?: string }; confirmed?: readonly ActivationWarningKind[] } = {},
  ) {
    const user = userOf(request);
    const found = await deps.store.directives.get(user.org.id, directiveId);
    if (!found) return notFound(request, reply);
    const { directive, items } = found;
    if (directive.status !== "draft") return reply.redirect(`/directives/${directive.id}/board`, 303);
    const warnings = await deps.intake.activationWarnings(user.org.id, directive.id);
    const office = isOffice(user);
    const base = `/directives/${directive.id}`;
    const warned = items.filter((i) => itemWarnings(i, items).length > 0).length;
    const title = directiveTitle(directive.sourceText);
    const flash = { ...(input.ok ? { ok: input.ok } : {}), ...(input.err ? { err: input.err } : {}) };
    return page(request, reply, {
      title: `Duyệt: ${directiveName(directive)}`,
      active: "directives",
      status: input.status ?? 200,
      ...(input.ok || input.err ? { flash } : {}),
      body: (csrf) => html`${REVIEW_CSS}<p><a href="/directives">← Danh sách văn bản</a></p>
<h1>Duyệt văn bản: ${directiveName(directive)}</h1>
${title || directive.sourceName ? html`<p class="muted">${title ?? ""}${title && directive.sourceName ? " · " : ""}${directive.sourceName ? `tệp ${directive.sourceName}` : ""}</p>` : ""}
<p>${items.length} nhiệm vụ${warned > 0 ? html` · <strong class="warn">${warned} nhiệm vụ cần kiểm tra</strong> (tô vàng)` : html` · hệ thống đã nhận ra đủ đơn vị và thời hạn`}.</p>
${office
  ? html`<form class="card activate" method="post" action="${base}/activate" id="activate">${csrfField(csrf)}
${activationWarningList(warnings, true, input.confirmed ?? [])}
<p class="actions" style="margin:0"><button type="submit">Bắt đầu theo dõi</button>
<span class="muted">Sau khi bắt đầu, hệ thống giao việc cho các đơn vị và nhắc hạn qua Zalo/Messenger những đơn vị đã có cán bộ liên kết tài khoản hoặc đã gắn nhóm Zalo; danh sách nhiệm vụ không sửa được nữa.</span></p></form>`
  : html`${warnings.length > 0 ? html`<div class="card activate">${activationWarningList(warnings, false, [])}</div>` : ""}
<p class="muted">Lãnh đạo xem bản nháp; việc sửa và kích hoạt do văn phòng thực hiện.</p>`}
<div class="review">
<section class="source card" aria-label="Văn bản gốc"><h2 style="font-size:1.05rem;margin-top:0">Văn bản gốc</h2><pre>${directive.sourceText}</pre></section>
<section aria-label="Nhiệm vụ">
<h2 style="font-size:1.05rem;margin-top:0">Nhiệm vụ hệ thống tách được</h2>
${items.map((item) => {
  const notes = itemWarnings(item, items);
  return html`<div class="card item${notes.length > 0 ? " warn" : ""}" id="item-${item.id}" data-ref="${item.ref}">
<h3>Nhiệm vụ ${item.ref}${item.parentRef ? html` <span class="muted">(thuộc mục ${item.parentRef})</span>` : ""}</h3>
${notes.map((n) => html`<p class="note">⚠ ${n}</p>`)}
<form method="post" action="${base}/items/${item.id}">${csrfField(csrf)}<fieldset style="border:0;padding:0;margin:0"${office ? "" : raw(" disabled")}>
<div class="row"><label style="flex:0 1 6rem">Số thứ tự<br><input type="text" name="ref" value="${item.ref}" required maxlength="20"></label>
<label>Tóm tắt<br><input type="text" name="summary" value="${item.summary}" maxlength="500"></label></div>
<details><summary>Nội dung đầy đủ</summary><label><textarea name="text" rows="5">${item.text}</textarea></label></details>
<div class="row"><label>Thời hạn (như trong văn bản)<br><input type="text" name="deadline" value="${item.deadline?.text ?? ""}" placeholder="30/6/2020, trong tháng 6/2020, hàng tuần…" maxlength="300"></label>
<label style="flex:0 1 11rem">Ngày hạn (ngày/tháng/năm)<br>${dateInput("dueDate", item.dueDate)}</label></div>
<label>Đơn vị chủ trì (cách nhau bằng dấu phẩy)<br><input type="text" name="lead" value="${names(item.assignees, "lead")}"></label>
<label>Đơn vị phối hợp<br><input type="text" name="support" value="${names(item.assignees, "support")}"></label>
${office
  ? html`<p class="actions"><button type="submit">Lưu</button>
<button type="submit" class="secondary" formaction="${base}/items/${item.id}/delete" formnovalidate>Xóa</button></p>`
  : ""}
</fieldset></form>
</div>`;
})}
${office
  ? html`<form class="card item" method="post" action="${base}/items" id="new-item">${csrfField(csrf)}
<h3>Thêm nhiệm vụ</h3>
<div class="row"><label style="flex:0 1 6rem">Số thứ tự<br><input type="text" name="ref" value="${input.draft?.ref ?? ""}" required maxlength="20"></label>
<label>Tóm tắt<br><input type="text" name="summary" maxlength="500"></label></div>
<label>Nội dung<br><textarea name="text" rows="3" required>${input.draft?.text ?? ""}</textarea></label>
<div class="row"><label>Thời hạn<br><input type="text" name="deadline" maxlength="300"></label>
<label style="flex:0 1 11rem">Ngày hạn (ngày/tháng/năm)<br>${dateInput("dueDate", input.draft?.dueDate ?? "")}</label></div>
<label>Đơn vị chủ trì<br><input type="text" name="lead"></label>
<label>Đơn vị phối hợp<br><input type="text" name="support"></label>
<p><button type="submit">Thêm nhiệm vụ</button></p>
</form>`
  : ""}
</section>
</div>`,
    });
  }

  /** An intake refusal shown on the review page; anything else is the scope's error page. */
  async function refusedOnReview(request: FastifyRequest, reply: FastifyReply, directiveId: string, err: unknown, draft?: { ref: string; text: string; dueDate?: string }) {
    if (err instanceof BadDateError) return reviewPage(request, reply, directiveId, { err: err.messageVi, status: 400, ...(draft ? { draft } : {}) });
    if (!(err instanceof IntakeError)) throw err;
    if (err.code === "not_found" && !(await deps.store.directives.get(userOf(request).org.id, directiveId))) return notFound(request, reply);
    return reviewPage(request, reply, directiveId, { err: err.messageVi, status: err.status, ...(draft ? { draft } : {}) });
  }

  return (app: FastifyInstance) => {
    app.get("/directives", async (request, reply) => {
      const user = userOf(request);
      const [directives, progress] = await Promise.all([deps.intake.listDirectives(user.org.id), board.directiveProgress(user.org.id)]);
      const byId = new Map(progress.map((p) => [p.id, p]));
      return page(request, reply, {
        title: "Văn bản chỉ đạo",
        active: "directives",
        body: html`<div class="actions" style="justify-content:space-between"><h1>Văn bản chỉ đạo</h1>
${isOffice(user) ? html`<a class="button" href="/directives/new">Nhập văn bản mới</a>` : ""}</div>
${directives.length === 0
  ? html`<p class="card">Chưa có văn bản nào. ${isOffice(user) ? html`<a href="/directives/new">Nhập văn bản đầu tiên</a>.` : ""}</p>`
  : html`${LIST_CSS}<table class="dlist">
<thead><tr><th>Văn bản</th><th>Trạng thái</th><th>Tiến độ</th></tr></thead>
<tbody>${directives.map((d) => {
  const p = byId.get(d.id);
  const href = d.status === "draft" ? `/directives/${d.id}/review` : `/directives/${d.id}/board`;
  const { name, title, header } = listedName(d);
  return html`<tr data-directive="${d.id}" data-status="${d.status}">
<td class="dname"><a href="${href}"><strong>${name}</strong></a>${title ? html` — <span class="dtitle">${title}</span>` : ""}<br><span class="muted">${header}</span></td>
<td data-label="Trạng thái">${STATUS_VI[d.status]}</td>
<td data-label="Tiến độ" class="dprogress">${d.status === "active" && p
  ? html`${progressBar(p.share, `${p.done}/${p.total} việc hoàn thành`)}<span class="muted">${p.done}/${p.total} việc hoàn thành${p.overdue > 0 ? html` · <strong>${p.overdue} quá hạn</strong>` : ""}</span>`
  : d.status === "draft"
    ? html`<a href="${href}">Duyệt và bắt đầu theo dõi</a>`
    : "—"}</td>
</tr>`;
})}</tbody></table>`}`,
      });
    });

    app.get("/directives/new", async (request, reply) => importForm(request, reply));

    app.post("/directives", { config: { csrfInForm: true } }, async (request, reply) => {
      const user = userOf(request);
      let text = "";
      let file: { buffer: Buffer; name: string } | null = null;
      try {
        if (request.isMultipart()) {
          let checked = false;
          for await (const part of request.parts()) {
            // The form's first field is its CSRF token: nothing else is read before it passes.
            if (!checked) {
              const token = part.type === "field" && part.fieldname === "_csrf" && typeof part.value === "string" ? part.value : undefined;
              checkFormCsrf(app, request, reply, token);
              checked = true;
              if (part.type === "field") continue;
            }
            if (part.type === "file") {
              const buffer = await part.toBuffer();
              // A form sent without a chosen file still has an empty, unnamed file part.
              if (part.filename) file = { buffer, name: part.filename };
            } else if (part.fieldname === "text" && typeof part.value === "string") {
              text = part.value;
              if (part.valueTruncated) {
                return importForm(request, reply, { text: "", err: "Văn bản quá dài. Hãy tách thành nhiều văn bản.", status: 413 });
              }
            }
          }
          if (!checked) checkFormCsrf(app, request, reply, undefined);
        } else {
          text = field((request.body ?? {}) as Record<string, unknown>, "text") ?? "";
        }
        const source = file ? (await readDirectiveBuffer(file.buffer, file.name)).text : text;
        const result = await deps.intake.importDirective({ orgId: user.org.id, text: source, sourceName: file?.name ?? null, actor: `person:${user.person.id}` });
        return reply.redirect(`/directives/${result.directive.id}/review${result.created ? "" : "?ok=existing"}`, 303);
      } catch (err) {
        // Keep a long paste out of the re-rendered form only when it is the problem.
        if (err instanceof IntakeError) return importForm(request, reply, { text: err.code === "too_long" ? "" : text, err: err.messageVi, status: err.status });
        if (err instanceof DirectiveFileError) return importForm(request, reply, { text, err: err.messageVi, status: err.status });
        if ((err as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE") {
          return importForm(request, reply, { text, err: "Tệp quá lớn (tối đa 2 MB). Hãy xóa bớt hình ảnh trong tệp hoặc dán phần nội dung văn bản.", status: 413 });
        }
        throw err;
      }
    });

    app.get("/directives/:id", async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!isId(id)) return notFound(request, reply);
      const found = await deps.store.directives.get(userOf(request).org.id, id);
      if (!found) return notFound(request, reply);
      return reply.redirect(`/directives/${id}/${found.directive.status === "draft" ? "review" : "board"}`);
    });

    app.get("/directives/:id/review", async (request, reply) => {
      const { id } = request.params as { id: string };
      const { ok } = request.query as { ok?: string };
      if (!isId(id)) return notFound(request, reply);
      const flash = ok ? FLASH_OK[ok] : undefined;
      return reviewPage(request, reply, id, flash ? { ok: flash } : {});
    });

    app.post("/directives/:id/items/:itemId", async (request, reply) => {
      const { id, itemId } = request.params as { id: string; itemId: string };
      if (!isId(id) || !isId(itemId)) return notFound(request, reply, "nhiệm vụ này");
      const user = userOf(request);
      const current = (await deps.store.directives.get(user.org.id, id))?.items.find((i) => i.id === itemId) ?? null;
      try {
        await deps.intake.updateItem(user.org.id, id, itemId, editFrom((request.body ?? {}) as Record<string, unknown>, current), `person:${user.person.id}`);
      } catch (err) {
        return refusedOnReview(request, reply, id, err);
      }
      return reply.redirect(`/directives/${id}/review?ok=saved#item-${itemId}`, 303);
    });

    app.post("/directives/:id/items", async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!isId(id)) return notFound(request, reply);
      const user = userOf(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const draft = { ref: field(body, "ref") ?? "", text: field(body, "text") ?? "", dueDate: field(body, "dueDate") ?? "" };
      try {
        const edit = editFrom(body, null);
        const item = await deps.intake.addItem(user.org.id, id, { ...edit, ref: draft.ref, text: draft.text }, `person:${user.person.id}`);
        return reply.redirect(`/directives/${id}/review?ok=added#item-${item.id}`, 303);
      } catch (err) {
        return refusedOnReview(request, reply, id, err, draft);
      }
    });

    app.post("/directives/:id/items/:itemId/delete", async (request, reply) => {
      const { id, itemId } = request.params as { id: string; itemId: string };
      if (!isId(id) || !isId(itemId)) return notFound(request, reply, "nhiệm vụ này");
      const user = userOf(request);
      try {
        await deps.intake.removeItem(user.org.id, id, itemId, `person:${user.person.id}`);
      } catch (err) {
        return refusedOnReview(request, reply, id, err);
      }
      return reply.redirect(`/directives/${id}/review?ok=removed`, 303);
    });

    app.post("/directives/:id/activate", async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!isId(id)) return notFound(request, reply);
      const user = userOf(request);
      const confirm = confirmedKinds((request.body ?? {}) as Record<string, unknown>);
      let reach;
      try {
        ({ reach } = await deps.intake.activate(user.org.id, id, `person:${user.person.id}`, { confirm }));
      } catch (err) {
        if (err instanceof IntakeError && err.code === "not_draft") return reply.redirect(`/directives/${id}/board`, 303);
        if (err instanceof IntakeError && err.code === "needs_confirmation") {
          // The details are listed above the button; the message says which boxes are missing.
          const labels = err.unconfirmed.map((k) => ACTIVATION_WARNING_LABEL[k]);
          const which = labels.length > 1 ? `${labels.slice(0, -1).join(", ")} và ${labels[labels.length - 1]}` : (labels[0] ?? "");
          const message = `Chưa kích hoạt: đồng chí cần xác nhận đã biết ${which}. Hãy đánh dấu ô xác nhận ở phần “Cần xác nhận trước khi bắt đầu theo dõi” rồi bấm “Bắt đầu theo dõi” lại.`;
          return reviewPage(request, reply, id, { err: message, status: err.status, confirmed: confirm });
        }
        return refusedOnReview(request, reply, id, err);
      }
      return reply.redirect(`/directives/${id}/board?ok=activated&reached=${reach.reachable}&of=${reach.units}`, 303);
    });
  };
}
