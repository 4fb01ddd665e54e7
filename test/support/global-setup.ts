/**
 * Once per test run: two PGlite data directories to copy from — one just initialised, one
 * migrated. Creating a PGlite database runs initdb in WebAssembly (about 6 s of CPU on this
 * machine); copying a closed data directory and opening it takes about 0.4 s. Each test still
 * gets a database of its own, with the real migrations (run here, once, on the template).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/store/index.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplates: { empty: string; migrated: string };
  }
}

export default async function setup(project: TestProject) {
  const empty = mkdtempSync(join(tmpdir(), "dondoc-pglite-empty-"));
  const migrated = mkdtempSync(join(tmpdir(), "dondoc-pglite-migrated-"));
  await (await openDatabase({ dataDir: empty })).close();
  const db = await openDatabase({ dataDir: migrated });
  await db.migrate();
  await db.close();
  project.provide("pgliteTemplates", { empty, migrated });
  return () => {
    rmSync(empty, { recursive: true, force: true });
    rmSync(migrated, { recursive: true, force: true });
  };
}
