/**
 * People, units and chat links (issue 8 §4): units with their other names, people with roles,
 * units and linked chat accounts (with the last time each wrote), and one-time link codes with
 * the Zalo instruction and the Messenger m.me link as a QR code.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import QRCode from "qrcode";
import { DirectoryError } from "../../../app/index.ts";
import { localIso, type Channel, type MembershipRole, type PersonRole } from "../../../domain/index.ts";
import type { PageDeps } from "../deps.ts";
import { csrfField, html, isOffice, page, userOf, type Html, type WebModule } from "../index.ts";

export const CHANNEL_VI: Record<Channel, string> = { zalo: "Zalo", zalo_bot: "Zalo Bot", messenger: "Messenger", simulator: "Mô phỏng" };
export const ROLE_VI: Record<PersonRole, string> = { office: "Văn phòng", cadre: "Cán bộ đơn vị", leader: "Lãnh đạo" };
const MEMBERSHIP_VI: Record<MembershipRole, string> = { head: "Trưởng", deputy: "Phó", member: "Thành viên" };
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A moment in Asia/Ho_Chi_Minh, the Vietnamese way. @example viDateTime(new Date("2020-06-23T01:05:00Z")) // "08:05 23/06/2020" */
export function viDateTime(moment: Date): string {
  const iso = localIso(moment);
  return `${iso.slice(11, 16)} ${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** A form field that may come once (a string) or many times (an array): always a list of trimmed, non-empty strings. */
export function formList(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return values.filter((v): v is string => typeof v === "string").map((v) => v.trim()).filter((v) => v.length > 0);
}

/** One text field of a form, trimmed ("" when absent). */
export function formText(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value.trim() : "";
}

/** Other names typed one per line or separated by commas. */
function splitAliases(text: string): string[] {
  return [...new Set(text.split(/[\n,;]/).map((a) => a.normalize("NFC").trim()).filter((a) => a.length > 0))];
}

const OK: Record<string, string> = {
  unit: "Đã thêm đơn vị.",
  alias: "Đã thêm tên gọi khác.",
  person: "Đã thêm cán bộ.",
};

/**
 * @example
 * modules.push(peoplePages(deps)); // GET /people, POST /units, /units/:id/aliases, /people, /people/:id/link-code
 */
export function peoplePages(deps: PageDeps): WebModule {
  const { store } = deps;
  const actorOf = (request: FastifyRequest) => `person:${userOf(request).person.id}`;

  async function peoplePage(request: FastifyRequest, reply: FastifyReply, flash?: { ok?: string; err?: string }, status = 200) {
    const user = userOf(request);
    const orgId = user.org.id;
    const office = isOffice(user);
    const [units, aliases, people, identities] = await Promise.all([
      store.units.list(orgId),
      store.units.allAliases(orgId),
      store.persons.list(orgId),
      store.chats.linkedIdentities(orgId),
    ]);
    const aliasesOf = (unitId: string) => aliases.filter((a) => a.unitId === unitId).map((a) => a.alias).sort((a, b) => a.localeCompare(b, "vi"));

    const render = (csrf: string) => {
      const unitRows = units.map(
        (u) => html`<tr><td>${u.name}</td><td>${aliasesOf(u.id).join(", ") || html`<span class="muted">—</span>`}</td>
${office
  ? html`<td><form method="post" action="/units/${u.id}/aliases" style="display:flex;gap:.3rem;flex-wrap:wrap">${csrfField(csrf)}
<input type="text" name="alias" maxlength="200" required placeholder="Tên gọi khác" aria-label="Tên gọi khác của ${u.name}"><button type="submit">Thêm</button></form></td>`
  : ""}</tr>`,
      );

      const personRows = people.map((p) => {
        const accounts = identities.filter((i) => i.personId === p.id);
        return html`<tr><td>${p.fullName}${p.phone ? html`<br><span class="muted">${p.phone}</span>` : ""}</td>
<td>${p.roles.map((r) => ROLE_VI[r]).join(", ")}</td>
<td>${p.memberships.length > 0 ? p.memberships.map((m, i) => html`${i > 0 ? ", " : ""}${m.unitName}${m.role !== "member" ? ` (${MEMBERSHIP_VI[m.role]})` : ""}`) : html`<span class="muted">—</span>`}</td>
<td>${accounts.length > 0
  ? accounts.map((a) => html`<div>${CHANNEL_VI[a.channel]}${a.displayName ? `: ${a.displayName}` : ""} · <span class="muted">lần cuối nhắn: ${a.lastInboundAt ? viDateTime(a.lastInboundAt) : "chưa nhắn"}</span></div>`)
  : html`<span class="muted">Chưa liên kết</span>`}${accounts.length > 0 ? html`<div><a href="/people/${p.id}/messages">Tin đã gửi</a></div>` : ""}</td>
${office
  ? html`<td><form method="post" action="/people/${p.id}/link-code">${csrfField(csrf)}<button type="submit">Cấp mã liên kết</button></form></td>`
  : ""}</tr>`;
      });

      const body = html`<h1>Cán bộ, đơn vị</h1>
<section class="card"><h2>Đơn vị</h2>
<div class="scroll"><table><thead><tr><th>Đơn vị</th><th>Tên gọi khác</th>${office ? html`<th>Thêm tên gọi</th>` : ""}</tr></thead>
<tbody>${unitRows.length > 0 ? unitRows : html`<tr><td colspan="3" class="muted">Chưa có đơn vị nào.</td></tr>`}</tbody></table></div>
${office
  ? html`<h3>Thêm đơn vị</h3>
<form method="post" action="/units">${csrfField(csrf)}
<p><label>Tên đơn vị<br><input type="text" name="name" maxlength="200" required placeholder="Hội Cựu chiến binh phường"></label></p>
<p><label>Tên gọi khác (mỗi dòng hoặc cách nhau bằng dấu phẩy)<br><textarea name="aliases" rows="2" cols="40" placeholder="Hội CCB"></textarea></label></p>
<p><button type="submit">Thêm đơn vị</button></p></form>`
  : ""}
</section>
<section class="card"><h2>Cán bộ</h2>
<div class="scroll"><table><thead><tr><th>Họ tên</th><th>Vai trò</th><th>Đơn vị</th><th>Tài khoản chat</th>${office ? html`<th>Liên kết</th>` : ""}</tr></thead>
<tbody>${personRows.length > 0 ? personRows : html`<tr><td colspan="5" class="muted">Chưa có cán bộ nào.</td></tr>`}</tbody></table></div>
${office
  ? html`<h3>Thêm cán bộ</h3>
<form method="post" action="/people">${csrfField(csrf)}
<p><label>Họ tên<br><input type="text" name="fullName" maxlength="200" required></label></p>
<p><label>Số điện thoại (không bắt buộc)<br><input type="text" name="phone" maxlength="30" inputmode="tel"></label></p>
<fieldset><legend>Vai trò</legend>
${(Object.keys(ROLE_VI) as PersonRole[]).map((r) => html`<label style="margin-right:1rem"><input type="checkbox" name="roles" value="${r}"${r === "cadre" ? html` checked` : ""}> ${ROLE_VI[r]}</label>`)}
</fieldset>
<fieldset><legend>Thuộc đơn vị</legend>
${units.length > 0 ? units.map((u) => html`<label style="display:inline-block;margin-right:1rem"><input type="checkbox" name="units" value="${u.id}"> ${u.name}</label>`) : html`<span class="muted">Chưa có đơn vị.</span>`}
<p><label>Chức vụ trong đơn vị <select name="membershipRole">${(Object.keys(MEMBERSHIP_VI) as MembershipRole[]).map((r) => html`<option value="${r}"${r === "member" ? html` selected` : ""}>${MEMBERSHIP_VI[r]}</option>`)}</select></label></p>
</fieldset>
<p><button type="submit">Thêm cán bộ</button></p></form>`
  : ""}
</section>`;
      return body;
    };
    return page(request, reply, { title: "Cán bộ, đơn vị", active: "people", status, ...(flash ? { flash } : {}), body: render });
  }

  const fail = (request: FastifyRequest, reply: FastifyReply, err: string) => peoplePage(request, reply, { err }, 422);

  return (app) => {
    app.get("/people", async (request, reply) => {
      const ok = OK[formText(request.query, "ok")];
      return peoplePage(request, reply, ok ? { ok } : undefined);
    });

    /** A directory change: done and audited by the use case; its refusal shown on the page. */
    const change = async (request: FastifyRequest, reply: FastifyReply, work: () => Promise<unknown>, ok: string) => {
      try {
        await work();
      } catch (err) {
        if (err instanceof DirectoryError) return fail(request, reply, err.message);
        throw err;
      }
      return reply.redirect(`/people?ok=${ok}`, 303);
    };

    app.post("/units", async (request, reply) =>
      change(request, reply, () => deps.directory.addUnit(userOf(request).org.id, { name: formText(request.body, "name"), aliases: splitAliases(formText(request.body, "aliases")) }, actorOf(request)), "unit"),
    );

    app.post("/units/:id/aliases", async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!UUID.test(id)) return fail(request, reply, "Không tìm thấy đơn vị này.");
      return change(request, reply, () => deps.directory.addAlias(userOf(request).org.id, id, formText(request.body, "alias"), actorOf(request)), "alias");
    });

    app.post("/people", async (request, reply) => {
      const body = request.body as Record<string, unknown> | undefined;
      const role = formText(request.body, "membershipRole");
      const input = {
        fullName: formText(request.body, "fullName"),
        phone: formText(request.body, "phone"),
        roles: formList(body?.roles).filter((r): r is PersonRole => r in ROLE_VI),
        unitIds: formList(body?.units),
        membershipRole: role in MEMBERSHIP_VI ? (role as MembershipRole) : "member",
      };
      return change(request, reply, () => deps.directory.addPerson(userOf(request).org.id, input, actorOf(request)), "person");
    });

    app.post("/people/:id/link-code", async (request, reply) => {
      const orgId = userOf(request).org.id;
      const { id } = request.params as { id: string };
      const issued = UUID.test(id) ? await deps.conversation.issueLinkCode(orgId, id.toLowerCase(), actorOf(request)) : null;
      if (!issued) return fail(request, reply, "Không tìm thấy cán bộ này.");
      const link = deps.messengerPage ? issued.messengerLink ?? `https://m.me/${encodeURIComponent(deps.messengerPage)}?ref=${issued.code}` : null;
      const qr = link ? await QRCode.toDataURL(link, { margin: 1, width: 240 }) : null;
      const messenger: Html | string = link
        ? html`<h2>Messenger</h2>
<p>Mở đường dẫn này trên điện thoại (hoặc quét mã QR) để liên kết Messenger ngay:</p>
<p><a href="${link}" rel="noopener">${link}</a></p>
${qr ? html`<p><img src="${qr}" alt="Mã QR của đường dẫn Messenger" width="240" height="240"></p>` : ""}`
        : "";
      return page(request, reply, {
        title: "Mã liên kết",
        active: "people",
        body: html`<h1>Mã liên kết cho ${issued.person.fullName}</h1>
<div class="card">
<p style="font-size:2.2rem;letter-spacing:.3rem;font-weight:bold;margin:.2rem 0" aria-label="Mã liên kết">${issued.display}</p>
<p>Hết hạn lúc <strong>${viDateTime(issued.expiresAt)}</strong>. Mã chỉ dùng được một lần.</p>
<h2>Zalo</h2>
<p>Nhắn <strong>/dangky ${issued.display}</strong> cho tài khoản Zalo của Văn phòng (trợ lý theo dõi nhiệm vụ) từ tài khoản Zalo của cán bộ.</p>
${messenger}
<p><label>Tin nhắn gửi cán bộ (có thể sao chép)<br><textarea readonly rows="3" style="width:100%">${issued.instructions}</textarea></label></p>
</div>
<p><a href="/people">← Về danh sách cán bộ</a></p>`,
      });
    });
  };
}
