/**
 * Which item a free-text report is about, when the cadre named none (DESIGN.md §4.3, last step
 * of item resolution): rank the candidate items by how much of the message they cover.
 *
 * Text is folded (no diacritics, lower case, đ → d) and cut into syllables; stop words (status
 * words, particles, "việc", "nhiệm vụ" …) are dropped. Vietnamese words are mostly two
 * syllables ("rà soát", "hội viên"), so adjacent syllable pairs count as features too, and weigh
 * more. Each feature is weighted by how rare it is among the candidates (IDF), so words every
 * item shares ("phường", "Mặt trận") decide little.
 *
 * Pure: no I/O, no clock.
 */
import { fold } from "./text.ts";

/**
 * An item as far as ranking goes (ParsedItem and the stored Item both fit).
 *
 * @example
 * const item: RankableItem = { ref: "6.2", summary: "Các đoàn thể hoàn thành việc rà soát …", text: "Các đoàn thể …" };
 */
export interface RankableItem {
  ref: string;
  text: string;
  summary: string;
}

/**
 * One ranked item.
 *
 * @example
 * const r: RankedItem = { ref: "6.2", score: 0.93 };
 */
export interface RankedItem {
  ref: string;
  /** In [0, 1]: 1 = every word of the message is in the item's summary. */
  score: number;
}

/**
 * Below this top score the app asks the cadre to confirm the item.
 *
 * @example
 * const sure = ranked[0] !== undefined && ranked[0].score >= CONFIDENT;
 */
export const CONFIDENT = 0.5;

/**
 * When the best two scores are closer than this, the app asks to confirm too.
 *
 * @example
 * const clear = ranked.length < 2 || ranked[0]!.score - ranked[1]!.score >= MARGIN;
 */
export const MARGIN = 0.15;

/**
 * Folded phrases that say nothing about which item is meant: status words and report verbs.
 * Removed before single syllables so that "thực" in "phương thức" or "số" in "số liệu" stay.
 */
const STOP_PHRASES = [
  "thuc hien", "hoan thanh", "hoan tat", "trien khai", "tiep tuc", "bao cao", "nhiem vu", "cong viec",
  "vuong mac", "kho khan", "ho tro", "de nghi", "phan tram", "sap xong", "da xong", "xong roi",
];
const STOP_PHRASE_RE = new RegExp(`(?<![\\p{L}\\p{N}])(?:${STOP_PHRASES.join("|")})(?![\\p{L}\\p{N}])`, "gu");

/** Folded syllables that never tell items apart: particles, pronouns, function and status words. */
const STOP_WORDS = new Set([
  // particles, pronouns, addresses
  "a", "ah", "ak", "nhe", "nha", "ne", "nhi", "oi", "da", "vang", "em", "anh", "chi", "toi", "minh", "tui", "ban",
  "ok", "voi", "giup", "gium", "chu", "vay", "the", "nao", "gi", "ai", "sao", "roi", "ma",
  // function words
  "va", "cac", "cua", "cho", "la", "thi", "nhung", "mot", "nay", "do", "de", "ve", "theo", "tai", "tu", "den",
  "trong", "tren", "duoi", "khi", "neu", "nen", "vi", "bi", "duoc", "co", "khong", "ko", "chua", "se", "van",
  "con", "nua", "het", "cung", "o", "vao",
  // status words and report verbs
  "xong", "dang", "lam", "sap", "gan", "bc", "vuong", "dat", "nop", "gui",
  // item words
  "viec", "nv", "muc",
]);

function syllables(text: string): string[] {
  return fold(text)
    .replace(STOP_PHRASE_RE, " ")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && !STOP_WORDS.has(w) && !/^\d{1,2}$/.test(w));
}

/** Unigrams and adjacent pairs (pairs as "a b"). */
function features(text: string): Set<string> {
  const syl = syllables(text);
  const out = new Set<string>(syl);
  for (let i = 0; i + 1 < syl.length; i++) out.add(`${syl[i]} ${syl[i + 1]}`);
  return out;
}

/** Only the first few thousand characters of a message are compared: enough to say which item. */
const MAX_CHARS = 2000;
/** A feature found only in the item's full text (not its summary) counts this much. */
const TEXT_ONLY = 0.6;
const PAIR_WEIGHT = 2;

/**
 * Rank `items` by similarity to `text`, best first (ties keep the input order). Scores are in
 * [0, 1]; a message with no content words scores 0 everywhere. Compare the top score with
 * {@link CONFIDENT} and the gap to the second with {@link MARGIN} before trusting it.
 *
 * @example
 * const ranked = rankItems("xong việc rà soát hội viên rồi ạ", parsed.items);
 * ranked[0]; // { ref: "6.2", score: 0.9… }
 */
export function rankItems(text: string, items: readonly RankableItem[]): RankedItem[] {
  if (items.length === 0) return [];
  const query = features(text.slice(0, MAX_CHARS));
  const docs = items.map((it) => {
    const summary = features(it.summary);
    const full = features(`${it.summary} ${it.text}`);
    return { ref: it.ref, summary, full };
  });
  const n = docs.length;
  const df = (f: string): number => docs.reduce((k, d) => k + (d.full.has(f) ? 1 : 0), 0);
  const weights = new Map<string, number>();
  for (const f of query) {
    const pair = f.includes(" ");
    const d = df(f);
    // A pair no item has is word order, not content: its syllables already count as unigrams.
    if (pair && d === 0) continue;
    const idf = Math.log(1 + (n + 1) / (d + 0.5));
    weights.set(f, idf * (pair ? PAIR_WEIGHT : 1));
  }
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  const scored = docs.map((d, index) => {
    if (total === 0) return { ref: d.ref, score: 0, index };
    let covered = 0;
    let inSummary = 0;
    for (const [f, w] of weights) {
      if (d.summary.has(f)) {
        covered += w;
        inSummary++;
      } else if (d.full.has(f)) covered += w * TEXT_ONLY;
    }
    const coverage = covered / total;
    // How much of the summary the message is about: a short, specific item beats a long one that
    // merely contains the same words.
    const focus = d.summary.size === 0 ? 0 : inSummary / Math.min(d.summary.size, Math.max(weights.size, 1));
    const score = Math.min(1, Math.max(0, 0.85 * coverage + 0.15 * Math.min(1, focus)));
    return { ref: d.ref, score: Math.round(score * 1000) / 1000, index };
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.map(({ ref, score }) => ({ ref, score }));
}
