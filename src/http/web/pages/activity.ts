/**
 * Activity (issue 8 §7): the audit log in Vietnamese (who reported what, who was reminded when,
 * sign-ins, changes), filterable by kind, person and date range; and the deliveries that failed.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AuditEntry, OutboundStatus, ReminderKind } from "../../../domain/index.ts";
import { addDays, dayStart } from "../../../domain/index.ts";
import type { PageDeps } from "../deps.ts";
import { html, page, userOf, type WebModule } from "../index.ts";
import { reasonVi } from "./broadcasts.ts";
import { CHANNEL_VI, formText, ROLE_VI, UUID, viDateTime } from "./people.ts";

/** The action names the code writes (grep `action: "`), in Vietnamese. */
const ACTION_VI: Record<string, string> = {
  "org.created": "Tạo đơn vị sử dụng",
  "org.settings": "Sửa cài đặt",
  "directive.imported": "Nhập văn bản chỉ đạo",
  "directive.activated": "Kích hoạt theo dõi văn bản",
  "item.edited": "Sửa nhiệm vụ",
  "item.added": "Thêm nhiệm vụ",
  "item.removed": "Xoá nhiệm vụ",
  "report.recorded": "Báo cáo nhiệm vụ",
  "reminders.stopped": "Dừng nhắc tự động (hạn đã quá lâu)",
  "directive.renamed": "Đổi tên ngắn văn bản, nhãn nhiệm vụ",
  "extension.requested": "Xin gia hạn",
  "extension.approved": "Duyệt gia hạn",
  "extension.rejected": "Không duyệt gia hạn",
  "link_code.issued": "Cấp mã liên kết",
  "link.failed": "Liên kết không thành công",
  "identity.linked": "Liên kết tài khoản chat",
  "broadcast.announcement": "Gửi thông báo",
  "broadcast.remind": "Gửi nhắc báo cáo",
  "delivery.unreachable": "Không gửi được tin",
  "channel.needs_office": "Kênh chat cần văn phòng xử lý",
  "thread.bound": "Gắn nhóm Zalo với đơn vị",
  "thread.unbound": "Bỏ gắn nhóm Zalo",
  "web.signin": "Đăng nhập trang web",
  "web.signin_failed": "Đăng nhập sai",
  "token.created": "Tạo mã truy cập",
  "unit.created": "Thêm đơn vị",
  "unit.alias_added": "Thêm tên gọi khác của đơn vị",
  "person.created": "Thêm cán bộ",
};

/** The kinds office filters by: exact action names or prefixes ending in ".". */
const KINDS: Record<string, { label: string; actions: string[] }> = {
  reports: { label: "Báo cáo", actions: ["report.", "extension."] },
  reminders: { label: "Nhắc việc, gửi tin", actions: ["broadcast.", "reminder.", "delivery.", "channel."] },
  failed: { label: "Gửi tin không thành công", actions: ["delivery.unreachable", "delivery.failed", "channel.needs_office"] },
  signins: { label: "Đăng nhập", actions: ["web."] },
  changes: { label: "Thay đổi dữ liệu", actions: ["directive.", "item.", "unit.", "person.", "thread.", "link_code.", "identity.", "link.", "org.", "token."] },
};

const ACTOR_VI: Record<string, string> = { system: "Hệ thống", worker: "Bộ gửi tin", web: "Trang web", cli: "Dòng lệnh", office: "Văn phòng", demo: "Dữ liệu mẫu" };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const KEY_VI: Record<string, string> = {
  unitId: "đơn vị",
  previousUnitId: "đơn vị trước",
  channel: "kênh",
  recipients: "số người nhận",
  targets: "gửi tới",
  units: "đơn vị",
  people: "cán bộ",
  groups: "nhóm",
  notReportedOn: "chưa báo cáo nhiệm vụ",
  everyone: "tất cả cán bộ",
  name: "tên",
  alias: "tên gọi",
  aliases: "tên gọi khác",
  fullName: "họ tên",
  roles: "vai trò",
  status: "trạng thái",
  percent: "phần trăm",
  count: "số lượng",
  toDate: "đến ngày",
  items: "số nhiệm vụ",
  number: "số văn bản",
  sourceName: "tệp",
  assignments: "số phân công",
  occurrences: "số kỳ báo cáo",
  unitsCreated: "đơn vị mới",
  error: "lỗi",
  message: "thông điệp",
  reason: "lý do",
  personId: "cán bộ",
  ref: "nhiệm vụ",
  role: "vai trò",
};
const STATUS_VI: Record<string, string> = { not_reported: "chưa báo cáo", in_progress: "đang thực hiện", done: "hoàn thành", blocked: "vướng mắc" };
const IGNORED = new Set(["messageId"]);

/** A value of an entry's data as office reads it: ids become names, codes become words. */
function valueText(key: string, value: unknown, names: Map<string, string>): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.map((v) => valueText(key, v, names)).join(", ");
  if (typeof value === "boolean") return value ? "có" : "không";
  if (typeof value === "object") return pairs(value as Record<string, unknown>, names).join("; ");
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (names.has(text)) return names.get(text) ?? text;
  if (key === "channel" && text in CHANNEL_VI) return CHANNEL_VI[text as keyof typeof CHANNEL_VI];
  if (key === "roles" && text in ROLE_VI) return ROLE_VI[text as keyof typeof ROLE_VI];
  if (key === "status" && text in STATUS_VI) return STATUS_VI[text] ?? text;
  return text;
}

function pairs(data: Record<string, unknown>, names: Map<string, string>): string[] {
  return Object.entries(data)
    .filter(([key, value]) => !IGNORED.has(key) && value !== null && value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `${KEY_VI[key] ?? key}: ${valueText(key, value, names)}`);
}

/** A short line of an entry's data ("trạng thái: hoàn thành · phần trăm: 100"). */
function details(entry: AuditEntry, names: Map<string, string>): string {
  const line = pairs(entry.data ?? {}, names).join(" · ");
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

/**
 * @example
 * modules.push(activityPages(deps)); // GET /activity?kind=reports&person=…&from=2020-06-01&to=2020-06-30
 */
const REMINDER_KIND_VI: Record<ReminderKind, string> = {
  before: "Trước hạn",
  due: "Đến hạn",
  overdue: "Quá hạn",
  escalation: "Báo lãnh đạo",
  occurrence: "Theo đợt",
};
const OUTBOX_STATUS_VI: Record<OutboundStatus, string> = { pending: "Đang gửi", sent: "Đã gửi", failed: "Không gửi được", cancelled: "Đã huỷ" };

export function activityPages(deps: PageDeps): WebModule {
  const { store } = deps;

  async function activityPage(request: FastifyRequest, reply: FastifyReply) {
    const orgId = userOf(request).org.id;
    const query = request.query as Record<string, unknown>;
    const kind = formText(query, "kind") in KINDS ? formText(query, "kind") : "";
    const personId = UUID.test(formText(query, "person")) ? formText(query, "person").toLowerCase() : "";
    const from = DATE.test(formText(query, "from")) ? formText(query, "from") : "";
    const to = DATE.test(formText(query, "to")) ? formText(query, "to") : "";
    const [people, units, threads, board, entries, failed, reminded] = await Promise.all([
      store.persons.list(orgId),
      store.units.list(orgId),
      store.chats.groupThreads(orgId),
      store.tracking.board(orgId),
      store.audit.search(orgId, {
        ...(kind ? { actions: KINDS[kind]?.actions ?? [] } : {}),
        ...(personId ? { personId } : {}),
        ...(from ? { since: dayStart(from) } : {}),
        ...(to ? { until: dayStart(addDays(to, 1)) } : {}),
        limit: 300,
      }),
      kind === "" || kind === "failed" ? store.outbound.failed(orgId, 100) : Promise.resolve([]),
      kind === "" || kind === "reminders"
        ? store.outbound.reminderLog(orgId, {
            ...(personId ? { personId } : {}),
            ...(from ? { since: dayStart(from) } : {}),
            ...(to ? { until: dayStart(addDays(to, 1)) } : {}),
            limit: 200,
          })
        : Promise.resolve([]),
    ]);
    // Ids in the log read as names: people, units, groups, and assignments ("NV 6 · Hội CCB").
    const names = new Map<string, string>([
      ...people.map((p) => [p.id, p.fullName] as const),
      ...units.map((u) => [u.id, u.name] as const),
      ...threads.map((t) => [t.id, t.title ?? "nhóm chưa có tên"] as const),
      ...board.map((r) => [r.assignment.id, `NV ${r.item.ref} · ${r.unit.name}`] as const),
    ]);
    const shownFailed = failed.filter((f) => {
      const at = f.attemptedAt ?? f.createdAt;
      return (!from || at >= dayStart(from)) && (!to || at < dayStart(addDays(to, 1)));
    });
    const actorVi = (actor: string) => {
      const [type, id] = actor.split(":", 2);
      if (type === "person" && id) return names.get(id) ?? "Cán bộ (đã xoá)";
      if (type === "identity") return "Tài khoản chat";
      return ACTOR_VI[actor] ?? actor;
    };
    const subject = (e: AuditEntry) => (e.entityId && names.has(e.entityId) ? names.get(e.entityId) : null);
    const filtered = Boolean(kind || personId || from || to);

    return page(request, reply, {
      title: "Nhật ký",
      active: "activity",
      body: html`<h1>Nhật ký hoạt động</h1>
<form method="get" action="/activity" class="card" style="display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end">
<label>Loại<br><select name="kind"><option value="">Tất cả</option>${Object.entries(KINDS).map(([key, k]) => html`<option value="${key}"${key === kind ? html` selected` : ""}>${k.label}</option>`)}</select></label>
<label>Cán bộ<br><select name="person"><option value="">Tất cả</option>${people.map((p) => html`<option value="${p.id}"${p.id === personId ? html` selected` : ""}>${p.fullName}</option>`)}</select></label>
<label>Từ ngày<br><input type="date" name="from" value="${from}"></label>
<label>Đến ngày<br><input type="date" name="to" value="${to}"></label>
<button type="submit">Lọc</button>${filtered ? html` <a href="/activity">Bỏ lọc</a>` : ""}
</form>
${kind === "" || kind === "failed"
  ? html`<section><h2>Tin gửi không thành công</h2>
<div class="scroll"><table><thead><tr><th>Lúc</th><th>Người nhận</th><th>Kênh</th><th>Lý do</th><th>Nội dung</th></tr></thead><tbody>
${shownFailed.length === 0
  ? html`<tr><td colspan="5" class="muted">Không có tin nào gửi hỏng.</td></tr>`
  : shownFailed.map((f) => html`<tr class="warn"><td>${viDateTime(f.attemptedAt ?? f.createdAt)}</td><td>${f.personName ?? "(nhóm hoặc không rõ)"}</td><td>${f.channel ? CHANNEL_VI[f.channel] : "—"}</td><td>${reasonVi(f.error ?? f.outcome) ?? "Không rõ"}</td><td>${f.text.length > 160 ? `${f.text.slice(0, 157)}…` : f.text}</td></tr>`)}
</tbody></table></div></section>`
  : ""}
${kind === "" || kind === "reminders"
  ? html`<section><h2>Nhắc việc đã gửi</h2>
<div class="scroll"><table><thead><tr><th>Lúc</th><th>Nhắc ai</th><th>Kênh</th><th>Việc</th><th>Loại nhắc</th><th>Tình trạng</th></tr></thead><tbody>
${reminded.length === 0
  ? html`<tr><td colspan="6" class="muted">Chưa có tin nhắc nào${filtered ? " khớp bộ lọc" : ""}.</td></tr>`
  : reminded.map((r) => html`<tr data-reminder="${r.kind}"${r.status === "failed" ? html` class="warn"` : ""}><td>${viDateTime(r.at)}</td><td>${r.recipient ?? "(không rõ)"}</td><td>${r.channel ? CHANNEL_VI[r.channel] : "—"}</td><td>NV ${r.itemRef} · ${r.unitName}</td><td>${REMINDER_KIND_VI[r.kind]}</td><td>${OUTBOX_STATUS_VI[r.status]}</td></tr>`)}
</tbody></table></div></section>`
  : ""}
<section><h2>Nhật ký${kind ? html` — ${KINDS[kind]?.label ?? ""}` : ""}</h2>
<div class="scroll"><table><thead><tr><th>Lúc</th><th>Ai</th><th>Việc</th><th>Chi tiết</th></tr></thead><tbody>
${entries.length === 0
  ? html`<tr><td colspan="4" class="muted">Không có mục nào${filtered ? " khớp bộ lọc" : ""}.</td></tr>`
  : entries.map((e) => html`<tr data-action="${e.action}"><td>${viDateTime(e.at)}</td><td>${actorVi(e.actor)}</td><td>${ACTION_VI[e.action] ?? e.action}${subject(e) ? html`: <strong>${subject(e)}</strong>` : ""}</td><td class="muted">${details(e, names)}</td></tr>`)}
</tbody></table></div>
${entries.length >= 300 ? html`<p class="muted">Chỉ hiện 300 mục mới nhất; hãy lọc theo ngày để xem mục cũ hơn.</p>` : ""}
</section>`,
    });
  }

  return (app) => {
    app.get("/activity", activityPage);
  };
}
