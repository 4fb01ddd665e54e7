/**
 * Opens the database chosen by config: node-postgres when DATABASE_URL is set, otherwise the
 * embedded PGlite in DATA_DIR. Both give the same Drizzle `Db` type, so migrations and
 * repositories have one code path.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pgSchema, serial, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { count, sql } from "drizzle-orm";
import pg from "pg";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
/** The Drizzle database both drivers produce. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations", import.meta.url));

export interface Database {
  readonly db: Db;
  readonly driver: "postgres" | "pglite";
  /** Where the data lives, without credentials: "postgres://host:5432/db" or the PGlite directory. */
  readonly location: string;
  /** Applies pending migrations; returns how many were new. Safe to run again. */
  migrate(): Promise<number>;
  /** Cheap liveness check for /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Pool size for node-postgres. */
  maxConnections?: number;
}

/** Thrown when the database cannot be opened or reached, with how to fix it. */
export class DatabaseUnavailableError extends Error {
  readonly code = "database_unavailable";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

function redactUrl(url: string): string {
  const u = new URL(url);
  u.username = "";
  u.password = "";
  return u.toString();
}

/** Drizzle's own bookkeeping table, written by its migrator. */
const appliedMigrations = pgSchema("drizzle").table("__drizzle_migrations", { id: serial() });

async function countMigrations(db: Db): Promise<number> {
  try {
    const [row] = await db.select({ n: count() }).from(appliedMigrations);
    return row?.n ?? 0;
  } catch {
    return 0; // the bookkeeping table does not exist before the first migration
  }
}

/**
 * The embedded database's settings: a ward's data is a few megabytes, so PostgreSQL's 128 MB of
 * shared buffers would be memory the process holds for nothing (measured: about 290 MB resident
 * with the default, 180 MB with these).
 */
const PGLITE_CONF = ["shared_buffers=16MB", "work_mem=4MB", "maintenance_work_mem=16MB"];

/** initdb of a new data directory, in a worker thread whose memory is returned when it ends. */
function initPgliteDir(dataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./pglite-init-worker.js", import.meta.url), { workerData: { dataDir, postgresqlconf: PGLITE_CONF } });
    let ready = false;
    worker.once("message", () => {
      ready = true;
    });
    worker.once("error", reject);
    worker.once("exit", (code) => (ready ? resolve() : reject(new Error(`initdb worker exited with code ${code}`))));
  });
}

/**
 * @example
 * const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
 * await database.migrate();
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 5_000,
    });
    // An idle client that loses its server emits 'error'; without a listener the process dies.
    pool.on("error", () => undefined);
    const location = redactUrl(options.databaseUrl);
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new DatabaseUnavailableError(
        `Cannot reach PostgreSQL at ${location}: ${(error as Error).message}. Start PostgreSQL or fix DATABASE_URL (unset it to use the embedded database).`,
        { cause: error },
      );
    }
    const db = drizzlePg(pool, { schema, casing: "snake_case" }) as unknown as Db;
    return {
      db,
      driver: "postgres",
      location,
      async migrate() {
        const before = await countMigrations(db);
        await migratePg(db as never, { migrationsFolder: MIGRATIONS_DIR });
        return (await countMigrations(db)) - before;
      },
      async ping() {
        await db.execute(sql`select 1`);
      },
      async close() {
        await pool.end();
      },
    };
  }

  mkdirSync(options.dataDir, { recursive: true });
  let client: PGlite;
  try {
    if (!existsSync(join(options.dataDir, "PG_VERSION"))) await initPgliteDir(options.dataDir);
    client = await PGlite.create(options.dataDir, { postgresqlconf: PGLITE_CONF });
  } catch (error) {
    throw new DatabaseUnavailableError(
      `Cannot open the embedded database in ${options.dataDir}: ${(error as Error).message}. Is another dondoc process using it? Stop it or set DATA_DIR to another directory.`,
      { cause: error },
    );
  }
  const db = drizzlePglite(client, { schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    driver: "pglite",
    location: options.dataDir,
    async migrate() {
      const before = await countMigrations(db);
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR });
      return (await countMigrations(db)) - before;
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.close();
    },
  };
}
