/**
 * Chat intent parser (DESIGN.md §5): what a cadre or leader meant by one chat message.
 *
 * The message is cleaned (NFC, control characters and emoji dropped), cut into tokens on folded
 * text (lower case, no diacritics, đ → d; see text.ts) and stripped of polite particles ("ạ",
 * "nhé", "dạ", "anh ơi" …). Then, in order: a yes/no answer at the start; a command word at the
 * start (slash optional, typos tolerated where only one command is close); phrases anywhere
 * ("ai chưa báo cáo", "việc của tôi", "xin gia hạn"); status words ("xong", "đang làm 80%",
 * "vướng kinh phí") make a report; anything else is `unknown`.
 *
 * Pure and total: any string in, an {@link Interpretation} out; "today" arrives in the context.
 */
import { findDeadline } from "./deadline.ts";
import { fold, foldWithMap, nfc } from "./text.ts";
import { daysInMonth, endOfMonth, isoDay, parseDay, plausibleYear } from "./time.ts";
import { matchUnits } from "./units.ts";
import type { UnitDef } from "./units.ts";

// ---------------------------------------------------------------------------------------------
// Public types

/**
 * What a chat message asks for.
 *
 * @example
 * const i: Intent = "report"; // "bc 6 xong", "xong rồi ạ"
 */
export type Intent =
  | "report"
  | "status"
  | "overdue"
  | "unreported"
  | "my_tasks"
  | "remind"
  | "broadcast"
  | "link"
  | "help"
  | "extend"
  | "decide"
  | "bind_group"
  | "unknown";

/**
 * One chat message, interpreted. Fields that the message does not state are null.
 *
 * @example
 * interpret("bc6 đang làm 80% ạ", { today: "2020-06-20" });
 * // { intent: "report", item: "6", status: "in_progress", uncertain: false, percent: 80, count: null,
 * //   countNoun: null, thisPeriod: false, unit: null, unitKey: null, date: null, invalidDate: null,
 * //   code: null, answer: null, text: "đang làm 80%" }
 * interpret("bc 6 hoàn thàn", { today: "2020-06-20" }); // status "done", uncertain true: ask before recording
 */
export interface Interpretation {
  intent: Intent;
  /** Item ref as the user wrote it, normalised: "6", "6.1", "II.2" (roman upper-case), or null. */
  item: string | null;
  status: "done" | "in_progress" | "blocked" | null;
  /** "80%", "đạt 80%", "80 phần trăm"; 100% ⇒ status done. */
  percent: number | null;
  /** "245 hội viên", "đã rà soát 245 đoàn viên". */
  count: number | null;
  /** What `count` counts, as written: "hội viên" (a reply says "245 hội viên", never a bare number). */
  countNoun: string | null;
  /**
   * The status was read from a status word written wrong ("hoàn thàn", "hoàn thnàh", "hoanf thanhf",
   * "xonh"), an abbreviation ("ht") or a duty named without "đã" ("tuần này tổ 1 ra quân"): the app
   * asks the sender to confirm it before recording anything. False when the status is clear or null.
   */
  uncertain: boolean;
  /**
   * The message speaks of this week or this time ("tuần này", "đợt này", "hôm nay", "chủ nhật
   * này"): a report on a recurring duty is about its current occurrence. Reports only.
   */
  thisPeriod: boolean;
  /** Canonical unit name ("Hội Cựu chiến binh") when a unit is named. */
  unit: string | null;
  unitKey: string | null;
  /** YYYY-MM-DD: "15/7/2020", "ngày 10 tháng 7" (missing year from ctx.today), "hạn 15/07". */
  date: string | null;
  /** A date that was written but does not exist ("31/2"), as written: the app replies helpfully. */
  invalidDate: string | null;
  /** Link code: 4–12 digits after dangky/đăng ký (spaces and dashes between groups allowed). */
  code: string | null;
  /** Yes/no answer to a confirmation question ("có", "đúng rồi", "ừ", "ok" / "không", "sai", "ko"). */
  answer: "yes" | "no" | null;
  /**
   * A leader's decision on an extension: "duyệt (gia hạn 6)", "đồng ý" → approve; "không duyệt",
   * "từ chối", "không đồng ý" → reject. With "gia hạn" the intent is `decide`.
   */
  decision: "approve" | "reject" | null;
  /** Small talk with no task in it: a greeting ("chào đồng chí") or thanks ("cảm ơn văn phòng ạ"). */
  smalltalk: "greeting" | "thanks" | null;
  /**
   * The free text that remains (report note, broadcast or remind message, extension reason), in
   * NFC with original casing and diacritics, trimmed, emoji and control characters removed; the
   * whole message for `unknown`; "" for queries, help and link.
   */
  text: string;
}

/**
 * What {@link interpret} needs to know besides the message.
 *
 * @example
 * const ctx: InterpretContext = { today: "2020-06-20", units: [{ key: "to-1", name: "Tổ 1", aliases: ["tổ 1"] }] };
 */
export interface InterpretContext {
  /** YYYY-MM-DD in Asia/Ho_Chi_Minh: supplies the year of dates written without one. */
  today: string;
  /** The org's own units; they extend and override the built-in dictionary (see matchUnits). */
  units?: readonly UnitDef[];
}

// ---------------------------------------------------------------------------------------------
// Cleaning and tokens

const R = String.raw;
/** Word boundaries on folded text. */
const B = R`(?<![\p{L}\p{N}])`;
const E = R`(?![\p{L}\p{N}])`;

function rx(body: string, flags = "u"): RegExp {
  return new RegExp(`${B}(?:${body})${E}`, flags);
}

const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u{fe0e}\u{fe0f}\u{20e3}\u{e0020}-\u{e007f}]/gu;
/** ASCII emoticons standing alone: ":)", ":D", "=))", "^^", "<3". */
const EMOTICON = /(?<!\S)(?:[:;=][-'^]?[)(\][DdPpOo3|*]+|\^_*\^|<3+)(?!\S)/g;
/** C0/C1 controls except tab and newline; format characters (zero-width space, BOM, ZWJ …). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const FORMAT = /\p{Cf}/gu;

function clean(input: string): string {
  return nfc(typeof input === "string" ? input : "")
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL, " ")
    .replace(FORMAT, "")
    .replace(EMOJI, " ")
    .replace(EMOTICON, " ");
}

type Kind = "word" | "num" | "punct";

interface Token {
  /** Folded form. */
  f: string;
  /** As written (NFC). */
  raw: string;
  /** Offsets in the cleaned message. */
  start: number;
  end: number;
  kind: Kind;
}

/** Roman refs ("ii.2"), numbers with ./- groups ("15/7/2020", "6.1", "1.245"), words, single marks. */
const TOKEN = /(?<![\p{L}\p{N}])[ivx]{1,4}(?:\.\d{1,3})+(?![\p{L}\p{N}])|\d+(?:[./-]\d+|,\d{3}(?!\d))*|\p{L}+|\S/gu;

function tokenize(s: string): Token[] {
  const folded = foldWithMap(s);
  const out: Token[] = [];
  for (const m of folded.text.matchAll(TOKEN)) {
    const a = m.index;
    const b = a + m[0].length;
    const start = folded.starts[a] ?? 0;
    const end = folded.ends[b - 1] ?? start;
    const f = m[0];
    const kind: Kind = /^\d/.test(f) || /^[ivx]+\./.test(f) ? "num" : /^\p{L}/u.test(f) ? "word" : "punct";
    out.push({ f, raw: s.slice(start, end), start, end, kind });
  }
  return out;
}

/** Lower-case raw form, to tell "đang" from "Đảng" when the writer used diacritics. */
function rawLower(t: Token): string {
  return t.raw.toLowerCase();
}

/** A raw token is "plain" (no Vietnamese marks) or one of the listed spellings. */
function rawIs(t: Token, ...spellings: string[]): boolean {
  const r = rawLower(t);
  return r === t.f || spellings.includes(r);
}

// ---------------------------------------------------------------------------------------------
// Particles and fillers

/** Dropped wherever they stand: "ạ/à/a", "ah", "nhé/nhe", "nha", "nè", "nhỉ", "ơi". */
const PARTICLES = new Set(["a", "ah", "ak", "nhe", "nha", "nhen", "ne", "nhi", "oi"]);
/** Who a message may address before "ơi": "anh ơi", "chị ơi", "bot ơi". */
const ADDRESS = new Set(["anh", "chi", "em", "ban", "bot", "ad", "admin", "co", "chu", "bac", "ong", "thay", "sep", "bro"]);
/** Pronouns and set phrases that may open a message ("em", "bên em", "cho em hỏi"). */
const LEADING_FILLERS: readonly (readonly string[])[] = [
  ["cho", "em", "hoi"],
  ["cho", "toi", "hoi"],
  ["cho", "minh", "hoi"],
  ["cho", "hoi"],
  ["cho", "em"],
  ["cho", "toi"],
  ["cho", "minh"],
  ["xin", "chao"],
  ["kinh", "gui"],
  ["kinh", "bao"],
  ["ben", "em"],
  ["ben", "toi"],
  ["ben", "minh"],
  ["don", "doc"],
  ["a", "lo"],
  ["alo"],
  ["chao"],
  ["hi"],
  ["hello"],
  ["em"],
  ["toi"],
  ["minh"],
  ["tui"],
  ["anh"],
  ["chi"],
];
/** A pronoun that is the first syllable of a word: "chi bộ", "chi hội", "tối nay" (tối folds to "toi"). */
const COMPOUNDS: Readonly<Record<string, ReadonlySet<string>>> = {
  chi: new Set(["bo", "hoi", "doan", "cuc", "nhanh", "phi", "tieu", "so", "tiet", "dao", "tra"]),
  toi: new Set(["nay", "mai", "qua", "hom", "thu", "chu"]),
  minh: new Set(["bach", "chung"]),
  anh: new Set(["hung", "sang"]),
};
/** Tails that add nothing: "giúp em", "với", "giùm". */
const TRAILING_FILLERS: readonly (readonly string[])[] = [
  ["giup", "em", "voi"],
  ["giup", "toi", "voi"],
  ["giup", "em"],
  ["giup", "toi"],
  ["giup", "minh"],
  ["gium", "em"],
  ["giup", "voi"],
  ["voi"],
  ["chu"],
  ["anh"],
  ["chi"],
  ["em"],
];
const SEPARATORS = new Set([",", ".", ":", ";", "-", "–", "—", "!", "~", "…", "|", ">", "*", "+", "=", "_"]);

/** Indices of tokens that carry meaning (particles, addresses before "ơi", mentions removed). */
function meaningful(tokens: Token[]): number[] {
  const drop = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.kind === "word" && PARTICLES.has(t.f)) {
      drop.add(i);
      if (t.f === "oi") {
        const p = tokens[i - 1];
        const pp = tokens[i - 2];
        if (p && ADDRESS.has(p.f)) drop.add(i - 1);
        else if (p && pp && ((pp.f === "don" && p.f === "doc") || (pp.f === "dong" && p.f === "chi"))) {
          drop.add(i - 1).add(i - 2);
        }
      }
    }
    // "dạ" with its mark is always politeness.
    if (t.f === "da" && rawLower(t) === "dạ") drop.add(i);
    // "@Đôn Đốc": a mention of the bot.
    if (t.f === "@" && i === 0) {
      drop.add(i);
      if (tokens[i + 1]?.kind === "word") drop.add(i + 1);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) if (!drop.has(i)) out.push(i);
  return out;
}

function seqAt(toks: readonly Token[], at: number, words: readonly string[]): boolean {
  for (let k = 0; k < words.length; k++) if (toks[at + k]?.f !== words[k]) return false;
  return true;
}

/** Drop leading fillers and separators (while something follows) and trailing fillers. */
function trimFillers(toks: Token[]): Token[] {
  let from = 0;
  let to = toks.length;
  for (let guard = 0; guard < 12 && from < to; guard++) {
    const t = toks[from];
    if (!t) break;
    if (t.kind === "punct" && SEPARATORS.has(t.f) && from + 1 < to) {
      from++;
      continue;
    }
    // "dạ", "vâng" as openers ("dạ em báo cáo …"); alone they are answers, kept for that.
    if ((t.f === "da" && rawIs(t, "dạ") && from + 1 < to && isOpenerNext(toks[from + 1])) || (t.f === "vang" && rawIs(t, "vâng") && from + 1 < to)) {
      from++;
      continue;
    }
    const filler = LEADING_FILLERS.find(
      (w) => seqAt(toks, from, w) && from + w.length < to && !(w.length === 1 && COMPOUNDS[w[0] ?? ""]?.has(toks[from + 1]?.f ?? "")),
    );
    if (!filler) break;
    from += filler.length;
  }
  for (let guard = 0; guard < 6 && to > from + 1; guard++) {
    const filler = TRAILING_FILLERS.find((w) => to - w.length > from && seqAt(toks, to - w.length, w));
    if (!filler) break;
    to -= filler.length;
  }
  return toks.slice(from, to);
}

/** After a plain "da", a pronoun or a command means "dạ"; a verb means "đã" (already). */
function isOpenerNext(t: Token | undefined): boolean {
  if (!t) return true;
  if (t.kind === "punct") return true;
  return ["em", "toi", "anh", "chi", "vang", "minh", "bc", "baocao", "xin", "cho"].includes(t.f) || t.f === "/";
}

// ---------------------------------------------------------------------------------------------
// Core string: meaningful tokens joined by spaces, for phrase regexes

interface Core {
  /** The cleaned message that token offsets point into. */
  src: string;
  toks: Token[];
  /** Where the message's meaningful text ends; past the last token when the analysis was capped. */
  end: number;
  /** Folded tokens joined by single spaces. */
  cs: string;
  /** Offset of each token in `cs`. */
  offs: number[];
}

/**
 * Tokens read for meaning. A chat message says what it is about near its start; reading a
 * 10,000-character paste in full would only cost time (its free text is still kept whole).
 */
const MAX_TOKENS = 400;

function makeCore(src: string, all: Token[], end = all[all.length - 1]?.end ?? 0): Core {
  const toks = all.length > MAX_TOKENS ? all.slice(0, MAX_TOKENS) : all;
  const offs: number[] = [];
  let cs = "";
  for (const t of toks) {
    if (cs.length > 0) cs += " ";
    offs.push(cs.length);
    cs += t.f;
  }
  return { src, toks, cs, offs, end };
}

/** Index of the token that holds `cs` offset `pos`. */
function tokAt(core: Core, pos: number): number {
  let lo = 0;
  let hi = core.offs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((core.offs[mid] ?? 0) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

interface Span {
  /** Token indices [a, b) in the core. */
  a: number;
  b: number;
}

function spanOf(core: Core, m: RegExpExecArray | RegExpMatchArray): Span {
  const at = m.index ?? 0;
  return { a: tokAt(core, at), b: tokAt(core, at + Math.max(0, m[0].length - 1)) + 1 };
}

/** The core from token `from` on, as its own Core (offsets rebased). */
function sub(core: Core, from: number): Core {
  return makeCore(core.src, core.toks.slice(from), core.end);
}

// ---------------------------------------------------------------------------------------------
// Yes / no answers

const YES: readonly string[] = [
  "dung roi", "dung vay", "dung the", "dung", "phai roi", "phai", "chinh xac", "chuan roi", "chuan", "dong y",
  "co", "co phai", "u", "uh", "um", "uhm", "uk", "ok", "oke", "okie", "oki", "okay", "yes", "duoc", "dc",
  "da vang", "da dung roi", "da phai", "vang", "da",
];
const NO: readonly string[] = [
  "khong phai", "ko phai", "k phai", "khong dung", "ko dung", "chua dung", "sai roi", "nham roi", "khong co",
  "khong", "ko", "k", "kg", "khg", "hong", "hok", "no", "sai", "nham",
];
/** Multi-word answers are clear even when more text follows without punctuation. */
const CLEAR_ANSWERS = new Set(["dung roi", "phai roi", "chinh xac", "sai roi", "nham roi", "khong phai", "ko phai", "k phai", "khong dung", "ko dung", "chua dung", "dong y", "da vang", "da dung roi"]);

/** Raw spellings that must hold when diacritics are present (folded "co" is also "cô", "cơ" …). */
const ANSWER_RAW: Readonly<Record<string, readonly string[]>> = {
  co: ["có"],
  dung: ["đúng"],
  u: ["ừ", "ừm"],
  um: ["ừm"],
  uh: ["ừh"],
  phai: ["phải"],
  da: ["dạ"],
  vang: ["vâng"],
  duoc: ["được"],
  nham: ["nhầm"],
  hong: ["hông"],
  khong: ["không"],
  chuan: ["chuẩn"],
  chua: ["chưa"],
};

function answerAt(toks: readonly Token[]): { answer: "yes" | "no"; length: number } | null {
  let best: { answer: "yes" | "no"; length: number } | null = null;
  for (const [answer, list] of [["yes", YES], ["no", NO]] as const) {
    for (const phrase of list) {
      const words = phrase.split(" ");
      if (!seqAt(toks, 0, words)) continue;
      const ok = words.every((w, k) => {
        const t = toks[k];
        const raws = ANSWER_RAW[w];
        return t !== undefined && (raws === undefined || rawIs(t, ...raws));
      });
      if (!ok) continue;
      const next = toks[words.length];
      const alone = next === undefined;
      const separated = next !== undefined && next.kind === "punct" && next.f !== "/" && next.f !== "%";
      // "dạ", "vâng" are only answers on their own: "dạ, xong rồi" is politeness.
      const politeOnly = phrase === "da" || phrase === "vang";
      if (!(alone || (separated && !politeOnly) || (CLEAR_ANSWERS.has(phrase) && next.kind === "word"))) continue;
      if (!best || words.length > best.length) best = { answer, length: words.length };
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Commands

interface CommandDef {
  key: string;
  intent: Intent;
  /** Only with a leading slash ("/tb"): too short or too common as a plain word. */
  slashOnly?: boolean;
}

const COMMANDS: readonly CommandDef[] = [
  { key: "dangky", intent: "link" },
  { key: "dangki", intent: "link" },
  { key: "dk", intent: "link", slashOnly: true },
  { key: "lienket", intent: "link" },
  { key: "trogiup", intent: "help" },
  { key: "huongdan", intent: "help" },
  { key: "help", intent: "help" },
  { key: "menu", intent: "help" },
  { key: "giupdo", intent: "help" },
  { key: "hd", intent: "help", slashOnly: true },
  { key: "hdsd", intent: "help" },
  { key: "start", intent: "help", slashOnly: true },
  { key: "lenh", intent: "help", slashOnly: true },
  { key: "nhiemvu", intent: "my_tasks" },
  { key: "nv", intent: "my_tasks", slashOnly: true },
  { key: "viec", intent: "my_tasks", slashOnly: true },
  { key: "vieccuatoi", intent: "my_tasks" },
  { key: "vieccuaem", intent: "my_tasks" },
  { key: "nhiemvucuatoi", intent: "my_tasks" },
  { key: "nhiemvucuaem", intent: "my_tasks" },
  { key: "baocao", intent: "report" },
  { key: "xinbaocao", intent: "report" },
  { key: "baocaotiendo", intent: "report" },
  { key: "baocaotinhhinh", intent: "report" },
  { key: "bc", intent: "report" },
  { key: "bcao", intent: "report" },
  { key: "giahan", intent: "extend" },
  { key: "xingiahan", intent: "extend" },
  { key: "denghigiahan", intent: "extend" },
  { key: "luihan", intent: "extend" },
  { key: "xinluihan", intent: "extend" },
  { key: "xinthemthoigian", intent: "extend" },
  { key: "gh", intent: "extend", slashOnly: true },
  { key: "tinhhinh", intent: "status" },
  { key: "tinhhinhchung", intent: "status" },
  { key: "tiendo", intent: "status" },
  { key: "tiendochung", intent: "status" },
  { key: "tongquan", intent: "status" },
  { key: "thongke", intent: "status" },
  { key: "th", intent: "status", slashOnly: true },
  { key: "quahan", intent: "overdue" },
  { key: "trehan", intent: "overdue" },
  { key: "viecquahan", intent: "overdue" },
  { key: "qh", intent: "overdue", slashOnly: true },
  { key: "chuabaocao", intent: "unreported" },
  { key: "chuabc", intent: "unreported" },
  { key: "cbc", intent: "unreported", slashOnly: true },
  { key: "nhacnho", intent: "remind" },
  { key: "nhac", intent: "remind" },
  { key: "dondoc", intent: "remind" },
  { key: "nn", intent: "remind", slashOnly: true },
  { key: "thongbao", intent: "broadcast" },
  { key: "guithongbao", intent: "broadcast" },
  { key: "tb", intent: "broadcast", slashOnly: true },
  // Office, inside a Zalo group: "/gannhom Hội CCB" binds the group to that unit.
  { key: "gannhom", intent: "bind_group" },
  { key: "gannhomvoi", intent: "bind_group" },
  { key: "gannhomcho", intent: "bind_group" },
];

/** Optimal-string-alignment distance (one transposition counts as one edit), capped at max + 1. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) row.push(i === 0 ? j : 0);
    rows.push(row);
  }
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? [];
    const prev = rows[i - 1] ?? [];
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
  }
  return rows[a.length]?.[b.length] ?? max + 1;
}

interface CommandHit {
  def: CommandDef;
  /** Word tokens the command spans (after the slash). */
  length: number;
  fuzzy: boolean;
}

/** The command written by the first 1–4 word tokens: exact (longest first), else one unambiguous near miss. */
function commandAt(toks: readonly Token[], at: number, slash: boolean): CommandHit | null {
  const joined: string[] = [];
  let acc = "";
  for (let k = 0; k < 4; k++) {
    const t = toks[at + k];
    if (!t || t.kind !== "word") break;
    acc += t.f;
    joined.push(acc);
  }
  for (let k = joined.length; k >= 1; k--) {
    const def = COMMANDS.find((c) => c.key === joined[k - 1] && (slash || !c.slashOnly));
    if (def) return { def, length: k, fuzzy: false };
  }
  let best: { def: CommandDef; length: number; dist: number }[] = [];
  for (let k = 1; k <= joined.length; k++) {
    const cand = joined[k - 1] ?? "";
    if (cand.length < 5) continue;
    for (const def of COMMANDS) {
      if (def.slashOnly || def.key.length < 5) continue;
      const max = def.key.length >= 10 ? 2 : 1;
      const d = editDistance(cand, def.key, max);
      if (d > max) continue;
      const top = best[0];
      if (!top || d < top.dist) best = [{ def, length: k, dist: d }];
      else if (d === top.dist) best.push({ def, length: k, dist: d });
    }
  }
  const intents = new Set(best.map((b) => b.def.intent));
  const first = best[0];
  // Typos rarely hit the first letter: a near miss that starts differently is another word.
  if (!first || intents.size !== 1 || first.def.key[0] !== joined[first.length - 1]?.[0]) return null;
  const longest = best.reduce((x, y) => (y.length > x.length ? y : x), first);
  return { def: longest.def, length: longest.length, fuzzy: true };
}

// ---------------------------------------------------------------------------------------------
// Items

/** Words that introduce an item ref: "nhiệm vụ 6", "nv6", "mục II.2", "việc 6", "số 6". */
const ITEM_WORD = R`nhiem vu|nhiemvu|nv|muc|viec|cong viec|cv|so|phan|noi dung`;
const ROMAN = R`(?:iv|ix|v?i{1,3}|v|x)`;
const REF = R`(?:\d{1,2}(?:\.\d{1,2}){0,2}|${ROMAN}(?:\.\d{1,2}){0,2})`;
/**
 * What may not follow a number for it to be an item ref: units of time, counts, percent ("6 tháng",
 * "245 hội viên", "6 tổ") — unless a number follows that word, which then names a unit or a day
 * after the item ("bc 6 tổ 1 đã xong", "bc 2 tổ dân phố 3 xong", "nv 6 ngày 20/6 đã xong"), or
 * "này" does ("bc 2 tuần này xong": this week's turn of item 2).
 */
const COUNT_AFTER = R`%|phan tram|thang|nam|tuan|ngay|gio|h|phut|lan|nguoi|ho|hoi vien|doan vien|dang vien|to|chi hoi|trieu|nghin|ngan|dong|trang|bai|buoi|cuoc|phieu|truong hop|ho so|suat|km|m`;
/** A dotted ref ("6.2", "II.2") is never a count: only a percent or an amount may rule it out. */
const NOT_AFTER_REF = R`(?:(?<=\.\d{1,2})(?! (?:%|phan tram|trieu|nghin|ngan|ty|dong|km|m)${E})|(?<!\.\d{1,2})(?! (?:${COUNT_AFTER})${E}(?! (?:(?:dan pho )?\d|nay${E}))))`;
const ITEM_RE = new RegExp(
  R`${B}(?:${ITEM_WORD})(?: so)? (${REF})(?: (?:y|diem|gach|tieu muc) (\d{1,2}))?${NOT_AFTER_REF}${E}(?![./-]\d)`,
  "gu",
);
const LEAD_REF_RE = new RegExp(R`^(?:(?:${ITEM_WORD})(?: so)? )?(${REF})(?: (?:y|diem|gach) (\d{1,2}))?${NOT_AFTER_REF}${E}(?![./-]\d)`, "u");

function normRef(ref: string, sub?: string): string | null {
  const parts = ref.split(".");
  const out: string[] = [];
  for (const [i, p] of parts.entries()) {
    if (/^\d+$/.test(p)) {
      const n = Number(p);
      if (n === 0 && i === 0) return null;
      out.push(String(n));
    } else if (/^[ivx]+$/.test(p) && i === 0) {
      out.push(p.toUpperCase());
    } else return null;
  }
  if (sub !== undefined) out.push(String(Number(sub)));
  return out.join(".");
}

interface ItemHit {
  ref: string;
  span: Span;
}

/** Item ref right at the start of `core` (after a command): "6", "nv 6", "mục II.2", "6.1". */
function leadingItem(core: Core): ItemHit | null {
  const m = LEAD_REF_RE.exec(core.cs);
  if (!m?.[1]) return null;
  // A roman numeral alone ("ii") needs an item word before it ("mục II"); "ii.2" does not.
  const bare = !/^\p{L}/u.test(m[0]) || /^\S+$/.test(m[0]);
  if (bare && /^[ivx]/.test(m[1]) && !m[1].includes(".")) return null;
  const ref = normRef(m[1], m[2]);
  return ref ? { ref, span: spanOf(core, m) } : null;
}

/** The first "nhiệm vụ 6"-style ref anywhere. */
function anyItem(core: Core): ItemHit | null {
  for (const m of core.cs.matchAll(ITEM_RE)) {
    const word = m[0].split(" ")[0] ?? "";
    // Roman refs only after the words that number sections.
    if (m[1] && /^[ivx]/.test(m[1]) && !m[1].includes(".") && !["muc", "phan", "nhiem", "nv", "nhiemvu"].includes(word)) continue;
    const ref = m[1] ? normRef(m[1], m[2]) : null;
    if (ref) return { ref, span: spanOf(core, m) };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Status words, percent, count

const BLOCKED_RE = rx(
  [
    R`vuong(?: mac)?`,
    R`kho khan`,
    R`gap kho`,
    R`bi kho`,
    R`chua (?:the )?(?:thuc hien|lam|trien khai|hoan thanh|xu ly|giai quyet|to chuc)(?: xong)? duoc`,
    R`chua the (?:thuc hien|lam|trien khai|hoan thanh|xu ly|giai quyet)`,
    R`khong (?:the )?(?:thuc hien|lam|trien khai|hoan thanh|xu ly|giai quyet)`,
    R`khong kip`,
    R`(?:de nghi|xin|can|mong|nho|kien nghi|de xuat) (?:duoc )?(?:ho tro|giup do|tro giup|thao go)`,
    R`thieu (?:kinh phi|nhan luc|nguoi|so lieu|thong tin|kinh phi)`,
    R`(?:het|khong co|chua co) kinh phi`,
    R`bi ket|dang ket|ach tac|tac nghen`,
  ].join("|"),
  "gu",
);
const IN_PROGRESS_RE = rx(
  [
    R`(?<!(?:cua|cac|chi|ban|cap|to chuc) )dang(?! (?:uy|vien|bo|ky|ki|phi|cong san|doan|vien|tich)${E})`,
    R`(?:chua|sap|gan|se|phan dau|du kien|co gang|chuan bi|dang)(?: \p{L}+){0,2}? (?:xong|hoan thanh|hoan tat)`,
    R`chua (?:thuc hien|lam|trien khai|xong|hoan thanh|hoan tat|hoan thien)`,
    R`tiep tuc`,
    R`da trien khai`,
    R`dang tien hanh`,
  ].join("|"),
  "gu",
);
const DONE_RE = rx(
  [
    R`xong`,
    R`hoan thanh`,
    R`hoan tat`,
    R`da thuc hien`,
    R`da lam`,
    R`da nop`,
    R`da gui`,
    R`da xu ly`,
    R`da giai quyet`,
    R`da hoan thien`,
    R`(?:lam|nop|gui|xu ly|giai quyet) roi`,
  ].join("|"),
  "gu",
);
const PERCENT_RE = new RegExp(R`(?<![\d.,/-])(\d{1,3}(?:[.,]\d{1,2})?) (?:%|phan tram)${E}`, "u");
const COUNT_NOUNS = [
  "hoi vien", "doan vien", "dang vien", "hv", "dv", "ho gia dinh", "ho dan", "ho", "gia dinh", "nguoi", "luot nguoi",
  "luot", "truong hop", "ho so", "cuoc", "buoi", "lop", "phieu", "bai viet", "tin bai", "bai", "tin", "thanh vien",
  "can bo", "hoc sinh", "chau", "suat", "phan qua", "chi hoi", "cay", "don", "y kien", "kien nghi", "mo hinh", "doi tuong",
];
/** "245 hội viên", "1.245 hộ", "245/300 đoàn viên" (the first number counts; the noun is group 2). */
const COUNT_BODY = R`(\d{1,3}(?:[.,]\d{3})+|\d{1,6})(?:/\d{1,6})? (${COUNT_NOUNS.join("|")})${E}`;
const COUNT_RE = new RegExp(R`(?<![\d.,/-])${COUNT_BODY}`, "u");

/** A count right here ("245/300 hội viên"), for telling fractions from dates. */
const COUNT_AT_RE = new RegExp(`^${COUNT_BODY}`, "u");

/**
 * "This week", "this time": the message is about the current period of a recurring duty
 * ("tuần này tổ 1 đã ra quân", "chủ nhật xanh tuần này đã làm xong").
 */
const THIS_PERIOD_RE = rx(R`(?:tuan|dot|lan|ky|thang|quy|chu nhat|cuoi tuan|sang chu nhat) nay|hom nay|sang nay|chieu nay`);
/** A period of this time opening a report ("tuần này, …"), with the space (and comma) after it. */
const PERIOD_LEAD_RE = new RegExp(R`^(?:(?:tuan|dot|lan|ky|thang|quy|chu nhat|cuoi tuan|sang chu nhat) nay|hom nay|sang nay|chieu nay)(?: ,)? `, "u");
/** The periods a duty recurs by: without "đã", "tuần này tổ 1 ra quân" still reports (to be confirmed). */
const DUTY_PERIOD_RE = rx(R`(?:tuan|dot|lan|ky|chu nhat|cuoi tuan|sang chu nhat) nay`);
/** What a recurring duty is done by: "ra quân", "dọn vệ sinh", "tổ chức", "tham gia" … */
const DUTY_ACTIONS = R`ra quan|don ve sinh|don dep|ve sinh|phat quang|thu gom|quet don|trong cay|tuan tra|to chuc|tham gia|sinh hoat|hop|ra soat|kiem tra|tuyen truyen|van dong|tham hoi|trien khai`;
/** "đã ra quân", "đã tổ chức dọn vệ sinh", "ra quân rồi": with a period of this time, done. */
const DUTY_DONE_RE = rx(R`da (?:\p{L}+ ){0,2}?(?:${DUTY_ACTIONS})|(?:${DUTY_ACTIONS})(?: \p{L}+){0,5}? roi`);
const DUTY_ACTION_RE = rx(R`ra quan|don ve sinh|don dep|phat quang|thu gom|quet don|tuan tra`);

type Status = "done" | "in_progress" | "blocked";

/**
 * Status words as cadres mistype them, in folded syllables: "hoàn thàn", "hoàn thnàh", "hoanf
 * thanhf" (Telex tone keys left in), "xonh", "vương mắc". A near miss is read, never trusted.
 */
const NEAR_STATUS: readonly { words: readonly string[]; shapes: readonly string[]; status: Status }[] = (
  [
    ["xong", "done"],
    ["hoàn thành", "done"],
    ["hoàn tất", "done"],
    ["đang làm", "in_progress"],
    ["đang thực hiện", "in_progress"],
    ["đang triển khai", "in_progress"],
    ["vướng mắc", "blocked"],
    ["khó khăn", "blocked"],
  ] as const
).map(([spelled, status]) => ({ words: fold(spelled).split(" "), shapes: spelled.split(" ").map(shapesOf), status }));

/** The letters of a syllable that are more than a tone on a plain letter: "ă â ê ô ơ ư đ" ("vướng" → "ươ"). */
function shapesOf(syllable: string): string {
  return [...syllable.toLowerCase().normalize("NFD").replace(/[\u0300\u0301\u0303\u0309\u0323]/g, "").normalize("NFC")].filter((c) => /[ăâêôơưđ]/.test(c)).join("");
}
/** The letters a near miss may start with. */
const NEAR_FIRST = new Set(NEAR_STATUS.map((n) => n.words[0]?.[0] ?? ""));
/** Abbreviations of status words: "ht" (hoàn thành). */
const STATUS_ABBR: Readonly<Record<string, Status>> = { ht: "done" };

/** What a plain syllable may have been meant as, Telex keys undone: "thanhf" → "thanh", "ddang" → "dang", "hoafn" → "hoan". */
function telexForms(f: string): string[] {
  const out = [f];
  const t = f
    .replace(/^dd/, "d")
    .replace(/(?<=[aeiouy])[sfrxj](?=[a-z])/g, "")
    .replace(/(?<=[a-z]{2})[sfrxj]$/, "")
    .replace(/([aeo])\1/g, "$1")
    .replace(/([aou])w/g, "$1");
  if (t !== f && t.length > 0) out.push(t);
  return out;
}

/**
 * Distance of a typed syllable to the one meant (0 = the same letters), or Infinity past one edit.
 * Marks typed must be the meant word's (tones aside): "vương" may mean "vướng", "dân" never "đang".
 */
function syllableDistance(t: Token, want: string, shapes: string): number {
  // A syllable has at most 7 letters (and 2 Telex keys); typos rarely hit the first letter.
  if (t.kind !== "word" || t.f.length > 9 || t.f[0] !== want[0]) return Infinity;
  if ([...shapesOf(t.raw)].some((c) => !shapes.includes(c))) return Infinity;
  let best = Infinity;
  for (const form of telexForms(t.f)) {
    // Typos rarely hit the first letter.
    if (form[0] !== want[0]) continue;
    best = Math.min(best, editDistance(form, want, 1));
  }
  return best <= 1 ? best : Infinity;
}

interface NearMiss {
  status: Status;
  span: Span;
}

/**
 * The first status word written wrong: a near miss of {@link NEAR_STATUS} (each syllable within
 * one edit, at least one of several syllables right; a lone "xong" only when typed without
 * marks), the same syllables run together ("hoanthan"), or an abbreviation ("ht"). Called only
 * when no status word was read as written.
 */
function nearStatus(core: Core): NearMiss | null {
  const toks = core.toks;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (!t || t.kind !== "word" || t.f.length > 16 || !NEAR_FIRST.has(t.f[0] ?? "")) continue;
    let hit: NearMiss | null = null;
    const abbr = STATUS_ABBR[t.f];
    if (abbr && rawLower(t) === t.f) hit = { status: abbr, span: { a: i, b: i + 1 } };
    for (const near of NEAR_STATUS) {
      if (hit) break;
      const n = near.words.length;
      if (n === 1) {
        const want = near.words[0] ?? "";
        const d = syllableDistance(t, want, near.shapes[0] ?? "");
        if (d === 1 && rawLower(t) === t.f) hit = { status: near.status, span: { a: i, b: i + 1 } };
        continue;
      }
      // Run together: "hoanthanh", "hoànthàn".
      const joined = near.words.join("");
      if (t.f.length >= 6 && t.f[0] === joined[0] && editDistance(t.f, joined, 1) <= 1) {
        hit = { status: near.status, span: { a: i, b: i + 1 } };
        break;
      }
      let total = 0;
      let exact = 0;
      for (let k = 0; k < n && total !== Infinity; k++) {
        const tk = toks[i + k];
        const d = tk ? syllableDistance(tk, near.words[k] ?? "", near.shapes[k] ?? "") : Infinity;
        total += d;
        if (d === 0) exact++;
      }
      if (total <= 2 && exact >= 1) hit = { status: near.status, span: { a: i, b: i + n } };
    }
    if (!hit) continue;
    // "chưa hoàn thàn": not done yet; "không xonh": no status to guess.
    const prev = toks[i - 1]?.f;
    if (prev === "khong" || prev === "ko" || prev === "k") return null;
    if (prev === "chua" && hit.status === "done") return { status: "in_progress", span: { a: i - 1, b: hit.span.b } };
    return hit;
  }
  return null;
}

interface Signals {
  status: Status | null;
  percent: number | null;
  count: number | null;
  /** What the count counts, as written ("hội viên"). */
  countNoun: string | null;
  /** The status was read from a near miss or a guess ("hoàn thàn", "ht", "tuần này ra quân"): to be confirmed. */
  uncertain: boolean;
  /** The tokens of the near miss the status was read from. */
  near: Span | null;
  /** The message speaks of this week, this time (see THIS_PERIOD_RE). */
  thisPeriod: boolean;
  /** Done, blocked, in progress, a percent or a count: the message reports something. */
  strong: boolean;
}

/**
 * What a message reports. With `near`, a status word written wrong (see {@link nearStatus}) or a
 * duty named for this period without "đã" gives a status marked `uncertain`.
 */
function signals(core: Core, near = false): Signals {
  const cs = core.cs;
  let blocked = false;
  for (const m of cs.matchAll(BLOCKED_RE)) {
    if (m[0].startsWith("vuong")) {
      const t = core.toks[tokAt(core, m.index)];
      if (t && !rawIs(t, "vướng")) continue;
    }
    blocked = true;
    break;
  }
  let progress = false;
  for (const m of cs.matchAll(IN_PROGRESS_RE)) {
    if (m[0] === "dang") {
      const t = core.toks[tokAt(core, m.index)];
      if (t && !rawIs(t, "đang")) continue;
      // "đang" needs something after it ("đang làm"); at the very end it is "Đảng" or noise.
      if (m.index + 4 >= cs.length) continue;
    }
    progress = true;
    break;
  }
  const done = DONE_RE.test(cs);
  DONE_RE.lastIndex = 0;
  let percent: number | null = null;
  const pm = PERCENT_RE.exec(cs);
  if (pm?.[1]) {
    const p = Number(pm[1].replace(",", "."));
    if (Number.isFinite(p) && p >= 0 && p <= 100) percent = p;
  }
  let count: number | null = null;
  let countNoun: string | null = null;
  const cm = COUNT_RE.exec(cs);
  if (cm?.[1] && cm[2]) {
    const n = Number(cm[1].replace(/[.,]/g, ""));
    if (Number.isSafeInteger(n)) {
      count = n;
      const from = tokAt(core, cm.index + cm[0].length - cm[2].length);
      const to = tokAt(core, cm.index + cm[0].length - 1);
      countNoun = core.src.slice(core.toks[from]?.start ?? 0, core.toks[to]?.end ?? 0);
    }
  }
  const thisPeriod = THIS_PERIOD_RE.test(cs);
  let status: Signals["status"] = null;
  let uncertain = false;
  let nearSpan: Span | null = null;
  if (blocked) status = "blocked";
  else if (percent !== null) status = percent >= 100 ? "done" : "in_progress";
  else if (progress) status = "in_progress";
  else if (done) status = "done";
  else if (thisPeriod && DUTY_DONE_RE.test(cs)) status = "done";
  else if (near) {
    const miss = nearStatus(core);
    if (miss) {
      status = miss.status;
      uncertain = true;
      nearSpan = miss.span;
    } else if (DUTY_PERIOD_RE.test(cs) && DUTY_ACTION_RE.test(cs)) {
      // "tuần này tổ 1 ra quân dọn vệ sinh": done, or only planned? Asked.
      status = "done";
      uncertain = true;
    }
  }
  return { status, percent, count, countNoun, uncertain, near: nearSpan, thisPeriod, strong: status !== null || count !== null };
}

/**
 * The signals of a message read as a report. A near miss counts after an item ref or a report
 * command, or when it is nearly the whole message ("hoàn thàn rồi", "ht"); in longer free text a
 * word one edit from "xong" is more likely another word.
 */
function reportSignals(core: Core, anchored: boolean): Signals {
  const sig = signals(core, true);
  if (!sig.near || anchored) return sig;
  const words = core.toks.filter((t) => t.kind !== "punct").length;
  const nearWords = sig.near.b - sig.near.a;
  return words - nearWords <= 2 ? sig : signals(core, false);
}

// ---------------------------------------------------------------------------------------------
// Dates

const DATE_LEAD = R`ngay|han|han chot|den|den ngay|toi|toi ngay|truoc|truoc ngay|het|het ngay|vao|vao ngay|tu|tu ngay|luc|sang|chieu|trong ngay|lui den|keo dai den|gia han den|cham nhat|du kien`;
const NUM_DATE_RE = /^(\d{1,2})([./-])(\d{1,2})(?:\2(\d{4}|\d{2}))?$/;
const TEXT_DATE_RE = new RegExp(R`${B}(?:(?:${DATE_LEAD}) )?(?:ngay )?(\d{1,2}) thang (\d{1,2})(?: (?:nam )?(\d{4}))?${E}`, "gu");
const LEAD_BEFORE_RE = new RegExp(R`${B}(?:${DATE_LEAD})(?: ngay)? $`, "u");
const NO_DATE_BEFORE = new Set(["xong", "dat", "duoc", "lam", "hoan", "thanh", "khoang", "tren", "gan"]);

interface DateHit {
  iso: string | null;
  invalid: string | null;
  span: Span;
  /** Introduced by "đến", "hạn", "trước" …: the new due date of an extension. */
  lead: boolean;
}

/** What a day/month/year makes: an ISO date, a day that does not exist, or not a date at all (null). */
type DateValue = { iso: string } | "invalid";

/** Day/month/year (year maybe missing or two-digit) → a {@link DateValue}, or null when not a date at all. */
function toIso(d: number, m: number, y: number | null, today: string): DateValue | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  let year = y;
  if (year !== null && year < 100) year += 2000;
  if (year === null) year = parseDay(today)?.y ?? null;
  if (year === null) return null;
  if (!plausibleYear(year)) return null;
  if (d > daysInMonth(year, m)) return "invalid";
  return { iso: isoDay(year, m, d) };
}

function findDates(core: Core, today: string, skip: Set<number>): DateHit[] {
  const out: DateHit[] = [];
  const leadBefore = (a: number): number => {
    // Extend the span back over a date lead-in ("đến ngày", "hạn", "trước"): a short window only.
    const end = core.offs[a] ?? 0;
    const from = Math.max(0, end - 24);
    const lm = LEAD_BEFORE_RE.exec(core.cs.slice(from, end));
    return lm ? tokAt(core, from + lm.index) : a;
  };
  // Numeric: "15/7/2020", "15-07", "15.7.2020"; a bare "d.m" is a ref unless a date word leads.
  for (const [i, t] of core.toks.entries()) {
    if (t.kind !== "num" || skip.has(i)) continue;
    const m = NUM_DATE_RE.exec(t.f);
    if (!m) continue;
    const hasYear = m[4] !== undefined;
    const a = leadBefore(i);
    const lead = a < i;
    const prev = core.toks[i - 1];
    if (m[2] === "." && !hasYear && !lead) continue;
    if (!hasYear && !lead) {
      // "xong 1/2 khối lượng", "245/300 hội viên": a fraction, not a date ("dự kiến xong 30/6" is one).
      const planned = core.toks.slice(Math.max(0, i - 3), i).some((p) => p.f === "kien" || p.f === "se" || p.f === "truoc");
      if (prev && NO_DATE_BEFORE.has(prev.f) && Number(m[1]) < Number(m[3]) && !planned) continue;
      const at = core.offs[i] ?? 0;
      if (COUNT_AT_RE.test(core.cs.slice(at, at + 40))) continue;
    }
    const iso = toIso(Number(m[1]), Number(m[3]), hasYear ? Number(m[4]) : null, today);
    if (iso === null) continue;
    out.push({ iso: iso === "invalid" ? null : iso.iso, invalid: iso === "invalid" ? t.raw : null, span: { a, b: i + 1 }, lead });
  }
  // Words: "ngày 10 tháng 7", "15 tháng 7 năm 2020".
  for (const m of core.cs.matchAll(TEXT_DATE_RE)) {
    const span = spanOf(core, m);
    if (skip.has(span.a)) continue;
    const iso = toIso(Number(m[1]), Number(m[2]), m[3] === undefined ? null : Number(m[3]), today);
    if (iso === null) continue;
    // The invalid date as written, from the day number on.
    const dayTok = core.toks.findIndex((t, k) => k >= span.a && k < span.b && t.kind === "num");
    const from = core.toks[dayTok]?.start ?? core.toks[span.a]?.start ?? 0;
    const raw = sliceRaw(core, from, core.toks[span.b - 1]?.end ?? from);
    const lead = !/^(?:ngay )?\d/.test(m[0]) || /^ngay /.test(m[0]);
    out.push({ iso: iso === "invalid" ? null : iso.iso, invalid: iso === "invalid" ? raw : null, span, lead });
  }
  out.sort((x, y) => x.span.a - y.span.a);
  return out;
}

function sliceRaw(core: Core, from: number, to: number): string {
  return core.src.slice(from, to);
}

// ---------------------------------------------------------------------------------------------
// Phrases

const QUESTION_RE = new RegExp(
  R`\?|${B}(?:ai|nao|gi|bao nhieu|the nao|ra sao|sao roi|den dau|nhu nao)${E}|${B}(?:chua|khong|ko|chu)(?: (?:em|anh|chi|ban|ad))?$`,
  "u",
);
const EXTEND_RE = rx(R`gia han|giahan|gian han|lui han|lui thoi han|keo dai (?:thoi )?han|doi han|xin them thoi gian|xin lui`);
const UNREPORTED_RE = rx(R`chua (?:co |nop |gui )?(?:bao cao|baocao|bc)|chuabaocao`);
const OVERDUE_RE = rx(R`qua han|quahan|tre han|tre hen|cham tien do|tre tien do|qua thoi han|het han`);
const MY_TASKS_RE = rx(
  [
    R`(?:cac |nhung )?(?:viec|nhiem vu|cong viec|nv)(?: duoc giao)? cua (?:toi|em|minh|tui|chung toi|chung em|ben em|don vi em|don vi toi)`,
    R`(?:toi|em|minh|tui|chung toi|ben em|don vi em)(?: dang| con| da)? (?:co|con|duoc giao|phai lam|can lam|phu trach|dang co|dang lam) (?:nhung |cac )?(?:viec|nhiem vu|cong viec|nv)(?: gi| nao| chua)`,
    R`(?:em|toi|minh) (?:can|phai|con) lam (?:gi|nhung gi|viec gi)`,
    R`(?:danh sach|ds|xem|liet ke) (?:cac |nhung )?(?:viec|nhiem vu|cong viec|nv)(?! (?:\d|so \d))`,
    R`viec (?:can lam|duoc giao|cua minh)`,
  ].join("|"),
);
const HELP_RE = rx(
  [
    R`(?:lam sao|lam the nao|the nao|cach|huong dan|chi)(?: de)? (?:bao cao|dung|su dung|dang ky|gia han|nhap|gui|lien ket)`,
    R`(?:bao cao|dung|su dung|dang ky) (?:nhu )?(?:the nao|ra sao)`,
    R`khong biet (?:bao cao|dung|su dung|lam sao|cach)`,
    R`huong dan|tro giup|help|menu|cac lenh|lenh nao`,
  ].join("|"),
);
/** "sang tháng 8", "qua tháng 8 năm 2020": an extension to the end of a month. */
const TO_MONTH_RE = new RegExp(R`${B}(?:sang|qua|toi|lui sang|lui qua) thang (\d{1,2})(?: nam (\d{4})|/(\d{4}))?${E}`, "u");
/** "hạn đến bao giờ", "bao giờ hết hạn": asking a deadline, answered by the item's status. */
const DUE_QUESTION_RE = rx(
  R`(?:han|het han|den han|thoi han)(?: \p{L}+){0,2}? (?:bao gio|khi nao|ngay nao|hom nao)|(?:bao gio|khi nao|ngay nao) (?:thi )?(?:het han|den han|la han|han|qua han)`,
);
/** "như thế nào", "ra sao", "kiểu gì" opening what follows a command: asking how. */
const HOW_RE = new RegExp(R`^(?:nhu )?(?:the nao|ra sao|sao|kieu gi|lam sao|cach nao)${E}`, "u");
const STATUS_QUESTION_RE = rx(
  [
    R`den dau(?: roi)?`,
    R`(?:the nao|ra sao|sao|nhu nao|nhu the nao) roi`,
    R`(?:xong|hoan thanh|bao cao|lam) (?:hay )?chua(?=(?: (?:em|anh|chi|ban|ad))?(?: \?)?$)`,
    R`bao nhieu (?:viec|nhiem vu|don vi|muc|nv)`,
    R`tinh hinh|tien do|tinhhinh|tiendo`,
  ].join("|"),
);
const STATUS_WORD_RE = rx(R`tinh hinh|tien do|tinhhinh|tiendo|thong ke`);
const REMIND_RE = rx(R`(?:hay|giup|nho|de nghi|can|bot|ban|ad)(?: \p{L}+){0,2}? (?:nhac|don doc)|gui (?:tin )?nhac(?: nho)?`);
const LINK_RE = new RegExp(R`^(?:ma|ma so|ma kich hoat|ma dang ky|ma xac nhan|ma lien ket|code)(?: la)?(?: :)? ((?:\d+ ?){1,4})$`, "u");

/** 4–12 digits from the tokens after a link command ("482913", "4829 1375 0062", "482-913"). */
function linkCode(toks: readonly Token[]): { code: string | null; length: number } {
  let digits = "";
  let n = 0;
  for (const t of toks) {
    if (t.kind === "num" && /^[\d-]+$/.test(t.f) && (digits + t.f.replace(/-/g, "")).length <= 12) {
      digits += t.f.replace(/-/g, "");
      n++;
      continue;
    }
    if (t.kind === "punct" && (t.f === ":" || t.f === "-") && digits.length === 0) {
      n++;
      continue;
    }
    break;
  }
  return { code: digits.length >= 4 && digits.length <= 12 ? digits : null, length: n };
}

// ---------------------------------------------------------------------------------------------
// Free text

const CONNECTORS = new Set(["vi", "do", "boi", "tai", "ly", "la", "voi"]);

function tidy(s: string): string {
  return s
    .split("\n")
    .map((l) => l.replace(/[ \t\u00a0]+/g, " ").trim())
    .filter((l, i, all) => l.length > 0 || (i > 0 && (all[i - 1] ?? "").length > 0))
    .join("\n")
    .trim();
}

/**
 * The original text of core tokens [from, end) minus `cuts`, edges trimmed of separators (and of
 * "vì", "do", "lý do" when `reason`); particles inside the text are kept as written.
 */
function freeText(core: Core, from: number, cuts: readonly Span[], reason: boolean): string {
  const keep: boolean[] = core.toks.map((_, i) => i >= from && !cuts.some((c) => i >= c.a && i < c.b));
  const isEdge = (t: Token): boolean =>
    (t.kind === "punct" && t.f !== "%" && t.f !== ")" && t.f !== '"' && t.f !== "”") ||
    (reason && t.kind === "word" && CONNECTORS.has(t.f));
  let lo = 0;
  let hi = core.toks.length;
  while (lo < hi && (!keep[lo] || isEdge(core.toks[lo] as Token))) lo++;
  const capped = core.end > (core.toks[core.toks.length - 1]?.end ?? 0);
  while (!capped && hi > lo && (!keep[hi - 1] || ((core.toks[hi - 1] as Token).kind === "punct" && isEdge(core.toks[hi - 1] as Token)))) hi--;
  const parts: string[] = [];
  let i = lo;
  while (i < hi) {
    if (!keep[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < hi && keep[j + 1]) j++;
    const a = core.toks[i];
    const b = core.toks[j];
    // The last token read may not be the last of the message: the text runs to its real end.
    const to = j === core.toks.length - 1 ? Math.max(b?.end ?? 0, core.end) : (b?.end ?? 0);
    if (a && b) parts.push(core.src.slice(a.start, to));
    i = j + 1;
  }
  return tidy(parts.join(" "))
    .replace(/^[\s,;:.–—-]+/u, "")
    .replace(/\s+([,.;:!?])/g, "$1")
    .replace(/[\s,;:–—-]+$/u, "")
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Units

/** Words before a unit that make it the reporting unit ("cho hội CCB"); "phối hợp với UBND" names a partner. */
const UNIT_LEADS = new Set(["cho", "cua", "ben", "thay"]);

function unitOf(
  core: Core,
  ctx: InterpretContext,
  mode: "any" | "subject",
  restStart: number,
): { unit: string; unitKey: string } | null {
  if (core.toks.length === 0) return null;
  // Only the tokens we read (not a 10,000-character tail): units sit near the start.
  const last = core.toks[Math.min(core.toks.length, 200) - 1];
  const first = core.toks[0];
  if (!last || !first) return null;
  const text = core.src.slice(0, last.end);
  for (const m of matchUnits(text, ctx.units)) {
    const k = core.toks.findIndex((t) => t.start >= m.start && t.start < m.end);
    if (k < 0) continue;
    if (mode === "any") return { unit: m.name, unitKey: m.key };
    const prev = core.toks[k - 1];
    if (k === restStart || (prev && UNIT_LEADS.has(prev.f))) return { unit: m.name, unitKey: m.key };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Main

function empty(): Interpretation {
  return {
    intent: "unknown",
    item: null,
    status: null,
    percent: null,
    count: null,
    countNoun: null,
    uncertain: false,
    thisPeriod: false,
    unit: null,
    unitKey: null,
    date: null,
    invalidDate: null,
    code: null,
    answer: null,
    decision: null,
    smalltalk: null,
    text: "",
  };
}

const REJECT_RE = /(?:^|\s)(?:khong duyet|khong dong y|tu choi|khong chap thuan)(?=\s|$)/;
const APPROVE_RE = /(?:^|\s)(?:duyet|dong y|chap thuan)(?=\s|$)/;
const THANKS_RE = /^(?:(?:xin )?cam on|cam ta|thanks?|thank you|tks|da nhan|nhan duoc roi|ok|oke|okay|vang|da|da vang|vang a)(?:\s|$)/;
const GREETING_RE = /^(?:(?:xin )?chao|kinh chao|hello|hi|alo|a lo)(?:\s|$)/;

/** The decision and small-talk signals, read from the whole folded message (see `Interpretation`). */
function signalsOf(r: Interpretation, folded: string): Interpretation {
  const decision = REJECT_RE.test(folded) ? "reject" : APPROVE_RE.test(folded) ? "approve" : null;
  const out: Interpretation = { ...r, decision };
  if (decision && r.intent === "extend" && /(?:^|\s)gia han(?=\s|$)/.test(folded)) out.intent = "decide";
  if (out.intent === "unknown" && !decision) {
    if (THANKS_RE.test(folded) || (r.answer === "yes" && r.text === "")) out.smalltalk = "thanks";
    else if (GREETING_RE.test(folded)) out.smalltalk = "greeting";
  }
  return out;
}

/** Query intents answer from the store: their remainder is not a message. */
const QUERIES = new Set<Intent>(["status", "overdue", "unreported", "my_tasks", "help", "link"]);

/**
 * Interpret one chat message. Never throws; an empty, emoji-only or unreadable message is
 * `unknown` with empty text. Dates without a year take the year of `ctx.today` (even when that
 * day has passed); a date that does not exist ("31/2") sets `invalidDate`, not `date`.
 *
 * @example
 * const ctx = { today: "2020-06-20" };
 * interpret("/baocao 6 xong", ctx);                 // intent "report", item "6", status "done", text "xong"
 * interpret("báo cáo nhiệm vụ 4: vướng kinh phí", ctx); // report, item "4", status "blocked", text "vướng kinh phí"
 * interpret("tinh hinh hoi CCB", ctx);              // status, unit "Hội Cựu chiến binh", unitKey "hoi-ccb"
 * interpret("/giahan 6 15/7 chờ số liệu", ctx);      // extend, item "6", date "2020-07-15", text "chờ số liệu"
 * interpret("dang ky 482 913", ctx);                // link, code "482913"
 * interpret("đúng rồi ạ", ctx);                     // unknown, answer "yes"
 */
export function interpret(input: string, ctx: InterpretContext): Interpretation {
  const cleaned = clean(input);
  const words = foldWithMap(cleaned).text.replace(/[^\p{L}\p{N}\s]/gu, " ").replace(/\s+/g, " ").trim();
  return signalsOf(interpretClean(cleaned, ctx), words);
}

function interpretClean(s: string, ctx: InterpretContext): Interpretation {
  const out = empty();
  const all = tokenize(s);
  const kept = meaningful(all).map((i) => all[i] as Token);
  if (kept.length === 0) {
    // "dạ", "dạ dạ": a polite yes and nothing else.
    if (all.some((t) => t.f === "da" && rawLower(t) === "dạ")) out.answer = "yes";
    return out;
  }

  // A yes/no answer first ("đúng rồi", "không, việc 4"); the rest is read on its own.
  let toks = kept;
  const lead = toks[0]?.f === "da" && toks.length > 1 && rawIs(toks[0], "dạ") ? 1 : 0;
  const ans = answerAt(toks.slice(lead));
  if (ans) {
    out.answer = ans.answer;
    toks = toks.slice(lead + ans.length);
  }
  const core = makeCore(s, trimFillers(toks));
  if (core.toks.length === 0 || core.toks.every((t) => t.kind === "punct" && t.f !== "?")) {
    return out;
  }
  // "tôi có việc gì": the pronoun the fillers dropped is what makes it a question about oneself.
  const whole = makeCore(s, toks);

  // Slash command ("/baocao", "/ bc6").
  let at = 0;
  let slash = false;
  while (core.toks[at]?.kind === "punct" && ["/", "\\", "#", "!"].includes(core.toks[at]?.f ?? "")) {
    slash = true;
    at++;
  }
  if (core.toks.length === at) return { ...out, text: tidy(s) };

  const cmd = commandAt(core.toks, at, slash);
  if (slash && !cmd) {
    return fill(out, core, ctx, "unknown", 0, []);
  }
  let r = cmd ? fromCommand(out, core, ctx, cmd, at, slash) : null;
  r ??= fromPhrases(out, core, ctx, whole);
  // Unknown text goes to item similarity and help as it was written, openers included ("chào anh").
  if (r.intent === "unknown") r.text = freeText(whole, 0, [], false);
  return r;
}

/** Read a message that starts with a command word; null when the word turns out not to be one. */
function fromCommand(
  out: Interpretation,
  core: Core,
  ctx: InterpretContext,
  cmd: CommandHit,
  at: number,
  slash: boolean,
): Interpretation | null {
  let rest = at + cmd.length;
  const intent = cmd.def.intent;
  const next = core.toks[rest];

  if (intent === "link") {
    const skipSep = next?.kind === "punct" && next.f === ":" ? 1 : 0;
    const { code, length } = linkCode(core.toks.slice(rest + skipSep));
    const tail = core.toks.length - (rest + skipSep + length);
    if (!slash && (tail > 0 || (cmd.fuzzy && code === null))) return null;
    return { ...out, intent, code };
  }
  if (intent === "my_tasks" && !slash) {
    // "nhiệm vụ 6 xong" is an item, "nhiệm vụ rà soát …" a report; only "nhiệm vụ" alone is a command.
    if (cmd.def.key === "nhiemvu" && next !== undefined && !(next.f === "cua" || next.f === "?")) return null;
  }
  if (intent === "broadcast" && !slash) {
    // "thông báo với anh là đã xong": telling, not broadcasting.
    const n2 = core.toks[rest + 1];
    if (next && (next.f === "voi" || next.f === "cho") && n2 && ADDRESS.has(n2.f)) return null;
  }
  if (intent === "broadcast") {
    while (core.toks[rest]?.kind === "punct" && SEPARATORS.has(core.toks[rest]?.f ?? "")) rest++;
    const first = core.toks[rest];
    return { ...out, intent, text: first ? tidy(core.src.slice(first.start)) : "" };
  }
  if (intent === "help") return { ...out, intent };
  if (intent === "bind_group") {
    // "/gannhom Hội CCB", "gan nhom: hoi ccb": the unit is the whole remainder (the app resolves
    // names the dictionary does not know); `unit` is set when the dictionary knows it.
    while (core.toks[rest]?.kind === "punct" && SEPARATORS.has(core.toks[rest]?.f ?? "")) rest++;
    const first = core.toks[rest];
    const u = first ? unitOf(core, ctx, "any", rest) : null;
    return { ...out, intent, ...(u ?? {}), text: first ? tidy(core.src.slice(first.start)) : "" };
  }
  if (intent === "remind" && !slash) {
    // "nhắc lại giúp em nhiệm vụ 6": asking for oneself, not reminding units.
    const near = core.toks.slice(rest, rest + 3).map((t) => t.f).join(" ");
    if (/(?:^| )(?:giup|cho|gium) (?:em|toi|minh)(?: |$)/.test(near)) return null;
  }

  const restCore = sub(core, rest);
  // "báo cáo như thế nào?": how to report.
  if (intent === "report" && !slash && HOW_RE.test(restCore.cs)) return { ...out, intent: "help" };
  const sig = signals(restCore);
  if (!slash && (intent === "status" || intent === "overdue" || intent === "unreported")) {
    // "Tình hình nv 6: đã xong 100%" reports; "tình hình nv 6 thế nào?" asks.
    if (sig.strong && !QUESTION_RE.test(restCore.cs)) return fill(out, core, ctx, "report", rest, [], rest);
  }
  return fill(out, core, ctx, intent, rest, [], rest);
}

/** Read a message without a leading command: phrases anywhere, then status words. */
function fromPhrases(out: Interpretation, core: Core, ctx: InterpretContext, whole: Core): Interpretation {
  const cs = core.cs;
  if (cs === "?") return { ...out, intent: "help" };
  const lm = LINK_RE.exec(cs);
  if (lm?.[1]) {
    const code = lm[1].replace(/ /g, "");
    return { ...out, intent: "link", code: code.length >= 4 && code.length <= 12 ? code : null };
  }
  if (/^\d{6,12}$/.test(cs)) return { ...out, intent: "link", code: cs };

  const sig = signals(core);
  const question = QUESTION_RE.test(cs);
  const item = anyItem(core) ?? leadingBareItem(core, signals(core, true));

  const em = EXTEND_RE.exec(cs);
  if (em) {
    const span = spanOf(core, em);
    // Text after "xin gia hạn" when it opens the message, else all but that phrase.
    return fill(out, core, ctx, "extend", span.a <= 1 ? span.b : 0, [span], span.b);
  }
  // "nhờ bot nhắc các đơn vị chưa báo cáo": asking to remind, whatever the reminder is about.
  const rm = REMIND_RE.exec(cs);
  if (rm && tokAt(core, rm.index) <= 2 && !sig.strong) {
    const at = spanOf(core, rm).b;
    return fill(out, core, ctx, "remind", at, [], at);
  }
  if ((MY_TASKS_RE.test(whole.cs) || MY_TASKS_RE.test(cs)) && !(item && sig.strong)) return fill(out, core, ctx, "my_tasks", 0, []);
  if (DUE_QUESTION_RE.test(cs)) return fill(out, core, ctx, "status", 0, []);
  if (UNREPORTED_RE.test(cs) && (question || !sig.strong)) return fill(out, core, ctx, "unreported", 0, []);
  if (OVERDUE_RE.test(cs) && (question || !sig.strong)) return fill(out, core, ctx, "overdue", 0, []);
  const sq = STATUS_QUESTION_RE.exec(cs);
  const hm = HELP_RE.exec(cs);
  if (hm && !item && !sig.strong && !(sq && STATUS_WORD_RE.test(cs))) return { ...out, intent: "help" };
  if (sq && (question || !sig.strong)) {
    if (!STATUS_WORD_RE.test(sq[0]) || question || !sig.strong) return fill(out, core, ctx, "status", 0, []);
  }
  if (STATUS_WORD_RE.test(cs) && sig.strong && !question) return fill(out, core, ctx, "report", 0, []);
  if (sig.strong) return fill(out, core, ctx, "report", 0, []);
  // A status word written wrong ("hoàn thàn", "nv 6 xonh", "ht"): a report, to be confirmed.
  if (!question && reportSignals(core, item !== null).strong) return fill(out, core, ctx, "report", 0, []);
  return fill(out, core, ctx, "unknown", 0, []);
}

/** "6 xong", "6.1: đang làm": a bare ref opening the message, when what follows reports. */
function leadingBareItem(core: Core, sig: Signals): ItemHit | null {
  const first = core.toks[0];
  if (!first || first.kind !== "num") return null;
  const hit = leadingItem(core);
  if (!hit) return null;
  const next = core.toks[hit.span.b];
  if (!next) return hit;
  if (next.kind === "punct" && next.f !== "%" && next.f !== "/") return hit;
  if (hit.ref.includes(".")) return hit;
  if (sig.status !== null && /^(?:da|dang|xong|hoan|vuong|kho|chua|duoc|dat|gap|de|khong|sap|gan|bi|em|ok|van|con|lam)$/.test(next.f)) {
    return hit;
  }
  return null;
}

/**
 * Fill the fields an intent uses. `rest` is the core index where the text after the command
 * starts; `cuts` are spans not part of the text; `refAt`, where a bare number is an item ref
 * because a command word stands just before it ("bc 6", "duyệt gia hạn 6").
 */
function fill(
  out: Interpretation,
  core: Core,
  ctx: InterpretContext,
  intent: Intent,
  rest: number,
  cuts: Span[],
  refAt: number | null = null,
): Interpretation {
  const r: Interpretation = { ...out, intent };
  const restCore = sub(core, rest);
  let textFrom = rest;
  const textCuts = [...cuts];

  // Item: right after a command ("bc 6", "/giahan 6"), else "nv 6" anywhere, else a bare "6 xong".
  let item: ItemHit | null = null;
  if (refAt !== null) {
    const li = leadingItem(sub(core, refAt));
    if (li) item = { ref: li.ref, span: { a: li.span.a + refAt, b: li.span.b + refAt } };
  }
  const first = intent === "report" ? signals(restCore, true) : signals(restCore);
  if (!item) item = anyItem(core) ?? (rest === 0 ? leadingBareItem(core, first) : null);
  // A near miss of a status word counts after a report command or an item ref (see reportSignals).
  const sig = intent === "report" ? reportSignals(restCore, item !== null || refAt !== null) : first;
  if (item && intent !== "help" && intent !== "link" && intent !== "broadcast") {
    r.item = item.ref;
    textCuts.push(item.span);
    if (item.span.a === textFrom || item.span.a === rest) textFrom = Math.max(textFrom, item.span.b);
  }
  if (intent === "report" || intent === "extend") textFrom = skipOpeners(core, textFrom);

  if (intent === "report" || intent === "extend" || intent === "remind" || intent === "unknown") {
    // Dates: skip the item ref tokens ("nv 6.1" is not 6 January).
    const skip = new Set<number>();
    if (item) for (let i = item.span.a; i < item.span.b; i++) skip.add(i);
    const dates = findDates(core, ctx.today, skip);
    const pick = intent === "extend" ? (dates.find((d) => d.lead && d.iso !== null) ?? dates[0]) : dates[0];
    if (pick) {
      r.date = pick.iso;
      r.invalidDate = pick.invalid;
      if (intent === "extend") textCuts.push(pick.span);
    } else if (intent === "extend") {
      // "đến cuối tháng 7", "trong quý 3": a period's last day.
      const d = findDeadline(core.src.slice(core.toks[rest]?.start ?? 0, core.toks[Math.min(core.toks.length, 200) - 1]?.end ?? 0), {
        documentDate: parseDay(ctx.today) ? ctx.today : null,
      });
      const mm = TO_MONTH_RE.exec(core.cs);
      const writtenYear = mm?.[2] ?? mm?.[3];
      const year = writtenYear !== undefined ? Number(writtenYear) : (parseDay(ctx.today)?.y ?? null);
      const month = mm ? Number(mm[1]) : 0;
      if (d.due !== null && d.kind !== "recurring" && d.kind !== "ongoing" && d.text) {
        r.date = d.due;
        const dm = foldPhrase(d.text);
        const idx = dm ? core.cs.indexOf(dm) : -1;
        if (idx >= 0) textCuts.push({ a: tokAt(core, idx), b: tokAt(core, idx + dm.length - 1) + 1 });
      } else if (mm && year !== null && month >= 1 && month <= 12) {
        // "sang tháng 8", "qua tháng 8": to the end of that month (deadline.ts has no such lead-in).
        r.date = endOfMonth(isoDay(year, month, 1));
        textCuts.push(spanOf(core, mm));
      }
    }
  }

  if (intent === "report") {
    r.status = sig.status;
    r.uncertain = sig.uncertain;
    r.percent = sig.percent;
    r.count = sig.count;
    r.countNoun = sig.countNoun;
    r.thisPeriod = sig.thisPeriod;
  }
  if (intent === "report" || intent === "extend") {
    // "tuần này Hội CCB đã ra quân": the unit opens the report after the period it speaks of.
    const lead = PERIOD_LEAD_RE.exec(sub(core, textFrom).cs);
    const u = unitOf(core, ctx, "subject", textFrom) ?? (lead ? unitOf(core, ctx, "subject", textFrom + lead[0].split(" ").length - 1) : null);
    if (u) Object.assign(r, u);
  } else if (intent === "status" || intent === "overdue" || intent === "unreported" || intent === "remind" || intent === "my_tasks") {
    const u = unitOf(core, ctx, "any", rest);
    if (u) Object.assign(r, u);
  }

  if (QUERIES.has(intent)) r.text = "";
  else if (intent === "unknown") r.text = freeText(core, 0, [], false);
  else if (intent === "remind") r.text = remindText(core, textFrom, textCuts);
  else r.text = freeText(core, textFrom, textCuts, intent === "extend");
  return r;
}

/** Who to remind ("các đơn vị chưa báo cáo", "hội CCB") opens the remainder; not a message. */
const REMIND_TARGET_RE = new RegExp(
  R`^(?:(?:cac|nhung|tat ca|het|moi|toan bo|lai|ai|nguoi|don vi|can bo|ben|hoi|doan|to|mat tran|ubnd)${E} ?)`,
  "u",
);

/**
 * The message of a reminder: what follows a ":" ("nhắc hội CCB: nộp trước thứ Sáu"), nothing when
 * the remainder only says whom to remind ("các đơn vị chưa báo cáo"), else the remainder.
 */
function remindText(core: Core, from: number, cuts: Span[]): string {
  const rest = sub(core, from);
  const colon = rest.toks.findIndex((t) => t.f === ":");
  if (colon >= 0) return freeText(core, from + colon + 1, cuts, false);
  if (REMIND_TARGET_RE.test(rest.cs)) return "";
  return freeText(core, from, cuts.filter((c) => c.a >= from), false);
}

const OPENER_PRONOUNS = new Set(["em", "anh", "chi", "toi", "minh"]);
/** Words that open an address: "đ/c" (folds to "d", "/", "c"), "đồng chí", "thủ trưởng", "anh" … */
const ADDRESS_HEAD = new Set(["d", "dong", "thu", "kinh", "anh", "chi", "bi", "chu", "thua"]);

/** "anh," / "em báo cáo" / "em xin" opening a report note: the note starts after them. */
function skipOpeners(core: Core, from: number): number {
  let i = from;
  for (let guard = 0; guard < 6; guard++) {
    const t = core.toks[i];
    if (!t) break;
    const next = core.toks[i + 1];
    if (t.kind === "punct" && SEPARATORS.has(t.f)) i++;
    else if (OPENER_PRONOUNS.has(t.f) && !COMPOUNDS[t.f]?.has(next?.f ?? "") && next !== undefined) i++;
    else if (t.f === "xin" && (next?.f === "bao" || next?.f === "bc" || next?.f === "phep")) i++;
    else if (t.f === "bc" || t.f === "baocao" || t.f === "phep") i++;
    else if (i === from && ADDRESS_HEAD.has(t.f)) {
      // "báo cáo đ/c Bí thư, …", "báo cáo anh Hùng, …": the address runs to the first comma.
      const comma = core.toks.slice(i, i + 7).findIndex((x) => x.f === ",");
      if (comma < 0) break;
      i += comma + 1;
    }
    else if (t.f === "bao" && next?.f === "cao") i += 2;
    else break;
  }
  return i < core.toks.length ? i : from;
}

function foldPhrase(s: string): string {
  return tokenize(s)
    .map((t) => t.f)
    .join(" ");
}
