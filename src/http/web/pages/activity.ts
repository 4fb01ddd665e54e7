/**
 * Activity (issue 8 §7): the audit log in Vietnamese (who reported what, who was reminded when,
 * sign-ins, changes), filterable by kind, person and date range; and the deliveries that failed.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AuditEntry, OutboundStatus, ReminderKind } from "../../../domain/index.ts";
import { addDays, dayStart, directiveName, localDay, viDate } from "../../../domain/index.ts";
import { badDateMessage, dateInput, readViDate } from "../dates.ts";
import type { PageDeps } from "../deps.ts";
import { html, page, userOf, type WebModule } from "../index.ts";
import { reasonVi } from "./broadcasts.ts";
import { CHANNEL_VI, formText, ROLE_VI, UUID, viDateTime } from "./people.ts";

/**
 * Every action the code writes to the audit log (grep `action:` in src/app and src/main), in
 * Vietnamese. test/http/web-activity-labels.test.ts fails when one is missing.
 */
export const ACTION_VI: Record<string, string> = {
  "org.created": "Tạo đơn vị sử dụng",
  "org.settings": "Sửa cài đặt",
  "directive.imported": "Nhập văn bản chỉ đạo",
  "directive.activated": "Kích hoạt theo dõi văn bản",
  "directive.renamed": "Đổi tên ngắn văn bản, nhãn nhiệm vụ",
  "item.edited": "Sửa nhiệm vụ",
  "item.added": "Thêm nhiệm vụ",
  "item.removed": "Xóa nhiệm vụ",
  "report.recorded": "Báo cáo nhiệm vụ",
  "reminders.stopped": "Dừng nhắc tự động (hạn đã quá lâu)",
  "extension.requested": "Xin gia hạn",
  "extension.approved": "Duyệt gia hạn",
  "extension.rejected": "Không duyệt gia hạn",
  "link_code.issued": "Cấp mã liên kết",
  "link.failed": "Liên kết không thành công",
  "link.org_limited": "Tạm dừng liên kết tài khoản (nhập sai mã quá nhiều lần)",
  "identity.linked": "Liên kết tài khoản chat",
  "inbound.rejected": "Bỏ qua tin nhắn đến không hợp lệ",
  "broadcast.announcement": "Gửi thông báo",
  "broadcast.remind": "Gửi nhắc báo cáo",
  "broadcast.digest": "Gửi bản tin tổng hợp",
  "delivery.unreachable": "Không gửi được tin",
  "channel.needs_office": "Kênh chat cần văn phòng xử lý",
  "thread.bound": "Gắn nhóm Zalo với đơn vị",
  "thread.unbound": "Bỏ gắn nhóm Zalo",
  "web.signin": "Đăng nhập trang web",
  "web.signin_failed": "Đăng nhập sai",
  "web.account_created": "Tạo tài khoản đăng nhập trang web",
  "token.created": "Tạo mã truy cập",
  "unit.created": "Thêm đơn vị",
  "unit.alias_added": "Thêm tên gọi khác của đơn vị",
  "person.created": "Thêm cán bộ",
};

/** An action's label; one not (yet) known reads as a generic line, never its code. */
export const actionVi = (action: string): string => ACTION_VI[action] ?? "Hoạt động khác của hệ thống";

/** The kinds office filters by: exact action names or prefixes ending in ".". */
const KINDS: Record<string, { label: string; actions: string[] }> = {
  reports: { label: "Báo cáo", actions: ["report.", "extension."] },
  reminders: { label: "Nhắc việc, gửi tin", actions: ["broadcast.", "reminder.", "reminders.", "delivery.", "channel."] },
  failed: { label: "Gửi tin không thành công", actions: ["delivery.unreachable", "delivery.failed", "channel.needs_office", "inbound.rejected"] },
  signins: { label: "Đăng nhập", actions: ["web."] },
  changes: { label: "Thay đổi dữ liệu", actions: ["directive.", "item.", "unit.", "person.", "thread.", "link_code.", "identity.", "link.", "org.", "token."] },
};

const ACTOR_VI: Record<string, string> = { system: "Hệ thống", worker: "Bộ gửi tin", web: "Trang web", cli: "Dòng lệnh", office: "Văn phòng", demo: "Dữ liệu mẫu" };

/** Field names in an entry's data, for the lines no action-specific text covers. */
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
  notReportedIn: "chưa báo cáo văn bản",
  everyone: "tất cả cán bộ",
  name: "tên",
  alias: "tên gọi",
  aliases: "tên gọi khác",
  fullName: "họ tên",
  roles: "vai trò",
  role: "vai trò",
  status: "trạng thái",
  percent: "phần trăm",
  count: "số lượng",
  countNoun: "đơn vị tính",
  toDate: "đến ngày",
  fromDate: "hạn cũ",
  dueDate: "hạn",
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
  ref: "số thứ tự",
  text: "nội dung",
  summary: "tóm tắt",
  deadline: "thời hạn",
  assignees: "đơn vị thực hiện",
  label: "nhãn",
  labels: "nhãn nhiệm vụ",
  shortName: "tên ngắn",
  client: "địa chỉ máy",
  login: "tên đăng nhập",
  slug: "mã đơn vị sử dụng",
  alerted: "số người được báo",
  notified: "số người được báo",
  overdueDays: "số ngày quá hạn",
  stopAfterDays: "dừng nhắc sau (ngày)",
  reach: "liên lạc được",
  confirmed: "đã xác nhận",
  reminders: "nhắc hạn",
  calendar: "lịch làm việc",
  digest: "bản tin tổng hợp",
  voice: "cách xưng hô",
};
const STATUS_VI: Record<string, string> = { not_reported: "chưa báo cáo", in_progress: "đang thực hiện", done: "hoàn thành", blocked: "vướng mắc" };
/** Reasons written in code (link refusals, rejected inbound messages), in Vietnamese. */
const REASON_VI: Record<string, string> = {
  invalid: "mã không đúng hoặc đã hết hạn",
  wrong_channel: "mã dành cho kênh chat khác",
  "no message id": "thiếu mã tin nhắn",
  "no sender id": "thiếu người gửi",
  "no thread id": "thiếu cuộc trò chuyện",
};
const WARNING_VI: Record<string, string> = { past_deadlines: "nhiệm vụ đã quá hạn", unreachable_units: "đơn vị chưa liên lạc được", dropped_parents: "mục lớn bị bỏ sót đơn vị" };
/** Data kept for the system (ids, message ids): never shown. */
const IGNORED = new Set(["messageId", "occurrenceId", "assignmentId"]);

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** What the page knows to name things with: ids → names, and each extension's request. */
export interface ActivityNames {
  /** People, units, groups, directives, items and assignments by id. */
  names: Map<string, string>;
  /** extension id → what was asked (from its `extension.requested` entry). */
  extensions: Map<string, { assignmentId?: string; toDate?: string; fromDate?: string | null }>;
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value.length > 0 ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const day = (value: unknown): string | undefined => {
  const text = str(value);
  return text && DAY.test(text) ? viDate(text) : undefined;
};

/** A value of an entry's data as office reads it: ids become names, codes words, ISO dates dd/mm/yyyy. */
function valueText(key: string, value: unknown, names: Map<string, string>): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.map((v) => valueText(key, v, names)).join(", ");
  if (typeof value === "boolean") return value ? "có" : "không";
  if (typeof value === "object") {
    if (key === "assignees") {
      const a = value as { name?: unknown; role?: unknown };
      return `${typeof a.name === "string" ? a.name : ""}${a.role === "support" ? " (phối hợp)" : a.role === "lead" ? " (chủ trì)" : ""}`;
    }
    return pairs(value as Record<string, unknown>, names).join("; ");
  }
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (names.has(text)) return names.get(text) ?? text;
  if (DAY.test(text)) return viDate(text);
  if (MOMENT.test(text) && !Number.isNaN(Date.parse(text))) return viDateTime(new Date(text));
  if (key === "channel" && text in CHANNEL_VI) return CHANNEL_VI[text as keyof typeof CHANNEL_VI];
  if ((key === "roles" || key === "role") && text in ROLE_VI) return ROLE_VI[text as keyof typeof ROLE_VI];
  if (key === "status" && text in STATUS_VI) return STATUS_VI[text] ?? text;
  if (key === "reason" && text in REASON_VI) return REASON_VI[text] ?? text;
  if (key === "confirmed" && text in WARNING_VI) return WARNING_VI[text] ?? text;
  if (key === "error") return reasonVi(text) ?? text;
  return text;
}

/** "tên: …" pairs of the data; a field with no Vietnamese name is left out rather than shown as code. */
function pairs(data: Record<string, unknown>, names: Map<string, string>): string[] {
  return Object.entries(data)
    .filter(([key, value]) => !IGNORED.has(key) && key in KEY_VI && value !== null && value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `${KEY_VI[key]}: ${valueText(key, value, names)}`);
}

/** What an entry is about, named ("NV 6.2 (TB 05/6) · Hội Cựu chiến binh"), and its detail line. */
export interface EntryText {
  subject: string | null;
  detail: string;
}

/**
 * An entry in plain Vietnamese: the thing it is about and a detail line with no field codes, dates
 * as dd/mm/yyyy; extension decisions name the item, the unit and the date asked for.
 *
 * @example
 * describeEntry({ action: "extension.approved", entityId: extId, data: { assignmentId, toDate: "2020-07-15" }, … }, known)
 * // { subject: "NV 6.2 (TB 05/6) · Hội Cựu chiến binh", detail: "hạn mới: 15/07/2020" }
 */
export function describeEntry(entry: Pick<AuditEntry, "action" | "entityId" | "data">, known: ActivityNames): EntryText {
  const { names } = known;
  const data = entry.data ?? {};
  const byId = (id: unknown) => {
    const key = str(id);
    return key ? (names.get(key) ?? null) : null;
  };
  const about = byId(entry.entityId);
  const join = (parts: (string | null | undefined | false)[]) => parts.filter((p): p is string => typeof p === "string" && p.length > 0).join(" · ");
  switch (entry.action) {
    case "report.recorded": {
      const status = str(data.status);
      const percent = num(data.percent);
      const count = num(data.count);
      return {
        subject: about ?? "nhiệm vụ của văn bản không còn theo dõi",
        detail: join([
          status && status in STATUS_VI ? `trạng thái: ${STATUS_VI[status]}${percent !== undefined && status === "in_progress" ? ` ${percent}%` : ""}` : null,
          count !== undefined ? `số lượng: ${count}${str(data.countNoun) ? ` ${str(data.countNoun)}` : ""}` : null,
          data.occurrenceId ? "báo cáo theo đợt" : null,
        ]),
      };
    }
    case "extension.requested":
    case "extension.approved":
    case "extension.rejected": {
      const asked = (entry.entityId ? known.extensions.get(entry.entityId) : undefined) ?? {};
      const assignment = str(data.assignmentId) ?? asked.assignmentId;
      const toDate = day(data.toDate) ?? day(asked.toDate);
      const fromDate = day(data.fromDate) ?? day(asked.fromDate);
      const subject = byId(assignment) ?? (assignment ? "nhiệm vụ của văn bản không còn theo dõi" : "nhiệm vụ không rõ (mục ghi trước khi lưu chi tiết)");
      if (entry.action === "extension.requested") return { subject, detail: join([toDate ? `xin gia hạn đến ${toDate}` : null, fromDate ? `hạn cũ: ${fromDate}` : null]) };
      if (entry.action === "extension.approved") return { subject, detail: join([toDate ? `hạn mới: ${toDate}` : null, fromDate ? `hạn cũ: ${fromDate}` : null]) };
      return { subject, detail: join([toDate ? `đề nghị gia hạn đến ${toDate} không được duyệt` : "đề nghị gia hạn không được duyệt", fromDate ? `hạn giữ nguyên: ${fromDate}` : null]) };
    }
    case "reminders.stopped":
      return {
        subject: about ?? "nhiệm vụ của văn bản không còn theo dõi",
        detail: join([
          day(data.dueDate) ? `hạn: ${day(data.dueDate)}` : null,
          num(data.overdueDays) !== undefined ? `quá hạn ${num(data.overdueDays)} ngày` : null,
          num(data.stopAfterDays) !== undefined ? `quá ${num(data.stopAfterDays)} ngày sau hạn thì dừng nhắc` : null,
          num(data.notified) !== undefined ? `đã báo ${num(data.notified)} người` : null,
        ]),
      };
    case "directive.imported":
      return { subject: about, detail: join([num(data.items) !== undefined ? `${num(data.items)} nhiệm vụ` : null, str(data.number) ? `số ${str(data.number)}` : null, str(data.sourceName) ? `tệp ${str(data.sourceName)}` : null]) };
    case "directive.activated": {
      const reach = (data.reach ?? {}) as { units?: unknown; reachable?: unknown };
      const confirmed = Array.isArray(data.confirmed) ? data.confirmed.map((k) => WARNING_VI[String(k)] ?? String(k)) : [];
      return {
        subject: about,
        detail: join([
          num(data.assignments) !== undefined ? `${num(data.assignments)} phân công` : null,
          num(data.occurrences) ? `${num(data.occurrences)} kỳ báo cáo` : null,
          num(data.unitsCreated) ? `${num(data.unitsCreated)} đơn vị mới` : null,
          num(reach.units) !== undefined && num(reach.reachable) !== undefined ? `liên lạc được ${num(reach.reachable)}/${num(reach.units)} đơn vị` : null,
          confirmed.length > 0 ? `đã xác nhận: ${confirmed.join(", ")}` : null,
        ]),
      };
    }
    case "directive.renamed": {
      const labels = data.labels && typeof data.labels === "object" ? Object.entries(data.labels as Record<string, unknown>) : [];
      return {
        subject: about,
        detail: join([str(data.shortName) ? `tên ngắn: ${str(data.shortName)}` : null, ...labels.map(([itemId, label]) => `nhãn ${names.get(itemId) ?? "nhiệm vụ"}: ${String(label)}`)]),
      };
    }
    case "item.edited":
    case "item.added":
    case "item.removed":
      return { subject: about ?? (str(data.ref) ? `NV ${str(data.ref)}` : "nhiệm vụ đã xóa"), detail: join(pairs(data, names)) };
    case "broadcast.announcement":
    case "broadcast.remind":
    case "broadcast.digest":
      return { subject: null, detail: join(pairs(data, names)) };
    default:
      return { subject: about, detail: join(pairs(data, names)) };
  }
}

/** The detail cut to a line office reads at a glance. */
const clip = (line: string) => (line.length > 300 ? `${line.slice(0, 297)}…` : line);

const REMINDER_KIND_VI: Record<ReminderKind, string> = {
  before: "Trước hạn",
  due: "Đến hạn",
  overdue: "Quá hạn",
  escalation: "Báo lãnh đạo",
  occurrence: "Theo đợt",
};
const OUTBOX_STATUS_VI: Record<OutboundStatus, string> = { pending: "Đang gửi", sent: "Đã gửi", failed: "Không gửi được", cancelled: "Đã huỷ" };

/** Extension decisions written before their entry carried the request (see `describeEntry`). */
const DECISIONS = new Set(["extension.approved", "extension.rejected"]);

/**
 * @example
 * modules.push(activityPages(deps)); // GET /activity?kind=reports&person=…&from=01/06/2020&to=30/06/2020
 */
export function activityPages(deps: PageDeps): WebModule {
  const { store, clock } = deps;

  async function activityPage(request: FastifyRequest, reply: FastifyReply) {
    const orgId = userOf(request).org.id;
    const query = request.query as Record<string, unknown>;
    const kind = formText(query, "kind") in KINDS ? formText(query, "kind") : "";
    const personId = UUID.test(formText(query, "person")) ? formText(query, "person").toLowerCase() : "";
    // Typed dd/mm/yyyy (d/m/yyyy, or an older link's YYYY-MM-DD); a date that does not read is said, not applied.
    const typedFrom = readViDate(formText(query, "from"));
    const typedTo = readViDate(formText(query, "to"));
    const from = typedFrom.kind === "day" ? typedFrom.day : "";
    const to = typedTo.kind === "day" ? typedTo.day : "";
    const dateErrors = [
      typedFrom.kind === "invalid" ? badDateMessage("Từ ngày", typedFrom.text) : null,
      typedTo.kind === "invalid" ? badDateMessage("Đến ngày", typedTo.text) : null,
      from && to && from > to ? `Từ ngày ${viDate(from)} sau đến ngày ${viDate(to)}: không có mục nào trong khoảng này.` : null,
    ].filter((m): m is string => m !== null);
    const [people, units, threads, board, directives, entries, failed, reminded] = await Promise.all([
      store.persons.list(orgId),
      store.units.list(orgId),
      store.chats.groupThreads(orgId),
      store.tracking.board(orgId, localDay(clock.now())),
      store.directives.list(orgId),
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
    const shortNames = new Map(directives.map((d) => [d.id, directiveName(d)] as const));
    // The items the entries are about (drafts are not on the board); removed ones are not found.
    const itemIds = [...new Set(entries.filter((e) => e.entity === "item" && e.entityId).map((e) => e.entityId as string))].slice(0, 100);
    const items = (await Promise.all(itemIds.map((id) => store.directives.item(orgId, id)))).filter((i) => i !== null);
    // Decisions written before they carried their request: the request's own entry says what was asked.
    const undescribed = entries.some((e) => DECISIONS.has(e.action) && !e.data?.assignmentId);
    const requests = undescribed ? await store.audit.search(orgId, { actions: ["extension.requested"], limit: 2_000 }) : [];
    // Ids in the log read as names: people, units, groups, directives, items and assignments ("NV 6 (TB 05/6) · Hội CCB").
    const names = new Map<string, string>([
      ...people.map((p) => [p.id, p.fullName] as const),
      ...units.map((u) => [u.id, u.name] as const),
      ...threads.map((t) => [t.id, t.title ?? "nhóm chưa có tên"] as const),
      ...shortNames,
      ...items.map((i) => [i.id, `NV ${i.ref}${shortNames.has(i.directiveId) ? ` (${shortNames.get(i.directiveId)})` : ""}`] as const),
      ...board.map((r) => [r.assignment.id, `NV ${r.item.ref} (${directiveName(r.directive)}) · ${r.unit.name}`] as const),
    ]);
    const known: ActivityNames = {
      names,
      extensions: new Map(
        requests
          .filter((e) => e.entityId)
          .map((e) => [e.entityId as string, { ...(str(e.data.assignmentId) ? { assignmentId: str(e.data.assignmentId) } : {}), ...(str(e.data.toDate) ? { toDate: str(e.data.toDate) } : {}), fromDate: str(e.data.fromDate) ?? null }] as const),
      ),
    };
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
    const filtered = Boolean(kind || personId || from || to);

    return page(request, reply, {
      title: "Nhật ký",
      active: "activity",
      ...(dateErrors.length > 0 ? { flash: { err: dateErrors.join(" ") } } : {}),
      body: html`<h1>Nhật ký hoạt động</h1>
<form method="get" action="/activity" class="card" style="display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end">
<label>Loại<br><select name="kind"><option value="">Tất cả</option>${Object.entries(KINDS).map(([key, k]) => html`<option value="${key}"${key === kind ? html` selected` : ""}>${k.label}</option>`)}</select></label>
<label>Cán bộ<br><select name="person"><option value="">Tất cả</option>${people.map((p) => html`<option value="${p.id}"${p.id === personId ? html` selected` : ""}>${p.fullName}</option>`)}</select></label>
<label>Từ ngày<br>${dateInput("from", typedFrom.kind === "invalid" ? typedFrom.text : from)}</label>
<label>Đến ngày<br>${dateInput("to", typedTo.kind === "invalid" ? typedTo.text : to)}</label>
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
  : entries.map((e) => {
      const { subject, detail } = describeEntry(e, known);
      return html`<tr data-action="${e.action}"><td>${viDateTime(e.at)}</td><td>${actorVi(e.actor)}</td><td>${actionVi(e.action)}${subject ? html`: <strong>${subject}</strong>` : ""}</td><td class="muted">${clip(detail)}</td></tr>`;
    })}
</tbody></table></div>
${entries.length >= 300 ? html`<p class="muted">Chỉ hiện 300 mục mới nhất; hãy lọc theo ngày để xem mục cũ hơn.</p>` : ""}
</section>`,
    });
  }

  return (app) => {
    app.get("/activity", activityPage);
  };
}
