/**
 * What the bot sent one person (issue 15 §5): every message delivered to each of their chat
 * accounts — replies, reminders, broadcasts, alerts — newest first, with its delivery state. On
 * the demo this is the simulator's inbox; in a ward it is how the office checks a cadre was told.
 */
import type { InboxEntry } from "../../../app/index.ts";
import type { PageDeps } from "../deps.ts";
import { html, page, userOf, type WebModule } from "../index.ts";
import { isId, notFound } from "./directives.ts";
import { CHANNEL_VI, viDateTime } from "./people.ts";

const KIND_VI: Record<InboxEntry["kind"], string> = { reply: "Trả lời", reminder: "Nhắc việc", broadcast: "Thông báo", alert: "Báo văn phòng" };
const STATUS_VI: Record<string, string> = { pending: "Đang chờ gửi", sent: "Đã gửi", failed: "Không gửi được", cancelled: "Đã huỷ" };

/** Messages shown per account: the latest ones. */
const SHOWN = 100;

/**
 * @example
 * modules.push(messagePages(deps)); // GET /people/:id/messages
 */
export function messagePages(deps: PageDeps): WebModule {
  const { store } = deps;
  return async (app) => {
    app.get("/people/:id/messages", async (request, reply) => {
      const orgId = userOf(request).org.id;
      const id = (request.params as { id: string }).id;
      const person = isId(id) ? (await store.persons.list(orgId)).find((p) => p.id === id) : undefined;
      if (!person) return notFound(request, reply, "cán bộ này");
      const accounts = await store.chats.identitiesOfPerson(orgId, person.id);
      const sections = await Promise.all(
        accounts.map(async (a) => {
          const entries = (await store.outbound.inbox(orgId, a.channel, a.externalId, SHOWN)).slice().reverse();
          const rows = entries.map(
            (e) => html`<tr><td>${viDateTime(e.deliveredAt ?? e.createdAt)}</td><td>${KIND_VI[e.kind]}</td><td style="white-space:pre-wrap">${e.text}</td><td>${STATUS_VI[e.status] ?? e.status}</td></tr>`,
          );
          return html`<section class="card"><h2>${CHANNEL_VI[a.channel]}${a.displayName ? `: ${a.displayName}` : ""}</h2>
${rows.length > 0
  ? html`<div class="scroll"><table><thead><tr><th>Lúc</th><th>Loại</th><th>Nội dung</th><th>Trạng thái</th></tr></thead><tbody>${rows}</tbody></table></div>`
  : html`<p class="muted">Chưa có tin nào gửi tới tài khoản này.</p>`}
</section>`;
        }),
      );
      return page(request, reply, {
        title: `Tin đã gửi tới ${person.fullName}`,
        active: "people",
        body: html`<p><a href="/people">← Cán bộ, đơn vị</a></p>
<h1>Tin đã gửi tới ${person.fullName}</h1>
<p class="muted">Mọi tin trợ lý đã gửi tới từng tài khoản chat của cán bộ (trả lời, nhắc việc, thông báo), mới nhất trước; tối đa ${SHOWN} tin mỗi tài khoản.</p>
${accounts.length > 0 ? sections : html`<p class="muted">Cán bộ này chưa liên kết tài khoản chat nào.</p>`}`,
      });
    });
  };
}
