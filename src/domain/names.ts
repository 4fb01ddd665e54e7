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

/** Words a label should not end on ("của", "và"…): cutting there reads as cut. */
const DANGLING = new Set(["va", "cua", "cac", "cho", "voi", "trong", "de", "o", "tai", "la", "nhung", "mot", "theo", "ve", "tu", "den", "nham", "ve", "hoac", "nhat", "la"]);

/**
 * A short label for one-line lists, at most `max` characters, cut only between words and never
 * on a dangling "của"/"và"; the first clause when the summary has several. No ellipsis: it is a
 * label, not a quotation.
 *
 * @example
 * makeItemLabel("Tiếp tục quan tâm xây dựng, củng cố tổ chức của Mặt trận và các Đoàn thể") // "Tiếp tục quan tâm xây dựng"
 */
export function makeItemLabel(summary: string, max = 42): string {
  const clean = summary.replace(/…$/u, "").replace(/\s+/g, " ").trim();
  if ([...clean].length <= max) return clean;
  const clause = clean.split(/[,;:.(]/u)[0]?.trim() ?? clean;
  const base = clause.length >= 12 ? clause : clean;
  const words = base.split(" ");
  const out: string[] = [];
  for (const w of words) {
    if ([...[...out, w].join(" ")].length > max) break;
    out.push(w);
  }
  while (out.length > 1 && DANGLING.has(fold(out[out.length - 1] ?? ""))) out.pop();
  return out.length > 0 ? out.join(" ") : [...base].slice(0, max).join("");
}

/** The label an item shows in lists: the stored one, else one made from its summary. */
export function itemLabel(item: { label?: string | null; summary: string }): string {
  return item.label?.trim() || makeItemLabel(item.summary);
}
