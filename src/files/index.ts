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
export type { DirectiveFileErrorCode, DirectiveFileFormat, DirectiveFileText } from "./read-directive-file.ts";
export { boardXlsx, directiveName, reportDocx } from "./exports.ts";
export type { ReportOrg } from "./exports.ts";
