/**
 * Writes test/fixtures/directives/28-ke-hoach-word.docx: a ward plan laid out the way Word
 * files from ward offices usually are (a borderless two-column header table, a task table, Word's
 * own list numbering, a two-column closing with "Nơi nhận" and the signature). The .docx is
 * committed; run this only to regenerate it: `npx tsx scripts/make-docx-fixture.ts`.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  AlignmentType,
  BorderStyle,
  Document,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(repoRoot, "test/fixtures/directives/28-ke-hoach-word.docx");

const NONE = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };

function p(text: string, opts: { bold?: boolean; italic?: boolean; center?: boolean } = {}): Paragraph {
  return new Paragraph({
    alignment: opts.center ? AlignmentType.CENTER : AlignmentType.JUSTIFIED,
    children: [new TextRun({ text, bold: opts.bold ?? false, italics: opts.italic ?? false })],
  });
}

function cell(paragraphs: (string | Paragraph)[], width: number): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.PERCENTAGE },
    children: paragraphs.map((x) => (typeof x === "string" ? p(x) : x)),
  });
}

function layoutTable(left: Paragraph[], right: Paragraph[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: NO_BORDERS,
    rows: [new TableRow({ children: [cell(left, 45), cell(right, 55)] })],
  });
}

const numbered = (text: string): Paragraph =>
  new Paragraph({ numbering: { reference: "to-chuc", level: 0 }, children: [new TextRun(text)] });

const taskRows: [string, (string | Paragraph)[], string, string, string][] = [
  ["1", ["Rà soát, lập danh sách trẻ em có hoàn cảnh khó khăn, trẻ em khuyết tật trên địa bàn phường"], "Công chức Văn hóa - Xã hội", "Các tổ dân phố", "Trước ngày 20/5/2024"],
  [
    "2",
    ["Tổ chức Ngày hội “Thiếu nhi vui khỏe” tại sân văn hóa phường.", "Trao quà cho 50 em thiếu nhi có hoàn cảnh khó khăn."],
    "Đoàn phường",
    "Hội LHPN phường, Hội Khuyến học",
    "Ngày 01/6/2024",
  ],
  ["3", ["Vận động các nhà hảo tâm, doanh nghiệp ủng hộ Quỹ Bảo trợ trẻ em"], "Ủy ban MTTQ Việt Nam phường", "Các đoàn thể chính trị - xã hội", "Tháng 5/2024"],
  ["4", ["Kiểm tra an toàn các điểm vui chơi, hồ bơi, khu vực ao hồ có nguy cơ đuối nước"], "Công an phường", "Ban Chỉ huy Quân sự phường", "Hàng tuần trong dịp hè"],
  ["5", ["Tổ chức lớp dạy bơi miễn phí cho trẻ em"], "Đoàn phường", "Trung tâm Văn hóa - Thể thao quận", "Quý III/2024"],
];

const header = new TableRow({
  tableHeader: true,
  children: ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"].map((h, i) =>
    cell([p(h, { bold: true, center: true })], [6, 38, 18, 20, 18][i] ?? 20),
  ),
});

const doc = new Document({
  creator: "dondoc fixtures",
  title: "Kế hoạch tháng hành động vì trẻ em năm 2024",
  numbering: {
    config: [
      {
        reference: "to-chuc",
        levels: [{ level: 0, format: LevelFormat.DECIMAL, text: "%1.", alignment: AlignmentType.START }],
      },
    ],
  },
  sections: [
    {
      children: [
        layoutTable(
          [p("ỦY BAN NHÂN DÂN QUẬN CẦU GIẤY", { center: true }), p("ỦY BAN NHÂN DÂN", { bold: true, center: true }), p("PHƯỜNG DỊCH VỌNG", { bold: true, center: true }), p("Số: 64/KH-UBND", { center: true })],
          [
            p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { bold: true, center: true }),
            p("Độc lập - Tự do - Hạnh phúc", { bold: true, center: true }),
            p("Dịch Vọng, ngày 25 tháng 4 năm 2024", { italic: true, center: true }),
          ],
        ),
        p(""),
        p("KẾ HOẠCH", { bold: true, center: true }),
        p("Tổ chức Tháng hành động vì trẻ em năm 2024", { bold: true, center: true }),
        p(""),
        p(
          "Thực hiện Kế hoạch số 121/KH-UBND ngày 15/4/2024 của UBND quận Cầu Giấy về tổ chức Tháng hành động vì trẻ em năm 2024, Ủy ban nhân dân phường Dịch Vọng xây dựng kế hoạch như sau:",
        ),
        p("I. MỤC ĐÍCH, YÊU CẦU", { bold: true }),
        p("Nâng cao nhận thức của gia đình, nhà trường và xã hội về bảo vệ, chăm sóc trẻ em; bảo đảm an toàn cho trẻ em trong dịp hè."),
        p("II. NỘI DUNG VÀ PHÂN CÔNG THỰC HIỆN", { bold: true }),
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [
            header,
            ...taskRows.map(
              ([stt, content, lead, support, due]) =>
                new TableRow({
                  children: [cell([p(stt, { center: true })], 6), cell(content, 38), cell([lead], 18), cell([support], 20), cell([due], 18)],
                }),
            ),
          ],
        }),
        p("III. TỔ CHỨC THỰC HIỆN", { bold: true }),
        numbered(
          "Công chức Văn hóa - Xã hội là đầu mối theo dõi, tổng hợp kết quả thực hiện kế hoạch, báo cáo UBND phường và Phòng Văn hóa - Thông tin quận trước ngày 10/7/2024.",
        ),
        numbered("Các tổ dân phố phối hợp tuyên truyền, vận động gia đình quản lý, trông coi trẻ em trong dịp hè; thường xuyên nhắc nhở phòng, chống đuối nước."),
        p(""),
        layoutTable(
          [p("Nơi nhận:", { bold: true, italic: true }), p("- UBND quận (b/c);"), p("- Phòng VH-TT quận;"), p("- TT Đảng ủy, TT HĐND phường;"), p("- Các đơn vị tại mục II;"), p("- Lưu: VT.")],
          [
            p("TM. ỦY BAN NHÂN DÂN", { bold: true, center: true }),
            p("KT. CHỦ TỊCH", { bold: true, center: true }),
            p("PHÓ CHỦ TỊCH", { bold: true, center: true }),
            p(""),
            p("(Đã ký)", { italic: true, center: true }),
            p(""),
            p("Nguyễn Thị Hồng Nhung", { bold: true, center: true }),
          ],
        ),
      ],
    },
  ],
});

writeFileSync(out, await Packer.toBuffer(doc));
console.log(`wrote ${path.relative(repoRoot, out)}`);
