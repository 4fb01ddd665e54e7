import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { openDatabase, type Database } from "../../src/store/index.ts";
import { TEST_ADMIN_DATABASE_URL } from "./env.ts";

export type Driver = "pglite" | "postgres";
export const DRIVERS: Driver[] = ["pglite", "postgres"];

export interface TestDatabase {
  database: Database;
  /** PostgreSQL URL of the fresh database (postgres driver) or the PGlite directory. */
  where: string;
  /** Closes and deletes the database. */
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new, empty PostgreSQL database; returns its URL and a function that drops it. */
export async function createEmptyPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `dondoc_test_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(TEST_ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/** A new, empty database of the given driver, opened (not migrated). */
export async function createTestDatabase(driver: Driver): Promise<TestDatabase> {
  if (driver === "postgres") {
    const { url, drop } = await createEmptyPostgres();
    const database = await openDatabase({ databaseUrl: url, dataDir: "unused" });
    return {
      database,
      where: url,
      async drop() {
        await database.close();
        await drop();
      },
    };
  }
  return openPgliteCopy(templates()?.empty);
}

/** The PGlite templates of this run (test/support/global-setup.ts), when there are any. */
function templates(): { empty: string; migrated: string } | null {
  try {
    return inject("pgliteTemplates") ?? null;
  } catch {
    return null; // outside a Vitest run (a bench script)
  }
}

/** A PGlite database in a new directory: a copy of `template` when given, else a fresh initdb. */
async function openPgliteCopy(template: string | undefined): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "dondoc-pglite-"));
  if (template) cpSync(template, dir, { recursive: true });
  const database = await openDatabase({ dataDir: dir });
  return {
    database,
    where: dir,
    async drop() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A migrated database, ready for repositories. */
export async function createMigratedDatabase(driver: Driver): Promise<TestDatabase> {
  const migrated = driver === "pglite" ? templates()?.migrated : undefined;
  // The copy of a migrated template: migrate() finds nothing to do (and proves it).
  const test = migrated ? await openPgliteCopy(migrated) : await createTestDatabase(driver);
  await test.database.migrate();
  return test;
}
