/**
 * The office's two exports (issue 8): the status board as an Excel workbook and a Word draft of
 * the *báo cáo tình hình thực hiện*. They lay out the view-models of src/app/board.ts; nothing
 * here reads the store or the clock.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  UnderlineType,
  VerticalAlign,
  WidthType,
  type ParagraphChild,
} from "docx";
import ExcelJS from "exceljs";
import { CELL_CLASSES, CELL_CLASS_VI, CELL_COLOURS, type BoardView, type CellClass, type ReportDraft, type ReportNote } from "../app/index.ts";
import { localIso, viDate } from "../domain/index.ts";
import { directiveName } from "./names.ts";

/** "#C6EFCE" → "FFC6EFCE" (Excel's ARGB). */
const argb = (hex: string) => `FF${hex.replace("#", "").toUpperCase()}`;

/** "03/07/2020 09:00" in Vietnam's time. */
function viMoment(at: Date): string {
  const iso = localIso(at);
  return `${viDate(iso.slice(0, 10))} ${iso.slice(11, 16)}`;
}

const percentText = (share: number) => `${Math.round(share * 100)}%`;

// ---------------------------------------------------------------------------------------------
// XLSX

const thin = { style: "thin" as const, color: { argb: "FFBFBFBF" } };
const box = { top: thin, left: thin, bottom: thin, right: thin };

function fill(cell: ExcelJS.Cell, cls: CellClass) {
  cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: argb(CELL_COLOURS[cls].fill) } };
  cell.font = { ...cell.font, color: { argb: argb(CELL_COLOURS[cls].text) } };
}

/**
 * The board as a workbook: "Bảng theo dõi" (items × units, each cell its status, coloured, with
 * the last report as a cell note; a legend below) and "Chi tiết" (one row per assignment).
 *
 * @example
 * const bytes = await boardXlsx(await boardView.board(orgId, directiveId));
 */
export async function boardXlsx(view: BoardView): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "dondoc";
  const sheet = book.addWorksheet("Bảng theo dõi", { pageSetup: { orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const fixed = 3;
  const lastCol = fixed + Math.max(view.units.length, 1);
  const done = view.counts.done_on_time + view.counts.done_late;
  const total = CELL_CLASSES.reduce((n, c) => n + view.counts[c], 0);

  const banner = (row: number, text: string, font: Partial<ExcelJS.Font>) => {
    sheet.mergeCells(row, 1, row, lastCol);
    const cell = sheet.getCell(row, 1);
    cell.value = text;
    cell.font = { name: "Times New Roman", ...font };
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  };
  banner(1, "BẢNG THEO DÕI TÌNH HÌNH THỰC HIỆN", { bold: true, size: 14 });
  banner(2, directiveName(view.directive), { bold: true, size: 12 });
  banner(3, view.directive.title ?? "", { italic: true, size: 12 });
  banner(4, `Số liệu đến ngày ${viDate(view.today)} · đã hoàn thành ${done}/${total} lượt giao (${percentText(view.progress)})`, { size: 11 });
  sheet.getRow(3).height = 30;

  const headerRow = 6;
  const header = sheet.getRow(headerRow);
  header.values = ["Nhiệm vụ", "Nội dung", "Thời hạn", ...view.units.map((u) => u.name)];
  header.height = 45;
  header.eachCell((cell) => {
    cell.font = { name: "Times New Roman", bold: true, size: 11 };
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFD9D9D9" } };
    cell.border = box;
  });
  sheet.getColumn(1).width = 10;
  sheet.getColumn(2).width = 50;
  sheet.getColumn(3).width = 16;
  view.units.forEach((_, i) => (sheet.getColumn(fixed + 1 + i).width = 24));

  const cellAt = new Map(view.cells.map((c) => [`${c.itemId}|${c.unitId}`, c]));
  view.items.forEach((item, i) => {
    const row = sheet.getRow(headerRow + 1 + i);
    row.getCell(1).value = item.ref;
    row.getCell(2).value = item.summary;
    row.getCell(3).value = item.deadlineText;
    view.units.forEach((unit, j) => {
      const c = cellAt.get(`${item.id}|${unit.id}`);
      const cell = row.getCell(fixed + 1 + j);
      if (!c) return;
      cell.value = c.label;
      fill(cell, c.cls);
      if (c.lastReport) cell.note = `${c.lastReport.text || "(không có nội dung)"}\n— ${c.lastReport.by ?? "không rõ người gửi"}, ${viMoment(c.lastReport.at)}`;
    });
    for (let col = 1; col <= lastCol; col++) {
      const cell = row.getCell(col);
      cell.font = { name: "Times New Roman", size: 11, ...(cell.font?.color ? { color: cell.font.color } : {}) };
      cell.alignment = { vertical: "top", wrapText: true, ...(col === 1 ? { horizontal: "center" } : {}) };
      cell.border = box;
    }
  });

  let r = headerRow + view.items.length + 2;
  sheet.getCell(r, 1).value = "Chú giải:";
  sheet.getCell(r, 1).font = { name: "Times New Roman", bold: true, size: 11 };
  for (const cls of CELL_CLASSES) {
    r += 1;
    const swatch = sheet.getCell(r, 1);
    swatch.value = String(view.counts[cls]);
    swatch.alignment = { horizontal: "center" };
    fill(swatch, cls);
    swatch.border = box;
    sheet.getCell(r, 2).value = CELL_CLASS_VI[cls];
    sheet.getCell(r, 2).font = { name: "Times New Roman", size: 11 };
  }
  sheet.views = [{ state: "frozen", xSplit: fixed, ySplit: headerRow, topLeftCell: `${sheet.getColumn(fixed + 1).letter}${headerRow + 1}`, activeCell: "A1" }];

  // One row per assignment, for filtering and sorting.
  const detail = book.addWorksheet("Chi tiết");
  detail.columns = [
    { header: "Nhiệm vụ", width: 10 },
    { header: "Nội dung", width: 45 },
    { header: "Đơn vị", width: 28 },
    { header: "Trạng thái", width: 22 },
    { header: "Tiến độ (%)", width: 12 },
    { header: "Hạn", width: 12 },
    { header: "Tình hình", width: 40 },
    { header: "Báo cáo gần nhất", width: 50 },
    { header: "Người báo cáo", width: 22 },
    { header: "Thời điểm báo cáo", width: 18 },
  ];
  detail.getRow(1).font = { bold: true };
  detail.getRow(1).alignment = { vertical: "middle", wrapText: true };
  const itemOrder = new Map(view.items.map((it, i) => [it.id, i]));
  const unitOrder = new Map(view.units.map((u, i) => [u.id, i]));
  const itemOf = new Map(view.items.map((it) => [it.id, it]));
  const unitOf = new Map(view.units.map((u) => [u.id, u]));
  const rows = [...view.cells].sort((a, b) => (itemOrder.get(a.itemId) ?? 0) - (itemOrder.get(b.itemId) ?? 0) || (unitOrder.get(a.unitId) ?? 0) - (unitOrder.get(b.unitId) ?? 0));
  for (const c of rows) {
    const row = detail.addRow([
      itemOf.get(c.itemId)?.ref ?? "",
      itemOf.get(c.itemId)?.summary ?? "",
      unitOf.get(c.unitId)?.name ?? "",
      CELL_CLASS_VI[c.cls],
      c.percent,
      c.dueDate ? viDate(c.dueDate) : "",
      c.label,
      c.lastReport?.text ?? "",
      c.lastReport?.by ?? "",
      c.lastReport ? viMoment(c.lastReport.at) : "",
    ]);
    row.alignment = { vertical: "top", wrapText: true };
    fill(row.getCell(4), c.cls);
  }
  detail.views = [{ state: "frozen", xSplit: 0, ySplit: 1 }];
  detail.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 10 } };

  return Buffer.from(await book.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------
// DOCX

/** The org as the report's header and signature name it. */
export interface ReportOrg {
  /** "Đảng ủy phường 7" */
  name: string;
  /** The party committee above, first header line: "ĐẢNG BỘ THỊ XÃ …" (left blank to fill when unknown). */
  superior?: string | null;
  /** The place of the date line: "Phường 7" (derived from the name when not given). */
  place?: string | null;
  /** Who signs for: "BAN THƯỜNG VỤ" → "T/M BAN THƯỜNG VỤ". */
  signFor?: string | null;
  /** The signer's title: "BÍ THƯ". */
  signerTitle?: string | null;
}

const FONT = "Times New Roman";
const PT = (n: number) => n * 2; // docx sizes are half-points
const MM = (n: number) => Math.round(n * 56.7); // twips

type Run = { text: string; bold?: boolean; italics?: boolean; size?: number; underline?: boolean };

function para(runs: Run | Run[] | string, options: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; indent?: boolean; before?: number; after?: number; size?: number } = {}): Paragraph {
  const list = typeof runs === "string" ? [{ text: runs }] : Array.isArray(runs) ? runs : [runs];
  const children: ParagraphChild[] = list.map(
    (r) => new TextRun({ text: r.text, bold: r.bold ?? false, italics: r.italics ?? false, size: PT(r.size ?? options.size ?? 14), font: FONT, ...(r.underline ? { underline: { type: UnderlineType.SINGLE } } : {}) }),
  );
  return new Paragraph({
    children,
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    spacing: { before: options.before ?? 0, after: options.after ?? 60, line: 300 },
    ...(options.indent ? { indent: { firstLine: MM(10) } } : {}),
  });
}

const centre = (runs: Run | Run[] | string, size?: number) => para(runs, { align: AlignmentType.CENTER, after: 0, ...(size ? { size } : {}) });

function layoutTable(columns: number[], cells: Paragraph[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: columns,
    borders: TableBorders.NONE,
    rows: [new TableRow({ children: cells.map((children, i) => new TableCell({ children, width: { size: columns[i] ?? 0, type: WidthType.DXA } })) })],
  });
}

/** "Đảng ủy phường 7" → "Phường 7". */
function placeOf(org: ReportOrg): string {
  if (org.place) return org.place;
  const m = /^(?:đảng ủy|đảng uỷ|đảng bộ|ban thường vụ đảng ủy)\s+(.+)$/iu.exec(org.name.trim());
  const place = m?.[1] ?? "";
  return place ? place.charAt(0).toUpperCase() + place.slice(1) : "……………";
}

/** "ngày 03 tháng 7 năm 2020": days under 10 and months 1–2 written with a leading zero. */
function dateLine(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return `ngày ${String(d).padStart(2, "0")} tháng ${m <= 2 ? String(m).padStart(2, "0") : m} năm ${y}`;
}

function noteLines(notes: ReportNote[]): Paragraph[] {
  if (notes.length === 0) return [para("- Không có.", { indent: true, size: 13 })];
  return notes.map((n) => para(`- ${n.unitName}: ${n.text} (${viDate(localIso(n.at).slice(0, 10))}).`, { indent: true, size: 13 }));
}

const grid = { style: BorderStyle.SINGLE, size: 4, color: "000000" };

function statusTable(lines: ReportDraft["items"][number]["units"]): Table {
  const widths = [MM(45), MM(55), MM(65)];
  const cell = (text: string, i: number, bold = false) =>
    new TableCell({
      width: { size: widths[i] ?? 0, type: WidthType.DXA },
      verticalAlign: VerticalAlign.TOP,
      margins: { left: 80, right: 80 },
      children: [para({ text, bold, size: 13 }, { align: bold ? AlignmentType.CENTER : AlignmentType.LEFT, after: 0 })],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: widths,
    borders: { top: grid, bottom: grid, left: grid, right: grid, insideHorizontal: grid, insideVertical: grid },
    rows: [
      new TableRow({ tableHeader: true, children: ["Đơn vị", "Tình hình thực hiện", "Báo cáo gần nhất"].map((t, i) => cell(t, i, true)) }),
      ...lines.map(
        (l) =>
          new TableRow({
            children: [
              cell(l.unitName, 0),
              cell(l.statusText, 1),
              cell(l.lastReport ? `${l.lastReport.text || "(không có nội dung)"} (${viDate(localIso(l.lastReport.at).slice(0, 10))})` : "Chưa có báo cáo.", 2),
            ],
          }),
      ),
    ],
  });
}

/**
 * The Word draft of the báo cáo tình hình thực hiện: administrative header, title, overall
 * figures, one section per item (status by unit, difficulties, proposals), "Nơi nhận" and the
 * signature block, in Times New Roman 13–14 pt, for the office to edit and sign.
 *
 * @example
 * const bytes = await reportDocx(await boardView.reportDraft(orgId, directiveId), { name: org.name });
 */
export async function reportDocx(draft: ReportDraft, org: ReportOrg): Promise<Buffer> {
  const name = directiveName(draft.directive);
  const docType = draft.directive.docType ?? "Văn bản";
  const c = draft.counts;
  const unitsCount = draft.units.length;
  const work = draft.items.filter((i) => !i.isGroup).length;

  const header = layoutTable(
    [MM(70), MM(95)],
    [
      [
        centre((org.superior ?? "ĐẢNG BỘ ……………").toUpperCase()),
        centre({ text: org.name.toUpperCase(), bold: true }),
        centre("*"),
        centre("Số:        -BC/ĐU", 13),
      ],
      [
        centre({ text: "ĐẢNG CỘNG SẢN VIỆT NAM", bold: true, underline: true }),
        centre(" "),
        centre({ text: `${placeOf(org)}, ${dateLine(draft.today)}`, italics: true }),
      ],
    ],
  );

  const body: (Paragraph | Table)[] = [
    header,
    para({ text: "BÁO CÁO", bold: true, size: 15 }, { align: AlignmentType.CENTER, before: 360, after: 0 }),
    centre({ text: `Tình hình thực hiện ${docType} số ${draft.directive.number ?? "……"}${draft.directive.issuedDate ? ` ngày ${viDate(draft.directive.issuedDate)}` : ""}${draft.directive.issuer ? ` của ${draft.directive.issuer}` : ""}`, bold: true }),
    ...(draft.directive.title ? [centre({ text: draft.directive.title, italics: true }, 13)] : []),
    para("-----", { align: AlignmentType.CENTER, after: 200 }),
    para(`Thực hiện ${name}, ${org.name} báo cáo tình hình thực hiện đến ngày ${viDate(draft.today)} như sau:`, { indent: true }),
    para({ text: "I. TÌNH HÌNH CHUNG", bold: true }, { before: 120 }),
    para(
      `${docType} có ${work} nhiệm vụ, giao ${draft.total} lượt cho ${unitsCount} đơn vị. Đến ngày ${viDate(draft.today)}, đã hoàn thành ${draft.done} lượt (${percentText(draft.progress)}), trong đó ${c.done_on_time} đúng hạn, ${c.done_late} trễ hạn; đang thực hiện ${c.in_progress}; vướng mắc ${c.blocked}; quá hạn ${c.overdue}; chưa báo cáo ${c.not_reported}.`,
      { indent: true },
    ),
    para({ text: "II. KẾT QUẢ THỰC HIỆN TỪNG NHIỆM VỤ", bold: true }, { before: 120 }),
  ];

  for (const item of draft.items) {
    const heading: Run[] = [{ text: `${item.ref}. ${item.summary}`, bold: true }];
    if (!item.isGroup) heading.push({ text: ` (${item.deadlineText})`, italics: true });
    body.push(para(heading, { indent: true, before: 120 }));
    if (item.isGroup) continue;
    if (item.units.length === 0) {
      body.push(para("Chưa giao đơn vị theo dõi.", { indent: true, size: 13 }));
      continue;
    }
    body.push(
      para({ text: "a) Tình hình thực hiện:", italics: true }, { indent: true }),
      statusTable(item.units),
      // A recurring duty: each period so far, its team on duty and who reported it done.
      ...item.history.slice(0, 12).map((h) =>
        para(
          `- Đợt ${viDate(h.periodStart).slice(0, 5)}–${viDate(h.periodEnd).slice(0, 5)}${h.team ? ` (${h.team} trực)` : ""}: ${h.done.length}/${h.done.length + h.notDone.length} đơn vị hoàn thành${h.notDone.length > 0 ? `; chưa hoàn thành: ${h.notDone.sort((a, b) => a.localeCompare(b, "vi")).join(", ")}` : ""}.`,
          { indent: true, size: 13 },
        ),
      ),
      para({ text: "b) Khó khăn, vướng mắc:", italics: true }, { indent: true, before: 120 }),
      ...noteLines(item.difficulties),
      para({ text: "c) Đề xuất, kiến nghị:", italics: true }, { indent: true }),
      ...noteLines(item.proposals),
    );
  }

  body.push(
    para({ text: "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", bold: true }, { before: 120 }),
    para("……………………………………………………………………………………………", { indent: true }),
    para(`Trên đây là báo cáo tình hình thực hiện ${name}.`, { indent: true, before: 120, after: 240 }),
    layoutTable(
      [MM(80), MM(85)],
      [
        [
          para({ text: "Nơi nhận:", bold: true, italics: true, size: 12 }, { align: AlignmentType.LEFT, after: 0 }),
          ...[`- ${draft.directive.issuer ?? "Ban Thường vụ Đảng ủy"} (b/c),`, "- Các đồng chí Đảng ủy viên,", "- Lưu Văn phòng."].map((t) => para({ text: t, size: 12 }, { align: AlignmentType.LEFT, after: 0 })),
        ],
        [
          centre({ text: `T/M ${(org.signFor ?? "BAN THƯỜNG VỤ").toUpperCase()}`, bold: true }),
          centre({ text: (org.signerTitle ?? "BÍ THƯ").toUpperCase(), bold: true }),
          centre({ text: "(ký, ghi rõ họ tên)", italics: true }),
          centre(" "),
          centre(" "),
          centre(" "),
        ],
      ],
    ),
  );

  const doc = new Document({
    creator: "dondoc",
    title: `Báo cáo tình hình thực hiện ${name}`,
    styles: { default: { document: { run: { font: FONT, size: PT(14) } } } },
    sections: [{ properties: { page: { margin: { top: MM(20), bottom: MM(20), left: MM(30), right: MM(15) } } }, children: body }],
  });
  return Packer.toBuffer(doc);
}
