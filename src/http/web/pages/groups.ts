/**
 * Zalo groups (issue 8 §4): every group chat the assistant is in, the unit it speaks for, and
 * a select to bind or unbind it (through the groups use case, audited).
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { GroupBindingError } from "../../../app/index.ts";
import type { PageDeps } from "../deps.ts";
import { csrfField, html, isOffice, page, userOf, type WebModule } from "../index.ts";
import { CHANNEL_VI, formText, UUID, viDateTime } from "./people.ts";

/**
 * @example
 * modules.push(groupPages(deps)); // GET /groups, POST /groups/:id/unit
 */
export function groupPages(deps: PageDeps): WebModule {
  const { store, groups } = deps;

  async function groupsPage(request: FastifyRequest, reply: FastifyReply, flash?: { ok?: string; err?: string }, status = 200) {
    const user = userOf(request);
    const orgId = user.org.id;
    const office = isOffice(user);
    const [rows, units] = await Promise.all([groups.list(orgId), store.units.list(orgId)]);
    return page(request, reply, {
      title: "Nhóm Zalo",
      active: "groups",
      status,
      ...(flash ? { flash } : {}),
      body: (csrf) => html`<h1>Nhóm Zalo</h1>
<p class="muted">Nhóm đã gắn với một đơn vị sẽ nhận lời nhắc và thông báo của đơn vị đó; báo cáo gửi trong nhóm được tính cho đơn vị đó.</p>
<div class="scroll"><table><thead><tr><th>Nhóm</th><th>Kênh</th><th>Đơn vị</th>${office ? html`<th>Gắn với đơn vị</th>` : ""}</tr></thead><tbody>
${rows.length === 0
  ? html`<tr><td colspan="4" class="muted">Chưa có nhóm nào. Thêm trợ lý vào nhóm Zalo của đơn vị; nhóm sẽ hiện ở đây sau tin nhắn đầu tiên.</td></tr>`
  : rows.map(
      ({ thread, unit }) => html`<tr><td>${thread.title ?? "(chưa có tên)"}<br><span class="muted">từ ${viDateTime(thread.createdAt)}</span></td>
<td>${CHANNEL_VI[thread.channel]}</td>
<td>${unit ? unit.name : html`<span class="muted">Chưa gắn</span>`}</td>
${office
  ? html`<td><form method="post" action="/groups/${thread.id}/unit" style="display:flex;gap:.3rem;flex-wrap:wrap">${csrfField(csrf)}
<select name="unit" aria-label="Đơn vị của nhóm ${thread.title ?? ""}"><option value="">— Không gắn —</option>
${units.map((u) => html`<option value="${u.id}"${u.id === unit?.id ? html` selected` : ""}>${u.name}</option>`)}</select>
<button type="submit">Lưu</button></form></td>`
  : ""}</tr>`,
    )}
</tbody></table></div>`,
    });
  }

  return (app) => {
    app.get("/groups", async (request, reply) => {
      const ok = (request.query as Record<string, unknown>).ok;
      return groupsPage(request, reply, ok === "bound" ? { ok: "Đã gắn nhóm với đơn vị." } : ok === "unbound" ? { ok: "Đã bỏ gắn nhóm." } : undefined);
    });

    app.post("/groups/:id/unit", async (request, reply) => {
      const user = userOf(request);
      const { id } = request.params as { id: string };
      const unit = formText(request.body, "unit");
      if (unit && !UUID.test(unit)) return groupsPage(request, reply, { err: "Đơn vị không hợp lệ, hãy tải lại trang." }, 422);
      try {
        await groups.bind(user.org.id, id, unit || null, `person:${user.person.id}`);
      } catch (err) {
        if (err instanceof GroupBindingError) return groupsPage(request, reply, { err: err.message }, err.code === "not_a_group" ? 422 : 404);
        throw err;
      }
      return reply.redirect(`/groups?ok=${unit ? "bound" : "unbound"}`, 303);
    });
  };
}
