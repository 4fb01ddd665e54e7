import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createWebAuth } from "../../src/app/index.ts";
import { argon2Hasher } from "../../src/main/components.ts";
import { createStore, openDatabase } from "../../src/store/index.ts";
import { runDondoc } from "../support/cli.ts";
import { useTempDirs } from "../support/temp-dirs.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/directives/${name}`, import.meta.url));
const SEED = fixture("20-seed-thong-bao-ket-luan-2020-06-05.md");

const tempDir = useTempDirs("dondoc-intake-cli-");

async function run(args: string[], cwd = tempDir(), env: Record<string, string> = {}) {
  const proc = runDondoc(args, { cwd, env });
  const code = await proc.exited();
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}

interface ParseJson {
  docType: string;
  number: string | null;
  issuer: string;
  issuedDate: string | null;
  signer: string | null;
  recipients: string[];
  items: {
    ref: string;
    text: string;
    summary: string;
    assignees: { name: string; role: string }[];
    deadline: { kind: string; text: string | null; due: string | null; every: string | null; timesPerPeriod: number | null };
  }[];
}

describe("dondoc parse", () => {
  it("prints the seed as JSON in exactly the documented shape", async () => {
    const { code, stdout, stderr } = await run(["parse", SEED, "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as ParseJson;
    expect(Object.keys(parsed)).toEqual(["docType", "number", "issuer", "issuedDate", "signer", "recipients", "items"]);
    expect(parsed).toMatchObject({ issuedDate: "2020-06-05", signer: "Nguyễn Tiến Giang" });
    expect(parsed.recipients).toHaveLength(7);
    for (const item of parsed.items) {
      expect(Object.keys(item)).toEqual(["ref", "text", "summary", "assignees", "deadline"]);
      expect(Object.keys(item.deadline)).toEqual(["kind", "text", "due", "every", "timesPerPeriod"]);
      for (const a of item.assignees) expect(Object.keys(a)).toEqual(["name", "role"]);
    }
    const byRef = new Map(parsed.items.map((i) => [i.ref, i]));
    expect(parsed.items.filter((i) => !i.ref.includes("."))).toHaveLength(9);
    expect(byRef.get("1")?.deadline).toMatchObject({ kind: "half-year", due: "2020-12-31" });
    expect(byRef.get("2")?.deadline).toMatchObject({ kind: "recurring", every: "week", due: null });
    expect(byRef.get("6")?.deadline).toMatchObject({ kind: "month", due: "2020-06-30" });
    expect(byRef.get("4")?.deadline.kind).toBe("ongoing");
    expect(byRef.get("7")?.deadline.kind).toBe("ongoing");
  });

  it("prints a readable table, also for a Word file", async () => {
    const seed = await run(["parse", SEED]);
    expect(seed.code).toBe(0);
    expect(seed.stdout).toContain("Người ký: Nguyễn Tiến Giang");
    expect(seed.stdout).toMatch(/^6\.1 +Đoàn TNCS/m);
    expect(seed.stdout).toMatch(/nhiệm vụ\./);

    const docx = await run(["parse", fixture("28-ke-hoach-word.docx")]);
    expect(docx.code).toBe(0);
    expect(docx.stdout).toContain("Người ký: Nguyễn Thị Hồng Nhung");
    expect(docx.stdout.split("\n").filter((l) => /^[IVX]+\.\d+ /.test(l)).length).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ["an empty file", "trong.txt", "", /không có nội dung/],
    ["a binary file", "nhi-phan.txt", Buffer.from([0, 1, 2, 3, 0, 255, 254, 0]), /nhị phân|không phải văn bản|đọc được/i],
    ["a file over 2 MB", "lon.md", "a".repeat(2 * 1024 * 1024 + 1), /2 MB/],
    ["a text with no items", "khong-co-muc.txt", "Kính gửi các đồng chí.\nTrân trọng.", /Không tìm thấy nhiệm vụ/],
    ["a broken Word file", "hong.docx", "PK\u0003\u0004 broken", /Word|docx/i],
  ])("refuses %s in one line, Vietnamese and English, exit 1", async (_what, name, content, vi) => {
    const dir = tempDir();
    const file = join(dir, name);
    writeFileSync(file, content);
    const { code, stdout, stderr } = await run(["parse", file], dir);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(vi);
    expect(lines[0]).toContain(" / "); // Vietnamese / English
  });

  it("says so when the file does not exist", async () => {
    const { code, stderr } = await run(["parse", "/nonexistent/thong-bao.md"]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe("Không tìm thấy tệp /nonexistent/thong-bao.md. / file not found: /nonexistent/thong-bao.md");
  });
});

describe("dondoc import and token", () => {
  it("imports a draft into the embedded database once, and creates an office token", async () => {
    const cwd = tempDir();
    const first = await run(["import", SEED], cwd);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Đã nhập Thông báo kết luận: \d+ nhiệm vụ, bản nháp [0-9a-f-]{36}\./);

    const again = await run(["import", SEED], cwd);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/đã được nhập trước đó/);

    const badOrg = await run(["import", SEED, "--org", "khong-co"], cwd);
    expect(badOrg.code).toBe(1);
    expect(badOrg.stderr.trim()).toBe('Không có tổ chức "khong-co". / no org with slug "khong-co"');

    const token = await run(["token", "--name", "Nguyễn Văn Phòng", "--role", "office"], cwd);
    expect(token.code).toBe(0);
    const value = token.stdout.split("\n")[1] ?? "";
    expect(value).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const database = await openDatabase({ dataDir: join(cwd, "data") });
    try {
      const store = createStore(database.db);
      const org = await store.orgs.bySlug("phuong-demo");
      const directives = await store.directives.list(org?.id ?? "");
      expect(directives.map((d) => d.status)).toEqual(["draft"]);
      const who = await store.access.byToken(value);
      expect(who?.person).toMatchObject({ fullName: "Nguyễn Văn Phòng", roles: ["office"] });
    } finally {
      await database.close();
    }
  });

  it("creates a web user with a generated password that signs in, and refuses a taken login", async () => {
    const cwd = tempDir();
    const made = await run(["user", "--name", "Trần Thị Lãnh Đạo", "--login", "LanhDao", "--role", "leader"], cwd);
    expect(made.stderr).toBe("");
    expect(made.code).toBe(0);
    const password = /mật khẩu:\s+(\S+)/.exec(made.stdout)?.[1] ?? "";
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const again = await run(["user", "--name", "Người khác", "--login", "lanhdao"], cwd);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Tên đăng nhập này đã có người dùng.");
    const database = await openDatabase({ dataDir: join(cwd, "data") });
    try {
      const store = createStore(database.db);
      const auth = createWebAuth({ store, clock: { now: () => new Date() }, hasher: argon2Hasher });
      const { user } = await auth.signIn("lanhdao", password);
      expect(user.person).toMatchObject({ fullName: "Trần Thị Lãnh Đạo", roles: ["leader"] });
      await expect(auth.signIn("lanhdao", `${password}x`)).rejects.toThrow("Sai tên đăng nhập hoặc mật khẩu.");
    } finally {
      await database.close();
    }
  });
});
