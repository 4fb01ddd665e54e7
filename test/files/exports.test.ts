import ExcelJS from "exceljs";
import mammoth from "mammoth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CELL_CLASSES, CELL_CLASS_VI, CELL_COLOURS, createBoardView, type BoardView, type ReportDraft } from "../../src/app/index.ts";
import { boardXlsx, reportDocx } from "../../src/files/index.ts";
import { CCB, DOAN, LHPN, seedBoard, type BoardSeed } from "../support/board-seed.ts";

const isZip = (b: Buffer) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

describe("exports", () => {
  let seed: BoardSeed;
  let view: BoardView;
  let draft: ReportDraft;

  beforeAll(async () => {
    seed = await seedBoard("exports");
    const boards = createBoardView({ store: seed.store, clock: seed.clock });
    const v = await boards.board(seed.orgId, seed.directiveId);
    const d = await boards.reportDraft(seed.orgId, seed.directiveId);
    if (!v || !d) throw new Error("no board");
    view = v;
    draft = d;
  }, 60_000);
  afterAll(async () => {
    await seed.test.drop();
  });

  describe("board XLSX", () => {
    let book: ExcelJS.Workbook;
    let bytes: Buffer;

    beforeAll(async () => {
      bytes = await boardXlsx(view);
      book = new ExcelJS.Workbook();
      await book.xlsx.load(bytes as unknown as ArrayBuffer);
    });

    /** Cells hold strings or numbers here; anything else shows as JSON so a wrong type fails loudly. */
    const text = (cell: ExcelJS.Cell) => {
      const v = cell.value;
      if (v === null || v === undefined) return "";
      return typeof v === "string" || typeof v === "number" ? String(v) : JSON.stringify(v);
    };
    const fillOf = (cell: ExcelJS.Cell) => (cell.fill?.type === "pattern" ? cell.fill.fgColor?.argb : undefined);

    function grid() {
      const sheet = book.getWorksheet("Bảng theo dõi");
      if (!sheet) throw new Error("no board sheet");
      let headerRow = 0;
      sheet.eachRow((row, n) => {
        if (!headerRow && text(row.getCell(1)) === "Nhiệm vụ") headerRow = n;
      });
      const header = sheet.getRow(headerRow);
      const colOf = (unit: string) => {
        for (let c = 1; c <= header.cellCount; c++) if (text(header.getCell(c)) === unit) return c;
        throw new Error(`no column ${unit}`);
      };
      const rowOf = (ref: string) => {
        for (let r = headerRow + 1; r <= sheet.rowCount; r++) if (text(sheet.getCell(r, 1)) === ref) return r;
        throw new Error(`no row ${ref}`);
      };
      return { sheet, headerRow, colOf, rowOf, at: (ref: string, unit: string) => sheet.getCell(rowOf(ref), colOf(unit)) };
    }

    it("is a zip with the two sheets", () => {
      expect(isZip(bytes)).toBe(true);
      expect(book.worksheets.map((s) => s.name)).toEqual(["Bảng theo dõi", "Chi tiết"]);
    });

    it("has the directive header, the seed's items as rows and units as columns, frozen at the header", () => {
      const { sheet, headerRow } = grid();
      expect(text(sheet.getCell(1, 1))).toBe("BẢNG THEO DÕI TÌNH HÌNH THỰC HIỆN");
      expect(text(sheet.getCell(2, 1))).toBe("Thông báo kết luận ngày 05/06/2020 của Ban Thường vụ Đảng ủy");
      expect(text(sheet.getCell(3, 1))).toContain("KẾT LUẬN CỦA BAN THƯỜNG VỤ ĐẢNG ỦY");
      expect(text(sheet.getCell(4, 1))).toBe(`Số liệu đến ngày 03/07/2020 · đã hoàn thành 2/${view.cells.length} lượt giao (4%)`);
      const header = sheet.getRow(headerRow);
      expect([1, 2, 3].map((c) => text(header.getCell(c)))).toEqual(["Nhiệm vụ", "Nội dung", "Thời hạn"]);
      expect(view.units.map((_, i) => text(header.getCell(4 + i)))).toEqual(view.units.map((u) => u.name));
      const refs = view.items.map((_, i) => text(sheet.getCell(headerRow + 1 + i, 1)));
      expect(refs).toEqual(["1", "2", "3", "4.1", "5", "6.1", "6.2", "7", "8", "9.1", "9.2", "9.3"]);
      expect(text(sheet.getCell(headerRow + 1, 3))).toBe("hạn 31/12/2020");
      expect(sheet.views[0]).toMatchObject({ state: "frozen", xSplit: 3, ySplit: headerRow });
    });

    it("puts each status label in its item × unit cell, filled with its class colour", () => {
      const { at } = grid();
      expect(text(at("6.1", DOAN))).toBe("Hoàn thành · hạn 30/06/2020 (đúng hạn)");
      expect(fillOf(at("6.1", DOAN))).toBe(`FF${CELL_COLOURS.done_on_time.fill.slice(1)}`);
      expect(text(at("6.2", CCB))).toBe("Hoàn thành · hạn 30/06/2020 (trễ hạn 2 ngày)");
      expect(fillOf(at("6.2", CCB))).toBe(`FF${CELL_COLOURS.done_late.fill.slice(1)}`);
      expect(text(at("6.2", LHPN))).toBe("Đang thực hiện 40% · hạn 30/06/2020 (quá hạn 3 ngày)");
      expect(fillOf(at("6.2", LHPN))).toBe(`FF${CELL_COLOURS.overdue.fill.slice(1)}`);
      expect(fillOf(at("3", CCB))).toBe(`FF${CELL_COLOURS.blocked.fill.slice(1)}`);
      // The last report rides along as a note; an item not given to a unit stays empty.
      expect(at("1", CCB).note).toEqual(expect.stringContaining("đang làm 80% đã triển khai ở 5 tổ"));
      expect(text(at("6.1", CCB))).toBe("");
      expect(fillOf(at("6.1", CCB))).toBeUndefined();
    });

    it("has a legend with every class, its colour and its count", () => {
      const { sheet } = grid();
      let legend = 0;
      sheet.eachRow((row, n) => {
        if (text(row.getCell(1)) === "Chú giải:") legend = n;
      });
      expect(legend).toBeGreaterThan(0);
      CELL_CLASSES.forEach((cls, i) => {
        expect(text(sheet.getCell(legend + 1 + i, 2))).toBe(CELL_CLASS_VI[cls]);
        expect(text(sheet.getCell(legend + 1 + i, 1))).toBe(String(view.counts[cls]));
        expect(fillOf(sheet.getCell(legend + 1 + i, 1))).toBe(`FF${CELL_COLOURS[cls].fill.slice(1)}`);
      });
    });

    it("details one row per assignment with its last report", () => {
      const sheet = book.getWorksheet("Chi tiết");
      if (!sheet) throw new Error("no detail sheet");
      expect(sheet.rowCount).toBe(view.cells.length + 1);
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(["Nhiệm vụ", "Nội dung", "Đơn vị", "Trạng thái", "Tiến độ (%)", "Hạn", "Tình hình", "Báo cáo gần nhất", "Người báo cáo", "Thời điểm báo cáo"]);
      const rows: string[][] = [];
      sheet.eachRow((row, n) => {
        if (n > 1) rows.push([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((c) => text(row.getCell(c))));
      });
      const ccb1 = rows.find((r) => r[0] === "1" && r[2] === CCB);
      expect(ccb1).toEqual([
        "1",
        view.items[0]?.summary,
        CCB,
        "Đang thực hiện",
        "80",
        "31/12/2020",
        "Đang thực hiện 80% · hạn 31/12/2020 (còn 181 ngày)",
        "đang làm 80% đã triển khai ở 5 tổ",
        "Trần Văn An",
        "22/06/2020 09:00",
      ]);
      expect(rows.find((r) => r[0] === "6.2" && r[2] === DOAN)?.[3]).toBe("Vướng mắc");
    });
  });

  describe("report DOCX", () => {
    let bytes: Buffer;
    let text: string;
    let html: string;

    beforeAll(async () => {
      bytes = await reportDocx(draft, { name: "Đảng ủy phường 7" });
      text = (await mammoth.extractRawText({ buffer: bytes })).value;
      html = (await mammoth.convertToHtml({ buffer: bytes }, { styleMap: ["u => u"] })).value;
    });

    const lines = () => text.split("\n").map((l) => l.trim()).filter(Boolean);

    it("is a zip Word can open, with the administrative header and the title", () => {
      expect(isZip(bytes)).toBe(true);
      const l = lines();
      expect(l.slice(0, 3)).toEqual(["ĐẢNG BỘ ……………", "ĐẢNG ỦY PHƯỜNG 7", "*"]);
      expect(l).toContain("ĐẢNG CỘNG SẢN VIỆT NAM");
      expect(html).toContain("<u>ĐẢNG CỘNG SẢN VIỆT NAM</u>");
      expect(l).toContain("Phường 7, ngày 03 tháng 7 năm 2020");
      expect(l).toContain("BÁO CÁO");
      expect(l).toContain("Tình hình thực hiện Thông báo kết luận số …… ngày 05/06/2020 của Ban Thường vụ Đảng ủy");
    });

    it("gives overall figures, then one section per item with its units' status", () => {
      const l = lines();
      const n = view.cells.length;
      expect(text).toContain(`giao ${n} lượt cho ${view.units.length} đơn vị. Đến ngày 03/07/2020, đã hoàn thành 2 lượt (4%), trong đó 1 đúng hạn, 1 trễ hạn; đang thực hiện 3; vướng mắc 2; quá hạn 2; chưa báo cáo ${n - 9}.`);
      const section = (ref: string, next: string) => {
        const start = l.findIndex((x) => x.startsWith(`${ref}. `));
        const end = l.findIndex((x) => x.startsWith(`${next}. `));
        expect(start).toBeGreaterThan(0);
        expect(end).toBeGreaterThan(start);
        return l.slice(start, end);
      };
      const s61 = section("6.1", "6.2");
      expect(s61[0]).toBe("6.1. Đoàn TNCS Hồ Chí Minh phường hoàn thành việc kiện toàn nhân sự Phó Bí thư Đoàn phường (hạn 30/06/2020)");
      // Table cells come out one per line: unit, then its status.
      expect(s61[s61.indexOf(DOAN) + 1]).toBe("Hoàn thành · hạn 30/06/2020 (đúng hạn)");
      const s62 = section("6.2", "7");
      expect(s62[s62.indexOf(LHPN) + 1]).toBe("Đang thực hiện 40% · hạn 30/06/2020 (quá hạn 3 ngày)");
      expect(s62[s62.indexOf("Hội Nông dân") + 2]).toBe("Chưa có báo cáo.");
      // A heading item has no table of its own.
      expect(section("6", "6.1")).toHaveLength(1);
    });

    it("lists difficulties from blocked reports and proposals under their item", () => {
      const l = lines();
      const s3 = l.slice(l.findIndex((x) => x.startsWith("3. ")), l.findIndex((x) => x.startsWith("4. ")));
      const hard = s3.indexOf("b) Khó khăn, vướng mắc:");
      const asks = s3.indexOf("c) Đề xuất, kiến nghị:");
      expect(hard).toBeGreaterThan(0);
      expect(s3[hard + 1]).toBe(`- ${CCB}: vướng kinh phí, đề nghị UBND hỗ trợ (24/06/2020).`);
      expect(s3[asks + 1]).toBe(`- ${CCB}: vướng kinh phí, đề nghị UBND hỗ trợ (24/06/2020).`);
      const s1 = l.slice(l.findIndex((x) => x.startsWith("1. ")), l.findIndex((x) => x.startsWith("2. ")));
      expect(s1[s1.indexOf("b) Khó khăn, vướng mắc:") + 1]).toBe("- Không có.");
      const s62 = l.slice(l.findIndex((x) => x.startsWith("6.2. ")), l.findIndex((x) => x.startsWith("7. ")));
      expect(s62).toContain(`- ${DOAN}: vướng thiếu số liệu hội viên (28/06/2020).`);
      expect(text).toContain(`- ${CCB}: dang lam, de nghi bo sung kinh phi (28/06/2020).`);
    });

    it("ends with Nơi nhận and the signature block; org details override the defaults", async () => {
      const l = lines();
      const end = l.slice(l.indexOf("Nơi nhận:"));
      expect(end).toEqual(expect.arrayContaining(["- Ban Thường vụ Đảng ủy (b/c),", "- Lưu Văn phòng.", "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "(ký, ghi rõ họ tên)"]));
      const other = (await mammoth.extractRawText({ buffer: await reportDocx(draft, { name: "Đảng ủy phường 7", superior: "Đảng bộ thị xã Hương Trà", place: "Hương Văn", signerTitle: "Phó Bí thư" }) })).value;
      expect(other).toContain("ĐẢNG BỘ THỊ XÃ HƯƠNG TRÀ");
      expect(other).toContain("Hương Văn, ngày 03 tháng 7 năm 2020");
      expect(other).toContain("PHÓ BÍ THƯ");
    });
  });
});
