/**
 * Every action the code writes to the audit log has a Vietnamese label on the activity page: the
 * action strings are read from the source (src/app, src/main), so a new one without a label fails.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_VI, actionVi } from "../../src/http/web/pages/activity.ts";

const ROOT = new URL("../../src/", import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** The audit actions a source file writes: literal `action: "x.y"`, both arms of a ternary, constants, and the templates below. */
function actionsIn(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/\baction:\s*(`[^`]*`|[^,\n}]+)/g)) {
    const expr = m[1] ?? "";
    for (const s of expr.matchAll(/"([a-z_]+\.[a-z_]+)"/g)) found.push(s[1] ?? "");
    const template = /`([a-z_]+)\.\$\{([^}]+)\}`/.exec(expr);
    if (template) found.push(...(TEMPLATES[`${template[1]}.\${${template[2]}}`] ?? [`${template[1]}.<unknown: ${template[2]}>`]));
    const constant = /^([A-Z][A-Z_]+)\s*$/.exec(expr.trim());
    if (constant) {
      const value = new RegExp(`const ${constant[1]} = "([a-z_.]+)"`).exec(allSource)?.[1];
      found.push(value ?? `<unknown constant ${constant[1]}>`);
    }
  }
  return found;
}

/** What the action templates expand to (their types: BroadcastKind, the extension decision). */
const TEMPLATES: Record<string, string[]> = {
  "broadcast.${request.kind}": ["broadcast.announcement", "broadcast.remind", "broadcast.digest"],
  "extension.${decided.status}": ["extension.approved", "extension.rejected"],
};

const files = [...sources(join(ROOT, "app")), ...sources(join(ROOT, "main"))];
const allSource = files.map((f) => readFileSync(f, "utf8")).join("\n");

describe("activity: a Vietnamese label for every audit action", () => {
  const used = [...new Set(files.flatMap((f) => actionsIn(readFileSync(f, "utf8"))))].sort();

  it("finds the actions the code writes", () => {
    for (const known of ["report.recorded", "extension.approved", "extension.rejected", "reminders.stopped", "thread.unbound", "broadcast.remind", "web.signin", "web.account_created", "inbound.rejected", "link.org_limited", "org.created", "token.created"]) {
      expect(used).toContain(known);
    }
    expect(used.filter((a) => a.includes("<unknown"))).toEqual([]);
  });

  it("labels each of them in Vietnamese", () => {
    expect(used.filter((a) => !(a in ACTION_VI))).toEqual([]);
    for (const label of Object.values(ACTION_VI)) expect(label).not.toMatch(/[a-z]+\.[a-z_]+/);
  });

  it("never shows an action's code, even one it does not know", () => {
    expect(actionVi("something.new")).toBe("Hoạt động khác của hệ thống");
  });
});
