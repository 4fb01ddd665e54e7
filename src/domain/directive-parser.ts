/**
 * Directive parser: turns the text of a Vietnamese directive (thông báo kết luận, kế hoạch,
 * chỉ thị, công văn …) into a header and a list of proposed items with assignees and deadlines,
 * for the office to review (DESIGN.md §4 "Intake"). Pure and total: any string in, a result out.
 *
 * The reading, in order:
 * 1. Lines are cleaned (NFC, Markdown emphasis and headings stripped) and tables are grouped
 *    (Markdown pipe rows, tab-separated rows).
 * 2. The closing ("Nơi nhận", "Trân trọng", the signature block) is cut off the end.
 * 3. Numbered mode: markers (I., 1., 1.1, a), "- ") and task-table rows build a tree; unnumbered
 *    paragraphs continue the item above them. Paragraph mode, when nothing is numbered: each body
 *    paragraph that asks someone to do something becomes an item (ref "¶N"), split per deadline.
 * 4. Each item gets a summary, assignees (dictionary units + "Giao X …" names), a deadline and a
 *    rotation. Sub-items without their own deadline or assignees inherit the parent's.
 */
import { findDeadline, findRotation, NO_DEADLINE, resolveDeadline } from "./deadline.ts";
import type { Deadline, DeadlineContext, Rotation } from "./deadline.ts";
import { fold, foldWithMap, nfc } from "./text.ts";
import { dayExists, isoDay, plausibleYear, viDate } from "./time.ts";
import { matchUnits } from "./units.ts";
import type { UnitDef, UnitMention } from "./units.ts";

// ---------------------------------------------------------------------------------------------
// Public types

/**
 * Who does an item: a unit from the dictionary (`unitKey`) or a name as written (`unitKey: null`).
 *
 * @example
 * { name: "Hội Cựu chiến binh", role: "support", unitKey: "hoi-ccb" }
 * { name: "Sở Tài nguyên và Môi trường", role: "lead", unitKey: null }
 */
export interface ParsedAssignee {
  /** Dictionary name for known units ("Hội Cựu chiến binh"), else the words as written. */
  name: string;
  /** "lead" = chủ trì / the one asked; "support" = phối hợp. */
  role: "lead" | "support";
  unitKey: string | null;
}

/**
 * One proposed item (nhiệm vụ).
 *
 * @example
 * { ref: "6.1", parentRef: "6", text: "Đoàn TNCS Hồ Chí Minh phường hoàn thành …",
 *   summary: "Đoàn TNCS Hồ Chí Minh phường hoàn thành việc kiện toàn nhân sự Phó Bí thư Đoàn phường",
 *   assignees: [{ name: "Đoàn TNCS Hồ Chí Minh", role: "lead", unitKey: "doan-tn" }],
 *   deadline: { kind: "month", text: "trong tháng 6 năm 2020", due: "2020-06-30", … }, rotation: null }
 */
export interface ParsedItem {
  /** "6", "6.2", "I.1", "a"; paragraph items get "¶3" (and "¶3a", "¶3b" when split). */
  ref: string;
  /** Ref of the enclosing item, null for top-level items (section headings are not items). */
  parentRef: string | null;
  /** Full text without the item's own marker; sub-items' lines are included as written. */
  text: string;
  /** First clause of the task, at most ~100 characters, cut at a word boundary. */
  summary: string;
  assignees: ParsedAssignee[];
  deadline: Deadline;
  rotation: Rotation | null;
}

/**
 * What the parser proposes for one directive.
 *
 * @example
 * const { docType, number, issuedDate, items, warnings } = parseDirective(text);
 * // "Kế hoạch", "86/KH-UBND", "2024-03-12", [...], []
 */
export interface ParsedDirective {
  /** "Thông báo kết luận", "Kế hoạch", "Chỉ thị", "Công văn", … */
  docType: string | null;
  /** Number and symbol as written, spaces removed: "123-TB/ĐU", "86/KH-UBND". */
  number: string | null;
  /** The issuing organ: the last organ line of the header ("ĐẢNG ỦY PHƯỜNG …"), or the organ named in the text. */
  issuer: string | null;
  /** YYYY-MM-DD. */
  issuedDate: string | null;
  /** The name under the signature block, in normal case, Markdown stripped. */
  signer: string | null;
  /** "Nơi nhận" entries; "Lưu VP"/"Lưu: VT" is kept, bare annotations like "(b/c)" are dropped. */
  recipients: string[];
  items: ParsedItem[];
  /** Things the office should look at during review, in Vietnamese. */
  warnings: string[];
}

/**
 * Options for {@link parseDirective}.
 *
 * @example
 * parseDirective(text, { units: [{ key: "to-1", name: "Tổ công tác số 1", aliases: ["tổ 1"] }] });
 */
export interface ParseOptions {
  /** The org's own units and aliases; they extend and override the built-in dictionary. */
  units?: UnitDef[];
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const TERMINAL = /[.!?;:…"”)\]]$/u;
const BULLET_RE = /^([-–—+•●▪◦*])\s*(?=\S)/u;
const ROLE_NOUN =
  "(?:cac |dong chi |d\\/c )?(?:truong|pho truong|chu tich|pho chu tich|bi thu|pho bi thu|cong chuc|can bo|chuyen vien|ban |phong |so |trung tam|tram |to truong|to pho|chi hoi|hoi |doan |cong an|ban chi huy|van phong|giam doc|thu truong|lanh dao|cap uy|chi bo|dang uy vien|dang uy)";

/** Folded text that starts with a role or an organ noun ("trưởng các khu phố", "chủ tịch …"). */
const ROLE_START = new RegExp(`^${ROLE_NOUN}`);

function isUpper(s: string): boolean {
  const letters = s.replace(/[^\p{L}]/gu, "");
  return letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

function words(s: string): number {
  return s.split(/\s+/).filter((w) => w.length > 0).length;
}

/** A date written day, month, year → `YYYY-MM-DD`, or null when the year is implausible or the day does not exist. */
function isoDate(d: number, m: number, y: number): string | null {
  return plausibleYear(y) && dayExists(y, m, d) ? isoDay(y, m, d) : null;
}

/** Replace the content of (…) and “…” with spaces, keeping offsets. */
function maskAsides(s: string): string {
  let out = "";
  let depth = 0;
  let quote = false;
  for (const ch of s) {
    if (ch === "(") {
      depth++;
      out += " ";
    } else if (ch === ")" && depth > 0) {
      depth--;
      out += " ";
    } else if (ch === "“") {
      quote = true;
      out += " ";
    } else if (ch === "”" && quote) {
      quote = false;
      out += " ";
    } else {
      out += depth > 0 || quote ? " ".repeat(ch.length) : ch;
    }
  }
  return out;
}

function titleCase(s: string): string {
  return s
    .toLowerCase()
    .split(/(\s+)/)
    .map((w) => (w.trim().length === 0 ? w : (w[0] ?? "").toUpperCase() + w.slice(1)))
    .join("");
}

function stripMarkdown(raw: string): string {
  let s = raw.replace(/<br\s*\/?>/gi, " ");
  s = s.replace(/^\s{0,3}#{1,6}\s+/, "").replace(/^\s*>\s?/, "");
  s = s.replace(/\*\*|__/g, "");
  s = s.replace(/\\$/, "");
  return s;
}

/** Join a continuation: a space when the text so far stops mid-sentence, else a new line. */
function joinText(prev: string, next: string): string {
  if (prev.length === 0) return next;
  const lastLine = prev.slice(prev.lastIndexOf("\n") + 1);
  const titleLike = words(lastLine) <= 10 && /^\p{Lu}/u.test(next);
  const sep = TERMINAL.test(prev.trimEnd()) || BULLET_RE.test(next) || titleLike ? "\n" : " ";
  return prev.trimEnd() + sep + next;
}

// ---------------------------------------------------------------------------------------------
// Lines and tables

interface Line {
  idx: number;
  raw: string;
  /** Cleaned, trimmed, Markdown-free. */
  text: string;
  /** Folded `text`. */
  f: string;
  indent: number;
  blank: boolean;
}

interface Table {
  kind: "table";
  start: number;
  end: number; // exclusive line index
  rows: string[][];
  lines: string[];
}

type Block = { kind: "line"; line: Line } | Table;

function toLines(text: string): Line[] {
  const rawLines = text.split("\n");
  return rawLines.map((raw, idx) => {
    const noMd = stripMarkdown(raw);
    const t = noMd.replace(/\t+$/, "").trim();
    const hr = /^([-_*=]\s*){3,}$/.test(t);
    const indentMatch = /^[ \t]*/.exec(raw.replace(/\t/g, "    "));
    return {
      idx,
      raw,
      text: hr ? "" : t,
      f: hr ? "" : fold(t),
      indent: indentMatch ? indentMatch[0].length : 0,
      blank: hr || t.length === 0,
    };
  });
}

function pipeCells(text: string): string[] | null {
  if (!text.includes("|")) return null;
  let t = text.trim();
  if (t.startsWith("|")) t = t.slice(1);
  if (t.endsWith("|")) t = t.slice(0, -1);
  const cells = t.split("|").map((c) => c.trim());
  if (cells.length < 2) return null;
  return cells;
}

function isSeparatorRow(cells: string[]): boolean {
  return cells.every((c) => /^:?-{2,}:?$/.test(c) || c === "");
}

function tabCells(raw: string): string[] | null {
  if (!raw.includes("\t")) return null;
  // Leading spaces are indentation; a leading tab is an empty first cell.
  const cells = raw.replace(/^ +/, "").split("\t").map((c) => stripMarkdown(c).trim());
  while (cells.length > 0 && cells[cells.length - 1] === "") cells.pop();
  const nonEmpty = cells.filter((c) => c.length > 0).length;
  return cells.length >= 3 && nonEmpty >= 2 ? cells : null;
}

/** Group consecutive table rows (≥ 2) into tables; everything else stays a line. */
function toBlocks(lines: Line[], from: number, to: number): Block[] {
  const blocks: Block[] = [];
  let i = from;
  while (i < to) {
    const line = lines[i];
    if (!line) break;
    const kind = line.blank ? null : pipeCells(line.text) ? "pipe" : tabCells(line.raw) ? "tab" : null;
    if (kind) {
      const rows: string[][] = [];
      const rowLines: string[] = [];
      let j = i;
      while (j < to) {
        const l = lines[j];
        if (!l || l.blank) break;
        const cells = kind === "pipe" ? pipeCells(l.text) : tabCells(l.raw);
        if (!cells) break;
        rowLines.push(l.text.length > 0 ? l.text : l.raw);
        if (!isSeparatorRow(cells)) rows.push(cells);
        j++;
      }
      if (rows.length >= 2) {
        blocks.push({ kind: "table", start: i, end: j, rows, lines: rowLines });
        i = j;
        continue;
      }
    }
    blocks.push({ kind: "line", line });
    i++;
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// Markers

type MarkerType = "roman" | "arabic" | "dotted" | "letter" | "bullet";

interface Marker {
  type: MarkerType;
  label: string;
  rank: number;
  content: string;
}

const ROMAN_VALUES: Record<string, number> = { I: 1, V: 5, X: 10, L: 50 };

function romanValue(s: string): number | null {
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = ROMAN_VALUES[s[i] ?? ""];
    const next = ROMAN_VALUES[s[i + 1] ?? ""];
    if (v === undefined) return null;
    total += next !== undefined && next > v ? -v : v;
  }
  return total > 0 && total < 40 ? total : null;
}

function markerOf(line: Line): Marker | null {
  const t = line.text;
  let m = /^(?:Điều|Dieu|ĐIỀU)\s+(\d{1,2})\s*[.:]\s*(.*)$/u.exec(t);
  if (m) return { type: "arabic", label: m[1] ?? "", rank: 1, content: (m[2] ?? "").trim() };
  m = /^([IVXL]{1,6})\s*[.):-]\s*(\S.*)$/u.exec(t);
  if (m && romanValue(m[1] ?? "") !== null && !/^[IVXL]+\s*[/-]\s*\d/.test(t)) {
    return { type: "roman", label: m[1] ?? "", rank: 0, content: (m[2] ?? "").trim() };
  }
  m = /^(\d{1,2}(?:\.\d{1,2})+)\.?\)?\s+(\S.*)$/u.exec(t);
  if (m) {
    const label = m[1] ?? "";
    return { type: "dotted", label, rank: 1 + 0.1 * (label.split(".").length - 1), content: (m[2] ?? "").trim() };
  }
  m = /^(\d{1,2})\s*[.)/]\s*(\S.*)$/u.exec(t) ?? /^(\d{1,2})\s+-\s+(\S.*)$/u.exec(t);
  if (m && !/^\d{1,2}\s*\/\s*\d/.test(t)) {
    return { type: "arabic", label: String(Number(m[1] ?? "0")), rank: 1, content: (m[2] ?? "").trim() };
  }
  m = /^([a-zđ])\s*[).]\s+(\S.*)$/u.exec(t);
  if (m) return { type: "letter", label: m[1] ?? "", rank: 2, content: (m[2] ?? "").trim() };
  m = BULLET_RE.exec(t);
  if (m && !/^[-–—]\s*\d/.test(t)) {
    // "+" points and indented points sit under the "-" points above them.
    const deeper = line.indent >= 2 || m[1] === "+";
    return { type: "bullet", label: "", rank: deeper ? 3.5 : 3, content: t.slice(m[0].length).trim() };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Header

const DOC_TYPES: [string, string][] = [
  ["thong bao ket luan", "Thông báo kết luận"],
  ["chuong trinh hanh dong", "Chương trình hành động"],
  ["ke hoach", "Kế hoạch"],
  ["chi thi", "Chỉ thị"],
  ["cong van", "Công văn"],
  ["cong dien", "Công điện"],
  ["quyet dinh", "Quyết định"],
  ["nghi quyet", "Nghị quyết"],
  ["ket luan", "Kết luận"],
  ["thong bao", "Thông báo"],
  ["chuong trinh", "Chương trình"],
  ["huong dan", "Hướng dẫn"],
  ["bao cao", "Báo cáo"],
  ["giay moi", "Giấy mời"],
  ["to trinh", "Tờ trình"],
];

const SYMBOL_TYPES: [RegExp, string][] = [
  [/(^|[-/])TB([-/]|$)/, "Thông báo"],
  [/(^|[-/])KH([-/]|$)/, "Kế hoạch"],
  [/(^|[-/])CT([-/]|$)/, "Chỉ thị"],
  [/(^|[-/])QĐ([-/]|$)/, "Quyết định"],
  [/(^|[-/])NQ([-/]|$)/, "Nghị quyết"],
  [/(^|[-/])KL([-/]|$)/, "Kết luận"],
  [/(^|[-/])BC([-/]|$)/, "Báo cáo"],
  [/(^|[-/])HD([-/]|$)/, "Hướng dẫn"],
  [/(^|[-/])CTr([-/]|$)/, "Chương trình"],
  [/(^|[-/])GM([-/]|$)/, "Giấy mời"],
];

function typeAt(f: string): string | null {
  for (const [k, name] of DOC_TYPES) {
    if (f === k || f.startsWith(`${k} `) || f.startsWith(`${k}:`)) return name;
  }
  return null;
}

function detectDocType(head: Line[], number: string | null, allLines: Line[]): string | null {
  const nonBlank = head.filter((l) => !l.blank);
  for (let i = 0; i < nonBlank.length; i++) {
    const l = nonBlank[i];
    if (!l || !isUpper(l.text)) continue;
    const t = typeAt(l.f);
    if (!t) continue;
    if (t === "Thông báo") {
      const next = nonBlank[i + 1];
      const nextHead = next ? next.text.split(/\s+/).slice(0, 2).join(" ") : "";
      if (next && isUpper(nextHead) && /^ket luan\b/.test(next.f)) return "Thông báo kết luận";
    }
    return t;
  }
  for (const l of nonBlank.slice(0, 3)) {
    const t = typeAt(l.f);
    if (t) return t;
  }
  if (number) {
    for (const [re, name] of SYMBOL_TYPES) if (re.test(number.replace(/^\d+/, ""))) return name;
    return "Công văn";
  }
  if (head.some((l) => /^(v\/v|ve viec)\b/.test(l.f))) return "Công văn";
  for (const l of allLines) {
    const m = /^\(?\s*theo\s+(cong van|ke hoach|thong bao|chi thi|quyet dinh)\s+so\b/.exec(l.f);
    if (m) return typeAt(m[1] ?? "");
  }
  return null;
}

function detectNumber(lines: Line[]): string | null {
  for (const l of lines) {
    if (l.blank) continue;
    const m = /(?:^|[\s|(])(S[ốoỐO]|SỐ|So)\s*[:.]?\s*(\d{1,6})\s*([/-])\s*([\p{L}\p{N}][\p{L}\p{N}\-/.&]*)/u.exec(l.text);
    if (!m) continue;
    const symbol = (m[4] ?? "").replace(/[.,;]+$/, "");
    if (!/\p{Lu}/u.test(symbol)) continue;
    return `${m[2] ?? ""}${m[3] ?? ""}${symbol}`;
  }
  return null;
}

function citationLine(lines: Line[]): { number: string | null; date: string | null } | null {
  for (const l of lines) {
    const m =
      /^\(?\s*Theo\s+\S+(?:\s+\S+)?\s+số\s+(\d+\s*[/-]\s*[\p{L}\p{N}\-/]+)\s*,?\s*ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*\)?\.?$/iu.exec(
        l.text,
      );
    if (m) {
      return {
        number: (m[1] ?? "").replace(/\s+/g, ""),
        date: isoDate(Number(m[2]), Number(m[3]), Number(m[4])),
      };
    }
  }
  return null;
}

function detectDate(head: Line[], all: Line[]): string | null {
  const place = /(?:^|[\s,])([^,]{2,60}),\s*ngay\s+(\d{1,2})\s*(?:thang\s*|[/.-]\s*)(\d{1,2})\s*(?:nam\s*|[/.-]\s*)(\d{4})/;
  for (const l of head) {
    for (const column of headerColumns(l)) {
      const m = place.exec(fold(column));
      if (!m) continue;
      const before = m[1] ?? "";
      if (/\d+\s*\/\s*[a-z]/.test(before) || /\bso\b/.test(before) || words(before) > 8) continue;
      const d = isoDate(Number(m[2]), Number(m[3]), Number(m[4]));
      if (d) return d;
    }
  }
  for (const l of all) {
    const m = /^ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})/.exec(l.f);
    if (m) {
      const d = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
      if (d) return d;
    }
  }
  return null;
}

const ORGAN_START =
  /^(dang uy|dang bo|chi bo|uy ban|ub |ubnd|hoi dong|ban |trung tam|phong |so |mat tran|doan |hoi |cong an|thi uy|huyen uy|quan uy|tinh uy|thanh uy|van phong|tram |ban chi huy|bch)/;
const NOT_ORGAN = /^(cong hoa|dang cong san|doc lap|so\b|so:)/;

function headerColumns(l: Line): string[] {
  return l.raw
    .split(/\t+| {3,}/)
    .map((c) => stripMarkdown(c).trim())
    .filter((c) => c.length > 0);
}

function detectIssuer(head: Line[], lines: Line[]): string | null {
  // 1. The organ block of the header: uppercase organ lines; the last one issues.
  let issuer: string | null = null;
  for (const l of head.slice(0, 15)) {
    if (l.blank) continue;
    const first = headerColumns(l)[0] ?? "";
    const f = fold(first);
    if (isUpper(first) && ORGAN_START.test(f) && !NOT_ORGAN.test(f)) {
      issuer = first.replace(/^[-–*\s]+|[-–*\s]+$/g, "");
    } else if (issuer !== null && isUpper(first) && /^(phuong|xa|thi tran|quan|huyen|thi xa|tinh|thanh pho)\b/.test(f)) {
      // "ỦY BAN NHÂN DÂN" / "PHƯỜNG PHÚ HÒA" written on two lines.
      issuer = `${issuer} ${first.trim()}`;
    } else if (issuer !== null && typeAt(fold(first)) !== null) {
      break;
    }
  }
  if (issuer) return issuer;
  // 2. "Ủy ban nhân dân phường X thông báo …", "Ban Thường trực … xây dựng kế hoạch …".
  const verbs =
    /\s(thong bao|ket luan|yeu cau|de nghi|co y kien|chi thi|quyet dinh|ban hanh|xay dung ke hoach|trien khai|giao)(?![\p{L}\p{N}])/u;
  for (const l of lines.slice(0, 60)) {
    if (l.blank || isUpper(l.text)) continue;
    const body = l.text;
    const m = verbs.exec(fold(body));
    if (!m || m.index > 90) continue;
    const prefix = fold(body).slice(0, m.index);
    if (!ORGAN_START.test(prefix) && !/^chu tich /.test(prefix)) continue;
    if (words(prefix) > 12) continue;
    return cutWords(body, words(prefix));
  }
  // 3. "Ban Thường vụ Đảng ủy" named in the text.
  let shouting: string | null = null;
  for (const l of lines.slice(0, 60)) {
    const m = /(ban thuong vu|ban thuong truc|ban chap hanh|thuong truc) (dang uy|dang bo|uy ban mttq|uy ban mat tran to quoc)( (phuong|xa|thi tran)(?: [a-z0-9]+){0,3})?/.exec(l.f);
    if (!m) continue;
    // Keep the place name only while words are capitalised in the source.
    const src = cutWordsFrom(l.text, words(l.f.slice(0, m.index)), words(m[0]));
    if (!isUpper(src)) return trimPlace(src);
    shouting ??= src;
  }
  return shouting;
}

/** The first `n` words of `s` as written. */
function cutWords(s: string, n: number): string {
  return s.trim().split(/\s+/).slice(0, n).join(" ");
}

function cutWordsFrom(s: string, from: number, n: number): string {
  return s.trim().split(/\s+/).slice(from, from + n).join(" ").replace(/[,.;:]+$/, "");
}

function trimPlace(s: string): string {
  const ws = s.split(" ");
  const i = ws.findIndex((w) => /^(phường|xã|thị|trấn)$/iu.test(w));
  if (i < 0) return s;
  let j = i + 1;
  if (/^trấn$/iu.test(ws[j] ?? "")) j++;
  while (j < ws.length && /^\p{Lu}/u.test(ws[j] ?? "")) j++;
  return j === i + 1 ? ws.slice(0, i).join(" ") : ws.slice(0, j).join(" ");
}

const SIGN_MARK = /^(t\/m|tm|kt|tl|tuq|q|p|thay mat)[.\s/]/;
const TITLES = /^(pho )?(bi thu|chu tich|giam doc|truong ban|truong phong|chanh van phong|thu truong)\b/;
const NOT_NAME = /(bi thu|chu tich|giam doc|truong ban|truong phong|uy ban|dang uy|thuong vu|nhan dan|van phong|noi nhan|luu|nhu tren)/;

function looksLikeName(s: string): boolean {
  if (s.length < 5 || s.length > 45 || /\d|[(:;,]/.test(s)) return false;
  const ws = s.split(/\s+/);
  if (ws.length < 2 || ws.length > 6) return false;
  if (!ws.every((w) => /^\p{Lu}/u.test(w))) return false;
  return !NOT_NAME.test(fold(s));
}

function detectSigner(closing: Line[]): string | null {
  const segs: { text: string; f: string }[] = [];
  for (const l of closing) {
    if (l.blank) continue;
    for (const c of headerColumns(l)) segs.push({ text: c, f: fold(c) });
  }
  let lastMark = -1;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (!s) continue;
    if ((isUpper(s.text) && (SIGN_MARK.test(s.f) || TITLES.test(s.f))) || /^\((da )?ky/.test(s.f)) lastMark = i;
  }
  if (lastMark < 0) return null;
  for (let i = lastMark + 1; i < segs.length; i++) {
    const s = segs[i];
    if (!s) continue;
    if (s.text.startsWith("(")) continue;
    const name = isUpper(s.text) ? titleCase(s.text) : s.text;
    if (looksLikeName(name)) return name;
  }
  return null;
}

function detectRecipients(closing: Line[]): string[] {
  const out: string[] = [];
  let inList = false;
  for (const l of closing) {
    const cols = l.blank ? [] : headerColumns(l);
    for (const col of cols) {
      const f = fold(col);
      if (/^noi nhan/.test(f)) {
        inList = true;
        const rest = col.replace(/^[^:]*:\s*/, "");
        if (rest !== col && rest.length > 0) pushRecipients(out, rest);
        continue;
      }
      if (!inList) continue;
      if (BULLET_RE.test(col)) pushRecipients(out, col);
    }
    if (inList && !l.blank && cols.every((c) => !BULLET_RE.test(c) && !/^noi nhan/.test(fold(c)))) {
      if (out.length > 0) inList = false;
    }
  }
  return out;
}

function pushRecipients(out: string[], s: string): void {
  for (const part of s.split(/(?:^|\s)[-–—+•]\s+/u)) {
    const t = part
      .replace(BULLET_RE, "")
      .trim()
      .replace(/[,.;:]+$/u, "")
      .trim();
    if (t.length === 0) continue;
    if (/^\(.*\)$/.test(t)) continue; // "(b/c)": an annotation of the line above
    out.push(t);
  }
}

// ---------------------------------------------------------------------------------------------
// Assignees

type MentionRole = "lead" | "support" | "neutral" | "ignored";

const LEAD_AFTER =
  /^[\s,]*(?:(?:phuong|xa|thi tran)\s*)?(?:la\s+)?(?:don vi\s+|co quan\s+)?(?:chu tri|thuc hien|co trach nhiem|chiu trach nhiem|phu trach|tham muu|to chuc|hoan thanh|xay dung|trien khai|chu dong|tiep tuc|nghiem tuc|khan truong|theo doi|kiem tra|chi dao|huong dan|phan cong|tuyen truyen|van dong|ra soat|thong ke|kien toan|dam nhan|tang cuong|phat dong|duy tri|bo tri|dang ky|nam bat|nam tinh hinh|tong hop|thuong xuyen|kip thoi)(?![\p{L}\p{N}])/u;
const LEAD_BEFORE =
  /(?:^|\s)(?:giao|giao cho|giao trach nhiem cho|de nghi|yeu cau|chi dao|phan cong|chu tri|don vi chu tri|don vi thuc hien)\s*:?\s*(?:(?:cac dong chi|dong chi|d\/c|chu tich|pho chu tich|lanh dao|truong|pho|ban thuong vu|thuong truc|bi thu|pho bi thu|chuyen vien|can bo|cong chuc)(?: [a-z]+){0,3} )?$/;
const SUPPORT_BEFORE = /(?:^|\s)(?:phoi hop|phoi hop chat che|cung|cung voi|ho tro|giup|don vi phoi hop)(?:\s+(?:voi|cung))?\s*:?\s*(?:cac )?$/;
const IGNORE_BEFORE =
  /(?:^|\s)(?:cua|thuoc|bao cao(?: ket qua)?(?:\s+(?:ve|cho|len|voi|gui))?|gui(?:\s+ve)?|trinh|tham muu(?: cho)?|lien|xin y kien|lam viec voi(?: lanh dao)?|giua|tu|den|tai|kien nghi voi|de xuat)\s*(?:cac |cho )?$/;
/**
 * Places and objects: "về tại 01 tổ dân phố", "tại tổ dân phố đó", "làm cùng với Nhân dân",
 * "trong các tổ dân phố". Checked after the support and lead cues, so "phối hợp với X" keeps its
 * role; "đối với X" (a topic, often the doer) is not an object.
 */
const OBJECT_BEFORE = /(?:^|\s)(?:ve tai|tai|ve|(?<!doi )voi|trong|ngoai)\s+(?:(?:cac|moi|tung|mot|nhung|\d+)\s+)?$/;
/**
 * "cho X": an object ("tuyên truyền cho các tổ dân phố"), unless a lead verb follows ("tạo điều
 * kiện cho Ban VHTT thực hiện" names who does it) or a lead cue precedes ("giao cho X").
 */
const FOR_BEFORE = /(?:^|\s)cho\s+(?:(?:cac|moi|tung|mot|nhung|\d+)\s+)?$/;
/** "phối hợp giữa A với B": both sides do the work. */
const BOTH_SIDES_BEFORE = /(?:^|\s)phoi hop(?: chat che)? giua\s+(?:cac\s+)?$/;
/** The unit that asks ("UBND phường Nam Đồng thông báo và đề nghị …") is not an assignee. */
const ASKER_AFTER = /^[\s,]*(?:[a-z0-9]+ ){0,3}?(?:thong bao|de nghi|yeu cau|giao|chi dao|ket luan|co y kien)(?![a-z])/;
/** After one of these words, the units listed in the same clause are the ones asked. */
const ASK_CUE = /(?:^|\s)(?:giao(?: cho| trach nhiem cho)?|de nghi|yeu cau|chi dao|phan cong)\s(?!.*(?:phoi hop|cung voi))/;
const CLAUSE_START = /^[\s\-–•*+]*(?:(?:theo do|dong thoi|rieng|ngoai ra|tren co so do|tu nay),?\s*)?(?:cac\s*)?$/;
/** The subject after a condition: "Nếu có vụ việc phức tạp thì (Chủ tịch) UBND xã tiếp công dân". */
const THEN_SUBJECT = /(?:^|\s)thi\s+(?:(?:chu tich|pho chu tich|bi thu|pho bi thu|lanh dao|thu truong|truong|pho truong)\s+)?(?:cac\s+)?$/;

interface RoledMention {
  m: UnitMention;
  role: MentionRole;
}

function rolesOf(text: string, units: readonly UnitDef[]): RoledMention[] {
  const masked = maskAsides(text);
  const mentions = matchUnits(masked, units);
  const out: RoledMention[] = [];
  let prev: RoledMention | null = null;
  let prevClause = -1;
  for (const m of mentions) {
    const head = masked.slice(0, m.start);
    const clauseStart = Math.max(
      head.lastIndexOf("."),
      head.lastIndexOf(";"),
      head.lastIndexOf(":"),
      head.lastIndexOf("\n"),
      head.lastIndexOf("!"),
      head.lastIndexOf("?"),
    ) + 1;
    // fold() trims, so put back the space that separates the words before from the mention.
    const before = `${fold(masked.slice(clauseStart, m.start))} `;
    const after = fold(masked.slice(m.end, m.end + 60));
    let role: MentionRole = "neutral";
    const between = prev && prevClause === clauseStart ? fold(masked.slice(prev.m.end, m.start)) : null;
    if (between !== null && prev && /^[\s,]*(?:va|cung|voi)?[\s,]*$/.test(between) && prev.role !== "neutral") {
      role = prev.role;
    } else if (BOTH_SIDES_BEFORE.test(before)) {
      role = "lead";
    } else if (IGNORE_BEFORE.test(before)) {
      role = "ignored";
    } else if (SUPPORT_BEFORE.test(before)) {
      role = "support";
    } else if (LEAD_BEFORE.test(before)) {
      role = "lead";
    } else if (OBJECT_BEFORE.test(before)) {
      role = "ignored";
    } else if (LEAD_AFTER.test(after)) {
      role = "lead";
    } else if (FOR_BEFORE.test(before)) {
      role = "ignored";
    } else if (ASKER_AFTER.test(after)) {
      role = "ignored";
    } else if (CLAUSE_START.test(before) || THEN_SUBJECT.test(before) || (ASK_CUE.test(before) && words(before.slice(before.search(ASK_CUE))) <= 16)) {
      role = "lead";
    }
    const r: RoledMention = { m, role };
    // "A và B rà soát …": B's role, decided by what follows, also holds for the A before it.
    if (between !== null && prev && prev.role === "neutral" && (role === "lead" || role === "support") && /^[\s,]*(?:va|cung)?[\s,]*$/.test(between)) {
      for (let k = out.length - 1; k >= 0; k--) {
        const o = out[k];
        if (!o || o.role !== "neutral") break;
        o.role = role;
      }
    }
    out.push(r);
    prev = r;
    prevClause = clauseStart;
  }
  return out;
}

const FREE_VERBS =
  "(?:chu tri|phoi hop|co trach nhiem|chiu trach nhiem|thuc hien|to chuc|theo doi|huong dan|kiem tra|don doc|tham muu|xay dung|trien khai|hoan thanh|chi dao|nghien cuu|tiep tuc|nghiem tuc|khan truong|tiep cong dan|ra soat|tong hop|bao cao|tuyen truyen|van dong|nhac nho|quan tam|bo tri|nam bat|nam tinh hinh|thuong xuyen|kip thoi)";
const FREE_STOP = "(?:can cu|de|theo|trong|tai|ve|nham|truoc|chu tri|phoi hop)";
/** "Giao/Đề nghị/Yêu cầu X <verb>" and "<role noun> … <verb>" at the start of a clause. */
const FREE_PATTERNS = [
  new RegExp(
    `^(?:[-–•+*]\\s*)?(?:giao(?: cho| trach nhiem cho)?|de nghi|yeu cau)\\s+(.{3,90}?)(?:,)?\\s+(?=${FREE_VERBS}(?![a-z])|${FREE_STOP}(?![a-z]))`,
  ),
  new RegExp(`^(?:[-–•+*]\\s*)?(${ROLE_NOUN}.{0,70}?)\\s+(?=${FREE_VERBS}(?![a-z]))`),
];

/**
 * Names that are not in the dictionary ("Giao Sở Tài nguyên và Môi trường chủ trì …", "Trưởng các
 * khóm hướng dẫn …"), at most three, skipping clauses whose subject is a known unit.
 */
function freeAssignees(text: string, known: RoledMention[]): ParsedAssignee[] {
  const out: ParsedAssignee[] = [];
  const masked = maskAsides(text);
  const clauses = masked.split(/[.;:\n!?]/);
  let offset = 0;
  for (const clause of clauses) {
    const f = fold(clause);
    for (const re of FREE_PATTERNS) {
      const m = re.exec(f);
      if (!m) continue;
      const name = m[1] ?? "";
      if (words(name) > 12 || words(name) < 2 || /(?:^| )(cac|nhung|moi|cho|va)$/.test(name)) continue;
      // Cut the same words out of the source clause.
      const srcWordsBefore = words(f.slice(0, m.index + m[0].indexOf(name)));
      const src = cutWordsFrom(clause, srcWordsBefore, words(name));
      const absStart = offset + clause.indexOf(src);
      const overlapsKnown = known.some((k) => k.m.start < absStart + src.length && absStart < k.m.end);
      if (overlapsKnown || src.length < 3) break;
      for (const part of splitNames(src)) {
        if (!out.some((a) => fold(a.name) === fold(part))) out.push({ name: part, role: "lead", unitKey: null });
      }
      break;
    }
    offset += clause.length + 1;
  }
  return out.slice(0, 3);
}

/** Split "Trưởng các ban, ngành, đoàn thể phường, Trưởng các khóm" at role nouns. */
function splitNames(s: string): string[] {
  const parts = s.split(/,\s*(?=(?:Trưởng|Phó|Chủ tịch|Bí thư|Công chức|Cán bộ|Chuyên viên|Ban |Phòng |Sở |Trung tâm|Trạm|Tổ trưởng|Chi hội|Hội |Đoàn |Công an|Văn phòng|các đồng chí|đồng chí)\b)|\s+và\s+(?=(?:Trưởng|Phó|Chủ tịch|Bí thư|Công chức|Cán bộ|Chuyên viên|Phòng |Sở |Trung tâm|Trạm)\b)/u);
  return parts
    .map((p) =>
      p
        .replace(/^(cho|các đồng chí|đồng chí|đ\/c)\s+/iu, "")
        .replace(/[-–,\s]+$/u, "")
        .trim(),
    )
    .filter((p) => p.length > 0);
}

/** Who a text names, before deciding what units only mentioned in passing stand for. */
interface AssigneeReading {
  /** Units with an explicit role (the first explicit role of a unit wins). */
  explicit: ParsedAssignee[];
  /** Units only mentioned in passing, with no cue either way (role "lead" as a placeholder). */
  passing: ParsedAssignee[];
  /** Names not in the dictionary, as written ("Trưởng các khóm"); always leads. */
  free: ParsedAssignee[];
}

function readAssignees(text: string, units: readonly UnitDef[]): AssigneeReading {
  const roled = rolesOf(text, units);
  const byKey = new Map<string, { name: string; roles: MentionRole[] }>();
  for (const r of roled) {
    const e = byKey.get(r.m.key) ?? { name: r.m.name, roles: [] };
    e.roles.push(r.role);
    byKey.set(r.m.key, e);
  }
  const explicit: ParsedAssignee[] = [];
  const passing: ParsedAssignee[] = [];
  for (const [key, e] of byKey) {
    const firstExplicit = e.roles.find((x) => x === "lead" || x === "support");
    if (firstExplicit === "lead" || firstExplicit === "support") explicit.push({ name: e.name, role: firstExplicit, unitKey: key });
    else if (e.roles.includes("neutral")) passing.push({ name: e.name, role: "lead", unitKey: key });
  }
  const free: ParsedAssignee[] = [];
  for (const a of freeAssignees(text, roled)) {
    if (![...explicit, ...passing, ...free].some((o) => fold(o.name) === fold(a.name))) free.push(a);
  }
  return { explicit, passing, free };
}

/** Does the text itself say who leads (a unit with a lead cue, or a name as written)? */
function namesLead(r: AssigneeReading): boolean {
  return r.free.length > 0 || r.explicit.some((a) => a.role === "lead");
}

/**
 * The assignees a text names on its own. Units only mentioned in passing (objects of the
 * sentence) count as leads only when no unit in the text has an explicit role.
 */
function assigneesOf(text: string, units: readonly UnitDef[]): ParsedAssignee[] {
  const r = readAssignees(text, units);
  return [...(r.explicit.length > 0 ? r.explicit : r.passing), ...r.free];
}

/** Assignees from a table cell: every unit in it, plus leftover names as written. */
function cellAssignees(cell: string, role: "lead" | "support", units: readonly UnitDef[]): ParsedAssignee[] {
  const out: ParsedAssignee[] = [];
  const mentions = matchUnits(cell, units);
  let rest = maskAsides(cell);
  for (const m of [...mentions].reverse()) rest = rest.slice(0, m.start) + " , " + rest.slice(m.end);
  for (const m of mentions) {
    if (!out.some((a) => a.unitKey === m.key)) out.push({ name: m.name, role, unitKey: m.key });
  }
  for (const part of rest.split(/[,;/+]|\s+và\s+|\n/u)) {
    const t = part.replace(/^[-–•\s]+|[\s.]+$/gu, "").trim();
    if (t.length < 3 || /^(các|và|cùng|phường|xã|liên quan|đến|từ)$/iu.test(t)) continue;
    if (words(t) < 2 && !/^\p{Lu}/u.test(t)) continue;
    if (!out.some((a) => fold(a.name) === fold(t))) out.push({ name: t, role, unitKey: null });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Summary

/**
 * First clause of a task text, at most `max` characters, cut at a word boundary; a leading
 * "Căn cứ …;" / "Theo đó," clause is skipped when something follows it.
 */
function summarize(text: string, max = 100): string {
  const nonEmpty = text.split("\n").filter((l) => l.trim().length > 0);
  // A section title in capitals over a paragraph: the paragraph says what to do.
  if (nonEmpty.length > 1 && isUpper(nonEmpty[0] ?? "")) nonEmpty.shift();
  let t = nonEmpty[0]?.trim() ?? "";
  t = t.replace(BULLET_RE, "");
  const lead = /^(?:(?:căn cứ|can cu)[^;:]{0,200}[;:]|(?:trên cơ sở|tren co so)[^,;:]{0,120}[,;:])\s*/iu.exec(t);
  if (lead && t.length > lead[0].length + 10) t = t.slice(lead[0].length);
  t = t.replace(/^(theo đó|theo do|đồng thời|dong thoi)\s*,\s*/iu, "");
  const cut = /[;:](?=\s|$)|\.(?=\s+\p{Lu}|\s*$)/u.exec(t);
  if (cut && cut.index >= 8) t = t.slice(0, cut.index);
  t = t.trim().replace(/\s*\.?\/\.?$/u, "").replace(/[,.;:]+$/u, "");
  if (t.length > max) {
    const sp = t.lastIndexOf(" ", max - 1);
    t = `${t.slice(0, sp > 40 ? sp : max - 1).replace(/[,;:\s]+$/u, "")}…`;
  }
  if (t.length > 0) t = (t[0] ?? "").toUpperCase() + t.slice(1);
  return t;
}

// ---------------------------------------------------------------------------------------------
// Tables

type ColumnRole = "stt" | "content" | "lead" | "support" | "deadline" | "other";

function columnRole(header: string): ColumnRole {
  const f = fold(header).replace(/[^a-z0-9 ]/g, " ").replace(/\s+/g, " ").trim();
  if (/^(stt|tt|so tt|so thu tu)$/.test(f)) return "stt";
  if (/(thoi gian|thoi han|han hoan thanh|tien do|thoi diem|han chot|hoan thanh|^ngay\b)/.test(f)) return "deadline";
  if (/phoi hop/.test(f)) return "support";
  if (/(chu tri|don vi thuc hien|co quan thuc hien|don vi|phu trach|trach nhiem|nguoi thuc hien|thuc hien|^nguoi\b|^can bo\b)/.test(f)) return "lead";
  if (/(noi dung|cong viec|nhiem vu|hoat dong|ten)/.test(f)) return "content";
  return "other";
}

// ---------------------------------------------------------------------------------------------
// The item tree

interface Node {
  type: MarkerType | "row" | "para" | "section-row";
  rank: number;
  label: string;
  ref: string;
  parent: Node | null;
  heading: boolean;
  own: string;
  all: string;
  children: Node[];
  /** Table rows: the row's role cells. */
  row?: { lead: string; support: string; deadline: string; hasDeadlineCol: boolean };
  /** A summary decided while reading (plain table rows). */
  summary?: string;
  context: boolean;
}

function isContextHeading(text: string): boolean {
  const head = fold(text.split(/[:.]/)[0] ?? "").replace(/[^a-z ]/g, " ").replace(/\s+/g, " ").trim();
  return /^(muc dich|muc tieu|yeu cau|muc dich yeu cau|muc dich va yeu cau|muc tieu yeu cau|muc tieu va yeu cau|can cu|can cu phap ly|co so phap ly|co so xay dung ke hoach|tinh hinh|tinh hinh chung|ket qua dat duoc|ket qua thuc hien|danh gia chung|dac diem tinh hinh|quan diem|boi canh)$/.test(
    head,
  );
}

const DEADLINE_LINE = /^(thoi gian|thoi han|han hoan thanh|hoan thanh truoc|cham nhat|han chot)/;
const CONDITIONAL = /^(?:neu|truong hop|khi)\s.{3,160}?,?\s+thi\s+(.{6,})$/;

/**
 * A line (folded) that states a duty arising in a case: "Nếu …, thì <a unit or a title> <task>".
 * "Trường hợp Chủ tịch có công tác đột xuất, có thông báo riêng" names nobody after "thì" and is not.
 */
function isConditionalTask(f: string): boolean {
  const m = CONDITIONAL.exec(f);
  const rest = m?.[1];
  if (!rest) return false;
  if (ROLE_START.test(rest)) return true;
  return (matchUnits(rest)[0]?.start ?? -1) === 0;
}

interface TreeResult {
  nodes: Node[];
  renumbered: string[];
}

function buildTree(blocks: Block[]): TreeResult {
  const nodes: Node[] = [];
  const stack: Node[] = [];
  const renumbered: string[] = [];
  let prevBlank = false;

  const addToAncestors = (from: Node | null, text: string): void => {
    for (let n = from; n; n = n.parent) n.all = joinText(n.all, text);
  };
  const makeRef = (parent: Node | null, label: string): string => (parent ? `${parent.ref}.${label}` : label);
  const push = (node: Node): void => {
    // Duplicate refs: a list that restarts its numbering ("1. 2. 1. 2.").
    if (nodes.some((n) => n.ref === node.ref)) {
      const siblings = nodes.filter((n) => n.parent === node.parent && n.type === node.type);
      const last = siblings[siblings.length - 1];
      const next = last && /^\d+$/.test(last.label) ? String(Number(last.label) + 1) : `${node.label}'`;
      renumbered.push(`${node.ref} → ${makeRef(node.parent, next)}`);
      node.label = next;
      node.ref = makeRef(node.parent, next);
    }
    if (node.parent) node.parent.children.push(node);
    nodes.push(node);
    stack.push(node);
  };
  const popTo = (rank: number): void => {
    while (stack.length > 0 && (stack[stack.length - 1]?.rank ?? -1) >= rank) stack.pop();
  };
  const top = (): Node | null => stack[stack.length - 1] ?? null;

  for (const block of blocks) {
    if (block.kind === "table") {
      handleTable(block);
      prevBlank = false;
      continue;
    }
    const line = block.line;
    if (line.blank) {
      prevBlank = true;
      continue;
    }
    const mk = markerOf(line);
    if (mk) {
      let parent: Node | null;
      let label = mk.label;
      if (mk.type === "dotted") {
        const parts = mk.label.split(".");
        const prefix = parts.slice(0, -1).join(".");
        const anchor = [...stack].reverse().find((n) => fullLabel(n) === prefix);
        if (anchor) {
          while (stack.length > 0 && top() !== anchor) stack.pop();
          parent = anchor;
          label = parts[parts.length - 1] ?? mk.label;
        } else {
          popTo(mk.rank);
          parent = top();
        }
      } else {
        popTo(mk.rank);
        parent = top();
      }
      if (mk.type === "bullet") label = String((parent?.children.length ?? nodes.filter((n) => !n.parent).length) + 1);
      const node: Node = {
        type: mk.type,
        rank: mk.rank,
        label,
        ref: makeRef(parent, label),
        parent,
        heading: false,
        own: mk.content,
        all: mk.content,
        children: [],
        context: false,
      };
      addToAncestors(parent, line.text);
      push(node);
      prevBlank = false;
      continue;
    }
    // A continuation line.
    const t = top();
    if (!t) {
      prevBlank = false;
      continue;
    }
    let target: Node = t;
    if ((t.type === "row" || t.type === "section-row") && t.parent) target = t.parent;
    else if (t.type === "row" || t.type === "section-row") target = t;
    const newPara = (parentNode: Node): void => {
      while (stack.length > 0 && top() !== parentNode) stack.pop();
      const label = String(parentNode.children.length + 1);
      addToAncestors(parentNode, line.text);
      push({
        type: "para",
        rank: 3,
        label,
        ref: makeRef(parentNode, label),
        parent: parentNode,
        heading: false,
        own: line.text,
        all: line.text,
        children: [],
        context: false,
      });
      prevBlank = false;
    };
    if ((target.type === "bullet" || target.type === "para") && target.parent && !target.parent.heading) {
      const parentNode = target.parent;
      if (DEADLINE_LINE.test(line.f)) {
        target = parentNode;
      } else if (prevBlank && /^\p{Lu}/u.test(line.text) && TERMINAL.test(target.own.trimEnd())) {
        // A new paragraph after the sub-points: one more sub-point of the same item.
        newPara(parentNode);
        continue;
      }
    } else if (prevBlank && target.type !== "row" && !target.heading && /^rieng\s/.test(line.f) && TERMINAL.test(target.own.trimEnd())) {
      // "Riêng Chi hội … trước ngày …": a carve-out task for one unit, a sub-item of this item.
      newPara(target);
      continue;
    } else if (target.type !== "row" && target.type !== "section-row" && !target.heading && isConditionalTask(line.f) && TERMINAL.test(target.own.trimEnd())) {
      // "Nếu có vụ việc phức tạp thì Chủ tịch UBND xã tiếp công dân đột xuất": a duty of its own
      // that only arises in that case, a sub-item of this item.
      newPara(target);
      continue;
    }
    // Pop deeper nodes so that later markers attach correctly.
    while (stack.length > 0 && top() !== target) stack.pop();
    target.own = joinText(target.own, line.text);
    target.all = joinText(target.all, line.text);
    addToAncestors(target.parent, line.text);
    prevBlank = false;
  }

  function handleTable(table: Table): void {
    const header = table.rows[0] ?? [];
    const roles = header.map(columnRole);
    const col = (r: ColumnRole): number => roles.indexOf(r);
    const isTask = col("content") >= 0 && (col("lead") >= 0 || col("deadline") >= 0);
    let parent = top();
    while (parent && (parent.type === "row" || parent.type === "section-row" || parent.type === "bullet" || parent.type === "para")) {
      stack.pop();
      parent = top();
    }
    addToAncestors(parent, table.lines.join("\n"));
    if (!isTask && (!parent || parent.heading)) return;
    let section: Node | null = null;
    let seq = 0;
    for (const cells of table.rows.slice(1)) {
      const cell = (r: ColumnRole): string => {
        const i = col(r);
        return i >= 0 ? (cells[i] ?? "").trim() : "";
      };
      if (isTask) {
        const stt = cell("stt");
        const content = cell("content");
        const others = cells.filter((c, i) => i !== col("stt") && i !== col("content") && c.trim().length > 0);
        if (content.length === 0 && others.length === 0) continue;
        if ((/^[IVXL]+$/.test(stt) || (stt === "" && isUpper(content))) && others.length === 0) {
          // A section row ("I | CÔNG TÁC TUYÊN TRUYỀN").
          const label = stt || String(++seq);
          section = {
            type: "section-row",
            rank: 2.5,
            label,
            ref: makeRef(parent, label),
            parent,
            heading: true,
            own: content,
            all: content,
            children: [],
            context: isContextHeading(content),
          };
          push(section);
          stack.pop();
          continue;
        }
        const owner = section ?? parent;
        const label = /^[\p{L}\p{N}.]{1,8}$/u.test(stt) ? stt.replace(/\.$/, "") : String((owner?.children.length ?? seq) + 1);
        seq++;
        const node: Node = {
          type: "row",
          rank: 3,
          label,
          ref: makeRef(owner, label),
          parent: owner,
          heading: false,
          own: content,
          all: content,
          children: [],
          context: false,
          row: { lead: cell("lead"), support: cell("support"), deadline: cell("deadline"), hasDeadlineCol: col("deadline") >= 0 },
        };
        push(node);
        stack.pop();
      } else if (parent) {
        // A plain table under an item: each row is a sub-item described by "header: value".
        const first = (cells[0] ?? "").trim();
        if (cells.every((c) => c.trim() === "")) continue;
        const pairs = cells
          .slice(1)
          .map((c, i) => [header[i + 1] ?? "", c.trim()] as const)
          .filter(([, v]) => v.length > 0)
          .map(([h, v]) => (h ? `${h}: ${v}` : v));
        const text = `${first} — ${pairs.join("; ")}`;
        const label = String(parent.children.length + 1);
        const node: Node = {
          type: "row",
          rank: 3,
          label,
          ref: makeRef(parent, label),
          parent,
          heading: false,
          own: text,
          all: text,
          children: [],
          context: false,
          summary: summarize(`${first} — ${cells.slice(1).map((c) => c.trim()).filter((c) => c.length > 0).join(", ")}`),
        };
        if (col("lead") >= 0 || col("deadline") >= 0) {
          node.row = { lead: cell("lead"), support: cell("support"), deadline: cell("deadline"), hasDeadlineCol: col("deadline") >= 0 };
        }
        push(node);
        stack.pop();
      }
    }
  }

  return { nodes, renumbered };
}

function fullLabel(n: Node): string {
  const parts: string[] = [];
  for (let x: Node | null = n; x && (x.type === "arabic" || x.type === "dotted"); x = x.parent) parts.unshift(x.label);
  return parts.join(".");
}

// ---------------------------------------------------------------------------------------------
// Paragraph mode

const ACTION =
  /(de nghi|yeu cau|giao |chu tri|phoi hop|co trach nhiem|to chuc|trien khai|hoan thanh|thuc hien|chi dao|bao cao|xay dung|kiem tra|tien hanh|tiep cong dan|treo co|don doc|huong dan|tham muu|ra quan|phan cong|dam nhan|tham gia|nghien cuu|de xuat)/;
const NOT_TASK_START =
  /^(ve [^.]{0,80}\.?$|can cu|thuc hien (cong van|ke hoach|thong bao|chi thi|quyet dinh|nghi quyet|huong dan|van ban|chuong trinh|y kien|chu truong|ket luan|chi dao|lenh)|nham |theo de nghi|xet de nghi|xet |ve viec|v\/v|kinh gui|tran trong|noi nhan|trich yeu|ngay dang|luot xem|tin )/;

interface Para {
  text: string;
  lineIdx: number;
}

function paragraphs(lines: Line[], from: number, to: number): Para[] {
  const out: Para[] = [];
  let cur: Para | null = null;
  for (let i = from; i < to; i++) {
    const l = lines[i];
    if (!l) continue;
    if (l.blank) {
      if (cur && TERMINAL.test(cur.text)) {
        out.push(cur);
        cur = null;
      }
      continue;
    }
    const wrapped =
      cur !== null &&
      !TERMINAL.test(cur.text) &&
      !isUpper(l.text) &&
      !isUpper(cur.text) &&
      !cur.text.includes("|") &&
      (/^[\p{Ll}\p{N}]/u.test(l.text) || words(cur.text) > 12);
    if (cur && wrapped) {
      cur.text = `${cur.text} ${l.text}`;
      continue;
    }
    if (cur) out.push(cur);
    cur = { text: l.text, lineIdx: i };
  }
  if (cur) out.push(cur);
  return out;
}

/** Every deadline phrase in a text, in text order, with offsets (at most 20). */
function allDeadlines(text: string, ctx: ParseContext): { d: Deadline; start: number; end: number }[] {
  const out: { d: Deadline; start: number; end: number }[] = [];
  // findDeadline returns the most specific phrase, wherever it is: look left and right of it too.
  const visit = (from: number, to: number): void => {
    if (out.length >= 20 || to - from < 4) return;
    const part = text.slice(from, to);
    const d = safeFind(part, ctx);
    if (d.kind === "none" || !d.text) return;
    const at = part.indexOf(d.text);
    if (at < 0) return;
    visit(from, from + at);
    out.push({ d, start: from + at, end: from + at + d.text.length });
    visit(from + at + d.text.length, to);
  };
  visit(0, text.length);
  return out.sort((x, y) => x.start - y.start);
}

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=\p{Lu})/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Split one paragraph into pieces that each carry at most one deadline. */
function splitByDeadline(text: string, ctx: ParseContext): string[] {
  const pieces: string[] = [];
  for (const sentence of splitSentences(text)) {
    const ds = allDeadlines(sentence, ctx);
    if (ds.length < 2) {
      pieces.push(sentence);
      continue;
    }
    let start = 0;
    for (let k = 0; k + 1 < ds.length; k++) {
      const a = ds[k];
      const b = ds[k + 1];
      if (!a || !b) continue;
      const gap = sentence.slice(a.end, b.start);
      const m = /\s(và|;)\s|;\s*/u.exec(gap);
      const rel = m ? m.index : -1;
      if (rel < 0) continue;
      const cut = a.end + rel;
      pieces.push(sentence.slice(start, cut).trim());
      start = cut + (m?.[0].length ?? 0);
    }
    pieces.push(sentence.slice(start).trim());
  }
  return pieces.filter((p) => p.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Deadline wrappers: a resolver bug must not stop intake.

/** The deadline context plus a memo: paragraph mode asks about the same pieces several times. */
interface ParseContext extends DeadlineContext {
  memo?: Map<string, Deadline>;
}

function safeFind(text: string, ctx: ParseContext): Deadline {
  const hit = ctx.memo?.get(text);
  if (hit) return { ...hit };
  let d: Deadline;
  try {
    d = findDeadline(text, { documentDate: ctx.documentDate, holidayEnd: ctx.holidayEnd ?? null });
  } catch {
    d = { ...NO_DEADLINE };
  }
  ctx.memo?.set(text, d);
  return { ...d };
}

function safeResolve(text: string, ctx: DeadlineContext): Deadline | null {
  try {
    return resolveDeadline(text, { documentDate: ctx.documentDate, holidayEnd: ctx.holidayEnd ?? null });
  } catch {
    return null;
  }
}

function safeRotation(text: string): Rotation | null {
  try {
    return findRotation(text);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Closing and body bounds

function isClosingLine(l: Line): boolean {
  if (l.blank) return false;
  if (/^(noi nhan|tran trong|tren day la)/.test(l.f)) return true;
  if (/^(chi thi|ke hoach|thong bao|cong van|quyet dinh|nghi quyet) nay (duoc|co hieu luc)/.test(l.f)) return true;
  // The closing formula: "Ủy ban nhân dân phường đề nghị các đơn vị quan tâm phối hợp thực hiện./."
  if (
    /^(uy ban nhan dan|ubnd|ban thuong vu|dang uy|ban chi dao)[^.;]{0,60} (de nghi|yeu cau) (cac|thu truong|toan the)[^.;]{0,50}(thuc hien|trien khai)( nghiem tuc| tot)?[./ ]*$/.test(l.f)
  ) {
    return true;
  }
  const first = headerColumns(l)[0] ?? l.text;
  const f = fold(first);
  if (isUpper(first) && SIGN_MARK.test(f)) return true;
  if (isUpper(first) && /^(pho )?(bi thu|chu tich|giam doc|truong ban|chanh van phong)$/.test(f)) return true;
  return false;
}

function kinhGuiLines(lines: Line[]): { idx: Set<number>; text: string } {
  const idx = new Set<number>();
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!l || !/^kinh gui/.test(l.f)) continue;
    idx.add(i);
    parts.push(l.text.replace(/^[^:]*:?\s*/, ""));
    for (let j = i + 1; j < lines.length; j++) {
      const n = lines[j];
      if (!n) break;
      if (n.blank) continue;
      if (!BULLET_RE.test(n.text)) break;
      idx.add(j);
      parts.push(n.text);
    }
    break;
  }
  return { idx, text: parts.join("\n") };
}

// ---------------------------------------------------------------------------------------------
// Main

/**
 * Parse a directive's text into a header and proposed items. Never throws; an empty text or a
 * text with no recognisable task gives `items: []` and a warning.
 *
 * Recipients: each "Nơi nhận" entry with its bullet and trailing ",", ";" or "." removed; "Lưu VP"
 * (the file copy) is always kept, a bare annotation line such as "- (b/c)" is dropped.
 *
 * @example
 * const d = parseDirective(
 *   "ĐẢNG ỦY PHƯỜNG AN BÌNH\nSố: 12-TB/ĐU\nAn Bình, ngày 05 tháng 6 năm 2020\nTHÔNG BÁO\n" +
 *   "1. Đoàn phường hoàn thành kiện toàn nhân sự trong tháng 6 năm 2020.\n",
 * );
 * d.number;                 // "12-TB/ĐU"
 * d.items[0]?.deadline.due; // "2020-06-30"
 * d.items[0]?.assignees;    // [{ name: "Đoàn TNCS Hồ Chí Minh", role: "lead", unitKey: "doan-tn" }]
 */
export function parseDirective(text: string, opts: ParseOptions = {}): ParsedDirective {
  const warnings: string[] = [];
  const source = nfc(typeof text === "string" ? text : "")
    .replace(/\r\n?/g, "\n")
    .replace(/[\u00a0\u2007\u202f]/g, " ")
    .replace(/[\u200b\ufeff]/g, "");
  const empty: ParsedDirective = {
    docType: null,
    number: null,
    issuer: null,
    issuedDate: null,
    signer: null,
    recipients: [],
    items: [],
    warnings,
  };
  if (source.trim().length === 0) {
    warnings.push("Văn bản trống: chưa có nội dung để đọc.");
    return empty;
  }
  // matchUnits merges the org's units into the built-ins (and caches that per array).
  const units: readonly UnitDef[] = opts.units ?? [];
  const lines = toLines(source);
  const kinhGui = kinhGuiLines(lines);

  // Where items start (numbered mode) and where the closing starts.
  let firstMarker = -1;
  for (const l of lines) {
    if (kinhGui.idx.has(l.idx) || l.blank) continue;
    const mk = markerOf(l);
    if (mk && mk.type !== "bullet") {
      firstMarker = l.idx;
      break;
    }
  }
  const blocksAll = toBlocks(lines, 0, lines.length);
  const firstTaskTable = blocksAll.find(
    (b): b is Table =>
      b.kind === "table" &&
      (() => {
        const roles = (b.rows[0] ?? []).map(columnRole);
        return roles.includes("content") && (roles.includes("lead") || roles.includes("deadline"));
      })(),
  );
  if (firstTaskTable && (firstMarker < 0 || firstTaskTable.start < firstMarker)) firstMarker = firstTaskTable.start;

  const searchFrom = firstMarker >= 0 ? firstMarker + 1 : Math.min(3, lines.length);
  let closing = lines.length;
  for (let i = searchFrom; i < lines.length; i++) {
    const l = lines[i];
    if (l && isClosingLine(l)) {
      closing = i;
      break;
    }
  }
  const closingLines = lines.slice(closing);
  const headEnd = firstMarker >= 0 ? firstMarker : Math.min(lines.length, closing, 40);
  const head = lines.slice(0, Math.min(headEnd, 60));

  // Header.
  const citation = citationLine(lines);
  const number = detectNumber(head.slice(0, 25)) ?? citation?.number ?? null;
  const issuedDate = detectDate(head.slice(0, 40), lines.slice(0, closing)) ?? citation?.date ?? null;
  const docType = detectDocType(head.slice(0, 30), number, lines);
  const issuer = detectIssuer(head, lines.slice(0, closing));
  const signer = detectSigner(closingLines.length > 0 ? closingLines : lines.slice(-12));
  const recipients = detectRecipients(closingLines);
  // Without an issue date, phrases missing a year are anchored on the latest full date the text
  // mentions (a cited document, a posting date): better than no year at all, and flagged below.
  const anchor = issuedDate ?? latestDate(lines);
  const ctx: ParseContext = { documentDate: anchor, holidayEnd: holidayBreakEnd(lines, closing, anchor), memo: new Map() };

  // Default assignees: the intro sentence that asks units to do the list, or the "Kính gửi" units.
  let defaults: ParsedAssignee[] = firstMarker > 0 ? introAddressees(lines, firstMarker, kinhGui.idx, units) : [];
  if (defaults.length === 0 && kinhGui.text.length > 0) {
    defaults = matchUnits(kinhGui.text, units).map((m) => ({ name: m.name, role: "lead" as const, unitKey: m.key }));
    defaults = defaults.filter((a, i) => defaults.findIndex((b) => b.unitKey === a.unitKey) === i);
  }

  let items: ParsedItem[];
  if (firstMarker >= 0) {
    items = numberedItems(lines, firstMarker, closing, kinhGui.idx, units, ctx, warnings, defaults);
  } else {
    items = paragraphItems(lines, closing, kinhGui.idx, units, ctx, defaults);
  }

  if (items.length === 0) {
    warnings.push("Không tìm thấy nhiệm vụ nào trong văn bản; hãy kiểm tra lại nội dung hoặc nhập nhiệm vụ thủ công.");
  } else {
    const noUnit = items.filter((i) => i.assignees.length === 0).map((i) => i.ref);
    if (noUnit.length > 0) warnings.push(`Chưa xác định được đơn vị thực hiện cho mục: ${noUnit.join(", ")}.`);
  }
  if (issuedDate === null) {
    warnings.push(
      anchor
        ? `Không xác định được ngày ban hành; thời hạn thiếu năm được tính theo ngày ${viDate(anchor)} nêu trong văn bản.`
        : "Không xác định được ngày ban hành; thời hạn thiếu năm chưa được tính.",
    );
  }

  return { docType, number, issuer, issuedDate, signer, recipients, items, warnings };
}

/** "yêu cầu", "đề nghị", "giao" (not "giao ban", "bàn giao" …), "chỉ đạo", "phân công". */
const INTRO_CUE = /(?<![a-z])(?:yeu cau|de nghi|(?<!ban )giao(?! ban| luu| thong| duc| dich| tiep| nhan| ket)|chi dao|phan cong)(?![a-z])/;
/** Intro paragraphs that cite another document rather than ask: "Căn cứ …", "Thực hiện Công văn số …". */
const CITING_START =
  /^(?:can cu|thuc hien (?:cong van|ke hoach|thong bao|chi thi|quyet dinh|nghi quyet|huong dan|van ban|chuong trinh|ket luan|cong dien)|theo (?:cong van|ke hoach|thong bao|chi thi|quyet dinh|de nghi)|v\/v|ve viec)/;
/** Names as written that are too general to be an addressee ("các đơn vị", "cơ quan, đơn vị"). */
const GENERIC_NAME = /^(?:cac |toan the )?(?:don vi|co quan|to chuc|ban nganh|nganh|dia phuong|ca nhan)(?:[\s,]+(?:va |cac )?(?:don vi|co quan|to chuc|ban nganh|nganh|dia phuong|ca nhan|lien quan|doan the))*$/;

/**
 * Who the intro asks to do the numbered list: "… kết luận và yêu cầu Mặt trận, các đoàn thể CTXH
 * phường tập trung thực hiện các nhiệm vụ sau:", "UBND phường giao Công an phường … thực hiện các
 * nội dung sau:", "đề nghị Trưởng các khu phố …". The last intro paragraph with such a cue that
 * does not merely cite a document; in it, the last sentence with a cue, read from the cue on (so
 * the asker before it is not an addressee). Dictionary units, and role names as written
 * ("Trưởng các khu phố"); generic words ("các đơn vị") are not addressees.
 */
function introAddressees(lines: Line[], firstMarker: number, skip: Set<number>, units: readonly UnitDef[]): ParsedAssignee[] {
  const intro = paragraphs(lines, 0, firstMarker)
    .filter((p) => !skip.has(p.lineIdx) && !CITING_START.test(fold(p.text)))
    .reverse()
    .find((p) => INTRO_CUE.test(fold(p.text)));
  if (!intro) return [];
  const sentence = splitSentences(intro.text).reverse().find((x) => INTRO_CUE.test(fold(x)));
  if (!sentence) return [];
  const f = foldWithMap(sentence);
  const at = f.text.search(INTRO_CUE);
  const tail = sentence.slice(at >= 0 ? (f.starts[at] ?? 0) : 0);
  const reading = readAssignees(tail, units);
  const named = reading.explicit.length > 0 ? reading.explicit : reading.passing;
  const roleNames = reading.free.filter((a) => ROLE_START.test(fold(a.name)) && !GENERIC_NAME.test(fold(a.name)));
  return dedupeAssignees([...named, ...roleNames]);
}

/**
 * The last day of the holiday break the document announces ("… được nghỉ 04 ngày, từ thứ Năm ngày
 * 01/9/2022 đến Chủ nhật ngày 04/9/2022"), which "trong các ngày nghỉ lễ" later refers to.
 */
function holidayBreakEnd(lines: Line[], to: number, documentDate: string | null): string | null {
  for (const p of paragraphs(lines, 0, to)) {
    for (const sentence of splitSentences(p.text)) {
      if (!/(?<![a-z])(?:duoc nghi|nghi le|nghi tet|lich nghi)(?![a-z])/.test(fold(sentence))) continue;
      let d: Deadline;
      try {
        d = findDeadline(sentence, { documentDate });
      } catch {
        continue;
      }
      if (d.kind === "date" && d.due !== null && d.text !== null && /^(?:tu|ke tu) /.test(fold(d.text))) return d.due;
    }
  }
  return null;
}

/** The latest full calendar date written in the text ("06 tháng 10 năm 2023", "07/10/2023"). */
function latestDate(lines: Line[]): string | null {
  let best: string | null = null;
  for (const l of lines) {
    for (const m of l.f.matchAll(/(?<![0-9])(\d{1,2})\s*(?:\/|-|\.|\s+thang\s+)\s*(\d{1,2})\s*(?:\/|-|\.|\s+nam\s+)\s*(\d{4})(?![0-9])/g)) {
      const d = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
      if (d && (best === null || d > best)) best = d;
    }
  }
  return best;
}

function numberedItems(
  lines: Line[],
  from: number,
  to: number,
  skip: Set<number>,
  units: readonly UnitDef[],
  ctx: ParseContext,
  warnings: string[],
  defaults: ParsedAssignee[],
): ParsedItem[] {
  const blocks = toBlocks(lines, from, to).filter((b) => b.kind === "table" || !skip.has(b.line.idx));
  const { nodes, renumbered } = buildTree(blocks);
  if (renumbered.length > 0) {
    warnings.push(`Số thứ tự mục bị lặp lại; đã đánh số lại theo thứ tự: ${renumbered.join("; ")}.`);
  }

  // Headings: roman sections with children, and any uppercase-only marker line.
  for (const n of nodes) {
    if (n.type === "section-row") continue;
    const firstLine = n.own.split("\n")[0] ?? "";
    const upper = isUpper(firstLine) && words(firstLine) <= 20;
    const onlyHeading = n.own.trim() === firstLine.trim();
    if ((n.type === "roman" || upper) && n.children.length > 0) n.heading = true;
    if (upper && onlyHeading && n.children.length === 0) n.heading = true;
    // "1. Về công tác tuyên truyền:" over 1.1, 1.2 … is a topic, not a task.
    if (n.children.length > 0 && onlyHeading && /^ve\s/.test(fold(firstLine)) && words(firstLine) <= 12) n.heading = true;
    if (isContextHeading(firstLine)) n.context = true;
  }
  splitTimedSecondTask(nodes, ctx);
  const dropped = (n: Node): boolean => {
    for (let x: Node | null = n; x; x = x.parent) if (x.context) return true;
    return false;
  };

  const out: ParsedItem[] = [];
  const byNode = new Map<Node, ParsedItem>();
  /** Items whose own text names units but none as the one doing the work. */
  const unled = new Set<Node>();
  for (const n of nodes) {
    if (n.heading || dropped(n)) continue;
    let parentItem: ParsedItem | null = null;
    for (let p = n.parent; p; p = p.parent) {
      const pi = byNode.get(p);
      if (pi) {
        parentItem = pi;
        break;
      }
      if (!p.heading) break;
    }
    const ownText = n.own.trim();
    let deadline: Deadline;
    let assignees: ParsedAssignee[];
    if (n.row) {
      const cellDeadline = n.row.deadline;
      const resolved = cellDeadline ? safeResolve(cellDeadline, ctx) ?? nonEmpty(safeFind(cellDeadline, ctx)) : null;
      if (resolved) deadline = resolved;
      else {
        const inText = safeFind(ownText, ctx);
        if (inText.kind !== "none") deadline = inText;
        else if (cellDeadline) {
          deadline = { ...NO_DEADLINE, text: cellDeadline };
          warnings.push(`Mục ${n.ref}: chưa hiểu thời hạn “${cellDeadline}”, vui lòng nhập lại.`);
        } else deadline = { ...NO_DEADLINE };
      }
      assignees = [
        ...cellAssignees(n.row.lead, "lead", units),
        ...cellAssignees(n.row.support, "support", units),
      ];
      assignees = dedupeAssignees(assignees);
      if (assignees.length === 0) assignees = assigneesOf(ownText, units);
    } else {
      deadline = safeFind(ownText, ctx);
      const reading = readAssignees(ownText, units);
      assignees = [...(reading.explicit.length > 0 ? reading.explicit : reading.passing), ...reading.free];
      if (assignees.length > 0 && !namesLead(reading)) unled.add(n);
    }
    // Sub-points share their parent's time ("Theo đó, trong tháng 6 năm 2020: - … - …"); a
    // paragraph sub-item ("Riêng …") is a task of its own and keeps only its own deadline.
    if (deadline.kind === "none" && !deadline.text && parentItem && n.type !== "para") deadline = { ...parentItem.deadline };
    const item: ParsedItem = {
      ref: n.ref,
      parentRef: parentItem ? parentItem.ref : null,
      text: n.all.trim(),
      summary: n.summary ?? summarize(ownText.length > 0 ? ownText : n.all),
      assignees,
      deadline,
      rotation: safeRotation(ownText),
    };
    byNode.set(n, item);
    out.push(item);
  }
  // Assignees: a parent with none takes its children's; a child with none takes its parent's;
  // a top-level item with none takes the intro's addressees. An item that names units only in
  // passing or as supporters ("tại tổ dân phố", "phối hợp với …") is led by its parent's units or
  // the intro's addressees when there are any; its own units then support.
  for (const n of nodes) {
    const item = byNode.get(n);
    if (!item || item.assignees.length > 0) continue;
    const kids = n.children
      .filter((c) => c.type !== "para")
      .map((c) => byNode.get(c))
      .filter((c): c is ParsedItem => c !== undefined);
    item.assignees = dedupeAssignees(kids.flatMap((k) => k.assignees));
  }
  const unledItems = new Set([...unled].map((n) => byNode.get(n)));
  for (const item of out) {
    const parent = item.parentRef ? out.find((o) => o.ref === item.parentRef) : undefined;
    const inherited = parent && parent.assignees.length > 0 ? parent.assignees : defaults;
    if (unledItems.has(item)) {
      if (inherited.some((a) => a.role === "lead")) {
        const own = item.assignees.map((a) => ({ ...a, role: "support" as const }));
        item.assignees = dedupeAssignees([...inherited, ...own]);
      }
      continue;
    }
    if (item.assignees.length > 0) continue;
    item.assignees = inherited.map((a) => ({ ...a }));
  }
  return out;
}

/** A sentence that starts a new task: the verb comes first, the subject is the item's. */
const TASK_VERB_START =
  /^(?:thuc hien|to chuc|hoan thanh|trien khai|tang cuong|dam bao|kiem tra|xay dung|ra soat|bao cao|tong hop|tham muu)(?![a-z])/;

/**
 * One numbered point that holds a second task with its own time: "Trưởng các ban … chỉ đạo thực
 * hiện tốt vệ sinh … . Thực hiện tốt việc trực lãnh đạo, trực cơ quan trong các ngày nghỉ lễ …".
 * When a later sentence starts with a task verb and has a deadline (not just "thường xuyên")
 * while the sentences before it have none, the point gets two paragraph sub-items: the text
 * before that sentence, and that sentence with the rest. The point itself stays an item.
 */
function splitTimedSecondTask(nodes: Node[], ctx: ParseContext): void {
  for (const n of [...nodes]) {
    if (n.heading || n.row || n.children.length > 0) continue;
    if (n.type !== "arabic" && n.type !== "dotted" && n.type !== "letter" && n.type !== "bullet") continue;
    const sentences = splitSentences(n.own);
    for (let k = 1; k < sentences.length; k++) {
      const later = sentences[k] ?? "";
      if (!TASK_VERB_START.test(fold(later))) continue;
      const own = safeFind(later, ctx).kind;
      if (own === "none" || own === "ongoing") continue;
      const first = sentences.slice(0, k).join(" ");
      if (safeFind(first, ctx).kind !== "none") break;
      const parts = [first, sentences.slice(k).join(" ")];
      const kids: Node[] = parts.map((text, i) => ({
        type: "para",
        rank: 3,
        label: String(i + 1),
        ref: `${n.ref}.${i + 1}`,
        parent: n,
        heading: false,
        own: text,
        all: text,
        children: [],
        context: false,
      }));
      n.children.push(...kids);
      nodes.splice(nodes.indexOf(n) + 1, 0, ...kids);
      break;
    }
  }
}

function nonEmpty(d: Deadline): Deadline | null {
  return d.kind === "none" ? null : d;
}

function dedupeAssignees(list: ParsedAssignee[]): ParsedAssignee[] {
  const out: ParsedAssignee[] = [];
  for (const a of list) {
    const same = out.find((o) => (a.unitKey !== null ? o.unitKey === a.unitKey : fold(o.name) === fold(a.name)));
    if (!same) out.push({ ...a });
    else if (a.role === "lead") same.role = "lead";
  }
  return out;
}

function paragraphItems(
  lines: Line[],
  to: number,
  skip: Set<number>,
  units: readonly UnitDef[],
  ctx: ParseContext,
  defaults: ParsedAssignee[],
): ParsedItem[] {
  const paras = paragraphs(lines, 0, to).filter((p) => !skip.has(p.lineIdx));
  const firstNonBlank = lines.find((l) => !l.blank)?.idx ?? 0;
  const out: ParsedItem[] = [];
  let n = 0;
  for (const p of paras) {
    const f = fold(p.text);
    const isTitle = p.lineIdx === firstNonBlank && paras.length > 2 && !TERMINAL.test(p.text);
    const chrome =
      isUpper(p.text) ||
      words(p.text) < 6 ||
      p.text.includes("|") ||
      /^\(.*\)\.?$/.test(p.text) ||
      /,\s*ngay\s+\d/.test(f.slice(0, 60)) ||
      /^so\s*:/.test(f);
    if (chrome || isTitle) continue;
    n++;
    if (NOT_TASK_START.test(f)) continue;
    if (/nhu sau\s*:?$/.test(f) || /:$/.test(p.text.trim())) continue;
    if (/noi dung (tren|nay)/.test(f) && safeFind(p.text, ctx).kind === "none") continue;
    if (!ACTION.test(f)) continue;
    const mentions = matchUnits(p.text, units);
    const hasDeadline = safeFind(p.text, ctx).kind !== "none";
    const imperative = /^(de nghi|yeu cau|giao|kinh de nghi)/.test(f);
    if (!hasDeadline && mentions.length === 0 && !imperative && freeAssignees(p.text, []).length === 0) continue;

    const pieces = splitByDeadline(p.text, ctx);
    const withDeadline = pieces.filter((x) => safeFind(x, ctx).kind !== "none");
    const groups: string[] = [];
    if (withDeadline.length >= 2) {
      for (const piece of pieces) {
        const has = safeFind(piece, ctx).kind !== "none";
        if (has || groups.length === 0) groups.push(piece);
        else groups[groups.length - 1] = `${groups[groups.length - 1] ?? ""} ${piece}`;
      }
    } else {
      groups.push(p.text);
    }
    let prevAssignees: ParsedAssignee[] = [];
    let prevSentence = "";
    const sentences = splitSentences(p.text);
    groups.forEach((g, i) => {
      const ref = groups.length > 1 ? `¶${n}${String.fromCharCode(97 + i)}` : `¶${n}`;
      let assignees = assigneesOf(g, units);
      const sentence = sentences.find((s) => s.includes(g.slice(0, 20))) ?? "";
      // A piece cut from the middle of a sentence keeps the sentence's subject unless it names its own.
      const ownSubject = matchUnits(g, units).some((m) => m.start <= 4);
      if (prevAssignees.length > 0 && sentence === prevSentence && !ownSubject) assignees = prevAssignees.map((a) => ({ ...a }));
      if (assignees.length === 0 && groups.length === 1) assignees = defaults.map((a) => ({ ...a }));
      prevAssignees = assignees;
      prevSentence = sentence;
      out.push({
        ref,
        parentRef: null,
        text: g,
        summary: summarize(g),
        assignees,
        deadline: safeFind(g, ctx),
        rotation: safeRotation(g),
      });
    });
  }
  return out;
}
