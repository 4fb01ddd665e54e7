/**
 * File reading for directive intake: the public surface of `src/files/`.
 *
 * @example
 * import { readDirectiveFile, readDirectiveBuffer, DirectiveFileError } from "../files/index.ts";
 */
export {
  DirectiveFileError,
  MAX_DIRECTIVE_FILE_BYTES,
  docxHtmlToText,
  readDirectiveBuffer,
  readDirectiveFile,
} from "./read-directive-file.ts";
export type { DirectiveFileErrorCode, DirectiveFileFormat, DirectiveFileText, DocxReadOptions } from "./read-directive-file.ts";
export { checkDocxArchive, docxToHtml } from "./docx-guard.ts";
export {
  DOCX_RATIO_MIN_BYTES,
  DOCX_TIMEOUT_MS,
  DOCX_WORKER_RESOURCE_LIMITS,
  MAX_DOCX_COMPRESSION_RATIO,
  MAX_DOCX_ENTRIES,
  MAX_DOCX_HTML_CHARS,
  MAX_DOCX_UNPACKED_BYTES,
  MAX_DOCX_WORKERS,
  MAX_DOCX_XML_PART_BYTES,
} from "./limits.ts";
export { directiveName } from "./names.ts";
export type { ReportOrg } from "./exports.ts";
import type * as Exports from "./exports.ts";

/** The board as XLSX (exceljs is loaded on the first download, not at start: it holds ~20 MB). */
export async function boardXlsx(...args: Parameters<typeof Exports.boardXlsx>): Promise<Buffer> {
  return (await import("./exports.ts")).boardXlsx(...args);
}

/** The báo cáo draft as DOCX (docx is loaded on the first download). */
export async function reportDocx(...args: Parameters<typeof Exports.reportDocx>): Promise<Buffer> {
  return (await import("./exports.ts")).reportDocx(...args);
}
