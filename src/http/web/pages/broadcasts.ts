/**
 * Broadcasts (issue 8 §5): compose to units / people / groups / "not yet reported on item N" /
 * everyone, preview the recipients and the channel each will get, send, and watch progress
 * live (a small script polls progress.json; a meta refresh is the no-script fallback).
 */
import { randomUUID } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { BroadcastError, type BroadcastRequest, type BroadcastView } from "../../../app/index.ts";
import type { BroadcastKind, DeliveryOutcome } from "../../../domain/index.ts";
import type { PageDeps } from "../deps.ts";
import { csrfField, html, isOffice, page, userOf, type Html, type WebModule } from "../index.ts";
import { CHANNEL_VI, formList, formText, UUID, viDateTime } from "./people.ts";

const KIND_VI: Record<BroadcastKind, string> = { announcement: "Thông báo", remind: "Nhắc báo cáo", digest: "Bản tin tuần" };
const STATUS_VI = { sent: "Đã gửi", failed: "Không gửi được", pending: "Đang chờ gửi" } as const;
const OUTCOME_VI: Record<DeliveryOutcome, string> = {
  sent: "Đã gửi",
  sending: "Đang gửi",
  failed: "Lỗi khi gửi",
  retrying: "Đang thử lại",
  window_closed: "Người nhận lâu chưa nhắn cho trợ lý nên nền tảng không cho gửi",
  rate_limited: "Nền tảng giới hạn số tin, sẽ thử lại",
  unreachable: "Không liên lạc được tài khoản này",
};

/** Why a message was not delivered, in Vietnamese where we know the outcome. */
export function reasonVi(error: string | null): string | null {
  if (!error) return null;
  return error in OUTCOME_VI ? OUTCOME_VI[error as DeliveryOutcome] : error;
}

const channelVi = (channel: string | null) => (channel && channel in CHANNEL_VI ? CHANNEL_VI[channel as keyof typeof CHANNEL_VI] : channel ?? "—");

/** The compose form's fields, as posted (kept to re-post them from the preview). */
interface Draft {
  kind: "announcement" | "remind";
  text: string;
  units: string[];
  people: string[];
  groups: string[];
  notReportedOn: string;
  everyone: boolean;
}

function readDraft(source: unknown): Draft {
  const fields = (source ?? {}) as Record<string, unknown>;
  return {
    kind: formText(fields, "kind") === "remind" ? "remind" : "announcement",
    text: typeof fields.text === "string" ? fields.text.normalize("NFC").trim() : "",
    units: formList(fields.units),
    people: formList(fields.people),
    groups: formList(fields.groups),
    notReportedOn: formText(fields, "notReportedOn"),
    everyone: formText(fields, "everyone") === "1",
  };
}

/** The use case's request, or a Vietnamese reason the form is not usable. */
function toRequest(draft: Draft, createdBy: string): BroadcastRequest | string {
  const ids = [...draft.units, ...draft.people, ...draft.groups];
  if (ids.some((id) => !UUID.test(id)) || ids.length > 5_000) return "Danh sách người nhận không hợp lệ, hãy tải lại trang.";
  if (draft.notReportedOn && !/^(\*|\d{1,3}(\.\d{1,3}){0,3}[a-zđ]?)$/i.test(draft.notReportedOn)) return `Số nhiệm vụ "${draft.notReportedOn}" không hợp lệ (ví dụ: 6 hoặc 6.2; * cho mọi nhiệm vụ).`;
  if (ids.length === 0 && !draft.notReportedOn && !draft.everyone) return "Hãy chọn ít nhất một nhóm người nhận.";
  return {
    kind: draft.kind,
    ...(draft.text ? { text: draft.text } : {}),
    targets: {
      ...(draft.units.length ? { units: draft.units } : {}),
      ...(draft.people.length ? { people: draft.people } : {}),
      ...(draft.groups.length ? { groups: draft.groups } : {}),
      ...(draft.notReportedOn ? { notReportedOn: draft.notReportedOn } : {}),
      ...(draft.everyone ? { everyone: true } : {}),
    },
    createdBy,
  };
}

/** The draft as hidden fields (to send, or to go back and edit). */
function hiddenFields(draft: Draft): Html {
  return html`<input type="hidden" name="kind" value="${draft.kind}"><input type="hidden" name="text" value="${draft.text}">
${draft.units.map((v) => html`<input type="hidden" name="units" value="${v}">`)}${draft.people.map((v) => html`<input type="hidden" name="people" value="${v}">`)}${draft.groups.map((v) => html`<input type="hidden" name="groups" value="${v}">`)}
${draft.notReportedOn ? html`<input type="hidden" name="notReportedOn" value="${draft.notReportedOn}">` : ""}${draft.everyone ? html`<input type="hidden" name="everyone" value="1">` : ""}`;
}

/** What progress.json and the page rows show for one recipient. */
function progressRows(view: BroadcastView) {
  return view.recipients.map((r) => ({
    name: r.name ?? "(không rõ)",
    channel: channelVi(r.channel) + (r.via ? ` → ${channelVi(r.via)}` : ""),
    status: r.status,
    statusText: STATUS_VI[r.status],
    reason: reasonVi(r.error) ?? "",
    at: r.at ? viDateTime(r.at) : "",
  }));
}

/** Polls progress.json every 2 s and rewrites the counts and rows (as text, never markup). */

/**
 * @example
 * modules.push(broadcastPages(deps)); // GET /broadcasts, /broadcasts/new, /broadcasts/:id(/progress.json); POST /broadcasts/preview, /broadcasts
 */
export function broadcastPages(deps: PageDeps): WebModule {
  const { store, broadcasts, groups } = deps;

  async function composePage(request: FastifyRequest, reply: FastifyReply, draft: Draft, flash?: { err: string }, status = 200) {
    const user = userOf(request);
    const orgId = user.org.id;
    const [units, people, identities, groupRows] = await Promise.all([store.units.list(orgId), store.persons.list(orgId), store.chats.linkedIdentities(orgId), groups.list(orgId)]);
    const linked = people.filter((p) => identities.some((i) => i.personId === p.id));
    const check = (list: string[], value: string) => (list.includes(value) ? html` checked` : "");
    const box = (name: string, value: string, label: string | Html, list: string[]) =>
      html`<label style="display:inline-block;margin:0 1rem .2rem 0"><input type="checkbox" name="${name}" value="${value}"${check(list, value)}> ${label}</label>`;
    return page(request, reply, {
      title: "Soạn thông báo",
      active: "broadcasts",
      status,
      ...(flash ? { flash } : {}),
      body: (csrf) => html`<h1>Soạn thông báo</h1>
${isOffice(user) ? "" : html`<p class="flash err">Lãnh đạo chỉ xem được, không gửi được thông báo.</p>`}
<form method="post" action="/broadcasts/preview" class="card">${csrfField(csrf)}
<fieldset><legend>Loại</legend>
<label style="margin-right:1rem"><input type="radio" name="kind" value="announcement"${draft.kind === "announcement" ? html` checked` : ""}> Thông báo</label>
<label><input type="radio" name="kind" value="remind"${draft.kind === "remind" ? html` checked` : ""}> Nhắc báo cáo</label>
</fieldset>
<p><label>Nội dung<br><textarea name="text" rows="4" maxlength="2000" style="width:100%">${draft.text}</textarea></label><br>
<span class="muted">Khi nhắc các đơn vị chưa báo cáo một nhiệm vụ, có thể để trống: mỗi đơn vị nhận lời nhắc về đúng nhiệm vụ của mình.</span></p>
<fieldset><legend>Đơn vị</legend>${units.length ? units.map((u) => box("units", u.id, u.name, draft.units)) : html`<span class="muted">Chưa có đơn vị.</span>`}</fieldset>
<fieldset><legend>Cán bộ (đã liên kết tài khoản chat)</legend>${linked.length ? linked.map((p) => box("people", p.id, p.fullName, draft.people)) : html`<span class="muted">Chưa có ai liên kết.</span>`}</fieldset>
<fieldset><legend>Nhóm Zalo</legend>${groupRows.length ? groupRows.map(({ thread, unit }) => box("groups", thread.id, html`${thread.title ?? "(chưa có tên)"}${unit ? html` <span class="muted">(${unit.name})</span>` : ""}`, draft.groups)) : html`<span class="muted">Chưa có nhóm.</span>`}</fieldset>
<p><label>Các đơn vị chưa báo cáo nhiệm vụ số <input type="text" name="notReportedOn" value="${draft.notReportedOn}" size="6" maxlength="20" placeholder="6"></label>
<span class="muted">(ghi * cho mọi nhiệm vụ)</span></p>
<p><label><input type="checkbox" name="everyone" value="1"${draft.everyone ? html` checked` : ""}> Tất cả cán bộ đã liên kết</label></p>
<p><button type="submit">Xem trước người nhận</button></p>
</form>`,
    });
  }

  return (app) => {
    app.get("/broadcasts", async (request, reply) => {
      const orgId = userOf(request).org.id;
      const list = await broadcasts.list(orgId, 30);
      const views = await Promise.all(list.map((b) => broadcasts.view(orgId, b.id)));
      return page(request, reply, {
        title: "Thông báo",
        active: "broadcasts",
        body: html`<h1>Thông báo</h1>
${isOffice(userOf(request)) ? html`<p><a class="button" href="/broadcasts/new">Soạn thông báo mới</a></p>` : ""}
<div class="scroll"><table><thead><tr><th>Thời gian</th><th>Loại</th><th>Nội dung</th><th>Người nhận</th><th>Đã gửi</th><th>Lỗi</th><th>Đang chờ</th></tr></thead><tbody>
${list.length === 0
  ? html`<tr><td colspan="7" class="muted">Chưa gửi thông báo nào.</td></tr>`
  : list.map((b, i) => {
      const c = views[i]?.counts ?? { total: 0, sent: 0, failed: 0, pending: 0 };
      const text = b.text || "(nhắc theo nhiệm vụ)";
      return html`<tr><td><a href="/broadcasts/${b.id}">${viDateTime(b.createdAt)}</a></td><td>${KIND_VI[b.kind]}</td>
<td><a href="/broadcasts/${b.id}">${text.length > 120 ? `${text.slice(0, 117)}…` : text}</a></td><td>${c.total}</td><td>${c.sent}</td><td>${c.failed}</td><td>${c.pending}</td></tr>`;
    })}
</tbody></table></div>`,
      });
    });

    app.get("/broadcasts/new", async (request, reply) => composePage(request, reply, readDraft(request.query)));

    app.post("/broadcasts/preview", async (request, reply) => {
      const user = userOf(request);
      const draft = readDraft(request.body);
      const built = toRequest(draft, user.person.id);
      if (typeof built === "string") return composePage(request, reply, draft, { err: built }, 422);
      let preview;
      try {
        preview = await broadcasts.preview(user.org.id, built);
      } catch (err) {
        if (err instanceof BroadcastError) return composePage(request, reply, draft, { err: err.message }, 422);
        throw err;
      }
      const byChannel = new Map<string, number>();
      for (const r of preview.recipients) byChannel.set(channelVi(r.channel), (byChannel.get(channelVi(r.channel)) ?? 0) + 1);
      return page(request, reply, {
        title: "Xem trước thông báo",
        active: "broadcasts",
        body: (csrf) => html`<h1>Xem trước: ${preview.recipients.length} người nhận</h1>
<p>${[...byChannel].map(([channel, n], i) => html`${i > 0 ? " · " : ""}${channel}: <strong>${n}</strong>`)}</p>
<div class="scroll"><table><thead><tr><th>Người nhận</th><th>Loại</th><th>Kênh</th><th>Nội dung sẽ gửi</th></tr></thead><tbody>
${preview.recipients.map((r) => html`<tr><td>${r.name ?? "(không rõ)"}</td><td>${r.kind === "group" ? "Nhóm" : "Cá nhân"}</td><td>${channelVi(r.channel)}</td><td style="white-space:pre-wrap">${r.text}</td></tr>`)}
</tbody></table></div>
<div style="display:flex;gap:.6rem;flex-wrap:wrap;margin-top:1rem">
<form method="post" action="/broadcasts">${csrfField(csrf)}${hiddenFields(draft)}<input type="hidden" name="key" value="${randomUUID()}"><button type="submit">Gửi</button></form>
<form method="get" action="/broadcasts/new">${hiddenFields(draft)}<button type="submit" class="secondary">Sửa lại</button></form>
</div>`,
      });
    });

    app.post("/broadcasts", async (request, reply) => {
      const user = userOf(request);
      const draft = readDraft(request.body);
      const built = toRequest(draft, user.person.id);
      if (typeof built === "string") return composePage(request, reply, draft, { err: built }, 422);
      // The preview's one-time key: pressing "Gửi" twice (or reloading) sends once.
      const key = formText(request.body, "key");
      try {
        const { id } = await broadcasts.send(user.org.id, { ...built, ...(UUID.test(key) ? { dedupeKey: `web-${key}` } : {}) });
        return reply.redirect(`/broadcasts/${id}`, 303);
      } catch (err) {
        if (err instanceof BroadcastError) return composePage(request, reply, draft, { err: err.message }, 422);
        throw err;
      }
    });

    app.get("/broadcasts/:id/progress.json", async (request, reply) => {
      const { id } = request.params as { id: string };
      const view = UUID.test(id) ? await broadcasts.view(userOf(request).org.id, id.toLowerCase()) : null;
      if (!view) return reply.code(404).header("cache-control", "no-store").send({ error: "not_found", message: "Không tìm thấy thông báo này." });
      return reply.header("cache-control", "no-store").send({ id: view.id, counts: view.counts, recipients: progressRows(view) });
    });

    app.get("/broadcasts/:id", async (request, reply) => {
      const { id } = request.params as { id: string };
      const view = UUID.test(id) ? await broadcasts.view(userOf(request).org.id, id.toLowerCase()) : null;
      if (!view) return page(request, reply, { title: "Không tìm thấy", active: "broadcasts", status: 404, body: html`<h1>Không tìm thấy thông báo này</h1><p><a href="/broadcasts">← Danh sách thông báo</a></p>` });
      const rows = progressRows(view);
      const pending = view.counts.pending > 0;
      return page(request, reply, {
        title: "Tiến độ gửi thông báo",
        active: "broadcasts",
        body: html`${pending ? html`<noscript><meta http-equiv="refresh" content="5"></noscript>` : ""}
<h1>${KIND_VI[view.kind]} lúc ${viDateTime(view.createdAt)}</h1>
${view.text ? html`<div class="card" style="white-space:pre-wrap">${view.text}</div>` : html`<p class="muted">Nhắc theo nhiệm vụ: mỗi đơn vị nhận lời nhắc về nhiệm vụ của mình.</p>`}
<div id="progress" data-url="/broadcasts/${view.id}/progress.json">
<p>Tổng <strong data-count="total">${view.counts.total}</strong> · Đã gửi <strong data-count="sent">${view.counts.sent}</strong> · Không gửi được <strong data-count="failed">${view.counts.failed}</strong> · Đang chờ <strong data-count="pending">${view.counts.pending}</strong>
 · <span id="progress-state" class="muted">${pending ? "Đang gửi…" : "Đã xong."}</span></p>
<div class="scroll"><table><thead><tr><th>Người nhận</th><th>Kênh</th><th>Trạng thái</th><th>Lý do</th><th>Lúc</th></tr></thead><tbody>
${rows.map((r) => html`<tr data-status="${r.status}"><td>${r.name}</td><td>${r.channel}</td><td class="st-${r.status}">${r.statusText}</td><td>${r.reason}</td><td>${r.at}</td></tr>`)}
</tbody></table></div></div>
<p><a href="/broadcasts">← Danh sách thông báo</a></p>
${pending ? html`<script src="/assets/broadcast-progress.js" defer></script>` : ""}`,
      });
    });
  };
}
