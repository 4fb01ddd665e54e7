/**
 * Hostile and odd .docx files: zip bombs (honest and lying), encrypted, empty of Word content,
 * zips of zips, not zips at all, and the worker's heap limit and deadline. Every archive is
 * written by hand (zip-writer.ts) so that it can lie.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DirectiveFileError,
  MAX_DIRECTIVE_FILE_BYTES,
  MAX_DOCX_ENTRIES,
  MAX_DOCX_HTML_CHARS,
  MAX_DOCX_XML_PART_BYTES,
  checkDocxArchive,
  readDirectiveBuffer,
} from "../../src/files/index.ts";
import type { DirectiveFileErrorCode, DocxReadOptions } from "../../src/files/index.ts";
import { bombDocumentXml, docxParts, documentXml, zip, type ZipMember } from "./zip-writer.ts";

const MB = 1024 * 1024;
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/directives");

async function failure(bytes: Uint8Array, options?: DocxReadOptions): Promise<DirectiveFileError> {
  try {
    await readDirectiveBuffer(bytes, "thong-bao.docx", options);
  } catch (e) {
    if (e instanceof DirectiveFileError) return e;
    throw e;
  }
  throw new Error("expected the .docx to be refused");
}

/** Runs `fn`, sampling the process's RSS every 5 ms: how much it grew at most, and how long it took. */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; peakRssGrowthMb: number; ms: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const start = performance.now();
  try {
    const value = await fn();
    const ms = performance.now() - start;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakRssGrowthMb: (peak - before) / MB, ms };
  } finally {
    clearInterval(sample);
  }
}

const simpleDocx = (lines: string[], extra: ZipMember[] = []) => zip([...docxParts(documentXml(lines)), ...extra]);

describe("a zip bomb that declares its size honestly", () => {
  // word/document.xml really inflates to 100 MB: "a" repeated, about 100 KB compressed.
  let bomb: Buffer;
  beforeAll(() => {
    bomb = zip(docxParts(bombDocumentXml(100 * MB)));
  });

  it("is small on disk (under the 2 MB upload limit)", () => {
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(bomb.length).toBeLessThan(MAX_DIRECTIVE_FILE_BYTES);
  });

  it("is refused from the zip directory, without inflating: RSS grows by under 100 MB, in under a second", async () => {
    const { value: e, peakRssGrowthMb, ms } = await measure(() => failure(bomb));
    console.log(`100 MB bomb: refused as ${e.code} in ${ms.toFixed(1)} ms, peak RSS growth ${peakRssGrowthMb.toFixed(1)} MB`);
    expect(e.code).toBe("docx_too_large_unpacked");
    expect(e.messageVi).toMatch(/^Tệp Word sau khi giải nén vượt quá dung lượng cho phép/);
    expect(String((e.cause as Error).message)).toMatch(/word\/document\.xml declares 104857600 bytes/);
    expect(peakRssGrowthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(1000);
  });
});

describe("a zip bomb that lies in its directory", () => {
  let payload: Buffer;
  let compressed: Buffer;
  beforeAll(() => {
    payload = bombDocumentXml(100 * MB);
    compressed = deflateRawSync(payload);
  });
  const lying = (declaredSize: number) =>
    zip(docxParts("").map((m) => (m.name === "word/document.xml" ? { ...m, data: payload, raw: compressed, declaredSize } : m)));

  it("declaring 1 KB for 100 KB of deflate data is refused from the directory (no deflate stream shrinks so)", async () => {
    const bytes = lying(1024);
    const { value: e, peakRssGrowthMb, ms } = await measure(() => failure(bytes));
    console.log(`100 MB bomb declared as 1 KB: refused as ${e.code} in ${ms.toFixed(1)} ms, peak RSS growth ${peakRssGrowthMb.toFixed(1)} MB`);
    expect(e.code).toBe("docx_suspicious");
    expect(e.messageVi).toMatch(/^Tệp nén bất thường/);
    expect(peakRssGrowthMb).toBeLessThan(100);
  });

  it("declaring a plausible 1 MB passes the directory but is stopped by yauzl's size check in the worker; the process lives on", async () => {
    const bytes = lying(1 * MB);
    await expect(checkDocxArchive(bytes)).resolves.toBeUndefined();
    const { value: e, peakRssGrowthMb, ms } = await measure(() => failure(bytes));
    console.log(`100 MB bomb declared as 1 MB: refused as ${e.code} in ${ms.toFixed(1)} ms, peak RSS growth ${peakRssGrowthMb.toFixed(1)} MB`);
    expect(e.code).toBe("docx_suspicious");
    expect(String((e.cause as Error).message)).toMatch(/word\/document\.xml: too many bytes in the stream/);
    expect(peakRssGrowthMb).toBeLessThan(150);
    // Still serving: a normal file reads after it.
    expect((await readDirectiveBuffer(simpleDocx(["Sau quả bom"]), "a.docx")).text).toBe("Sau quả bom");
  });
});

describe("the worker's limits", () => {
  it("a worker over its heap limit becomes docx_too_complex, not a crash", async () => {
    // 20,000 paragraphs (3 MB of XML, within every directory limit); a 24 MB heap is enough to
    // load mammoth and read a short file, not this one.
    const lines = Array.from({ length: 20_000 }, (_, i) => `Đoàn phường ra quân dọn dẹp vệ sinh môi trường, tổ dân phố số ${i}`);
    const bytes = simpleDocx(lines);
    await expect(checkDocxArchive(bytes)).resolves.toBeUndefined();
    expect((await readDirectiveBuffer(simpleDocx(["Ngắn"]), "a.docx", { maxOldGenerationSizeMb: 24 })).text).toBe("Ngắn");
    const { value: e, peakRssGrowthMb } = await measure(() => failure(bytes, { maxOldGenerationSizeMb: 24 }));
    console.log(`worker over a 24 MB heap: refused as ${e.code}, peak RSS growth ${peakRssGrowthMb.toFixed(1)} MB`);
    expect(e.code).toBe("docx_too_complex");
    expect((e.cause as { code?: string }).code).toBe("ERR_WORKER_OUT_OF_MEMORY");
    expect(e.messageVi).toMatch(/^Tệp Word quá phức tạp, hệ thống không đủ bộ nhớ để đọc/);
    // With the default limits the same file reads.
    const r = await readDirectiveBuffer(bytes, "a.docx");
    expect(r.text.split("\n")).toHaveLength(20_000);
  });

  it("a tiny timeout terminates the worker with the Vietnamese timeout message", async () => {
    const e = await failure(simpleDocx(["Kế hoạch số 86"]), { timeoutMs: 1 });
    expect(e.code).toBe("docx_timeout");
    expect(e.messageVi).toMatch(/^Hệ thống đọc tệp Word quá thời gian cho phép nên đã dừng xử lý/);
  });

  it("refuses text over 2,000,000 characters before turning it into lines", async () => {
    // 3.8 MB of words in 4,000 paragraphs: under the 4 MB part limit, compresses about 5 to 1.
    const words = Array.from({ length: 256 }, (_, i) => `từ${i.toString(36)}`);
    let seed = 1;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const lines = Array.from({ length: 4_000 }, () => Array.from({ length: 150 }, () => words[next() % 256]).join(" "));
    const bytes = simpleDocx(lines);
    expect(bytes.length).toBeLessThan(MAX_DIRECTIVE_FILE_BYTES);
    expect(documentXml(lines).length).toBeLessThan(MAX_DOCX_XML_PART_BYTES);
    expect(lines.join("").length).toBeGreaterThan(MAX_DOCX_HTML_CHARS);
    const e = await failure(bytes);
    expect(e.code).toBe("docx_text_too_large");
    expect(e.messageVi).toContain("hơn 2.000.000 ký tự");
  });

  it("reads several files at once (they take turns for the workers)", async () => {
    const texts = await Promise.all([1, 2, 3, 4, 5].map((n) => readDirectiveBuffer(simpleDocx([`Văn bản số ${n}`]), `${n}.docx`)));
    expect(texts.map((t) => t.text)).toEqual([1, 2, 3, 4, 5].map((n) => `Văn bản số ${n}`));
  });
});

describe("odd archives, refused from the zip directory", () => {
  const cases: [string, () => Buffer, DirectiveFileErrorCode, RegExp][] = [
    [
      "an encrypted member (flag bit 0)",
      () => zip(docxParts(documentXml(["Mật"])).map((m) => ({ ...m, flags: 0x1 }))),
      "encrypted_docx",
      /^Tệp Word được bảo vệ bằng mật khẩu/,
    ],
    [
      "Word's password-protected container (OLE with an EncryptedPackage stream)",
      () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512), Buffer.from("EncryptedPackage", "utf16le"), Buffer.alloc(512)]),
      "encrypted_docx",
      /mật khẩu/,
    ],
    ["a Word package without word/document.xml", () => zip([...docxParts("").filter((m) => m.name !== "word/document.xml"), { name: "word/styles.xml", data: "<w:styles/>" }]), "docx_no_document", /^Tệp Word không có phần nội dung \(word\/document\.xml\)/],
    ["a zip of zips", () => zip([{ name: "a.docx", data: simpleDocx(["Một"]) }, { name: "b.zip", data: zip([{ name: "x.txt", data: "x" }]) }]), "not_docx", /^Tệp có đuôi \.docx nhưng không phải văn bản Word/],
    ["a zip of plain files", () => zip([{ name: "thong-bao.txt", data: "Kế hoạch" }]), "not_docx", /không phải văn bản Word/],
    ["a Word package with an archive outside word/embeddings", () => simpleDocx(["Một"], [{ name: "word/media/payload.zip", data: zip([{ name: "x", data: "x" }]) }]), "not_docx", /tệp nén/],
    ["not a zip", () => Buffer.from("Kế hoạch số 86"), "unreadable_docx", /^Không đọc được tệp Word/],
    ["a truncated zip", () => simpleDocx(["Một"]).subarray(0, 100), "unreadable_docx", /^Không đọc được tệp Word/],
    ["an old .doc renamed .docx", () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1024)]), "unreadable_docx", /lưu lại dưới dạng \.docx/],
    [
      `more than ${MAX_DOCX_ENTRIES} members`,
      () => simpleDocx(["Một"], Array.from({ length: MAX_DOCX_ENTRIES }, (_, i) => ({ name: `word/media/${i}.bin`, data: "x", method: "store" as const }))),
      "docx_suspicious",
      /^Tệp nén bất thường/,
    ],
    ["a 2 MB member compressed 1000 to 1", () => simpleDocx(["Một"], [{ name: "word/media/image1.png", data: Buffer.alloc(2 * MB, 0) }]), "docx_suspicious", /^Tệp nén bất thường/],
    ["two members with one name", () => zip([...docxParts(documentXml(["Một"])), { name: "WORD/document.xml", data: documentXml(["Hai"]) }]), "docx_suspicious", /^Tệp nén bất thường/],
    ["two members sharing their data (overlap)", () => zip([...docxParts(documentXml(["Một"])), { name: "word/copy.xml", data: documentXml(["Một"]), sameDataAs: 2 }]), "docx_suspicious", /^Tệp nén bất thường/],
    ["a stored member whose sizes disagree", () => simpleDocx(["Một"], [{ name: "word/x.bin", data: "abc", method: "store", declaredSize: 3000 }]), "docx_suspicious", /^Tệp nén bất thường/],
    [
      "an XML part declared over 4 MB",
      () => simpleDocx(["Một"], [{ name: "word/styles.xml", data: Buffer.alloc(4 * MB + 1, "s") }]),
      "docx_too_large_unpacked",
      /tối đa 4 MB/,
    ],
    [
      "members declaring over 50 MB in all",
      () => simpleDocx(["Một"], Array.from({ length: 13 }, (_, i) => ({ name: `word/media/${i}.png`, data: Buffer.alloc(16), declaredSize: 4 * MB }))),
      "docx_too_large_unpacked",
      /toàn bộ tệp tối đa 50 MB/,
    ],
  ];
  for (const [what, make, code, vi] of cases) {
    it(`refuses ${what} as ${code}`, async () => {
      const bytes = make();
      const e = await failure(bytes);
      expect(e.code).toBe(code);
      expect(e.messageVi).toMatch(vi);
      expect(e.message).not.toBe("");
      if (bytes.length > 8 && bytes[0] === 0x50) await expect(checkDocxArchive(bytes)).rejects.toMatchObject({ code });
    });
  }
});

describe("normal files still read", () => {
  it("a small hand-made .docx", async () => {
    const bytes = simpleDocx(["THÔNG BÁO KẾT LUẬN", "1. Đoàn phường ra quân & dọn dẹp <ngay>."]);
    await expect(checkDocxArchive(bytes)).resolves.toBeUndefined();
    expect(await readDirectiveBuffer(bytes, "tb.docx")).toEqual({ text: "THÔNG BÁO KẾT LUẬN\n1. Đoàn phường ra quân & dọn dẹp <ngay>.", format: "docx" });
  });

  it("a .docx with an embedded workbook in word/embeddings", async () => {
    const bytes = simpleDocx(["Có bảng Excel đính kèm"], [{ name: "word/embeddings/Microsoft_Excel_Worksheet.xlsx", data: zip([{ name: "xl/workbook.xml", data: "<workbook/>" }]) }]);
    expect((await readDirectiveBuffer(bytes, "tb.docx")).text).toBe("Có bảng Excel đính kèm");
  });

  it("the Word fixture passes the directory check, and the caller's buffer is left intact", async () => {
    const docx = readFileSync(path.join(fixtures, "28-ke-hoach-word.docx"));
    const copy = Buffer.from(docx);
    await expect(checkDocxArchive(docx)).resolves.toBeUndefined();
    const r = await readDirectiveBuffer(docx, "ke-hoach.docx");
    expect(r.text).toContain("| STT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |");
    expect(docx.equals(copy)).toBe(true);
  });
});
