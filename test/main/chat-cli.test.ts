import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runDondoc } from "../support/cli.ts";
import { TEST_REDIS_URL } from "../support/env.ts";
import { simHeaders } from "../support/simulator.ts";
import { useTempDirs } from "../support/temp-dirs.ts";

const tempDir = useTempDirs("dondoc-chat-cli-");
const SEED = fileURLToPath(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url));

async function run(args: string[], cwd = tempDir(), env: Record<string, string> = {}) {
  const proc = runDondoc(args, { cwd, env });
  const code = await proc.exited();
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}

describe("dondoc interpret", () => {
  it("prints exactly the documented JSON for a report with a ref", async () => {
    const { code, stdout, stderr } = await run(["interpret", "--text", "bc6 đang làm 80% nhé", "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["intent", "item", "status", "percent", "unit", "date", "code"]);
    expect(out).toEqual({ intent: "report", item: "6", status: "in_progress", percent: 80, unit: null, date: null, code: null });
  });

  it("matches text without a ref against a directive's items", async () => {
    const { stdout } = await run(["interpret", "--text", "xong việc rà soát thống kê hội viên rồi ạ", "--directive", SEED, "--json"]);
    expect(JSON.parse(stdout)).toMatchObject({ intent: "report", item: "6.2", status: "done" });
  });

  it("reads a link code and a unit without diacritics", async () => {
    expect(JSON.parse((await run(["interpret", "--text", "dang ky 482913", "--json"])).stdout)).toMatchObject({ intent: "link", code: "482913" });
    expect(JSON.parse((await run(["interpret", "--text", "tinh hinh hoi ccb", "--json"])).stdout)).toMatchObject({ intent: "status", unit: "Hội Cựu chiến binh" });
  });
});

describe("dondoc start --demo and link-code", () => {
  it("creates the demo ward once, chats through the simulator, and issues link codes", async () => {
    const cwd = tempDir();
    const env = { REDIS_URL: TEST_REDIS_URL, PORT: "0", QUEUE_PREFIX: `demo-${Date.now()}` };
    const secret = () => readFileSync(join(cwd, "data", "simulator-secret.txt"), "utf8").trim();
    const first = runDondoc(["start", "--demo"], { cwd, env });
    const { url } = await first.waitForLog("web listening");
    const deadline = Date.now() + 5_000;
    while (!first.stdout().includes("curl -s") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(first.stdout()).toContain("dondoc demo ward");
    expect(first.stdout()).toMatch(/canbo-hoi-cuu-chien-binh +Cán bộ Hội Cựu chiến binh \(cadre, Hội Cựu chiến binh\)/);
    expect(first.stdout()).toContain('"msg":"demo ward created"');

    const post = async (senderId: string, text: string) => {
      const res = await fetch(`${String(url)}/api/simulator/messages`, { method: "POST", headers: simHeaders(secret()), body: JSON.stringify({ senderId, text }) });
      expect(res.status).toBe(200);
      return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join("\n");
    };
    expect(await post("canbo-hoi-cuu-chien-binh", "bc 6.2 xong 245 hội viên")).toContain("Đã ghi nhận báo cáo của đồng chí: Hội Cựu chiến binh · NV 6.2");
    expect(await post("lanhdao", "tình hình nv 6.2")).toMatch(/^NV 6\.2 \(TB [^)]+\) [^\n]*\n[^\n]*\n(• [^\n]*\n)*• Hội Cựu chiến binh: hoàn thành · trễ hạn 5 ngày/);
    expect(await first.stop()).toBe(0);

    // Link codes need the database to themselves on the embedded driver.
    const code = await run(["link-code", "--person", "Cán bộ Hội Nông dân"], cwd);
    expect(code.stderr).toBe("");
    expect(code.stdout).toMatch(/^Mã liên kết cho Cán bộ Hội Nông dân: \d{4} \d{4} \d{4}\nĐồng chí nhắn cho trợ lý .*\/dangky \d{4} \d{4} \d{4}/);
    const unknown = await run(["link-code", "--person", "Không Có Ai"], cwd);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('Không tìm thấy cán bộ "Không Có Ai". / no person "Không Có Ai"');

    const second = runDondoc(["start", "--demo"], { cwd, env });
    const again = await second.waitForLog("web listening");
    expect(second.stdout()).not.toContain('"msg":"demo ward created"');
    // The report of the first run is still there.
    const res = await fetch(`${String(again.url)}/api/simulator/messages`, { method: "POST", headers: simHeaders(secret()), body: JSON.stringify({ senderId: "lanhdao", text: "tinh hinh nv 6.2" }) });
    const text = ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join("\n");
    expect(text).toMatch(/^NV 6\.2 \(TB [^)]+\) [^\n]*\n[^\n]*\n(• [^\n]*\n)*• Hội Cựu chiến binh: hoàn thành · trễ hạn 5 ngày/);
    expect(await second.stop()).toBe(0);
  });
});
