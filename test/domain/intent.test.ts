import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { interpret } from "../../src/domain/intent.ts";
import type { Interpretation } from "../../src/domain/intent.ts";

/**
 * One utterance: `text` (repeated `repeat` times when set; turned into NFD when `nfd`) and the
 * fields that matter for it. `diacriticsMatter` opts a case out of the "no diacritics" property.
 */
interface Utterance {
  text: string;
  expect: Partial<Interpretation>;
  nfd?: boolean;
  repeat?: number;
  diacriticsMatter?: boolean;
}

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/utterances");
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const cases: { file: string; u: Utterance; input: string }[] = files.flatMap((file) =>
  (JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Utterance[]).map((u) => {
    const base = u.text.repeat(u.repeat ?? 1);
    return { file, u, input: u.nfd ? base.normalize("NFD") : base };
  }),
);

const ctx = { today: "2020-06-20" };
const label = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}…` : s);
const noDiacritics = (s: string): string =>
  s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D");
const pick = (r: Interpretation, keys: string[]): Record<string, unknown> =>
  Object.fromEntries(keys.map((k) => [k, r[k as keyof Interpretation]]));

describe("utterance fixtures", () => {
  it("holds at least 100 utterances, NFD ones included", () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(cases.filter((c) => c.u.nfd).length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases.map((c) => [`${c.file} ${label(c.u.text)}${c.u.nfd ? " (NFD)" : ""}`, c] as const))("%s", (_name, c) => {
    const got = interpret(c.input, ctx);
    expect(pick(got, Object.keys(c.u.expect))).toEqual(c.u.expect);
  });
});

describe("interpret: properties over every fixture", () => {
  it("gives the same result for NFC and NFD input", () => {
    for (const c of cases) {
      const nfc = interpret(c.input.normalize("NFC"), ctx);
      const nfd = interpret(c.input.normalize("NFD"), ctx);
      expect(nfd, c.u.text).toEqual(nfc);
    }
  });

  it("keeps intent and item when the diacritics are typed away", () => {
    for (const c of cases) {
      if (c.u.diacriticsMatter) continue;
      const withMarks = interpret(c.input, ctx);
      const without = interpret(noDiacritics(c.input), ctx);
      expect({ intent: without.intent, item: without.item }, c.u.text).toEqual({ intent: withMarks.intent, item: withMarks.item });
    }
  });

  it("always returns a complete interpretation with text in NFC", () => {
    for (const c of cases) {
      const r = interpret(c.input, ctx);
      expect(Object.keys(r).sort()).toEqual(
        ["answer", "code", "count", "countNoun", "date", "decision", "intent", "invalidDate", "item", "percent", "smalltalk", "status", "text", "thisPeriod", "uncertain", "unit", "unitKey"].sort(),
      );
      expect(r.text).toBe(r.text.normalize("NFC"));
      expect(r.text).toBe(r.text.trim());
    }
  });

  it("flags a status as uncertain only when there is one, and gives a count's noun exactly when there is a count", () => {
    for (const c of cases) {
      const r = interpret(c.input, ctx);
      if (r.uncertain) expect(r.status, c.u.text).not.toBeNull();
      expect(r.countNoun === null, c.u.text).toBe(r.count === null);
      if (r.intent !== "report") expect({ uncertain: r.uncertain, thisPeriod: r.thisPeriod }, c.u.text).toEqual({ uncertain: false, thisPeriod: false });
    }
  });

  it("is fast on 10,000-character messages (< 50 ms each)", () => {
    const long = cases.filter((c) => c.input.length >= 5_000);
    expect(long.length).toBeGreaterThanOrEqual(3);
    const inputs = [
      ...long.map((c) => c.input),
      "bc 6 ".concat("đang làm ".repeat(1_200)).slice(0, 10_000),
      "x".repeat(10_000),
      "1/".repeat(5_000),
      "nv ".repeat(3_333),
      "tình hình hội CCB ".repeat(600).slice(0, 10_000),
    ];
    interpret(inputs[0] ?? "", ctx); // warm the regexes
    for (const input of inputs) {
      const t0 = performance.now();
      interpret(input, ctx);
      expect(performance.now() - t0, input.slice(0, 30)).toBeLessThan(50);
    }
  });
});

describe("interpret: details", () => {
  it("takes the year of ctx.today for dates without one, even for a day already past", () => {
    expect(interpret("/giahan 6 10/6", { today: "2020-06-20" }).date).toBe("2020-06-10");
    expect(interpret("/giahan 6 15/1", { today: "2020-12-20" }).date).toBe("2020-01-15");
    expect(interpret("/giahan 6 29/2", { today: "2021-03-01" })).toMatchObject({ date: null, invalidDate: "29/2" });
    expect(interpret("/giahan 6 29/2", { today: "2020-03-01" }).date).toBe("2020-02-29");
  });

  it("reads a unit from the org's own dictionary", () => {
    const units = [{ key: "to-cong-tac-1", name: "Tổ công tác số 1", aliases: ["tổ 1", "TCT1"] }];
    expect(interpret("tình hình tổ 1", { today: "2020-06-20", units })).toMatchObject({ intent: "status", unitKey: "to-cong-tac-1", unit: "Tổ công tác số 1" });
  });

  it("reads a misspelled status word after an item or a report command, or as nearly the whole message, never inside other text", () => {
    expect(interpret("bc xonh", ctx)).toMatchObject({ intent: "report", status: "done", uncertain: true });
    expect(interpret("em đi họp ở nhà văn hóa xonh về muộn", ctx)).toMatchObject({ intent: "unknown", status: null, uncertain: false });
    expect(interpret("nv 6 em đi họp ở nhà văn hóa xonh về muộn", ctx)).toMatchObject({ intent: "report", item: "6", status: "done", uncertain: true });
    // A status written as it should be is never a guess, whatever else the message holds.
    expect(interpret("bc 6 xong, hoàn thàn hồ sơ", ctx)).toMatchObject({ status: "done", uncertain: false });
    // Marks that the status word does not have are another word: "dân" is not "đang".
    expect(interpret("nv 6 dân làm", ctx)).toMatchObject({ status: null, uncertain: false });
  });

  it("does not take a typo that is as close to two commands", () => {
    // "guahan" is one edit from both "quahan" (overdue) and "giahan" (extend).
    expect(interpret("guahan", ctx).intent).toBe("unknown");
  });

  it("never throws on odd input", () => {
    for (const input of ["/", "//", "/ ", "%", "6", "6.", "II", "nv", "bc bc bc", "0", "nv 0", "bc 999", "\u{1F1FB}\u{1F1F3}", "\uD800"]) {
      expect(() => interpret(input, ctx)).not.toThrow();
    }
    expect(interpret(undefined as unknown as string, ctx).intent).toBe("unknown");
  });
});
