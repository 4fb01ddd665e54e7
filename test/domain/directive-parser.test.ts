import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseDirective } from "../../src/domain/directive-parser.ts";
import type { ParsedDirective, ParsedItem } from "../../src/domain/directive-parser.ts";

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/directives");
const parseFixture = (name: string): ParsedDirective => parseDirective(readFileSync(path.join(fixtures, name), "utf8"));

function item(d: ParsedDirective, ref: string): ParsedItem {
  const found = d.items.find((i) => i.ref === ref);
  if (!found) throw new Error(`no item ${ref}; refs: ${d.items.map((i) => i.ref).join(", ")}`);
  return found;
}
const unitKeys = (i: ParsedItem, role?: "lead" | "support"): (string | null)[] =>
  i.assignees.filter((a) => role === undefined || a.role === role).map((a) => a.unitKey);

describe("parseDirective: the seed thông báo kết luận", () => {
  const d = parseFixture("20-seed-thong-bao-ket-luan-2020-06-05.md");

  it("reads the header of a notice that has no header block", () => {
    expect(d.docType).toBe("Thông báo kết luận");
    expect(d.issuedDate).toBe("2020-06-05");
    expect(d.issuer).toBe("Ban Thường vụ Đảng ủy");
    expect(d.signer).toBe("Nguyễn Tiến Giang");
    expect(d.number).toBeNull();
  });

  it("keeps 7 recipients, with Lưu VP and without the (b/c) annotation", () => {
    expect(d.recipients).toEqual([
      "BTV Thị ủy",
      "Văn phòng Thị ủy",
      "Đ/c UVTVTU phụ trách cụm",
      "TT HĐND, UBND phường",
      "Mặt trận các đoàn thể phường",
      "Các đồng chí ĐUV",
      "Lưu VP",
    ]);
  });

  it("finds 9 top-level items and none from the closing", () => {
    expect(d.items.filter((i) => i.parentRef === null).map((i) => i.ref)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(d.items.some((i) => /Nơi nhận|Nguyễn Tiến Giang/.test(i.text))).toBe(false);
  });

  it("item 1: second half of 2020", () => {
    const i1 = item(d, "1");
    expect(i1.deadline).toMatchObject({ kind: "half-year", due: "2020-12-31" });
    expect(unitKeys(i1)).toEqual(["mat-tran-doan-the"]);
    expect(i1.summary.startsWith("Mặt trận các đoàn thể CTXH chủ động xây dựng Kế hoạch")).toBe(true);
  });

  it("item 2: the green-Sunday paragraph belongs to it, weekly with two teams taking turns", () => {
    const i2 = item(d, "2");
    expect(i2.text).toContain("ngày chủ nhật xanh");
    expect(i2.deadline).toMatchObject({ kind: "recurring", every: "week", due: null });
    expect(i2.rotation).toMatchObject({ teams: 2, turn: "week" });
  });

  it("item 3: a blank line in mid-sentence does not cut the item", () => {
    const i3 = item(d, "3");
    expect(i3.text).toContain("phản ánh cho cấp ủy Đảng, Chính quyền lãnh đạo");
    expect(d.items.filter((i) => i.text.startsWith("Đảng, Chính quyền"))).toEqual([]);
  });

  it("items 4 and 7 are ongoing; the cited decision date is not a deadline", () => {
    expect(item(d, "4").deadline).toMatchObject({ kind: "ongoing", due: null });
    expect(item(d, "7").deadline).toMatchObject({ kind: "ongoing", due: null });
    expect(item(d, "4").text).toContain("27/10/2008");
  });

  it("item 6: June 2020 for the item and for both bullets", () => {
    const i6 = item(d, "6");
    expect(i6.deadline).toMatchObject({ kind: "month", due: "2020-06-30" });
    expect(i6.text).toContain("- Đoàn TNCS Hồ Chí Minh phường hoàn thành");
    const subs = d.items.filter((i) => i.parentRef === "6");
    expect(subs.map((i) => i.ref)).toEqual(["6.1", "6.2"]);
    for (const s of subs) expect(s.deadline).toMatchObject({ kind: "month", due: "2020-06-30" });
    expect(unitKeys(item(d, "6.1"))).toEqual(["doan-tn"]);
    expect(unitKeys(item(d, "6.2"))).toEqual(["doan-the-ctxh"]);
    // The parent names no unit of its own, so it takes its bullets' units.
    expect(unitKeys(i6)).toEqual(["doan-tn", "doan-the-ctxh"]);
  });

  it("item 8: Mặt trận leads, the đoàn thể support", () => {
    const i8 = item(d, "8");
    expect(unitKeys(i8, "lead")).toEqual(["mat-tran"]);
    expect(unitKeys(i8, "support")).toEqual(["doan-the-ctxh"]);
    expect(i8.deadline.kind).toBe("none");
  });

  it("items naming no unit take the addressees of the intro sentence", () => {
    expect(unitKeys(item(d, "7"))).toEqual(["mat-tran", "doan-the-ctxh"]);
  });

  it("item 2: the intro's addressees lead; tổ dân phố named as places are support at most", () => {
    // "về tại 01 tổ dân phố", "tại tổ dân phố đó", "các tổ dân phố còn lại chủ động vận động …".
    const i2 = item(d, "2");
    expect(unitKeys(i2, "lead")).toEqual(["mat-tran", "doan-the-ctxh"]);
    expect(unitKeys(i2, "support")).toEqual(["cac-to-dan-pho"]);
  });

  it("item 5: 'phối hợp giữa UBND phường với Mặt trận và các đoàn thể' names both sides", () => {
    const i5 = item(d, "5");
    expect(unitKeys(i5, "lead")).toEqual(["ubnd", "mat-tran-doan-the"]);
    expect(unitKeys(i5, "support")).toEqual([]);
  });

  it("item 9: bullets become 9.1–9.3 with their own units", () => {
    expect(d.items.filter((i) => i.parentRef === "9").map((i) => i.ref)).toEqual(["9.1", "9.2", "9.3"]);
    expect(item(d, "9.1").assignees).toEqual([{ name: "Phó Bí thư Thường trực Đảng ủy", role: "lead", unitKey: null }]);
    expect(unitKeys(item(d, "9.3"))).toEqual(["van-phong-dang-uy"]);
  });

  it("a 'Riêng …' paragraph is its own sub-item with its own units and no borrowed deadline", () => {
    const r = item(d, "4.1");
    expect(r.parentRef).toBe("4");
    expect(unitKeys(r, "lead")).toEqual(["ubnd"]);
    expect(unitKeys(r, "support")).toEqual(["hoi-ccb"]);
    expect(r.deadline.kind).toBe("none");
    expect(item(d, "4").text).toContain("Riêng đối với kiến nghị");
  });

  it("keeps summaries short and cut at a word", () => {
    for (const i of d.items) {
      expect(i.summary.length).toBeLessThanOrEqual(101);
      expect(i.summary).not.toMatch(/\s…$/);
    }
    expect(item(d, "9").summary).toBe("Tổ chức thực hiện");
  });
});

describe("parseDirective: layouts", () => {
  it("reads a Markdown task table by its column headers", () => {
    const d = parseFixture("21-ke-hoach-bang-markdown.md");
    expect(d).toMatchObject({ docType: "Kế hoạch", number: "86/KH-UBND", issuedDate: "2024-03-12", signer: "Trần Thị Minh Thư" });
    expect(d.issuer).toBe("ỦY BAN NHÂN DÂN PHƯỜNG AN HẢI TÂY");
    expect(d.items.map((i) => i.ref)).toEqual(["II.1", "II.2", "II.3", "II.4", "II.5", "II.6", "III.1", "III.2", "III.3"]);
    const r1 = item(d, "II.1");
    // 104 characters: cut at the last word that fits in 100.
    expect(r1.summary).toBe("Xây dựng kế hoạch chi tiết tổ chức Lễ ra quân Tháng Thanh niên, phân công lực lượng theo từng tổ…");
    expect(r1.assignees).toEqual([
      { name: "Đoàn TNCS Hồ Chí Minh", role: "lead", unitKey: "doan-tn" },
      { name: "Hội Liên hiệp Phụ nữ", role: "support", unitKey: "hoi-lhpn" },
      { name: "Hội Cựu chiến binh", role: "support", unitKey: "hoi-ccb" },
    ]);
    expect(r1.deadline).toMatchObject({ kind: "date", due: "2024-03-20", text: "Trước ngày 20/3/2024" });
    expect(item(d, "II.2").deadline).toMatchObject({ kind: "recurring", every: "month", weekday: 0, weekOfPeriod: -1 });
    expect(item(d, "II.4").deadline.kind).toBe("ongoing");
    expect(unitKeys(item(d, "II.4"), "support")).toEqual(["to-dan-pho-1", "to-dan-pho-12"]);
    // Section I (purpose) is context; the closing paragraph does not stick to III.3.
    expect(d.items.some((i) => i.text.includes("Phát huy vai trò xung kích"))).toBe(false);
    expect(item(d, "III.3").text).not.toContain("Trên đây là");
    expect(d.recipients).toContain("Lưu: VT");
  });

  it("reads tab-separated tables and a two-column header and closing", () => {
    const d = parseFixture("22-ke-hoach-bang-tab.txt");
    expect(d).toMatchObject({ number: "112/KH-UBND", issuedDate: "2024-07-02", signer: "Lê Văn Phước", issuer: "ỦY BAN NHÂN DÂN PHƯỜNG 5" });
    expect(d.recipients).toEqual(["UBND Quận 8", "TTYT Quận 8", "Đảng ủy phường", "Các thành viên BCĐ", "Lưu: VT"]);
    expect(d.items.map((i) => i.ref)).toEqual(["I.1", "I.2", "I.3", "I.4", "I.5", "I.6", "II"]);
    expect(item(d, "I.2").deadline).toMatchObject({ kind: "recurring", every: "month", weekday: 6, weekOfPeriod: 2 });
    // Row 5 has an empty support cell: the deadline column must not shift.
    expect(item(d, "I.5").deadline).toMatchObject({ kind: "recurring", every: "week" });
    expect(unitKeys(item(d, "I.5"))).toEqual(["cong-chuc-vhxh"]);
    // A section heading with a paragraph and no points is an item of its own.
    expect(unitKeys(item(d, "II"))).toEqual(["tram-y-te"]);
    expect(item(d, "II").summary.startsWith("Trạm Y tế phường là cơ quan thường trực")).toBe(true);
  });

  it("chains I./1./a) refs and skips headings as items", () => {
    const d = parseFixture("23-chi-thi-muc-la-ma.txt");
    expect(d).toMatchObject({ docType: "Chỉ thị", number: "05-CT/ĐU", issuer: "ĐẢNG ỦY PHƯỜNG TÂN MAI", signer: "Phạm Quang Huy" });
    expect(d.items.map((i) => [i.ref, i.parentRef])).toEqual([
      ["I.1", null],
      ["I.1.a", "I.1"],
      ["I.1.b", "I.1"],
      ["I.2", null],
      ["I.2.a", "I.2"],
      ["I.2.b", "I.2"],
      ["I.3", null],
      ["II.1", null],
      ["II.2", null],
      ["II.3", null],
    ]);
    expect(item(d, "I.1.b").deadline).toMatchObject({ kind: "month", due: "2024-09-30" });
    expect(unitKeys(item(d, "I.2.a"))).toEqual(["chi-bo-tdp-3", "chi-bo-7"]);
    expect(item(d, "II.3").assignees).toEqual([{ name: "Đảng ủy viên phụ trách địa bàn", role: "lead", unitKey: null }]);
    expect(item(d, "II.3").text).not.toContain("Chỉ thị này");
  });

  it("reads 1.1/1.2 refs under topic lines and ignores the V/v and Kính gửi lines", () => {
    const d = parseFixture("24-cong-van-muc-1-1.txt");
    expect(d).toMatchObject({ docType: "Công văn", number: "317/UBND-VP", issuedDate: "2024-11-18", issuer: "ỦY BAN NHÂN DÂN PHƯỜNG PHÚ HÒA" });
    expect(d.items.map((i) => i.ref)).toEqual(["1.1", "1.2", "2.1", "2.2", "3"]);
    expect(item(d, "1.2").deadline).toMatchObject({ kind: "date", due: "2024-11-30" });
    expect(unitKeys(item(d, "1.1"), "support")).toEqual(["ban-chqs"]);
    expect(item(d, "3").text).not.toContain("đề nghị các đơn vị quan tâm");
  });

  it("reads a text typed without diacritics", () => {
    const d = parseFixture("25-thong-bao-khong-dau.txt");
    expect(d).toMatchObject({ docType: "Thông báo kết luận", number: "47-TB/DU", issuedDate: "2024-07-08", signer: "Nguyen Van Hung" });
    expect(unitKeys(item(d, "1"), "lead")).toEqual(["doan-tn"]);
    expect(unitKeys(item(d, "1"), "support")).toEqual(["hoi-lhpn"]);
    // No year in the phrase: the year comes from the document date.
    expect(item(d, "1").deadline).toMatchObject({ kind: "date", due: "2024-08-15" });
    expect(unitKeys(item(d, "5"))).toEqual(["van-phong-dang-uy"]);
  });

  it("reads recurring duties, a mid-sentence blank line and a 'Riêng' carve-out", () => {
    const d = parseFixture("26-thong-bao-ket-luan-dinh-ky.md");
    expect(item(d, "1").deadline).toMatchObject({ kind: "recurring", every: "month", weekday: 0, weekOfPeriod: -1 });
    expect(item(d, "3").deadline).toMatchObject({ kind: "recurring", every: "quarter" });
    expect(item(d, "4.1").deadline).toMatchObject({ kind: "quarter", due: "2019-03-31" });
    expect(item(d, "4.2").text).toContain("trình Hội đồng nhân dân phường tại kỳ họp giữa năm 2019");
    expect(unitKeys(item(d, "4.2"))).toEqual(["ubnd"]);
    expect(item(d, "5").deadline).toMatchObject({ kind: "half-year", due: "2019-06-30" });
    expect(item(d, "5.1").deadline).toMatchObject({ kind: "date", due: "2019-01-15" });
  });

  it("splits a paragraph with two tasks and two dates, keeping the subject", () => {
    const d = parseFixture("27-cong-van-doan-van.txt");
    const refs = d.items.map((i) => i.ref);
    expect(refs).toHaveLength(5);
    const [a, b] = d.items.filter((i) => /a$|b$/.test(i.ref));
    expect(a?.deadline.due).toBe("2025-01-19");
    expect(b?.deadline.due).toBe("2025-01-24");
    expect(b && unitKeys(b, "lead")).toEqual(["doan-tn"]);
    expect(d.items.some((i) => i.text.startsWith("Thực hiện Kế hoạch"))).toBe(false);
    expect(d.items[0]?.assignees).toEqual([{ name: "Trưởng các thôn", role: "lead", unitKey: null }]);
  });
});

describe("parseDirective: who does the work", () => {
  const assignees = (text: string, ref: string): ParsedItem["assignees"] => item(parseDirective(text), ref).assignees;
  const lead = (keys: string[]): ParsedItem["assignees"] =>
    keys.map((k) => ({ name: expect.any(String), role: "lead" as const, unitKey: k }));

  it("'X yêu cầu A, B thực hiện các nội dung sau:' — A and B lead the items that name no doer, X does not", () => {
    const text =
      "UBND phường yêu cầu Công an phường, Ban CHQS phường thực hiện các nội dung sau:\n" +
      "1. Tăng cường tuần tra, phối hợp chặt chẽ với tổ dân phố 3.\n" +
      "2. Hội CCB phường tuyên truyền phòng chống tội phạm.\n";
    expect(assignees(text, "1")).toEqual([
      ...lead(["cong-an", "ban-chqs"]),
      { name: "Tổ dân phố 3", role: "support", unitKey: "to-dan-pho-3" },
    ]);
    expect(assignees(text, "2")).toEqual(lead(["hoi-ccb"]));
  });

  it("'giao A chủ trì, phối hợp với B thực hiện các nội dung sau:' — roles carry over; the item's own supporters are added", () => {
    const text =
      "Để triển khai Kế hoạch, UBND phường giao Văn phòng UBND phường chủ trì, phối hợp với Hội LHPN thực hiện các nội dung sau:\n" +
      "1. Rà soát hộ nghèo trong tháng 7/2024.\n" +
      "2. Phối hợp với Đoàn phường tổ chức ra quân.\n";
    const expected1 = [
      { name: "Văn phòng HĐND và UBND", role: "lead", unitKey: "van-phong-ubnd" },
      { name: "Hội Liên hiệp Phụ nữ", role: "support", unitKey: "hoi-lhpn" },
    ];
    expect(assignees(text, "1")).toEqual(expected1);
    expect(assignees(text, "2")).toEqual([...expected1, { name: "Đoàn TNCS Hồ Chí Minh", role: "support", unitKey: "doan-tn" }]);
  });

  it("'đề nghị Trưởng các khu phố …' — a role name as written is an addressee; 'các đơn vị' is not", () => {
    const named = "Ủy ban nhân dân phường đề nghị Trưởng các khu phố thực hiện các nội dung sau:\n1. Tuyên truyền nhân dân treo cờ.\n";
    expect(assignees(named, "1")).toEqual([{ name: "Trưởng các khu phố", role: "lead", unitKey: null }]);
    const generic = "Ủy ban nhân dân phường đề nghị các đơn vị thực hiện các nội dung sau:\n1. Tuyên truyền nhân dân treo cờ.\n";
    expect(assignees(generic, "1")).toEqual([]);
  });

  it("'giao ban với …' and a cited document's request are not the intro's ask", () => {
    const briefing =
      "Ngày 05/7/2024, Thường trực Đảng ủy giao ban với Mặt trận, các đoàn thể. Thường trực Đảng ủy kết luận như sau:\n1. Tăng cường công tác tuyên truyền.\n";
    expect(assignees(briefing, "1")).toEqual([]);
    const cited =
      "Thực hiện Công văn số 12/UBND của UBND quận về việc yêu cầu Hội CCB rà soát hội viên.\n\nUBND phường thông báo như sau:\n1. Tăng cường tuyên truyền.\n";
    expect(assignees(cited, "1")).toEqual([]);
  });

  it.each([
    ["1. Các tổ sẽ trực tiếp về tại 01 tổ dân phố để ra quân cùng nhân dân.", []],
    ["1. Tổ chức gặp mặt với Hội CCB phường nhân ngày truyền thống.", []],
    ["1. Tuyên truyền cho các tổ dân phố về phòng cháy.", []],
    ["1. Kiểm tra việc sinh hoạt trong các chi bộ.", []],
    ["1. Hội CCB phường tổ chức ra quân về tại tổ dân phố 5.", ["hoi-ccb"]],
  ])("places and objects are not doers: %s", (text, keys) => {
    expect(unitKeys(item(parseDirective(text), "1"))).toEqual(keys);
  });

  it.each([
    ["1. Đôn đốc và tạo điều kiện cho Ban VHTT phường thực hiện nghiêm chế độ báo cáo.", ["ban-vhtt"]],
    ["1. Giao cho Đoàn phường tổ chức ra quân.", ["doan-tn"]],
    ["1. Đối với Hội CCB: tổ chức gặp mặt hội viên.", ["hoi-ccb"]],
    ["1. Đoàn phường phối hợp với Hội LHPN tổ chức ra quân.", ["doan-tn", "hoi-lhpn"]],
  ])("but 'cho X <task>', 'giao cho X', 'đối với X' and 'phối hợp với X' still name doers: %s", (text, keys) => {
    expect(unitKeys(item(parseDirective(text), "1"))).toEqual(keys);
  });

  it("a point naming units only in passing is led by its parent's units", () => {
    const d = parseDirective("1. Đoàn phường tổ chức Tháng Thanh niên:\n- Ra quân tại các tổ dân phố.\n- Phối hợp với Hội LHPN tuyên truyền.\n");
    expect(item(d, "1.1").assignees).toEqual(lead(["doan-tn"]));
    expect(item(d, "1.2").assignees).toEqual([
      { name: "Đoàn TNCS Hồ Chí Minh", role: "lead", unitKey: "doan-tn" },
      { name: "Hội Liên hiệp Phụ nữ", role: "support", unitKey: "hoi-lhpn" },
    ]);
  });
});

describe("parseDirective: a second task inside one point", () => {
  it("'Nếu … thì <unit> <task>' after a point's text is a sub-item; an exception naming nobody is not", () => {
    const d = parseDirective(
      "I. LỊCH TIẾP CÔNG DÂN\n" +
        "1. Tiếp công dân thường xuyên và đột xuất\n" +
        "UBND xã phân công chuyên viên Văn phòng tiếp công dân thường xuyên trong giờ hành chính.\n" +
        "Nếu có các trường hợp vụ việc phức tạp thì Chủ tịch UBND xã tiếp công dân đột xuất\n" +
        "2. Tiếp công dân định kỳ vào thứ 5 hàng tuần.\n" +
        "Trường hợp Chủ tịch có công tác đột xuất, có thông báo riêng\n",
    );
    expect(d.items.map((i) => [i.ref, i.parentRef])).toEqual([
      ["I.1", null],
      ["I.1.1", "I.1"],
      ["I.2", null],
    ]);
    const sub = item(d, "I.1.1");
    expect(sub.text).toBe("Nếu có các trường hợp vụ việc phức tạp thì Chủ tịch UBND xã tiếp công dân đột xuất");
    expect(unitKeys(sub, "lead")).toEqual(["ubnd"]);
    expect(sub.deadline.kind).toBe("none");
    expect(item(d, "I.1").deadline.kind).toBe("ongoing");
    expect(item(d, "I.2").text).toContain("có thông báo riêng");
  });

  const HOLIDAY_NOTICE =
    "Chủ tịch Ủy ban nhân dân phường thông báo như sau:\n" +
    "1. Cán bộ, công chức được nghỉ 04 ngày, từ thứ Năm ngày 01/9/2022 đến Chủ nhật ngày 04/9/2022.\n" +
    "2. Trưởng các khóm chỉ đạo vệ sinh nơi công cộng, khu dân cư. Thực hiện tốt việc trực cơ quan trong các ngày nghỉ lễ.\n" +
    "3. Các đoàn thể hoàn thành rà soát hội viên trong tháng 9/2022. Báo cáo cụ thể cho Đảng ủy.\n";

  it("a later sentence with a verb first and its own time is a second sub-item; the break the notice announces dates it", () => {
    const d = parseDirective(HOLIDAY_NOTICE);
    expect(d.items.filter((i) => i.parentRef === "2").map((i) => i.ref)).toEqual(["2.1", "2.2"]);
    expect(item(d, "2.1").text).toBe("Trưởng các khóm chỉ đạo vệ sinh nơi công cộng, khu dân cư.");
    expect(item(d, "2.1").deadline.kind).toBe("none");
    expect(item(d, "2.2").deadline).toMatchObject({ kind: "date", due: "2022-09-04", text: "trong các ngày nghỉ lễ" });
    for (const ref of ["2.1", "2.2"]) expect(item(d, ref).assignees).toEqual([{ name: "Trưởng các khóm", role: "lead", unitKey: null }]);
  });

  it("does not split when the first sentence already has the time, or the later one has none", () => {
    const d = parseDirective(HOLIDAY_NOTICE);
    expect(d.items.filter((i) => i.parentRef === "3")).toEqual([]);
    expect(d.items.filter((i) => i.parentRef === "1")).toEqual([]);
    // Without a break announced in the notice, "trong các ngày nghỉ lễ" is no deadline: no split.
    const plain = parseDirective("1. Trưởng các khóm chỉ đạo vệ sinh nơi công cộng. Thực hiện tốt việc trực cơ quan trong các ngày nghỉ lễ.\n");
    expect(plain.items.map((i) => i.ref)).toEqual(["1"]);
    expect(plain.items[0]?.deadline.kind).toBe("none");
  });
});

describe("parseDirective: details", () => {
  it("reads a compact header: number without colon, place and date, doc type", () => {
    const d = parseDirective(
      "ĐẢNG ỦY PHƯỜNG AN BÌNH\nSố 12-TB/ĐU\nAn Bình, ngày 5 tháng 6 năm 2020\nTHÔNG BÁO\n1. Đoàn phường hoàn thành kiện toàn nhân sự trong tháng 6 năm 2020.\n",
    );
    expect(d).toMatchObject({ docType: "Thông báo", number: "12-TB/ĐU", issuer: "ĐẢNG ỦY PHƯỜNG AN BÌNH", issuedDate: "2020-06-05" });
    expect(d.items[0]).toMatchObject({ ref: "1", deadline: { kind: "month", due: "2020-06-30" } });
  });

  it("falls back to the symbol for the document type", () => {
    expect(parseDirective("Số: 86/KH-UBND\n1. Hội CCB rà soát hội viên.").docType).toBe("Kế hoạch");
  });

  it("gives the same result for NFD input", () => {
    const text = readFileSync(path.join(fixtures, "26-thong-bao-ket-luan-dinh-ky.md"), "utf8");
    expect(parseDirective(text.normalize("NFD"))).toEqual(parseDirective(text));
  });

  it("renumbers a list that restarts and says so", () => {
    const d = parseDirective("1. Hội CCB rà soát hội viên.\n2. Đoàn phường ra quân.\n1. Hội LHPN tuyên truyền.\n2. Hội Nông dân vận động.");
    expect(d.items.map((i) => i.ref)).toEqual(["1", "2", "3", "4"]);
    expect(d.warnings.some((w) => w.includes("đánh số lại"))).toBe(true);
  });

  it("nests '+' points under '-' points and passes the month down", () => {
    const d = parseDirective(
      "1. Đoàn phường thực hiện trong tháng 7/2024:\n- Tổ chức ra quân:\n+ Đợt 1 trước ngày 10/7/2024.\n+ Đợt 2 trước ngày 20/7/2024.\n- Báo cáo kết quả.\n2. Hội CCB rà soát.",
    );
    expect(d.items.map((i) => [i.ref, i.parentRef, i.deadline.due])).toEqual([
      ["1", null, "2024-07-31"],
      ["1.1", "1", "2024-07-31"],
      ["1.1.1", "1.1", "2024-07-10"],
      ["1.1.2", "1.1", "2024-07-20"],
      ["1.2", "1", "2024-07-31"],
      ["2", null, null],
    ]);
  });

  it("uses an org's own units", () => {
    const d = parseDirective("1. Tổ công tác số 1 trực chủ nhật xanh hàng tuần.", {
      units: [{ key: "to-cong-tac-1", name: "Tổ công tác số 1", aliases: ["tổ 1"] }],
    });
    expect(d.items[0]?.assignees).toEqual([{ name: "Tổ công tác số 1", role: "lead", unitKey: "to-cong-tac-1" }]);
  });

  it("turns the rows of a plain table under an item into sub-items", () => {
    const d = parseDirective(
      "1. Lịch trực ra quân\n\nTổ | Người phụ trách | Ngày\n---|---|---\nTổ 1 | Nguyễn Văn A | 07/7/2024\nTổ 2 | Trần Thị B | 14/7/2024\n",
    );
    expect(d.items.map((i) => [i.ref, i.parentRef])).toEqual([
      ["1", null],
      ["1.1", "1"],
      ["1.2", "1"],
    ]);
    expect(item(d, "1.2").text).toBe("Tổ 2 — Người phụ trách: Trần Thị B; Ngày: 14/7/2024");
    expect(item(d, "1.2").deadline).toMatchObject({ kind: "date", due: "2024-07-14" });
    expect(item(d, "1.2").assignees).toEqual([{ name: "Trần Thị B", role: "lead", unitKey: null }]);
  });

  it("keeps an unresolved table deadline visible as text with a warning", () => {
    const d = parseDirective("| STT | Nội dung | Đơn vị chủ trì | Thời gian |\n|---|---|---|---|\n| 1 | Ra quân | Đoàn phường | Khi có chỉ đạo |\n");
    expect(d.items[0]?.deadline).toMatchObject({ kind: "none", text: "Khi có chỉ đạo" });
    expect(d.warnings.some((w) => w.includes("Khi có chỉ đạo"))).toBe(true);
  });

  it("splits a request at 'và' in text order, even when the later phrase is the more specific one", () => {
    const d = parseDirective("Đề nghị Hội CCB phường ra quân dọn vệ sinh hàng tuần và báo cáo kết quả trước ngày 30/6/2024.");
    expect(d.items.map((i) => [i.ref, i.deadline.kind, i.deadline.due])).toEqual([
      ["¶1a", "recurring", null],
      ["¶1b", "date", "2024-06-30"],
    ]);
    expect(d.items[1]?.assignees.map((a) => a.unitKey)).toEqual(["hoi-ccb"]);
  });

  it("cuts a long summary at a word boundary", () => {
    const long = `1. Hội LHPN ${"vận động hội viên tham gia phong trào xây dựng gia đình văn hóa ".repeat(4)}`;
    const s = parseDirective(long).items[0]?.summary ?? "";
    expect(s.length).toBeLessThanOrEqual(100);
    expect(s.endsWith("…")).toBe(true);
    expect(long).toContain(s.slice(0, -1));
  });
});

describe("parseDirective: garbage in", () => {
  it("answers empty text with no items and a warning", () => {
    for (const t of ["", "   \n\t ", "\u200b"]) {
      const d = parseDirective(t);
      expect(d.items).toEqual([]);
      expect(d.warnings.length).toBeGreaterThan(0);
    }
  });

  it("answers text without tasks with no items and a warning", () => {
    const d = parseDirective("Hôm nay trời đẹp, cả nhà đi chơi công viên.");
    expect(d.items).toEqual([]);
    expect(d.warnings.some((w) => w.includes("Không tìm thấy nhiệm vụ"))).toBe(true);
  });

  it("never throws, whatever the string", () => {
    const pieces = [
      "1.", "I.", "a)", "- ", "|", "\t", "\n", "\n\n", "Số:", "ngày 31 tháng 2 năm 2020", "Nơi nhận:", "T/M", "BÍ THƯ",
      "Hội CCB", "chủ trì", "phối hợp", "(", ")", "“", "trước ngày 30/6", "hàng tuần", "Riêng", "STT | Nội dung | Đơn vị chủ trì",
      "\u0000", "\ud800", "ắ", "Ⅻ.", "99999.", "1.1.1.1.1", "V/v", "Kính gửi:", "./.", "**", "#", "—", " ",
    ];
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 300; k++) {
      let s = "";
      const len = rand(40);
      for (let j = 0; j < len; j++) s += pieces[rand(pieces.length)] ?? "";
      const d = parseDirective(s);
      expect(Array.isArray(d.items)).toBe(true);
      for (const i of d.items) expect(typeof i.ref).toBe("string");
    }
    expect(() => parseDirective("x".repeat(200_000))).not.toThrow();
    expect(() => parseDirective(undefined as unknown as string)).not.toThrow();
  });
});
