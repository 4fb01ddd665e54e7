/**
 * The limits applied to the files the office uploads. A .docx is a zip: its size on disk says
 * little about what it unpacks to, so Word files are also checked on their zip directory before
 * anything is unpacked, and parsed in a worker thread with its own heap limit and a deadline.
 */

const MB = 1024 * 1024;

/**
 * Largest file accepted, checked on the size before reading: 2 MB.
 *
 * @example
 * fastify.register(multipart, { limits: { fileSize: MAX_DIRECTIVE_FILE_BYTES } });
 */
export const MAX_DIRECTIVE_FILE_BYTES = 2 * MB;

/**
 * Most members a .docx may have (a long directive with images has well under 200).
 *
 * @example
 * zipfile.entryCount > MAX_DOCX_ENTRIES; // refused as "docx_suspicious"
 */
export const MAX_DOCX_ENTRIES = 2_000;

/**
 * Largest sum of the uncompressed sizes declared in a .docx's zip directory: 50 MB.
 *
 * @example
 * totalDeclared > MAX_DOCX_UNPACKED_BYTES; // refused as "docx_too_large_unpacked"
 */
export const MAX_DOCX_UNPACKED_BYTES = 50 * MB;

/**
 * Largest declared size of one XML part (`word/document.xml`, styles, numbering, relationships…):
 * 4 MB, about 200 pages of text. mammoth's XML tree costs about 25 times the part's size in heap,
 * so this keeps a legitimate file well inside {@link DOCX_WORKER_RESOURCE_LIMITS}.
 *
 * @example
 * documentXml.uncompressedSize > MAX_DOCX_XML_PART_BYTES; // refused as "docx_too_large_unpacked"
 */
export const MAX_DOCX_XML_PART_BYTES = 4 * MB;

/**
 * Highest compression ratio (uncompressed / compressed) accepted for a member larger than
 * {@link DOCX_RATIO_MIN_BYTES}. Word's XML compresses about 10 to 1; a zip bomb, 1000 to 1.
 *
 * @example
 * entry.uncompressedSize / entry.compressedSize > MAX_DOCX_COMPRESSION_RATIO; // "docx_suspicious"
 */
export const MAX_DOCX_COMPRESSION_RATIO = 200;

/**
 * Members smaller than this (1 MB) are not held to {@link MAX_DOCX_COMPRESSION_RATIO}: small
 * XML parts of repeated markup compress very well and cannot hurt.
 */
export const DOCX_RATIO_MIN_BYTES = 1 * MB;

/**
 * Longest HTML mammoth may produce (and so the longest text a .docx may give): 2,000,000
 * characters, ten times what intake accepts as a directive.
 *
 * @example
 * html.length > MAX_DOCX_HTML_CHARS; // refused as "docx_text_too_large"
 */
export const MAX_DOCX_HTML_CHARS = 2_000_000;

/**
 * Heap limits of the worker thread that runs mammoth. A worker over them is stopped by V8
 * (`ERR_WORKER_OUT_OF_MEMORY`) and the file refused as "docx_too_complex"; the process lives on.
 *
 * @example
 * new Worker(url, { resourceLimits: DOCX_WORKER_RESOURCE_LIMITS });
 */
export const DOCX_WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 } as const;

/**
 * How long the worker may take to turn a .docx into HTML before it is terminated and the file
 * refused as "docx_timeout": 15 s (a 4 MB document.xml takes about 3 s).
 *
 * @example
 * await readDirectiveBuffer(bytes, "a.docx", { timeoutMs: DOCX_TIMEOUT_MS });
 */
export const DOCX_TIMEOUT_MS = 15_000;

/**
 * Most Word files parsed at the same time (each worker may use up to its heap limit); further
 * files wait for a free worker.
 */
export const MAX_DOCX_WORKERS = 2;
