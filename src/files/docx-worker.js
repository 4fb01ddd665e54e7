// The worker thread that turns a .docx into HTML (see docx-guard.ts, which starts it with a heap
// limit and a deadline). Plain JavaScript, an ES module ("type": "module"), so that it runs
// under plain node as well as under tsx; .js rather than .mjs so that ESLint lints it untyped.
//
// In:  workerData = { bytes: Uint8Array (transferred), maxHtmlChars: number }
// Out: one message, { ok: true, html } or { ok: false, code, detail }.
//
// Before mammoth (whose zip reader, JSZip, inflates a member whole before comparing sizes) sees the
// file, every member is inflated once through yauzl with validateEntrySizes and the bytes thrown
// away: a member that inflates to more than its declared size is stopped a few KB past it. The
// declared sizes themselves were checked on the main thread before this worker started.
import { Buffer } from "node:buffer";
import { parentPort, workerData } from "node:worker_threads";
import mammoth from "mammoth";
import yauzl from "yauzl";

/** @param {Buffer} buffer @returns {Promise<void>} */
function verifyMemberSizes(buffer) {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zipfile) => {
      if (err) return reject(err);
      const fail = (e) => {
        zipfile.close();
        reject(e);
      };
      zipfile.on("error", fail);
      zipfile.on("end", () => {
        zipfile.close();
        resolve();
      });
      zipfile.on("entry", (entry) => {
        if (entry.fileName.endsWith("/")) return zipfile.readEntry();
        zipfile.openReadStream(entry, (openErr, stream) => {
          if (openErr) return fail(openErr);
          stream.on("error", (e) => {
            stream.destroy();
            fail(Object.assign(e, { member: entry.fileName }));
          });
          stream.on("end", () => zipfile.readEntry());
          stream.resume();
        });
      });
      zipfile.readEntry();
    });
  });
}

/** yauzl's messages for a member whose bytes do not match its declared size. */
const SIZE_LIE = /too many bytes in the stream|not enough bytes in the stream|size mismatch/;

const { bytes, maxHtmlChars } = workerData;
const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** @returns {Promise<{ ok: true, html: string } | { ok: false, code: string, detail: string }>} */
async function convert() {
  try {
    await verifyMemberSizes(buffer);
  } catch (e) {
    return { ok: false, code: SIZE_LIE.test(String(e?.message)) ? "docx_suspicious" : "unreadable_docx", detail: `${e?.member ?? "zip"}: ${e?.message ?? e}` };
  }
  try {
    // Images are left out (an empty <img>): the text does not need them, and they would be
    // inflated and base64-encoded into the HTML for nothing.
    const result = await mammoth.convertToHtml({ buffer }, { convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: "" })) });
    const html = result.value;
    if (html.length > maxHtmlChars) return { ok: false, code: "docx_text_too_large", detail: `${html.length} characters of HTML` };
    return { ok: true, html };
  } catch (e) {
    return { ok: false, code: "unreadable_docx", detail: String(e?.message ?? e) };
  }
}

parentPort.postMessage(await convert());
