import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseDirective } from "../../src/domain/index.ts";
import {
  DirectiveFileError,
  MAX_DIRECTIVE_FILE_BYTES,
  docxHtmlToText,
  readDirectiveBuffer,
  readDirectiveFile,
} from "../../src/files/index.ts";
import type { DirectiveFileErrorCode } from "../../src/files/index.ts";

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/directives");
const dir = mkdtempSync(path.join(tmpdir(), "dondoc-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function failure(p: string): Promise<DirectiveFileError> {
  try {
    await readDirectiveFile(p);
  } catch (e) {
    if (e instanceof DirectiveFileError) return e;
    throw e;
  }
  throw new Error(`expected ${p} to fail`);
}

describe("readDirectiveFile: text files", () => {
  it("reads UTF-8 .txt without the BOM, with \\n line ends, in NFC", async () => {
    const p = file("a.txt", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Hội CCB\r\nĐoàn phường".normalize("NFD"))]));
    const r = await readDirectiveFile(p);
    expect(r).toEqual({ text: "Hội CCB\nĐoàn phường", format: "txt" });
  });

  it("reads .md and .markdown as md", async () => {
    expect((await readDirectiveFile(file("b.md", "## THÔNG BÁO"))).format).toBe("md");
    expect((await readDirectiveFile(file("b.MARKDOWN", "## THÔNG BÁO"))).format).toBe("md");
  });

  it("decodes UTF-16 with a byte-order mark (Notepad's 'Unicode')", async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("Kế hoạch số 86", "utf16le")]);
    expect((await readDirectiveFile(file("u16.txt", le))).text).toBe("Kế hoạch số 86");
  });
});

describe("readDirectiveFile: errors", () => {
  const cases: [string, () => string, DirectiveFileErrorCode][] = [
    ["an empty file", () => file("empty.txt", ""), "empty"],
    ["a file of blanks", () => file("blank.md", " \n\t\n"), "empty"],
    ["NUL bytes in a .txt", () => file("nul.txt", Buffer.from([0x48, 0x00, 0x69])), "binary"],
    ["invalid UTF-8", () => file("latin1.txt", Buffer.from([0x48, 0xe0, 0x6e, 0x67])), "binary"],
    ["a PDF", () => file("x.pdf", "%PDF-1.4"), "unsupported_type"],
    ["an old .doc", () => file("x.doc", "\xd0\xcf\x11\xe0"), "unsupported_type"],
    ["a file without extension", () => file("README", "text"), "unsupported_type"],
    ["a .docx that is not a zip", () => file("fake.docx", "Kế hoạch"), "unreadable_docx"],
    ["a .docx that is a broken zip", () => file("broken.docx", Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(64, 7)])), "unreadable_docx"],
  ];
  for (const [what, make, code] of cases) {
    it(`rejects ${what} with code ${code}`, async () => {
      const e = await failure(make());
      expect(e.code).toBe(code);
    });
  }

  it("rejects a directory named like a text file", async () => {
    const p = path.join(dir, "folder.txt");
    mkdirSync(p);
    expect((await failure(p)).code).toBe("unsupported_type");
  });

  it("rejects a file over 2 MB by its size", async () => {
    const p = file("big.txt", "a");
    truncateSync(p, MAX_DIRECTIVE_FILE_BYTES + 1);
    expect((await failure(p)).code).toBe("too_large");
    const ok = file("limit.txt", "a");
    truncateSync(ok, MAX_DIRECTIVE_FILE_BYTES);
    // Exactly 2 MB is allowed (then it fails as binary: truncate pads with NUL bytes).
    expect((await failure(ok)).code).toBe("binary");
  });

  it("carries an English message, a Vietnamese one that says how to fix, and the cause", async () => {
    const e = await failure(file("y.pdf", "%PDF"));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("DirectiveFileError");
    expect(e.message).toMatch(/not supported/);
    expect(e.messageVi).toMatch(/Chưa hỗ trợ loại tệp này.*\.docx/);
    const broken = await failure(file("broken2.docx", Buffer.concat([Buffer.from("PK"), Buffer.alloc(32)])));
    expect(broken.messageVi).toContain("lưu lại dưới dạng .docx");
    expect(broken.cause).toBeDefined();
  });

  it("lets a missing file fail with Node's own error", async () => {
    await expect(readDirectiveFile(path.join(dir, "missing.txt"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("readDirectiveFile: Word", () => {
  it("keeps the task table of a .docx so that it parses into items", async () => {
    const r = await readDirectiveFile(path.join(fixtures, "28-ke-hoach-word.docx"));
    expect(r.format).toBe("docx");
    expect(r.text).toContain("| STT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |");
    // Word's own list numbering comes back as text.
    expect(r.text).toContain("\n1. Công chức Văn hóa - Xã hội là đầu mối");
    const d = parseDirective(r.text);
    expect(d).toMatchObject({ docType: "Kế hoạch", number: "64/KH-UBND", issuedDate: "2024-04-25", signer: "Nguyễn Thị Hồng Nhung" });
    expect(d.issuer).toBe("ỦY BAN NHÂN DÂN PHƯỜNG DỊCH VỌNG");
    expect(d.items.map((i) => i.ref)).toEqual(["II.1", "II.2", "II.3", "II.4", "II.5", "III.1", "III.2"]);
    const row2 = d.items[1];
    expect(row2?.text).toBe("Tổ chức Ngày hội “Thiếu nhi vui khỏe” tại sân văn hóa phường. Trao quà cho 50 em thiếu nhi có hoàn cảnh khó khăn.");
    expect(row2?.assignees.filter((a) => a.role === "lead").map((a) => a.unitKey)).toEqual(["doan-tn"]);
    expect(row2?.deadline).toMatchObject({ kind: "date", due: "2024-06-01" });
    expect(d.items[4]?.deadline).toMatchObject({ kind: "quarter", due: "2024-09-30" });
    expect(d.recipients).toEqual(["UBND quận (b/c)", "Phòng VH-TT quận", "TT Đảng ủy, TT HĐND phường", "Các đơn vị tại mục II", "Lưu: VT"]);
  });
});

describe("readDirectiveBuffer", () => {
  it("reads an upload already in memory, the format from the file name", async () => {
    const docx = readFileSync(path.join(fixtures, "28-ke-hoach-word.docx"));
    const fromBuffer = await readDirectiveBuffer(docx, "Ke hoach 64.DOCX");
    expect(fromBuffer).toEqual(await readDirectiveFile(path.join(fixtures, "28-ke-hoach-word.docx")));
    expect(await readDirectiveBuffer(new TextEncoder().encode("Hội CCB"), "a.txt")).toEqual({ text: "Hội CCB", format: "txt" });
  });

  it("applies the same checks as files", async () => {
    const code = async (bytes: Uint8Array, name: string): Promise<string> =>
      readDirectiveBuffer(bytes, name).then(
        () => "ok",
        (e: unknown) => (e instanceof DirectiveFileError ? e.code : "other"),
      );
    expect(await code(new Uint8Array(0), "a.txt")).toBe("empty");
    expect(await code(new Uint8Array(MAX_DIRECTIVE_FILE_BYTES + 1).fill(65), "a.txt")).toBe("too_large");
    expect(await code(new Uint8Array([1, 0, 2]), "a.md")).toBe("binary");
    expect(await code(new Uint8Array([1, 2]), "a.pdf")).toBe("unsupported_type");
    expect(await code(new TextEncoder().encode("not a zip"), "a.docx")).toBe("unreadable_docx");
  });
});

describe("docxHtmlToText", () => {
  it("turns paragraphs into lines and decodes entities", () => {
    expect(docxHtmlToText("<p>Hội CCB &amp; Đoàn&#160;phường</p><p><strong>KẾ HOẠCH</strong></p>")).toBe("Hội CCB & Đoàn phường\nKẾ HOẠCH");
  });

  it("gives Word lists their numbers back, nested lists as a) and deeper as dashes", () => {
    const html = "<ol><li>Một<ol><li>con<ul><li>cháu</li></ul></li></ol></li><li>Hai</li></ol><ul><li>gạch</li></ul>";
    expect(docxHtmlToText(html)).toBe("1. Một\n  a) con\n    - cháu\n2. Hai\n- gạch");
  });

  it("writes data tables as pipe rows and layout tables as lines", () => {
    const data =
      "<table><tr><td><p>STT</p></td><td><p>Nội dung</p></td><td><p>Thời gian</p></td></tr>" +
      "<tr><td><p>1</p></td><td><p>Ra quân</p><p>dọn | dẹp</p></td><td><p>Tháng 7/2024</p></td></tr></table>";
    expect(docxHtmlToText(data)).toBe("| STT | Nội dung | Thời gian |\n| --- | --- | --- |\n| 1 | Ra quân dọn / dẹp | Tháng 7/2024 |");
    const layout = "<table><tr><td><p>ĐẢNG ỦY PHƯỜNG</p><p>Số: 1-TB/ĐU</p></td><td><p>ĐẢNG CỘNG SẢN VIỆT NAM</p></td></tr></table>";
    expect(docxHtmlToText(layout)).toBe("ĐẢNG ỦY PHƯỜNG\nSố: 1-TB/ĐU\n\nĐẢNG CỘNG SẢN VIỆT NAM");
  });
});
