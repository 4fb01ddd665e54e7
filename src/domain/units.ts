/**
 * Units (đơn vị) that directives assign work to: a built-in dictionary of the usual
 * ward-level names and abbreviations, and a matcher that finds them in free text.
 *
 * Matching runs on folded text (lower case, no diacritics, đ→d) so "Uỷ ban", "Ủy ban" and
 * "uy ban" are the same, and on word boundaries so "CCB" inside a longer token never matches.
 * An org's own units (`extraUnits`) extend the dictionary and override it: same key replaces
 * the built-in definition, and an alias an org claims is taken away from built-in units.
 */
import { fold, foldWithMap, sourceSlice } from "./text.ts";

/**
 * One unit (or group of units) and the names it goes by.
 *
 * @example
 * const ccb: UnitDef = { key: "hoi-ccb", name: "Hội Cựu chiến binh", aliases: ["Hội CCB", "CCB"] };
 * const group: UnitDef = { key: "doan-the-ctxh", name: "Các đoàn thể", aliases: ["các đoàn thể CTXH"], members: ["hoi-ccb", "doan-tn"] };
 */
export interface UnitDef {
  /** Stable key, e.g. "hoi-ccb"; groups list member keys in `members`. */
  key: string;
  /** Display name in Vietnamese, e.g. "Hội Cựu chiến binh". */
  name: string;
  /** Other ways the unit is written; matched after folding, so diacritics don't matter. */
  aliases: string[];
  /** For a group unit ("các đoàn thể CTXH"): the keys of its members (may be groups too). */
  members?: string[];
}

/**
 * A unit found in a text.
 *
 * @example
 * matchUnits("Giao Hội CCB phường")[0];
 * // { key: "hoi-ccb", name: "Hội Cựu chiến binh", matched: "Hội CCB phường", start: 5, end: 19 }
 */
export interface UnitMention {
  key: string;
  name: string;
  /** The words as written in the source text. */
  matched: string;
  /** Offset of `matched` in the source text (UTF-16 code units). */
  start: number;
  /** Offset just after `matched`. */
  end: number;
}

const MAT_TRAN_ALIASES = [
  "Mặt trận",
  "Mặt trận Tổ quốc",
  "Mặt trận Tổ quốc Việt Nam",
  "MTTQ",
  "MTTQVN",
  "MTTQ VN",
  "MTTQ Việt Nam",
  "UBMTTQ",
  "UBMTTQVN",
  "UBMTTQ VN",
  "UB MTTQ",
  "Ủy ban MTTQ",
  "Ủy ban MTTQVN",
  "Ủy ban MTTQ VN",
  "Ủy ban MTTQ Việt Nam",
  "Ủy ban Mặt trận",
  "Ủy ban Mặt trận Tổ quốc",
  "Ủy ban Mặt trận Tổ quốc Việt Nam",
  "Ban Thường trực Ủy ban MTTQ",
  "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam",
];

const DOAN_THE_ALIASES = [
  "các đoàn thể",
  "các đoàn thể CTXH",
  "các đoàn thể CT-XH",
  "các đoàn thể chính trị - xã hội",
  "các đoàn thể chính trị xã hội",
  "đoàn thể CTXH",
  "đoàn thể chính trị - xã hội",
  "các tổ chức chính trị - xã hội",
  "các tổ chức chính trị xã hội",
  "các tổ chức CTXH",
  "các tổ chức CT-XH",
];

/** "Mặt trận và các đoàn thể", "MTTQ các đoàn thể CTXH", … (every front name × group name). */
function matTranDoanTheAliases(): string[] {
  const fronts = ["Mặt trận", "Mặt trận Tổ quốc", "MTTQ", "Ủy ban MTTQ", "UBMTTQ"];
  const out: string[] = [];
  for (const f of fronts) {
    for (const g of DOAN_THE_ALIASES) {
      out.push(`${f} và ${g}`, `${f} ${g}`);
    }
  }
  return out;
}

/**
 * The built-in dictionary of ward-level units. Group units carry `members`.
 *
 * @example
 * BUILTIN_UNITS.find((u) => u.key === "hoi-ccb")?.name; // "Hội Cựu chiến binh"
 */
export const BUILTIN_UNITS: readonly UnitDef[] = Object.freeze([
  { key: "mat-tran", name: "Ủy ban Mặt trận Tổ quốc Việt Nam", aliases: MAT_TRAN_ALIASES },
  { key: "hoi-ccb", name: "Hội Cựu chiến binh", aliases: ["Hội Cựu chiến binh", "Hội CCB", "CCB"] },
  {
    key: "doan-tn",
    name: "Đoàn TNCS Hồ Chí Minh",
    aliases: [
      "Đoàn TNCS Hồ Chí Minh",
      "Đoàn TNCS HCM",
      "Đoàn TNCS",
      "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
      "Đoàn Thanh niên",
      "Đoàn TN",
      "ĐTN",
      "Đoàn phường",
      "Đoàn xã",
      "Đoàn thị trấn",
    ],
  },
  {
    key: "hoi-lhpn",
    name: "Hội Liên hiệp Phụ nữ",
    aliases: ["Hội Liên hiệp Phụ nữ", "Hội LH Phụ nữ", "Hội LHPN", "LHPN", "HPN", "Hội Phụ nữ"],
  },
  { key: "hoi-nong-dan", name: "Hội Nông dân", aliases: ["Hội Nông dân", "Hội ND", "HND"] },
  { key: "hoi-nct", name: "Hội Người cao tuổi", aliases: ["Hội Người cao tuổi", "Hội NCT"] },
  { key: "hoi-chu-thap-do", name: "Hội Chữ thập đỏ", aliases: ["Hội Chữ thập đỏ", "Hội CTĐ"] },
  {
    key: "ubnd",
    name: "Ủy ban nhân dân",
    aliases: ["UBND", "Ủy ban nhân dân", "Uỷ ban nhân dân", "UB nhân dân"],
  },
  { key: "hdnd", name: "Hội đồng nhân dân", aliases: ["HĐND", "Hội đồng nhân dân", "Thường trực HĐND", "TT HĐND"] },
  {
    key: "van-phong-ubnd",
    name: "Văn phòng HĐND và UBND",
    aliases: [
      "Văn phòng HĐND và UBND",
      "Văn phòng HĐND UBND",
      "Văn phòng UBND",
      "VP HĐND UBND",
      "VP HĐND và UBND",
      "Văn phòng - Thống kê",
      "Văn phòng Thống kê",
    ],
  },
  {
    key: "van-phong-dang-uy",
    name: "Văn phòng Đảng ủy",
    aliases: ["Văn phòng Đảng ủy", "Văn phòng Đảng uỷ", "VP Đảng ủy", "VPĐU"],
  },
  { key: "cong-an", name: "Công an", aliases: ["Công an phường", "Công an xã", "Công an thị trấn", "CA phường"] },
  {
    key: "ban-chqs",
    name: "Ban Chỉ huy Quân sự",
    aliases: ["Ban Chỉ huy Quân sự", "Ban CHQS", "BCHQS", "Quân sự phường", "Quân sự xã"],
  },
  {
    key: "cong-chuc-vhxh",
    name: "Công chức Văn hóa - Xã hội",
    aliases: ["Công chức Văn hóa - Xã hội", "Công chức Văn hóa Xã hội", "công chức VH-XH", "công chức VHXH"],
  },
  {
    key: "cong-chuc-dcxd",
    name: "Công chức Địa chính - Xây dựng",
    aliases: ["Công chức Địa chính - Xây dựng", "công chức ĐC-XD", "công chức Địa chính", "Địa chính - Xây dựng"],
  },
  {
    key: "cong-chuc-tphc",
    name: "Công chức Tư pháp - Hộ tịch",
    aliases: ["Công chức Tư pháp - Hộ tịch", "công chức TP-HT", "công chức Tư pháp"],
  },
  { key: "ban-vhtt", name: "Ban Văn hóa - Thông tin", aliases: ["Ban Văn hóa - Thông tin", "Ban VHTT"] },
  { key: "tram-y-te", name: "Trạm Y tế", aliases: ["Trạm Y tế", "Trạm YT"] },
  { key: "cac-chi-bo", name: "Các chi bộ", aliases: ["các chi bộ", "chi bộ các tổ dân phố"] },
  {
    key: "cac-to-dan-pho",
    name: "Các tổ dân phố",
    aliases: ["các tổ dân phố", "tổ dân phố", "Ban điều hành các tổ dân phố", "các TDP"],
  },
  {
    key: "doan-the-ctxh",
    name: "Các đoàn thể chính trị - xã hội",
    aliases: DOAN_THE_ALIASES,
    members: ["hoi-ccb", "doan-tn", "hoi-lhpn", "hoi-nong-dan"],
  },
  {
    key: "mat-tran-doan-the",
    name: "Mặt trận và các đoàn thể chính trị - xã hội",
    aliases: matTranDoanTheAliases(),
    members: ["mat-tran", "doan-the-ctxh"],
  },
] satisfies UnitDef[]);

// ---------------------------------------------------------------------------------------------
// Dictionary handling

/**
 * Merge an org's units into the built-ins: an extra unit with a built-in key replaces it, and an
 * alias claimed by an extra unit is removed from every built-in unit.
 *
 * @example
 * mergeUnits(BUILTIN_UNITS, [{ key: "to-1", name: "Tổ 1", aliases: ["tổ 1"] }]).length; // built-ins + 1
 */
export function mergeUnits(base: readonly UnitDef[], extra: readonly UnitDef[] = []): UnitDef[] {
  if (extra.length === 0) return [...base];
  const claimed = new Set<string>();
  for (const u of extra) {
    claimed.add(aliasKey(u.name));
    for (const a of u.aliases) claimed.add(aliasKey(a));
  }
  const extraKeys = new Set(extra.map((u) => u.key));
  const kept = base
    .filter((u) => !extraKeys.has(u.key))
    .map((u) => ({ ...u, aliases: u.aliases.filter((a) => !claimed.has(aliasKey(a))) }));
  return [...kept, ...extra];
}

/** Folded alias reduced to its word tokens ("Chính trị - xã hội" → "chinh tri xa hoi"). */
function aliasKey(alias: string): string {
  return tokens(fold(alias)).join(" ");
}

function tokens(folded: string): string[] {
  return folded.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Separators allowed between alias words: spaces, hyphens/dashes, slashes, "&". */
const SEP = "[\\s\\-\\u2010-\\u2015/&+]+";
const WORD = "\\p{L}\\p{N}";

/** One regex per unit: its aliases as alternatives, longest first. */
interface CompiledUnit {
  unit: UnitDef;
  re: RegExp;
}

interface Compiled {
  units: readonly UnitDef[];
  regexes: CompiledUnit[];
}

const builtinCompiled = compile(BUILTIN_UNITS);
/** Compiled dictionaries per extraUnits array, so an org's list is merged and compiled once. */
const compiledCache = new WeakMap<readonly UnitDef[], Compiled>();

function compile(units: readonly UnitDef[]): Compiled {
  const regexes: CompiledUnit[] = [];
  for (const unit of units) {
    const bodies = new Map<string, string>();
    for (const alias of [unit.name, ...unit.aliases]) {
      const toks = tokens(fold(alias));
      if (toks.length === 0) continue;
      bodies.set(toks.join(" "), toks.map(escapeRegExp).join(SEP));
    }
    if (bodies.size === 0) continue;
    const alternatives = [...bodies.entries()].sort((a, b) => b[0].length - a[0].length).map(([, body]) => body);
    regexes.push({ unit, re: new RegExp(`(?<![${WORD}])(?:${alternatives.join("|")})(?![${WORD}])`, "gu") });
  }
  return { units, regexes };
}

function compiledFor(extraUnits: readonly UnitDef[] | undefined): Compiled {
  if (!extraUnits || extraUnits.length === 0) return builtinCompiled;
  let c = compiledCache.get(extraUnits);
  if (!c) {
    c = compile(mergeUnits(BUILTIN_UNITS, extraUnits));
    compiledCache.set(extraUnits, c);
  }
  return c;
}

/** Unit names followed by these words belong to a higher level (UBND thị xã, MTTQ huyện …). */
const HIGHER_LEVEL = /^[\s,]*(quan|huyen|tinh|thi xa|thanh pho|tp|trung uong|cap tren|cap huyen|cap tinh|cap quan|thi uy|huyen uy|tinh uy|quan uy|thanh uy)(?![\p{L}\p{N}])/u;
/** Words that may follow a unit name and belong to it ("Hội CCB phường"). */
const LEVEL_SUFFIX = /^ (phuong|xa|thi tran)(?![\p{L}\p{N}])/u;

interface Candidate {
  key: string;
  name: string;
  start: number; // folded offsets
  end: number;
}

/**
 * Find unit mentions in a text: numbered "chi bộ N", "chi bộ tổ dân phố N", "chi bộ khu phố N" and
 * "tổ dân phố N"/"TDP N" (keys "chi-bo-7", "chi-bo-tdp-3", "chi-bo-kp-2", "to-dan-pho-5"), then the
 * dictionary (built-ins merged with `extraUnits`), longest alias first, on word boundaries.
 * Mentions of a higher level ("UBND thị xã", "Ủy ban MTTQ huyện") are skipped. Results are in
 * text order and never overlap.
 *
 * @example
 * matchUnits("UBND phường phối hợp với Hội CCB").map((m) => m.key); // ["ubnd", "hoi-ccb"]
 * matchUnits("Chi bộ 3 và TDP 05").map((m) => m.name); // ["Chi bộ 3", "Tổ dân phố 5"]
 */
export function matchUnits(text: string, extraUnits?: readonly UnitDef[]): UnitMention[] {
  if (text.length === 0) return [];
  const { units, regexes } = compiledFor(extraUnits);
  const f = foldWithMap(text);
  const folded = f.text;
  const candidates: Candidate[] = [];

  const numbered: { re: RegExp; key: string; name: string }[] = [
    {
      re: new RegExp(`(?<![${WORD}])chi bo (?:to dan pho|tdp) (?:so )?0*(\\d+[a-z]?)(?![${WORD}])`, "gu"),
      key: "chi-bo-tdp",
      name: "Chi bộ tổ dân phố",
    },
    {
      re: new RegExp(`(?<![${WORD}])chi bo (?:khu pho|kp) (?:so )?0*(\\d+[a-z]?)(?![${WORD}])`, "gu"),
      key: "chi-bo-kp",
      name: "Chi bộ khu phố",
    },
    { re: new RegExp(`(?<![${WORD}])chi bo (?:so )?0*(\\d+[a-z]?)(?![${WORD}])`, "gu"), key: "chi-bo", name: "Chi bộ" },
    {
      re: new RegExp(`(?<![${WORD}])(?:to dan pho|tdp|to dp) (?:so )?0*(\\d+[a-z]?)(?![${WORD}])`, "gu"),
      key: "to-dan-pho",
      name: "Tổ dân phố",
    },
  ];
  for (const { re, key, name } of numbered) {
    for (const m of folded.matchAll(re)) {
      const n = (m[1] ?? "").toUpperCase();
      const custom = units.find((u) => u.key === `${key}-${n.toLowerCase()}`);
      candidates.push({
        key: `${key}-${n.toLowerCase()}`,
        name: custom?.name ?? `${name} ${n}`,
        start: m.index,
        end: m.index + m[0].length,
      });
    }
  }
  for (const { unit, re } of regexes) {
    for (const m of folded.matchAll(re)) {
      candidates.push({ key: unit.key, name: unit.name, start: m.index, end: m.index + m[0].length });
    }
  }

  // Longest first, then leftmost; keep non-overlapping.
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken: Candidate[] = [];
  for (const c of candidates) {
    if (taken.some((t) => c.start < t.end && t.start < c.end)) continue;
    taken.push(c);
  }
  taken.sort((a, b) => a.start - b.start);

  const out: UnitMention[] = [];
  for (const c of taken) {
    const after = folded.slice(c.end, c.end + 24);
    if (HIGHER_LEVEL.test(after)) continue;
    let end = c.end;
    const suffix = LEVEL_SUFFIX.exec(after);
    if (suffix && !/^(to-dan-pho|chi-bo)-/.test(c.key)) end += suffix[0].length;
    const matched = sourceSlice(text, f, c.start, end);
    const start = f.starts[c.start] ?? 0;
    out.push({ key: c.key, name: c.name, matched, start, end: start + matched.length });
  }
  return out;
}

/**
 * Find the unit a name or alias stands for, exactly (after folding), or null.
 *
 * @example
 * resolveUnit("Hội Cựu Chiến Binh")?.key; // "hoi-ccb"
 * resolveUnit("tdp 7")?.name; // "Tổ dân phố 7"
 */
export function resolveUnit(nameOrAlias: string, extraUnits?: readonly UnitDef[]): UnitDef | null {
  const trimmed = nameOrAlias.trim();
  if (trimmed.length === 0) return null;
  const found = matchUnits(trimmed, extraUnits);
  const first = found[0];
  if (found.length !== 1 || !first) return null;
  // The mention must cover the whole name (apart from punctuation and a level suffix).
  const rest = aliasKey(trimmed.slice(0, first.start) + " " + trimmed.slice(first.end));
  if (rest.length > 0) return null;
  const { units } = compiledFor(extraUnits);
  return units.find((u) => u.key === first.key) ?? { key: first.key, name: first.name, aliases: [] };
}

/**
 * The member unit keys of a group, recursively flattened, in dictionary order; a plain unit
 * gives itself, an unknown key gives []. Groups nested in groups are expanded, never returned.
 *
 * @example
 * expandGroup("doan-the-ctxh"); // ["hoi-ccb", "doan-tn", "hoi-lhpn", "hoi-nong-dan"]
 * expandGroup("mat-tran-doan-the"); // ["mat-tran", "hoi-ccb", "doan-tn", "hoi-lhpn", "hoi-nong-dan"]
 */
export function expandGroup(key: string, units: readonly UnitDef[] = BUILTIN_UNITS): string[] {
  const byKey = new Map(units.map((u) => [u.key, u]));
  const out: string[] = [];
  const visit = (k: string, path: Set<string>): void => {
    const u = byKey.get(k);
    if (!u) return;
    if (!u.members || u.members.length === 0) {
      if (!out.includes(k)) out.push(k);
      return;
    }
    if (path.has(k)) return; // a cycle in an org's data: stop rather than loop
    const next = new Set(path).add(k);
    for (const m of u.members) visit(m, next);
  };
  visit(key, new Set());
  return out;
}
