/**
 * How fast the parser reads directives: every fixture text, parsed repeatedly.
 *   npx tsx bench/parser.ts [rounds]
 * Prints per-document and overall figures; asserts nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDirective } from "../src/domain/index.ts";

const rounds = Number(process.argv[2] ?? 200);
const dir = new URL("../test/fixtures/directives/", import.meta.url).pathname;
const docs = readdirSync(dir)
  .filter((f) => f.endsWith(".md") || f.endsWith(".txt"))
  .map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") }));

let totalMs = 0;
let totalChars = 0;
for (const doc of docs) {
  parseDirective(doc.text); // warm up
  const start = performance.now();
  for (let i = 0; i < rounds; i++) parseDirective(doc.text);
  const ms = (performance.now() - start) / rounds;
  totalMs += ms;
  totalChars += doc.text.length;
  console.log(`${doc.name.padEnd(48)} ${String(doc.text.length).padStart(6)} chars  ${ms.toFixed(2).padStart(7)} ms/parse`);
}
console.log(`overall: ${docs.length} documents, ${(totalMs / docs.length).toFixed(2)} ms per document, ${((totalChars / totalMs) * 1000 / 1024).toFixed(0)} KiB/s`);
