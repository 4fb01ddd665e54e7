/**
 * The conversation's Vietnamese: how roles are named, how a board row reads in chat, the lines
 * every command shares. Commands say what is specific to them; what repeats lives here.
 */
import type { AssignmentStatus, BoardRow, PersonRole } from "../../domain/index.ts";
import { dueText, itemName, statusText, timing } from "../../domain/index.ts";

export { itemName };

export const ROLE_VI: Record<PersonRole, string> = { office: "văn phòng", cadre: "cán bộ các đơn vị", leader: "lãnh đạo" };

/** "Chức năng này dành cho lãnh đạo và văn phòng." */
export function refusal(roles: readonly PersonRole[]): string {
  return `Chức năng này dành cho ${roles.map((r) => ROLE_VI[r]).join(" và ")}.`;
}

export const NOT_LINKED = ["Tài khoản này chưa được liên kết với cán bộ nào.", "Đề nghị nhắn /dangky <mã> với mã 12 số do Văn phòng cấp."];

const EVERY_VI: Record<string, string> = { week: "hằng tuần", month: "hằng tháng", quarter: "hằng quý", year: "hằng năm" };

/** How an item without a due day recurs: "hằng tuần", "thường xuyên"… */
export function periodText(deadline: { kind: string; every: string | null } | null): string {
  if (deadline?.kind === "recurring") return (deadline.every && EVERY_VI[deadline.every]) || "định kỳ";
  return deadline?.kind === "ongoing" ? "thường xuyên" : "không có hạn";
}

/** "Hội CCB · NV 6.2 Các đoàn thể … · đang thực hiện 80% · hạn 30/06/2020 (còn 10 ngày)". */
export function rowLine(row: BoardRow, today: string, withUnit = true): string {
  const t = timing(row.assignment, today);
  const parts = [
    ...(withUnit ? [row.unit.name] : []),
    itemName(row),
    statusText(row.assignment.status, row.assignment.percent),
    row.assignment.dueDate ? dueText(row.assignment.dueDate, t) : periodText(row.item.deadline),
  ];
  return parts.join(" · ");
}

/** "12 lượt giao: 3 hoàn thành, …; 2 quá hạn." */
export function countsLine(rows: BoardRow[], today: string): string {
  const by = (s: AssignmentStatus) => rows.filter((r) => r.assignment.status === s).length;
  const overdue = rows.filter((r) => timing(r.assignment, today).class === "overdue").length;
  return `${rows.length} lượt giao: ${by("done")} hoàn thành, ${by("in_progress")} đang thực hiện, ${by("blocked")} vướng mắc, ${by("not_reported")} chưa báo cáo; ${overdue} quá hạn.`;
}
