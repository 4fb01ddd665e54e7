import { describe, expect, it } from "vitest";
import { BUILTIN_UNITS, expandGroup, matchUnits, mergeUnits, resolveUnit } from "../../src/domain/units.ts";
import type { UnitDef } from "../../src/domain/units.ts";

const keys = (text: string, extra?: UnitDef[]): string[] => matchUnits(text, extra).map((m) => m.key);

describe("matchUnits", () => {
  it("finds the usual names and abbreviations of each built-in unit", () => {
    expect(keys("Mặt trận")).toEqual(["mat-tran"]);
    expect(keys("UBMTTQVN phường")).toEqual(["mat-tran"]);
    expect(keys("Ủy ban Mặt trận Tổ quốc Việt Nam phường")).toEqual(["mat-tran"]);
    expect(keys("Hội CCB, CCB, Hội Cựu chiến binh")).toEqual(["hoi-ccb", "hoi-ccb", "hoi-ccb"]);
    expect(keys("Đoàn TNCS Hồ Chí Minh; Đoàn phường; Đoàn thanh niên; ĐTN")).toEqual(["doan-tn", "doan-tn", "doan-tn", "doan-tn"]);
    expect(keys("Hội Liên hiệp Phụ nữ; Hội LHPN; HPN; Hội Phụ nữ")).toEqual(["hoi-lhpn", "hoi-lhpn", "hoi-lhpn", "hoi-lhpn"]);
    expect(keys("Hội Nông dân và HND")).toEqual(["hoi-nong-dan", "hoi-nong-dan"]);
    expect(keys("HĐND, Văn phòng Đảng ủy")).toEqual(["hdnd", "van-phong-dang-uy"]);
  });

  it("treats Ủy/Uỷ, NFC/NFD, letter case and missing diacritics alike", () => {
    expect(keys("Ủy ban nhân dân")).toEqual(["ubnd"]);
    expect(keys("Uỷ ban nhân dân")).toEqual(["ubnd"]);
    expect(keys("uy ban nhan dan")).toEqual(["ubnd"]);
    expect(keys("HỘI CỰU CHIẾN BINH".normalize("NFD"))).toEqual(["hoi-ccb"]);
  });

  it("reports the words as written and their offsets in the source", () => {
    const text = "Giao Uỷ ban  nhân dân phường phối hợp với hội ccb.";
    const found = matchUnits(text);
    expect(found.map((m) => m.matched)).toEqual(["Uỷ ban  nhân dân phường", "hội ccb"]);
    for (const m of found) expect(text.slice(m.start, m.end)).toBe(m.matched);
    // Offsets stay right in NFD input, where one letter is several code units.
    const nfd = "Đề nghị Hội Cựu chiến binh".normalize("NFD");
    const [m] = matchUnits(nfd);
    expect(m && nfd.slice(m.start, m.end).normalize("NFC")).toBe("Hội Cựu chiến binh");
  });

  it("matches on word boundaries only", () => {
    expect(keys("HCCB, CCBx, xCCB, MTTQX")).toEqual([]);
    expect(keys("(CCB)")).toEqual(["hoi-ccb"]);
  });

  it("prefers the longest alias: a group name is one mention, not two", () => {
    const found = matchUnits("Mặt trận và các đoàn thể chính trị - xã hội phường");
    expect(found.map((m) => m.key)).toEqual(["mat-tran-doan-the"]);
    expect(keys("các đoàn thể CTXH")).toEqual(["doan-the-ctxh"]);
    expect(keys("các tổ chức chính trị xã hội")).toEqual(["doan-the-ctxh"]);
    expect(keys("Mặt trận các đoàn thể CTXH")).toEqual(["mat-tran-doan-the"]);
  });

  it("skips units of a higher level", () => {
    expect(keys("lãnh đạo UBND thị xã và Ủy ban MTTQ huyện")).toEqual([]);
    expect(keys("UBND phường, UBND quận")).toEqual(["ubnd"]);
  });

  it("numbers chi bộ and tổ dân phố units, dropping leading zeros", () => {
    const found = matchUnits("Chi bộ số 3, chi bộ tổ dân phố 05, TDP 07 và tổ dân phố số 12");
    expect(found.map((m) => [m.key, m.name])).toEqual([
      ["chi-bo-3", "Chi bộ 3"],
      ["chi-bo-tdp-5", "Chi bộ tổ dân phố 5"],
      ["to-dan-pho-7", "Tổ dân phố 7"],
      ["to-dan-pho-12", "Tổ dân phố 12"],
    ]);
    expect(keys("các tổ dân phố còn lại")).toEqual(["cac-to-dan-pho"]);
  });

  it("extends the dictionary with an org's units and lets them claim aliases", () => {
    const extra: UnitDef[] = [
      { key: "to-cong-tac-1", name: "Tổ công tác số 1", aliases: ["tổ 1", "tổ công tác 1"] },
      { key: "doan-khu-pho", name: "Đoàn khu phố", aliases: ["Đoàn phường"] },
    ];
    expect(keys("Tổ 1 trực tuần này", extra)).toEqual(["to-cong-tac-1"]);
    expect(keys("Tổ 1 trực tuần này")).toEqual([]);
    expect(keys("Đoàn phường", extra)).toEqual(["doan-khu-pho"]);
    // The other aliases of the built-in unit still work.
    expect(keys("Đoàn TNCS", extra)).toEqual(["doan-tn"]);
  });

  it("replaces a built-in unit that has the same key", () => {
    const extra: UnitDef[] = [{ key: "hoi-ccb", name: "Hội CCB phường An Lạc", aliases: ["Hội CCB"] }];
    expect(matchUnits("Hội CCB", extra).map((m) => m.name)).toEqual(["Hội CCB phường An Lạc"]);
    expect(keys("Hội Cựu chiến binh", extra)).toEqual([]);
  });

  it("returns nothing for empty or unrelated text", () => {
    expect(matchUnits("")).toEqual([]);
    expect(matchUnits("Tăng cường công tác tuyên truyền")).toEqual([]);
  });
});

describe("expandGroup", () => {
  it("flattens groups into member units", () => {
    expect(expandGroup("doan-the-ctxh")).toEqual(["hoi-ccb", "doan-tn", "hoi-lhpn", "hoi-nong-dan"]);
    expect(expandGroup("mat-tran-doan-the")).toEqual(["mat-tran", "hoi-ccb", "doan-tn", "hoi-lhpn", "hoi-nong-dan"]);
  });

  it("gives a plain unit itself and an unknown key nothing", () => {
    expect(expandGroup("hoi-ccb")).toEqual(["hoi-ccb"]);
    expect(expandGroup("khong-co")).toEqual([]);
  });

  it("stops on a cycle in an org's data", () => {
    const units: UnitDef[] = [
      { key: "a", name: "A", aliases: [], members: ["b", "x"] },
      { key: "b", name: "B", aliases: [], members: ["a"] },
      { key: "x", name: "X", aliases: [] },
    ];
    expect(expandGroup("a", units)).toEqual(["x"]);
  });
});

describe("resolveUnit and mergeUnits", () => {
  it("resolves a whole name or alias, not a longer phrase", () => {
    expect(resolveUnit("Hội Cựu Chiến Binh")?.key).toBe("hoi-ccb");
    expect(resolveUnit("Hội CCB phường")?.key).toBe("hoi-ccb");
    expect(resolveUnit("tdp 7")?.name).toBe("Tổ dân phố 7");
    expect(resolveUnit("Hội CCB thị xã")).toBeNull();
    expect(resolveUnit("Chủ tịch Hội CCB")).toBeNull();
    expect(resolveUnit("   ")).toBeNull();
  });

  it("does not change the built-in dictionary", () => {
    const before = JSON.stringify(BUILTIN_UNITS);
    const merged = mergeUnits(BUILTIN_UNITS, [{ key: "x", name: "Hội CCB", aliases: ["HPN"] }]);
    expect(merged.find((u) => u.key === "hoi-lhpn")?.aliases).not.toContain("HPN");
    expect(JSON.stringify(BUILTIN_UNITS)).toBe(before);
  });
});
