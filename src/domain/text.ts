/**
 * Vietnamese text folding: match on a plain lower-case ASCII-ish form while keeping a map back
 * to the original string, so that a phrase found in folded text can be returned exactly as it
 * stands in the source (original casing, diacritics and normalization form).
 *
 * Pure: no I/O, no clock, no environment.
 */

/**
 * Normalize to NFC (precomposed), the form stored and compared everywhere.
 *
 * @example
 * nfc("Ha\u0300ng tua\u0302\u0300n") === "Hàng tuần"; // true
 */
export function nfc(s: string): string {
  return s.normalize("NFC");
}

/** Folded text plus, for each folded UTF-16 unit, the span of the original it came from. */
export interface FoldedText {
  /** The folded text (see {@link fold}). */
  text: string;
  /** `starts[i]`: index in the original where the character behind `text[i]` starts. */
  starts: number[];
  /** `ends[i]`: index in the original just past that character and any marks folded away after it. */
  ends: number[];
}

const COMBINING_MARK = /\p{M}/gu;
const WHITESPACE = /^\s$/u;
/** Invisible characters that are dropped like combining marks. */
const INVISIBLE = /^[\u200b-\u200d\u2060\ufeff\u00ad]$/u;

/** Fold one code point: lower case, no diacritics, đ → d. May return "" (a bare mark). */
function foldCodePoint(ch: string): string {
  if (INVISIBLE.test(ch)) return "";
  return ch.normalize("NFD").toLowerCase().replace(COMBINING_MARK, "").replace(/đ/g, "d");
}

/**
 * Fold `s` and keep a position map to the original.
 * Folding: NFC/NFD-insensitive, lower case, all Vietnamese diacritics removed (đ/Đ → d),
 * any run of whitespace becomes one space, leading and trailing whitespace is dropped.
 *
 * @example
 * const f = foldWithMap("Trước  NGÀY 15/7");
 * f.text;                                        // "truoc ngay 15/7"
 * const i = f.text.indexOf("ngay");
 * sourceSlice("Trước  NGÀY 15/7", f, i, i + 4);  // "NGÀY"
 */
export function foldWithMap(s: string): FoldedText {
  let text = "";
  const starts: number[] = [];
  const ends: number[] = [];
  let spaceStart = -1;
  let spaceEnd = -1;
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    const len = ch.length;
    if (WHITESPACE.test(ch)) {
      if (text.length > 0) {
        if (spaceStart < 0) spaceStart = i;
        spaceEnd = i + len;
      }
      i += len;
      continue;
    }
    const folded = foldCodePoint(ch);
    if (folded === "") {
      // A combining mark (NFD input) or an invisible character: it belongs to the previous one.
      if (ends.length > 0 && spaceStart < 0) ends[ends.length - 1] = i + len;
      i += len;
      continue;
    }
    if (spaceStart >= 0) {
      text += " ";
      starts.push(spaceStart);
      ends.push(spaceEnd);
      spaceStart = -1;
    }
    for (let k = 0; k < folded.length; k++) {
      starts.push(i);
      ends.push(i + len);
    }
    text += folded;
    i += len;
  }
  return { text, starts, ends };
}

/**
 * Fold `s` for matching: lower case, no diacritics, đ → d, whitespace collapsed and trimmed.
 *
 * @example
 * fold("Hằng  THÁNG\n") === "hang thang"; // true
 * fold("Đoàn TNCS".normalize("NFD")) === "doan tncs"; // true
 */
export function fold(s: string): string {
  return foldWithMap(s).text;
}

/**
 * The original substring behind the folded range `[start, end)` of `folded` (made from `source`).
 * Returns "" for an empty range.
 *
 * @example
 * const src = "Thường xuyên kiểm tra";
 * const f = foldWithMap(src);
 * sourceSlice(src, f, 0, 12); // "Thường xuyên"
 */
export function sourceSlice(source: string, folded: FoldedText, start: number, end: number): string {
  if (end <= start) return "";
  const from = folded.starts[start];
  const to = folded.ends[end - 1];
  if (from === undefined || to === undefined) return "";
  return source.slice(from, to);
}

/**
 * Does an item ref fall under the ref a user typed? The ref itself, or one of its sub-points:
 * activation tracks the sub-points of a parent, so "6" means 6.1 and 6.2.
 *
 * @example
 * refCovers("6.2", "6") // true
 * refCovers("16", "6")  // false
 */
export function refCovers(itemRef: string, ref: string): boolean {
  const item = fold(itemRef);
  const asked = fold(ref);
  return item === asked || item.startsWith(`${asked}.`);
}

/**
 * Characters that never belong in stored chat text, ids or names: NUL and the other C0/C1
 * controls (tab and newline kept in text), lone surrogates (half an emoji: invalid UTF-16, which
 * PostgreSQL refuses), the bidirectional overrides and isolates that make a line read backwards
 * on the office's screen (U+202A–E, U+2066–9, U+200E/F, U+061C), and the other invisible format
 * characters except the zero-width joiner inside emoji.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text as it may be stored: NFC, unsafe characters out (see above), Windows line ends as "\n".
 *
 * @example
 * safeText("bc 6\u0000 xong\u202e") // "bc 6 xong"
 */
export function safeText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(UNSAFE, "").normalize("NFC");
}

/**
 * An id or a name as it may be stored: `safeText` on one line, spaces collapsed, trimmed and cut
 * to `max` characters (never inside a surrogate pair). "" when nothing is left.
 *
 * @example
 * safeLine("  Nguyễn\tVăn\u0000 An  ") // "Nguyễn Văn An"
 */
export function safeLine(text: string, max = 200): string {
  const one = safeText(text).replace(/\s+/g, " ").trim();
  return [...one].slice(0, max).join("").trim();
}
