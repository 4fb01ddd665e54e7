/**
 * How a directive is named in the pages and the exports (kept apart from exports.ts, which loads
 * exceljs and docx: the pages need the name on every request, the libraries only on a download).
 */
import type { DirectiveHeader } from "../app/index.ts";
import { viDate } from "../domain/index.ts";

/**
 * How a directive is named in running text.
 * @example
 * directiveName({ docType: "Thông báo kết luận", number: null, issuedDate: "2020-06-05", issuer: "Ban Thường vụ Đảng ủy", … }) // "Thông báo kết luận ngày 05/06/2020 của Ban Thường vụ Đảng ủy"
 */
export function directiveName(d: Pick<DirectiveHeader, "docType" | "number" | "issuedDate" | "issuer">): string {
  return [d.docType ?? "Văn bản", d.number ? `số ${d.number}` : null, d.issuedDate ? `ngày ${viDate(d.issuedDate)}` : null, d.issuer ? `của ${d.issuer}` : null]
    .filter((p): p is string => p !== null)
    .join(" ");
}
