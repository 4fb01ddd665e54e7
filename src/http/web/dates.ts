/**
 * Dates typed in the office pages: always dd/mm/yyyy, whatever the browser's language (an
 * `<input type="date">` shows 09/04/2022 or 04/09/2022 depending on it). The field is plain text
 * with a numeric keyboard; the server reads it.
 */
import { dayExists, isoDay, parseDay, plausibleYear, viDate } from "../../domain/index.ts";
import { html, type Html } from "./html.ts";

/** What the browser checks before sending (the server reads more shapes, see {@link readViDate}). */
const DATE_PATTERN = String.raw`\d{1,2}/\d{1,2}/\d{4}`;

/** What a typed date reads as: empty, a day (`YYYY-MM-DD`), or not a date. */
export type TypedDate = { kind: "empty" } | { kind: "day"; day: string } | { kind: "invalid"; text: string };

/**
 * Reads a date as office types it: d/m/yyyy or dd/mm/yyyy (also with "-" or "."), or the
 * `YYYY-MM-DD` of an older link. The day must exist (31/02 does not).
 *
 * @example
 * readViDate("4/9/2022") // { kind: "day", day: "2022-09-04" }
 * readViDate("31/02/2022") // { kind: "invalid", text: "31/02/2022" }
 */
export function readViDate(value: unknown): TypedDate {
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) return { kind: "empty" };
  const vi = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(text);
  const parts = vi ? { d: Number(vi[1]), m: Number(vi[2]), y: Number(vi[3]) } : parseDay(text);
  if (!parts || !plausibleYear(parts.y) || !dayExists(parts.y, parts.m, parts.d)) return { kind: "invalid", text: text.slice(0, 40) };
  return { kind: "day", day: isoDay(parts.y, parts.m, parts.d) };
}

/** The Vietnamese refusal of a date that does not read, naming the field. */
export function badDateMessage(label: string, text: string): string {
  return `${label} “${text}” không hợp lệ. Đề nghị nhập theo dạng ngày/tháng/năm, ví dụ 30/06/2020.`;
}

/**
 * A date field: text, numeric keyboard, dd/mm/yyyy shown and accepted (d/m/yyyy too).
 * `value` is a `YYYY-MM-DD` day (shown as dd/mm/yyyy) or what was typed (shown back as it was).
 *
 * @example
 * dateInput("dueDate", "2020-06-30") // <input type="text" name="dueDate" value="30/06/2020" inputmode="numeric" …>
 */
export function dateInput(name: string, value: string | null | undefined, options: { id?: string } = {}): Html {
  const shown = value && parseDay(value) ? viDate(value) : (value ?? "");
  return html`<input type="text" name="${name}"${options.id ? html` id="${options.id}"` : ""} value="${shown}" inputmode="numeric" pattern="${DATE_PATTERN}" placeholder="dd/mm/yyyy" maxlength="10" size="10" autocomplete="off" title="Ngày/tháng/năm, ví dụ 30/06/2020">`;
}
