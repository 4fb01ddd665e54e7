import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseDirective } from "../../src/domain/directive-parser.ts";
import { CONFIDENT, MARGIN, rankItems } from "../../src/domain/similarity.ts";
import type { RankedItem } from "../../src/domain/similarity.ts";

// The seed notice (a copy of /work/shared/seeds/thong-bao-ket-luan-2020-06-05.md kept with the fixtures).
const seedPath = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md",
);
const seed = parseDirective(readFileSync(seedPath, "utf8"));
const all = seed.items;
/** What a cadre has open: tasks, not the headings that only group them. */
const leaves = all.filter((i) => !all.some((j) => j.parentRef === i.ref));

/** The app's rule: sure when the top score is at least CONFIDENT and MARGIN ahead of the second. */
const confident = (r: RankedItem[]): boolean =>
  r[0] !== undefined && r[0].score >= CONFIDENT && (r[1] === undefined || r[0].score - r[1].score >= MARGIN);

describe("rankItems on the seed notice", () => {
  it("parses the seed into the items the cases below refer to", () => {
    expect(all.map((i) => i.ref)).toEqual(expect.arrayContaining(["1", "2", "4.1", "6", "6.1", "6.2", "7", "8"]));
  });

  it.each([
    ["xong việc rà soát hội viên rồi ạ", "6.2"],
    ["xong viec ra soat hoi vien roi a", "6.2"],
    ["Đã thống kê xong số liệu đoàn viên thực tế", "6.2"],
    ["đã kiện toàn xong phó bí thư đoàn", "6.1"],
    ["chế độ mai táng phí cho hội viên CCB đang làm hồ sơ", "4.1"],
    ["kế hoạch 6 tháng cuối năm xong rồi", "1"],
    ["tuyên truyền trên facebook, zalo đang làm", "2"],
    ["đổi mới phương thức hoạt động", "7"],
    ["góp ý xây dựng Đảng, chính quyền theo Quyết định 217", "8"],
    ["nắm bắt tư tưởng, nguyện vọng nhân dân ở tổ dân phố", "3"],
  ])("%j → %s, confidently", (text, ref) => {
    for (const items of [all, leaves]) {
      const ranked = rankItems(text, items);
      expect(ranked[0]?.ref, text).toBe(ref);
      expect(confident(ranked), JSON.stringify(ranked.slice(0, 2))).toBe(true);
    }
  });

  it("ranks the specific sub-item above its parent, whose text contains it", () => {
    const ranked = rankItems("rà soát hội viên", all);
    const pos = (ref: string): number => ranked.findIndex((r) => r.ref === ref);
    expect(pos("6.2")).toBeLessThan(pos("6"));
  });

  it("is not sure when the message has no content words or none the items share", () => {
    for (const text of ["xong rồi ạ", "đã hoàn thành", "mua bánh mì", "", "😀"]) {
      const ranked = rankItems(text, leaves);
      expect(confident(ranked), text).toBe(false);
    }
    expect(rankItems("xong rồi ạ", leaves).every((r) => r.score === 0)).toBe(true);
  });

  it("returns every item once, best first, scores in [0, 1]", () => {
    for (const text of ["xong việc rà soát hội viên rồi ạ", "phối hợp với UBND", "a".repeat(10_000)]) {
      const ranked = rankItems(text, all);
      expect(ranked.map((r) => r.ref).sort()).toEqual(all.map((i) => i.ref).sort());
      for (const [i, r] of ranked.entries()) {
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(1);
        if (i > 0) expect(r.score).toBeLessThanOrEqual(ranked[i - 1]?.score ?? 1);
      }
    }
  });

  it("ignores diacritics, letter case and NFC/NFD", () => {
    const a = rankItems("Xong việc RÀ SOÁT hội viên", all);
    expect(rankItems("xong viec ra soat hoi vien", all)).toEqual(a);
    expect(rankItems("Xong việc RÀ SOÁT hội viên".normalize("NFD"), all)).toEqual(a);
  });

  it("keeps the input order between equal scores and handles no items", () => {
    expect(rankItems("xong", leaves).map((r) => r.ref)).toEqual(leaves.map((i) => i.ref));
    expect(rankItems("rà soát", [])).toEqual([]);
  });

  it("asks between two close candidates", () => {
    const items = [
      { ref: "1", summary: "Rà soát hội viên Hội CCB", text: "Rà soát hội viên Hội CCB" },
      { ref: "2", summary: "Rà soát hội viên Hội Phụ nữ", text: "Rà soát hội viên Hội Phụ nữ" },
    ];
    expect(confident(rankItems("rà soát hội viên xong", items))).toBe(false);
    expect(rankItems("rà soát hội viên CCB xong", items)[0]?.ref).toBe("1");
  });

  it("exports thresholds the app can use", () => {
    expect(CONFIDENT).toBeGreaterThan(0);
    expect(CONFIDENT).toBeLessThan(1);
    expect(MARGIN).toBeGreaterThan(0);
    expect(MARGIN).toBeLessThan(CONFIDENT);
  });
});
