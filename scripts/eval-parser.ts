/**
 * Scores the directive parser against hand-annotated fixtures (`npm run eval:parser`).
 *
 * Fixture sets: `../shared/fixtures/directives/` (skipped when absent) and
 * `test/fixtures/directives/`. Each `NAME.expected.json` is paired with `NAME.txt`, `NAME.md` or
 * `NAME.docx`, read through `readDirectiveFile` and parsed with the issued date found by the parser.
 *
 * Scores (micro-averaged over items in the overall line):
 * - item recall: expected items matched one-to-one by a parsed item; first by ref (a letter
 *   segment equals its ordinal: "2.a" = "2.1"; paragraph refs "¶N" never match by ref), then by
 *   summary similarity: the share of the expected summary's words (folded) found in the parsed
 *   item's text, plus 0.25 when both have the same deadline phrase; at least 0.5, best pairs first.
 * - assignee recall: expected assignees of matched items found among the parsed assignees, the
 *   same unit by dictionary key (groups count for their members) or the same folded name.
 * - deadline exactness: matched items whose deadline kind and due date both equal the expected.
 *
 * Always exits 0: this is a report. `-v` lists the misses.
 */
import { readdirSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expandGroup, fold, matchUnits, parseDirective } from "../src/domain/index.ts";
import type { ParsedItem } from "../src/domain/index.ts";
import { readDirectiveFile } from "../src/files/index.ts";

interface ExpectedItem {
  ref: string;
  summary: string;
  assignees: string[];
  deadline: { kind: string; text: string | null; due: string | null; every: string | null };
}

interface Expected {
  items: ExpectedItem[];
}

interface DocScore {
  name: string;
  expected: number;
  matched: number;
  assigneesExpected: number;
  assigneesFound: number;
  deadlineExact: number;
  misses: string[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const verbose = process.argv.includes("-v") || process.argv.includes("--verbose");

function normRef(ref: string): string {
  return ref
    .replace(/\s+/g, "")
    .split(".")
    .map((seg) => (/^[a-zđ]$/.test(seg) ? String(seg === "đ" ? 5 : seg.charCodeAt(0) - 96 + (seg > "d" ? 1 : 0)) : seg))
    .join(".")
    .toLowerCase();
}

function tokens(s: string): string[] {
  return fold(s)
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

function similarity(expected: ExpectedItem, parsed: ParsedItem): number {
  const want = [...new Set(tokens(expected.summary))];
  if (want.length === 0) return 0;
  const have = new Set(tokens(`${parsed.summary} ${parsed.text}`));
  const share = want.filter((t) => have.has(t)).length / want.length;
  // The same deadline phrase is strong evidence that two readings describe the same task.
  const et = expected.deadline.text ? fold(expected.deadline.text) : "";
  const sameDeadline = et.length > 0 && parsed.deadline.text !== null && fold(parsed.deadline.text) === et;
  return share + (sameDeadline ? 0.25 : 0);
}

function matchItems(expected: ExpectedItem[], parsed: ParsedItem[]): Map<number, ParsedItem> {
  const out = new Map<number, ParsedItem>();
  const used = new Set<ParsedItem>();
  expected.forEach((e, i) => {
    if (e.ref.startsWith("¶")) return;
    const p = parsed.find((x) => !used.has(x) && normRef(x.ref) === normRef(e.ref));
    if (p) {
      out.set(i, p);
      used.add(p);
    }
  });
  const pairs: { i: number; p: ParsedItem; s: number }[] = [];
  expected.forEach((e, i) => {
    if (out.has(i)) return;
    for (const p of parsed) if (!used.has(p)) pairs.push({ i, p, s: similarity(e, p) });
  });
  pairs.sort((a, b) => b.s - a.s);
  for (const { i, p, s } of pairs) {
    if (s < 0.5) break;
    if (out.has(i) || used.has(p)) continue;
    out.set(i, p);
    used.add(p);
  }
  return out;
}

function unitKeys(name: string): Set<string> {
  const keys = new Set<string>();
  for (const m of matchUnits(name)) {
    keys.add(m.key);
    for (const k of expandGroup(m.key)) keys.add(k);
  }
  return keys;
}

function assigneeFound(want: string, item: ParsedItem): boolean {
  const wantKeys = unitKeys(want);
  const wf = fold(want);
  return item.assignees.some((a) => {
    if (a.unitKey !== null && wantKeys.size > 0) {
      const have = new Set([a.unitKey, ...expandGroup(a.unitKey)]);
      if ([...wantKeys].some((k) => have.has(k))) return true;
    }
    const af = fold(a.name);
    return af.length > 0 && (af === wf || wf.includes(af) || af.includes(wf));
  });
}

async function sourceFor(dir: string, base: string): Promise<string | null> {
  for (const ext of [".txt", ".md", ".docx"]) {
    const p = path.join(dir, base + ext);
    if (existsSync(p)) return (await readDirectiveFile(p)).text;
  }
  return null;
}

async function scoreDir(dir: string, label: string): Promise<DocScore[]> {
  if (!existsSync(dir)) {
    console.log(`(skipped ${label}: ${dir} not found)`);
    return [];
  }
  const out: DocScore[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".expected.json")).sort()) {
    const base = file.replace(/\.expected\.json$/, "");
    const expected = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Expected;
    let text: string | null;
    try {
      text = await sourceFor(dir, base);
    } catch (e) {
      console.log(`${label}/${base}: cannot read source (${(e as Error).message})`);
      continue;
    }
    if (text === null) {
      console.log(`${label}/${base}: no .txt/.md/.docx source, skipped`);
      continue;
    }
    const parsed = parseDirective(text);
    const matches = matchItems(expected.items, parsed.items);
    const s: DocScore = {
      name: `${label}/${base}`,
      expected: expected.items.length,
      matched: matches.size,
      assigneesExpected: 0,
      assigneesFound: 0,
      deadlineExact: 0,
      misses: [],
    };
    expected.items.forEach((e, i) => {
      const p = matches.get(i);
      if (!p) {
        s.misses.push(`item ${e.ref} not found: ${e.summary}`);
        return;
      }
      for (const a of e.assignees) {
        s.assigneesExpected++;
        if (assigneeFound(a, p)) s.assigneesFound++;
        else s.misses.push(`item ${e.ref} (~${p.ref}): assignee "${a}" missing; got ${p.assignees.map((x) => x.name).join(", ") || "none"}`);
      }
      if (p.deadline.kind === e.deadline.kind && p.deadline.due === e.deadline.due) s.deadlineExact++;
      else
        s.misses.push(
          `item ${e.ref} (~${p.ref}): deadline ${p.deadline.kind} ${p.deadline.due ?? "-"} «${p.deadline.text ?? ""}», expected ${e.deadline.kind} ${e.deadline.due ?? "-"} «${e.deadline.text ?? ""}»`,
        );
    });
    out.push(s);
  }
  return out;
}

function ratio(a: number, b: number): string {
  return b === 0 ? "  -  " : (a / b).toFixed(2);
}

function pct(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 1000) / 1000;
}

async function main(): Promise<void> {
  const scores = [
    ...(await scoreDir(path.resolve(repoRoot, "../shared/fixtures/directives"), "shared")),
    ...(await scoreDir(path.resolve(repoRoot, "test/fixtures/directives"), "own")),
  ];
  const width = Math.max(30, ...scores.map((s) => s.name.length));
  const header = `${"document".padEnd(width)}  items  found  item recall  assignee recall  deadline exact`;
  console.log(header);
  console.log("-".repeat(header.length));
  const line = (name: string, s: Omit<DocScore, "name" | "misses">): string =>
    `${name.padEnd(width)}  ${String(s.expected).padStart(5)}  ${String(s.matched).padStart(5)}  ${ratio(s.matched, s.expected).padStart(11)}  ${(
      `${ratio(s.assigneesFound, s.assigneesExpected)} (${s.assigneesFound}/${s.assigneesExpected})`
    ).padStart(15)}  ${`${ratio(s.deadlineExact, s.matched)} (${s.deadlineExact}/${s.matched})`.padStart(14)}`;
  for (const s of scores) {
    console.log(line(s.name, s));
    if (verbose) for (const m of s.misses) console.log(`    - ${m}`);
  }
  const total = scores.reduce(
    (t, s) => ({
      expected: t.expected + s.expected,
      matched: t.matched + s.matched,
      assigneesExpected: t.assigneesExpected + s.assigneesExpected,
      assigneesFound: t.assigneesFound + s.assigneesFound,
      deadlineExact: t.deadlineExact + s.deadlineExact,
    }),
    { expected: 0, matched: 0, assigneesExpected: 0, assigneesFound: 0, deadlineExact: 0 },
  );
  console.log("-".repeat(header.length));
  console.log(line(`overall (${scores.length} documents)`, total));
  console.log(
    JSON.stringify({
      documents: scores.length,
      items: total.expected,
      itemRecall: pct(total.matched, total.expected),
      assigneeRecall: pct(total.assigneesFound, total.assigneesExpected),
      deadlineExactness: pct(total.deadlineExact, total.matched),
    }),
  );
}

main().catch((e: unknown) => {
  // A report never fails the build; say what broke and stop.
  console.error("eval-parser failed:", e);
});
