import { describe, expect, it } from "vitest";
import { fold, foldWithMap, nfc, refCovers, sourceSlice } from "../../src/domain/text.ts";

describe("nfc", () => {
  it("composes NFD input", () => {
    const nfd = "Hằng tuần".normalize("NFD");
    expect(nfd).not.toBe("Hằng tuần");
    expect(nfc(nfd)).toBe("Hằng tuần");
  });
});

describe("fold", () => {
  it.each([
    ["Hằng tuần", "hang tuan"],
    ["hàng THÁNG", "hang thang"],
    ["Đoàn TNCS Hồ Chí Minh", "doan tncs ho chi minh"],
    ["đ Đ", "d d"],
    ["Ủy ban Uỷ ban", "uy ban uy ban"],
    ["Quý III/2023", "quy iii/2023"],
    ["chậm nhất là ngày 07", "cham nhat la ngay 07"],
    ["thứ bảy, chủ nhật", "thu bay, chu nhat"],
    ["Ữ Ự Ỵ Ỷ Ỹ Ơ Ư Ă Â Ê Ô", "u u y y y o u a a e o"],
    ["  trong\t tháng\n\n6  ", "trong thang 6"],
    ["a\u00a0b", "a b"],
    ["ng\u200bày", "ngay"],
    ["", ""],
    ["   ", ""],
  ])("fold(%j) = %j", (input, expected) => {
    expect(fold(input)).toBe(expected);
  });

  it("gives the same result for NFC, NFD and upper case", () => {
    const s = "Thường xuyên đổi mới nội dung, phương thức hoạt động";
    const expected = "thuong xuyen doi moi noi dung, phuong thuc hoat dong";
    expect(fold(s)).toBe(expected);
    expect(fold(s.normalize("NFD"))).toBe(expected);
    expect(fold(s.toUpperCase())).toBe(expected);
    expect(fold(s.toUpperCase().normalize("NFD"))).toBe(expected);
  });

  it("is idempotent", () => {
    const once = fold("Ngày 05 tháng 6 năm 2020, Ban Thường vụ Đảng ủy");
    expect(fold(once)).toBe(once);
  });
});

describe("foldWithMap / sourceSlice", () => {
  it("maps folded positions back to the original substring", () => {
    const src = "Mặt trận hoàn thành trước  NGÀY 15/7/2023.";
    const f = foldWithMap(src);
    expect(f.text).toBe("mat tran hoan thanh truoc ngay 15/7/2023.");
    expect(f.starts).toHaveLength(f.text.length);
    expect(f.ends).toHaveLength(f.text.length);
    const i = f.text.indexOf("truoc");
    const j = f.text.indexOf("2023") + 4;
    expect(sourceSlice(src, f, i, j)).toBe("trước  NGÀY 15/7/2023");
  });

  it("keeps the combining marks of NFD input inside the slice", () => {
    const src = "Thường xuyên kiểm tra".normalize("NFD");
    const f = foldWithMap(src);
    expect(f.text).toBe("thuong xuyen kiem tra");
    const slice = sourceSlice(src, f, 0, "thuong xuyen".length);
    expect(slice).toBe("Thường xuyên".normalize("NFD"));
    expect(slice.normalize("NFC")).toBe("Thường xuyên");
  });

  it("drops leading whitespace from the map", () => {
    const src = "\n  hàng tuần";
    const f = foldWithMap(src);
    expect(f.text).toBe("hang tuan");
    expect(f.starts[0]).toBe(3);
    expect(sourceSlice(src, f, 0, f.text.length)).toBe("hàng tuần");
  });

  it("returns an empty string for an empty range", () => {
    const src = "quý 3";
    expect(sourceSlice(src, foldWithMap(src), 2, 2)).toBe("");
  });
});

describe("refCovers", () => {
  it("takes a ref and its sub-points, whatever the case or spacing, and nothing else", () => {
    expect(refCovers("6", "6")).toBe(true);
    expect(refCovers("6.2", "6")).toBe(true);
    expect(refCovers("6.2.1", "6.2")).toBe(true);
    expect(refCovers("16", "6")).toBe(false);
    expect(refCovers("6", "6.2")).toBe(false);
    expect(refCovers("4A", "4a")).toBe(true);
  });
});
