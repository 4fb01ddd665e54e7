/**
 * Guards around reading a .docx: {@link checkDocxArchive} reads the zip's central directory
 * (nothing is inflated) and refuses archives that are not Word documents or would unpack to too
 * much; {@link docxToHtml} then runs mammoth in a worker thread with a heap limit and a deadline,
 * so that a file that still gets through can only cost that worker, never the process.
 */
import { Worker } from "node:worker_threads";
import yauzl from "yauzl";
import { DirectiveFileError, type DirectiveFileErrorCode } from "./directive-file-error.ts";
import {
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

/**
 * How a .docx is read; every field is optional and defaults to the limits of `limits.ts`.
 *
 * @example
 * await readDirectiveBuffer(bytes, "a.docx", { timeoutMs: 5_000 });
 */
export interface DocxReadOptions {
  /** Wall-clock time the worker may take (default {@link DOCX_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** The worker's old-generation heap, in MB (default 256). */
  maxOldGenerationSizeMb?: number;
}

const refuse = (code: DirectiveFileErrorCode, detail: string | Error): DirectiveFileError =>
  new DirectiveFileError(code, { cause: typeof detail === "string" ? new Error(detail) : detail });

/** The compound-file (OLE) signature: old .doc files and Word's password-protected .docx. */
const CFB_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** The stream name Word gives the encrypted package inside that container. */
const ENCRYPTED_PACKAGE = Buffer.from("EncryptedPackage", "utf16le");

/** Archives that have no business inside a .docx, except as embedded objects in word/embeddings/. */
const ARCHIVE_NAME = /\.(zip|docx|docm|dotx|xlsx|xlsm|pptx|pptm|odt|ods|jar|7z|rar|gz|tgz|bz2|xz|cab)$/;
const XML_PART = /\.(xml|rels)$/;

/**
 * Refuse a would-be .docx from its first bytes: a password-protected Word file is not a zip but an
 * OLE container holding an `EncryptedPackage` stream.
 */
function checkSignature(bytes: Buffer): void {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(CFB_SIGNATURE)) {
    if (bytes.includes(ENCRYPTED_PACKAGE)) throw refuse("encrypted_docx", "OLE container with an EncryptedPackage stream");
    throw refuse("unreadable_docx", "an OLE compound file (an old .doc renamed .docx?), not a zip");
  }
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw refuse("unreadable_docx", "not a zip (no PK signature)");
}

function openZip(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zipfile) => {
      if (err) reject(refuse("unreadable_docx", err));
      else resolve(zipfile);
    });
  });
}

/** The central directory's records; no member is opened. */
function readEntries(zipfile: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zipfile.on("entry", (entry: yauzl.Entry) => {
      entries.push(entry);
      zipfile.readEntry();
    });
    zipfile.on("end", () => resolve(entries));
    zipfile.on("error", (err: Error) => reject(refuse(/size mismatch/.test(err.message) ? "docx_suspicious" : "unreadable_docx", err)));
    zipfile.readEntry();
  });
}

/** Where a member's compressed data lies in the file, from its local header. */
function dataRange(bytes: Buffer, entry: yauzl.Entry): { header: number; start: number; end: number } {
  const header = entry.relativeOffsetOfLocalHeader;
  if (header + 30 > bytes.length || bytes.readUInt32LE(header) !== 0x04034b50) {
    throw refuse("unreadable_docx", `${entry.fileName}: no local header at ${header}`);
  }
  const start = header + 30 + bytes.readUInt16LE(header + 26) + bytes.readUInt16LE(header + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw refuse("unreadable_docx", `${entry.fileName}: data runs past the end of the file`);
  return { header, start, end };
}

/** Largest output any deflate encoder gives for `n` bytes (stored blocks, fixed codes), generously. */
const deflateBound = (n: number) => n * 1.25 + 1024;

/**
 * Check a .docx from its zip central directory before anything is unpacked (yauzl, no member
 * opened): refuse, with a {@link DirectiveFileError}, an invalid zip (`unreadable_docx`), a
 * password-protected file (`encrypted_docx`), a zip that is not a Word document or holds other
 * archives outside `word/embeddings/` (`not_docx`), one without `word/document.xml`
 * (`docx_no_document`), more than 2,000 members, duplicated or overlapping members, declared
 * sizes no deflate stream can have, or a member over 1 MB compressed more than 200 to 1
 * (`docx_suspicious`), and declared sizes over 50 MB in all or 4 MB for one XML part
 * (`docx_too_large_unpacked`). Takes a few milliseconds whatever the archive claims to hold.
 *
 * @example
 * await checkDocxArchive(readFileSync("bomb.docx")); // throws DirectiveFileError "docx_too_large_unpacked"
 */
export async function checkDocxArchive(bytes: Buffer): Promise<void> {
  checkSignature(bytes);
  const zipfile = await openZip(bytes);
  let entries: yauzl.Entry[];
  try {
    if (zipfile.entryCount > MAX_DOCX_ENTRIES) throw refuse("docx_suspicious", `${zipfile.entryCount} members (at most ${MAX_DOCX_ENTRIES})`);
    entries = await readEntries(zipfile);
  } finally {
    zipfile.close();
  }
  const files = entries.filter((e) => !e.fileName.endsWith("/"));
  const nameOf = (e: yauzl.Entry) => e.fileName.toLowerCase();

  const encrypted = files.find((e) => e.isEncrypted());
  if (encrypted) throw refuse("encrypted_docx", `${encrypted.fileName} is encrypted`);

  const hasWordStructure = files.some((e) => nameOf(e) === "[content_types].xml" || nameOf(e).startsWith("word/"));
  if (!hasWordStructure) throw refuse("not_docx", `no [Content_Types].xml nor word/ among ${files.length} members`);
  const nested = files.find((e) => ARCHIVE_NAME.test(nameOf(e)) && !nameOf(e).startsWith("word/embeddings/"));
  if (nested) throw refuse("not_docx", `an archive inside: ${nested.fileName}`);
  if (!files.some((e) => nameOf(e) === "word/document.xml")) throw refuse("docx_no_document", "no word/document.xml");

  const seen = new Set<string>();
  for (const e of files) {
    if (seen.has(nameOf(e))) throw refuse("docx_suspicious", `${e.fileName} appears twice`);
    seen.add(nameOf(e));
    if (e.compressionMethod !== 0 && e.compressionMethod !== 8) throw refuse("unreadable_docx", `${e.fileName}: compression method ${e.compressionMethod}`);
  }
  const ranges = files.map((e) => ({ name: e.fileName, ...dataRange(bytes, e) })).sort((a, b) => a.header - b.header);
  ranges.forEach((r, i) => {
    const prev = ranges[i - 1];
    if (prev && r.header < prev.end) throw refuse("docx_suspicious", `${r.name} overlaps ${prev.name}`);
  });

  let total = 0;
  for (const e of files) {
    total += e.uncompressedSize;
    if (XML_PART.test(nameOf(e)) && e.uncompressedSize > MAX_DOCX_XML_PART_BYTES) {
      throw refuse("docx_too_large_unpacked", `${e.fileName} declares ${e.uncompressedSize} bytes (at most ${MAX_DOCX_XML_PART_BYTES})`);
    }
  }
  if (total > MAX_DOCX_UNPACKED_BYTES) throw refuse("docx_too_large_unpacked", `members declare ${total} bytes in all (at most ${MAX_DOCX_UNPACKED_BYTES})`);
  for (const e of files) {
    if (e.compressedSize > deflateBound(e.uncompressedSize)) {
      throw refuse("docx_suspicious", `${e.fileName}: ${e.compressedSize} compressed bytes cannot inflate to the ${e.uncompressedSize} declared`);
    }
    if (e.uncompressedSize > DOCX_RATIO_MIN_BYTES && e.uncompressedSize / Math.max(e.compressedSize, 1) > MAX_DOCX_COMPRESSION_RATIO) {
      throw refuse("docx_suspicious", `${e.fileName}: compression ratio ${Math.round(e.uncompressedSize / Math.max(e.compressedSize, 1))} (at most ${MAX_DOCX_COMPRESSION_RATIO})`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The worker

const WORKER_URL = new URL("./docx-worker.js", import.meta.url);

type WorkerReply = { ok: true; html: string } | { ok: false; code: DirectiveFileErrorCode; detail: string };

let running = 0;
const waiting: (() => void)[] = [];

/** Wait for one of the {@link MAX_DOCX_WORKERS} slots; call the returned function to free it. */
async function workerSlot(): Promise<() => void> {
  if (running < MAX_DOCX_WORKERS) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over
  let freed = false;
  return () => {
    if (freed) return;
    freed = true;
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}

/**
 * mammoth's HTML for a .docx, computed in a worker thread (`docx-worker.js`) with a heap limit
 * (256 MB old generation, 32 MB young) and a deadline (15 s): the worker first inflates every
 * member through yauzl, which stops any that inflates past its declared size, then runs
 * mammoth (images left out). A worker over its heap limit is refused as `docx_too_complex`, one
 * past the deadline is terminated and refused as `docx_timeout`; HTML over 2,000,000 characters is
 * `docx_text_too_large`. At most {@link MAX_DOCX_WORKERS} run at once; the rest wait their turn.
 * Run {@link checkDocxArchive} first: the worker trusts the declared sizes to be bounded.
 *
 * @example
 * const html = await docxToHtml(bytes, { timeoutMs: 5_000 });
 */
export async function docxToHtml(bytes: Uint8Array, options: DocxReadOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DOCX_TIMEOUT_MS;
  const resourceLimits = { ...DOCX_WORKER_RESOURCE_LIMITS, ...(options.maxOldGenerationSizeMb ? { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } : {}) };
  const free = await workerSlot();
  try {
    const copy = new Uint8Array(bytes); // its own ArrayBuffer, moved to the worker: the caller's stays intact
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      const worker = new Worker(WORKER_URL, {
        workerData: { bytes: copy, maxHtmlChars: MAX_DOCX_HTML_CHARS },
        transferList: [copy.buffer],
        resourceLimits,
        execArgv: [],
      });
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
        void worker.terminate();
      };
      const timer = setTimeout(() => settle(() => reject(refuse("docx_timeout", `no HTML after ${timeoutMs} ms`))), timeoutMs);
      worker.once("message", (message: WorkerReply) => settle(() => resolve(message)));
      worker.once("error", (err: Error & { code?: string }) =>
        settle(() => reject(refuse(err.code === "ERR_WORKER_OUT_OF_MEMORY" ? "docx_too_complex" : "unreadable_docx", err))),
      );
      worker.once("exit", (code) => settle(() => reject(refuse("unreadable_docx", `the worker exited (${code}) without an answer`))));
    });
    if (!reply.ok) throw refuse(reply.code, reply.detail);
    if (reply.html.length > MAX_DOCX_HTML_CHARS) throw refuse("docx_text_too_large", `${reply.html.length} characters of HTML`);
    return reply.html;
  } finally {
    free();
  }
}
