/**
 * The refusals of `src/files/` readers: stable codes with an English message for logs and a
 * Vietnamese one, for the ward office, that says what is wrong and what to do.
 */
import { MAX_DOCX_HTML_CHARS, MAX_DOCX_UNPACKED_BYTES, MAX_DOCX_XML_PART_BYTES } from "./limits.ts";

/**
 * Why a file could not be read; stable, safe to map to HTTP errors or chat replies.
 *
 * - `empty`, `too_large` (over 2 MB on disk), `binary`, `unsupported_type`: any file.
 * - `unreadable_docx`: not a zip, a broken zip, or Word content mammoth cannot read.
 * - `not_docx`: a valid zip that is not a Word document (no Word structure, or archives inside).
 * - `docx_no_document`: Word structure but no `word/document.xml`.
 * - `encrypted_docx`: password-protected (an encrypted zip member, or Word's encrypted container).
 * - `docx_too_large_unpacked`: declared to unpack to more than the limits (all members, one XML part).
 * - `docx_suspicious`: an abnormal archive (too many members, absurd compression ratio, sizes
 *   that lie, overlapping or duplicated members).
 * - `docx_text_too_large`: the text it holds is over 2,000,000 characters.
 * - `docx_timeout`, `docx_too_complex`: reading took too long, or more memory than allowed.
 *
 * @example
 * const status = (code: DirectiveFileErrorCode) => (code === "too_large" ? 413 : 422);
 */
export type DirectiveFileErrorCode =
  | "empty"
  | "too_large"
  | "binary"
  | "unreadable_docx"
  | "unsupported_type"
  | "not_docx"
  | "docx_no_document"
  | "encrypted_docx"
  | "docx_too_large_unpacked"
  | "docx_suspicious"
  | "docx_text_too_large"
  | "docx_timeout"
  | "docx_too_complex";

const mb = (bytes: number) => `${bytes / (1024 * 1024)} MB`;
/** 2000000 → "2.000.000" (Vietnamese groups thousands with dots). */
const viCount = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");

const RESAVE_VI = "Vui lòng mở tệp bằng Word, lưu lại dưới dạng .docx rồi tải lên lại, hoặc dán trực tiếp nội dung văn bản.";

const MESSAGES: Record<DirectiveFileErrorCode, { vi: string; en: string }> = {
  empty: {
    vi: "Tệp không có nội dung. Vui lòng kiểm tra lại tệp hoặc dán trực tiếp nội dung văn bản.",
    en: "The file has no text. Check the file or paste the directive's text instead.",
  },
  too_large: {
    vi: "Tệp quá lớn (tối đa 2 MB). Vui lòng xóa bớt hình ảnh trong tệp hoặc chỉ dán phần nội dung văn bản.",
    en: "The file is larger than 2 MB. Remove images from it or paste the directive's text instead.",
  },
  binary: {
    vi: "Tệp không phải văn bản thuần (có thể là tệp nhị phân hoặc không dùng mã UTF-8). Vui lòng lưu lại dưới dạng .txt (UTF-8) hoặc .docx.",
    en: "The file is not plain UTF-8 text (binary data or another encoding). Save it again as UTF-8 .txt or as .docx.",
  },
  unreadable_docx: {
    vi: "Không đọc được tệp Word. Vui lòng mở tệp bằng Word, lưu lại dưới dạng .docx rồi tải lên lại, hoặc dán nội dung văn bản.",
    en: "The Word file could not be read. Open it in Word, save it again as .docx and upload it, or paste the text.",
  },
  unsupported_type: {
    vi: "Chưa hỗ trợ loại tệp này. Vui lòng tải lên tệp .docx, .txt hoặc .md (tệp .doc cũ hãy lưu lại thành .docx; tệp PDF hãy sao chép nội dung rồi dán vào).",
    en: "This file type is not supported. Upload a .docx, .txt or .md file (save old .doc files as .docx; copy and paste the text of a PDF).",
  },
  not_docx: {
    vi: "Tệp có đuôi .docx nhưng không phải văn bản Word (có thể là tệp nén .zip, hoặc bên trong chứa các tệp nén khác). Vui lòng giải nén và tải lên đúng tệp văn bản Word (.docx), hoặc dán trực tiếp nội dung văn bản.",
    en: "The file is named .docx but is not a Word document (a .zip archive, or one holding other archives). Extract it and upload the Word document itself, or paste the text.",
  },
  docx_no_document: {
    vi: `Tệp Word không có phần nội dung (word/document.xml), có thể tệp đã bị hỏng hoặc được tạo bằng phần mềm không tương thích. ${RESAVE_VI}`,
    en: "The Word file has no body (word/document.xml): it is damaged or was written by an incompatible program. Open it in Word, save it again as .docx and upload it, or paste the text.",
  },
  encrypted_docx: {
    vi: "Tệp Word được bảo vệ bằng mật khẩu nên hệ thống không đọc được nội dung. Vui lòng mở tệp bằng Word, gỡ bỏ mật khẩu (Tệp > Thông tin > Bảo vệ tài liệu > Mã hóa bằng mật khẩu, xóa mật khẩu rồi chọn OK), lưu lại rồi tải lên lại, hoặc dán trực tiếp nội dung văn bản.",
    en: "The Word file is password-protected. Remove the password in Word (File > Info > Protect Document > Encrypt with Password, clear it), save and upload it again, or paste the text.",
  },
  docx_too_large_unpacked: {
    vi: `Tệp Word sau khi giải nén vượt quá dung lượng cho phép (phần nội dung văn bản tối đa ${mb(MAX_DOCX_XML_PART_BYTES)}, toàn bộ tệp tối đa ${mb(MAX_DOCX_UNPACKED_BYTES)}). Vui lòng xóa bớt hình ảnh, tách văn bản thành các tệp nhỏ hơn, hoặc chỉ dán phần nội dung cần theo dõi.`,
    en: `The Word file unpacks to more than allowed (${mb(MAX_DOCX_XML_PART_BYTES)} for one XML part, ${mb(MAX_DOCX_UNPACKED_BYTES)} in all). Remove images, split the document, or paste only the text to follow up.`,
  },
  docx_suspicious: {
    vi: `Tệp nén bất thường: cấu trúc bên trong tệp Word không hợp lệ (kích thước khai báo không khớp, tỷ lệ nén quá cao hoặc có quá nhiều thành phần), hệ thống từ chối xử lý để bảo đảm an toàn. ${RESAVE_VI}`,
    en: "Abnormal archive: the inside of the Word file is not valid (declared sizes that do not match, an absurd compression ratio or too many members); it is refused for safety. Open it in Word, save it again as .docx and upload it, or paste the text.",
  },
  docx_text_too_large: {
    vi: `Nội dung tệp Word quá dài (hơn ${viCount(MAX_DOCX_HTML_CHARS)} ký tự). Vui lòng chỉ giữ lại phần kết luận và các nhiệm vụ cần theo dõi, hoặc tách thành nhiều văn bản rồi tải lên lại.`,
    en: `The Word file holds more than ${viCount(MAX_DOCX_HTML_CHARS).replace(/\./g, ",")} characters of text. Keep only the conclusions and tasks to follow up, or split it into several documents.`,
  },
  docx_timeout: {
    vi: "Hệ thống đọc tệp Word quá thời gian cho phép nên đã dừng xử lý. Vui lòng mở tệp bằng Word, xóa bớt hình ảnh, bảng biểu không cần thiết, lưu lại dưới dạng .docx rồi tải lên lại, hoặc dán trực tiếp nội dung văn bản.",
    en: "Reading the Word file took longer than allowed and was stopped. Remove unneeded images and tables, save it again as .docx and upload it, or paste the text.",
  },
  docx_too_complex: {
    vi: "Tệp Word quá phức tạp, hệ thống không đủ bộ nhớ để đọc nên đã dừng xử lý. Vui lòng mở tệp bằng Word, xóa bớt hình ảnh, bảng biểu không cần thiết, lưu lại dưới dạng .docx rồi tải lên lại, hoặc dán trực tiếp nội dung văn bản.",
    en: "The Word file needs more memory to read than allowed and was stopped. Open it in Word, remove unneeded images and tables, save it again as .docx and upload it, or paste the text.",
  },
};

/**
 * A directive file that cannot be used, with a stable `code`, an English `message` for logs and
 * a Vietnamese `messageVi` (how to fix it) for the office. The technical detail, when there is
 * one, is the `cause`.
 *
 * @example
 * try {
 *   await readDirectiveFile("/tmp/thong-bao.pdf");
 * } catch (e) {
 *   if (e instanceof DirectiveFileError) reply(e.messageVi); // "Chưa hỗ trợ loại tệp này. …"
 * }
 */
export class DirectiveFileError extends Error {
  override readonly name = "DirectiveFileError";
  readonly code: DirectiveFileErrorCode;
  readonly messageVi: string;
  /** The HTTP status it maps to: 413 when the file (or what it unpacks to) is too big, else 400. */
  readonly status: 400 | 413;

  constructor(code: DirectiveFileErrorCode, options?: { cause?: unknown }) {
    super(MESSAGES[code].en, options);
    this.code = code;
    this.messageVi = MESSAGES[code].vi;
    this.status = code === "too_large" || code === "docx_too_large_unpacked" || code === "docx_text_too_large" ? 413 : 400;
  }
}
