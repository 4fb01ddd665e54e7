/**
 * Short names people use in chat: a directive's ("TB 05/6", "KH 12") and an item's label for
 * one-line lists. Made once at intake (the office may edit them) and derived the same way when a
 * stored one is missing, so every reply names things alike.
 */
import { fold } from "./text.ts";

/** Usual abbreviations of Vietnamese document types (Nghị định 30/2020/NĐ-CP, appendix I). */
const DOC_TYPE_ABBR: readonly [RegExp, string][] = [
  [/^thong bao/, "TB"],
  [/^ke hoach/, "KH"],
  [/^cong van/, "CV"],
  [/^chi thi/, "CT"],
  [/^nghi quyet/, "NQ"],
  [/^quyet dinh/, "QĐ"],
  [/^ket luan/, "KL"],
  [/^huong dan/, "HD"],
  [/^chuong trinh/, "CTr"],
  [/^bao cao/, "BC"],
  [/^to trinh/, "TTr"],
];

/** "TB", "KH"… for a document type; "VB" (văn bản) when unknown. */
export function docTypeAbbr(docType: string | null): string {
  const folded = fold(docType ?? "");
  return DOC_TYPE_ABBR.find(([re]) => re.test(folded))?.[1] ?? "VB";
}

/**
 * The name a directive goes by in chat: its type's abbreviation and its number ("KH 12" for
 * "12-KH/ĐU"), or, without a number, the day and month it was issued ("TB 05/6").
 *
 * @example
 * directiveName({ shortName: null, docType: "Thông báo kết luận", number: null, issuedDate: "2020-06-05" }) // "TB 05/6"
 */
export function directiveName(d: { shortName?: string | null; docType: string | null; number: string | null; issuedDate: string | null }): string {
  if (d.shortName?.trim()) return d.shortName.trim();
  const abbr = docTypeAbbr(d.docType);
  const number = d.number?.match(/\d+/)?.[0];
  if (number) return `${abbr} ${number}`;
  if (d.issuedDate) {
    const [, m, day] = d.issuedDate.split("-");
    return `${abbr} ${day}/${Number(m)}`;
  }
  return abbr;
}

/** The key a typed selector is matched on: "TB 05/6" → "tb056", "tb05" → "tb05". */
export function nameKey(name: string): string {
  return fold(name).replace(/[^a-z0-9]/g, "");
}

/**
 * Which of the directives a typed selector ("TB05", "tb 05/6", "KH12") means: exact key first,
 * then a key that starts with it. Several matches (or none) give [].
 */
export function pickDirective<T extends { id: string; name: string }>(selector: string, directives: readonly T[]): T | null {
  const key = nameKey(selector);
  if (!key) return null;
  const exact = directives.filter((d) => nameKey(d.name) === key);
  if (exact.length === 1) return exact[0] ?? null;
  const prefix = directives.filter((d) => nameKey(d.name).startsWith(key));
  return prefix.length === 1 ? (prefix[0] ?? null) : null;
}

/** Words a label is cut before (a phrase ends there) and never ends on. */
const FUNCTION_WORDS = new Set(["va", "cua", "cac", "cho", "voi", "trong", "de", "o", "tai", "la", "nhung", "mot", "theo", "ve", "tu", "den", "nham", "hoac", "nhat", "tren", "duoi", "sau", "truoc", "khi"]);

/** Lead-ins dropped from a label: the subject and its helper verb ("Đoàn phường hoàn thành việc …"). */
const LEAD_INS = ["hoan thanh viec", "chu dong", "tiep tuc quan tam", "tiep tuc", "tap trung", "co trach nhiem", "rieng doi voi", "doi voi"];

/**
 * A short label for one-line lists, at most `max` characters: the subject and lead-in verbs
 * dropped, the first clause when it says enough, cut only before a function word ("của", "và",
 * "trong"…) or between words, never mid-word and never on a dangling function word.
 *
 * @example
 * makeItemLabel("Đoàn TNCS Hồ Chí Minh phường hoàn thành việc kiện toàn nhân sự Phó Bí thư Đoàn phường") // "Kiện toàn nhân sự Phó Bí thư Đoàn phường"
 */
export function makeItemLabel(summary: string, max = 48): string {
  let clean = summary.replace(/…$/u, "").replace(/\s+/g, " ").trim();
  let words = clean.split(" ");
  const foldedWords = words.map((w) => fold(w).replace(/[^a-z0-9]/g, ""));
  for (const lead of LEAD_INS) {
    const parts = lead.split(" ");
    const at = foldedWords.findIndex((_, i) => i <= 8 && parts.every((p, j) => foldedWords[i + j] === p));
    if (at >= 0 && words.length - (at + parts.length) >= 2) {
      words = words.slice(at + parts.length);
      clean = words.join(" ");
      clean = clean.charAt(0).toUpperCase() + clean.slice(1);
      break;
    }
  }
  if ([...clean].length <= max) return clean.replace(/[,;:]$/u, "");
  const clause = clean.split(/[,;:.(]/u)[0]?.trim() ?? clean;
  const base = [...clause].length >= 16 ? clause : clean;
  if ([...base].length <= max) return base;
  const all = base.split(" ");
  const fits: string[] = [];
  for (const w of all) {
    if ([...[...fits, w].join(" ")].length > max) break;
    fits.push(w);
  }
  // Cut before the last function word that leaves a phrase of some length.
  let cut = fits.length;
  for (let i = fits.length - 1; i >= 3; i--) {
    if (FUNCTION_WORDS.has(fold(fits[i] ?? "").replace(/[^a-z]/g, ""))) {
      cut = i;
      break;
    }
  }
  const out = fits.slice(0, cut);
  while (out.length > 1 && FUNCTION_WORDS.has(fold(out[out.length - 1] ?? "").replace(/[^a-z]/g, ""))) out.pop();
  return out.length > 0 ? out.join(" ").replace(/[,;:]$/u, "") : [...base].slice(0, max).join("");
}

/** The label an item shows in lists: the stored one, else one made from its summary. */
export function itemLabel(item: { label?: string | null; summary: string }): string {
  return item.label?.trim() || makeItemLabel(item.summary);
}

const SELECTOR = /(?:^|[^a-z0-9])((?:tb|kh|cv|ct|ctr|nq|qd|kl|hd|ttr|vb)\s*\d{1,4}(?:\s*\/\s*\d{1,2})?)(?![0-9a-z.])/;

/**
 * A directive selector typed in a message ("tình hình TB05 nv 6", "/nhacnho 2 KH 12"): the
 * selector as typed (folded) and the text without it; null when there is none.
 *
 * @example
 * findDirectiveSelector("tình hình TB 05/6 nv 2") // { selector: "tb 05/6", rest: "tình hình nv 2" }
 */
export function findDirectiveSelector(text: string): { selector: string; rest: string } | null {
  const folded = fold(text);
  const m = SELECTOR.exec(folded);
  if (!m?.[1]) return null;
  const start = (m.index ?? 0) + m[0].length - m[1].length;
  // fold keeps one character per character for Vietnamese text (đ→d, accents dropped), so the
  // same span cut from the original removes the selector as typed.
  const chars = [...text.normalize("NFC")];
  const same = chars.length === [...folded].length;
  const rest = same ? (chars.slice(0, start).join("") + chars.slice(start + m[1].length).join("")).replace(/\s+/g, " ").trim() : folded.replace(m[1], " ").replace(/\s+/g, " ").trim();
  return { selector: m[1], rest };
}

/**
 * How a reply names an item: its number, its directive's short name and (when `withLabel`) its
 * label — "NV 6.2 (TB 05/6) Rà soát, thống kê chính xác số liệu hội viên". Every reply that
 * names an item names its directive: a ward has several active at once.
 */
export function itemName(
  row: { item: { ref: string; label?: string | null; summary: string }; directive: { shortName?: string | null; docType: string | null; number: string | null; issuedDate: string | null } },
  withLabel = true,
): string {
  const base = `NV ${row.item.ref} (${directiveName(row.directive)})`;
  return withLabel ? `${base} ${itemLabel(row.item)}` : base;
}
