import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runDondoc } from "../support/cli.ts";
import { useTempDirs } from "../support/temp-dirs.ts";

const tempDir = useTempDirs("dondoc-plan-");
const SEED = fileURLToPath(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url));

interface Row {
  item: string;
  unit: string;
  at: string;
  kind: string;
}

describe("dondoc plan", () => {
  it("prints the seed's reminders for 30 days, oldest first, without Redis or a database", async () => {
    const proc = runDondoc(["plan", "--directive", SEED, "--now", "2020-06-20T08:00:00+07:00", "--days", "30", "--json"], {
      cwd: tempDir(),
      env: { REDIS_URL: "redis://127.0.0.1:1" }, // nothing listens there: plan must not need it
    });
    expect(await proc.exited()).toBe(0);
    expect(proc.stderr()).toBe("");
    const rows = JSON.parse(proc.stdout()) as Row[];
    for (const r of rows) expect(Object.keys(r)).toEqual(["item", "unit", "at", "kind"]);
    expect(rows.map((r) => r.at)).toEqual([...rows.map((r) => r.at)].sort());
    expect(rows.every((r) => r.at >= "2020-06-20T08:00:00+07:00" && r.at < "2020-07-20T08:00:00+07:00")).toBe(true);

    const doan = rows.filter((r) => r.item === "6.1").map((r) => `${r.at} ${r.kind}`);
    expect(doan.slice(0, 6)).toEqual([
      "2020-06-23T08:00:00+07:00 before",
      "2020-06-27T08:00:00+07:00 before",
      "2020-06-29T08:00:00+07:00 before",
      "2020-06-30T08:00:00+07:00 due",
      "2020-07-02T08:00:00+07:00 overdue",
      "2020-07-03T08:00:00+07:00 escalation",
    ]);
    expect(new Set(rows.filter((r) => r.item === "6.1").map((r) => r.unit))).toEqual(new Set(["Đoàn TNCS Hồ Chí Minh"]));
    // Item 2, weekly Green Sunday, two teams taking turns: one reminder per week to the team on duty.
    const weekly = rows.filter((r) => r.item === "2");
    expect(weekly.every((r) => r.kind === "occurrence")).toBe(true);
    expect(weekly.map((r) => r.unit).slice(0, 4)).toEqual(["Tổ 1", "Tổ 2", "Tổ 1", "Tổ 2"]);
    // Ongoing items (4, 7) have no ladder.
    expect(rows.some((r) => r.item === "4" || r.item === "7")).toBe(false);
  });

  it("refuses a bad --now in one line", async () => {
    const proc = runDondoc(["plan", "--directive", SEED, "--now", "hôm qua"], { cwd: tempDir() });
    expect(await proc.exited()).toBe(1);
    expect(proc.stderr().trim().split("\n")).toHaveLength(1);
    expect(proc.stderr()).toMatch(/--now không hợp lệ/);
  });
});
