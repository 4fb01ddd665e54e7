/**
 * Read a directive file the office uploads (.docx, .txt, .md) into plain text for
 * `parseDirective`. Word tables are kept as Markdown pipe rows so task tables parse into items.
 */
import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { DirectiveFileError } from "./directive-file-error.ts";
import { checkDocxArchive, docxToHtml, type DocxReadOptions } from "./docx-guard.ts";
import { MAX_DIRECTIVE_FILE_BYTES, MAX_DOCX_HTML_CHARS } from "./limits.ts";

export { DirectiveFileError, MAX_DIRECTIVE_FILE_BYTES };
export type { DirectiveFileErrorCode } from "./directive-file-error.ts";
export type { DocxReadOptions } from "./docx-guard.ts";

/**
 * Formats {@link readDirectiveFile} accepts, from the file extension.
 *
 * @example
 * const format: DirectiveFileFormat = "docx"; // .docx; "txt" for .txt; "md" for .md/.markdown
 */
export type DirectiveFileFormat = "docx" | "txt" | "md";

/**
 * What {@link readDirectiveFile} returns.
 *
 * @example
 * const { text, format }: DirectiveFileText = await readDirectiveFile("thong-bao.md"); // format "md"
 */
export interface DirectiveFileText {
  /** The text, NFC, "\n" line ends, no BOM. */
  text: string;
  format: DirectiveFileFormat;
}

function formatOf(path: string): DirectiveFileFormat | null {
  const ext = extname(path).toLowerCase();
  if (ext === ".docx") return "docx";
  if (ext === ".txt") return "txt";
  if (ext === ".md" || ext === ".markdown") return "md";
  return null;
}

/**
 * Read a .docx, .txt or .md directive into text. The size is checked before reading (2 MB at
 * most); .txt/.md must be UTF-8 (a UTF-16 file with a byte-order mark, as Windows Notepad saves
 * "Unicode", is decoded too). Word files go through mammoth's HTML: paragraphs become lines,
 * list items get their numbers back, and tables with a header become Markdown pipe rows (small
 * layout tables, such as the header or signature block, become plain lines).
 * A .docx is first checked on its zip directory, before anything is unpacked, then parsed in a
 * worker thread with a heap limit and a deadline (`docx-guard.ts`; `options` tunes the worker).
 * A missing file rejects with Node's own ENOENT error.
 *
 * @example
 * const { text, format } = await readDirectiveFile("uploads/ke-hoach-86.docx");
 * format; // "docx"
 * parseDirective(text).items.length; // the rows of its task table, among others
 */
export async function readDirectiveFile(path: string, options: DocxReadOptions = {}): Promise<DirectiveFileText> {
  const format = formatOf(path);
  if (format === null) throw new DirectiveFileError("unsupported_type");
  const info = await stat(path);
  if (!info.isFile()) throw new DirectiveFileError("unsupported_type");
  if (info.size === 0) throw new DirectiveFileError("empty");
  if (info.size > MAX_DIRECTIVE_FILE_BYTES) throw new DirectiveFileError("too_large");
  return decode(await readFile(path), format, options);
}

/**
 * The same as {@link readDirectiveFile} for bytes already in memory (an upload): the format comes
 * from `fileName`'s extension, the 2 MB limit applies to the buffer.
 *
 * @example
 * const file = await request.file();
 * const { text } = await readDirectiveBuffer(await file.toBuffer(), file.filename);
 */
export async function readDirectiveBuffer(buffer: Uint8Array, fileName: string, options: DocxReadOptions = {}): Promise<DirectiveFileText> {
  const format = formatOf(fileName);
  if (format === null) throw new DirectiveFileError("unsupported_type");
  if (buffer.length === 0) throw new DirectiveFileError("empty");
  if (buffer.length > MAX_DIRECTIVE_FILE_BYTES) throw new DirectiveFileError("too_large");
  return decode(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength), format, options);
}

async function decode(buffer: Buffer, format: DirectiveFileFormat, options: DocxReadOptions): Promise<DirectiveFileText> {
  let text: string;
  if (format === "docx") {
    await checkDocxArchive(buffer);
    const html = await docxToHtml(buffer, options);
    if (html.length > MAX_DOCX_HTML_CHARS) throw new DirectiveFileError("docx_text_too_large");
    text = docxHtmlToText(html);
  } else {
    text = decodeText(buffer);
  }
  text = text.normalize("NFC").replace(/\r\n?/g, "\n");
  if (text.trim().length === 0) throw new DirectiveFileError("empty");
  return { text, format };
}

function decodeText(buffer: Buffer): string {
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) {
    return new TextDecoder("utf-16le").decode(buffer.subarray(2));
  }
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    return new TextDecoder("utf-16be").decode(buffer.subarray(2));
  }
  if (buffer.includes(0)) throw new DirectiveFileError("binary");
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(buffer);
  } catch (cause) {
    throw new DirectiveFileError("binary", { cause });
  }
}

// ---------------------------------------------------------------------------------------------
// mammoth HTML → text

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const cp = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

interface HtmlNode {
  tag: string;
  children: (HtmlNode | string)[];
}

/** A tiny parser for mammoth's well-formed HTML: elements and text, no attributes kept. */
function parseHtml(html: string): HtmlNode {
  const root: HtmlNode = { tag: "#root", children: [] };
  const stack: HtmlNode[] = [root];
  const re = /<\s*(\/)?\s*([a-zA-Z0-9]+)[^>]*?(\/)?\s*>|([^<]+)/g;
  for (const m of html.matchAll(re)) {
    const top = stack[stack.length - 1] ?? root;
    if (m[4] !== undefined) {
      top.children.push(decodeEntities(m[4]));
      continue;
    }
    const tag = (m[2] ?? "").toLowerCase();
    if (m[1]) {
      const at = stack.map((n) => n.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
      continue;
    }
    if (tag === "br") {
      top.children.push("\n");
      continue;
    }
    const node: HtmlNode = { tag, children: [] };
    top.children.push(node);
    if (!m[3] && tag !== "img") stack.push(node);
  }
  return root;
}

function inlineText(n: HtmlNode | string): string {
  if (typeof n === "string") return n;
  return n.children.map(inlineText).join("");
}

function clean(s: string): string {
  return s.replace(/[ \t\u00a0]+/g, " ").replace(/ *\n */g, "\n").trim();
}

const BLOCKS = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "table", "ol", "ul", "blockquote", "div"]);

function blockLines(node: HtmlNode, out: string[], depth: number): void {
  const inlineBuf: string[] = [];
  const flush = (): void => {
    const t = clean(inlineBuf.join(""));
    if (t.length > 0) out.push(...t.split("\n"));
    inlineBuf.length = 0;
  };
  for (const c of node.children) {
    if (typeof c === "string" || !BLOCKS.has(c.tag)) {
      inlineBuf.push(inlineText(c));
      continue;
    }
    flush();
    if (c.tag === "table") tableLines(c, out);
    else if (c.tag === "ol" || c.tag === "ul") listLines(c, out, depth);
    else if (/^h[1-6]$/.test(c.tag) || c.tag === "p") {
      const t = clean(inlineText(c));
      if (t.length > 0) out.push(...t.split("\n"));
      else out.push("");
    } else blockLines(c, out, depth);
  }
  flush();
}

function listLines(list: HtmlNode, out: string[], depth: number): void {
  let n = 0;
  for (const li of list.children) {
    if (typeof li === "string" || li.tag !== "li") continue;
    n++;
    const marker = list.tag === "ul" ? "-" : depth === 0 ? `${n}.` : depth === 1 ? `${String.fromCharCode(96 + Math.min(n, 26))})` : "-";
    const inner: string[] = [];
    blockLines({ tag: "#li", children: li.children.filter((c) => typeof c === "string" || (c.tag !== "ol" && c.tag !== "ul")) }, inner, depth);
    const first = inner.findIndex((l) => l.trim().length > 0);
    if (first >= 0) inner[first] = `${"  ".repeat(depth)}${marker} ${inner[first] ?? ""}`;
    out.push(...inner);
    for (const sub of li.children) {
      if (typeof sub !== "string" && (sub.tag === "ol" || sub.tag === "ul")) listLines(sub, out, depth + 1);
    }
  }
}

function rowsOf(table: HtmlNode): HtmlNode[][] {
  const rows: HtmlNode[][] = [];
  const visit = (n: HtmlNode): void => {
    for (const c of n.children) {
      if (typeof c === "string") continue;
      if (c.tag === "tr") rows.push(c.children.filter((x): x is HtmlNode => typeof x !== "string" && (x.tag === "td" || x.tag === "th")));
      else if (c.tag !== "table") visit(c);
    }
  };
  visit(table);
  return rows;
}

function cellText(cell: HtmlNode): string {
  const lines: string[] = [];
  blockLines(cell, lines, 0);
  return lines
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join(" ")
    .replace(/\|/g, "/");
}

/**
 * Tables with at least 3 columns and 2 rows are data (task tables): one Markdown pipe row per
 * table row, a separator after the first. Smaller ones are layout (header block, signature
 * block): each cell's paragraphs become lines, cell after cell.
 */
function tableLines(table: HtmlNode, out: string[]): void {
  const rows = rowsOf(table);
  const width = Math.max(0, ...rows.map((r) => r.length));
  out.push("");
  if (width >= 3 && rows.length >= 2) {
    rows.forEach((r, i) => {
      const cells = r.map(cellText);
      while (cells.length < width) cells.push("");
      out.push(`| ${cells.join(" | ")} |`);
      if (i === 0) out.push(`|${" --- |".repeat(width)}`);
    });
  } else {
    for (const r of rows) {
      for (const cell of r) {
        blockLines(cell, out, 0);
        out.push("");
      }
    }
  }
  out.push("");
}

/**
 * Turn mammoth's HTML into the text the parser reads: one line per paragraph, numbered and
 * bulleted list items with their markers, tables as described in {@link readDirectiveFile}.
 *
 * @example
 * docxHtmlToText("<p>1. Đoàn phường …</p><table><tr><td>STT</td><td>Nội dung</td><td>Thời gian</td></tr>" +
 *   "<tr><td>1</td><td>Ra quân</td><td>Tháng 7/2024</td></tr></table>");
 * // "1. Đoàn phường …\n\n| STT | Nội dung | Thời gian |\n| --- | --- | --- |\n| 1 | Ra quân | Tháng 7/2024 |"
 */
export function docxHtmlToText(html: string): string {
  const out: string[] = [];
  blockLines(parseHtml(html), out, 0);
  return out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
