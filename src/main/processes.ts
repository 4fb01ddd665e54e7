/**
 * The composition roots: `dondoc start | web | worker | zalo | migrate`. Each builds real clients,
 * wires them, and owns signals and shutdown.
 */
import { join, relative } from "node:path";
import type { Config } from "../config/index.ts";
import { assertRedisReachable } from "../../jobs/index.ts";
import {
  createLogger,
  ensureDefaultOrg,
  openDatabaseFor,
  SIMULATOR_SECRET_FILE,
  startWeb,
  startWorker,
} from "./components.ts";
import { Lifecycle } from "./lifecycle.ts";
import { demoInstructions, ensureDemoWard } from "./demo.ts";
import { createStore } from "../store/index.ts";
import { assertZaloSession, hasZaloSession, startZalo } from "./zalo.ts";

type Exit = (code: number) => void;

async function boot(
  config: Config,
  exit: Exit,
  run: (lc: Lifecycle, logger: ReturnType<typeof createLogger>) => Promise<void>,
) {
  const logger = createLogger(config);
  const lifecycle = new Lifecycle(logger, config.SHUTDOWN_TIMEOUT_MS);
  lifecycle.handleSignals(exit);
  try {
    await run(lifecycle, logger);
  } catch (error) {
    // Close what was opened before the failure, then let the CLI print the one line.
    await lifecycle.shutdown("start-up failed");
    throw error;
  }
}

/** Web + worker (+ the Zalo listener once configured) in one process, on either database. */
export async function runStart(config: Config, exit: Exit, options: { demo?: boolean } = {}): Promise<void> {
  await boot(config, exit, async (lifecycle, logger) => {
    await assertRedisReachable(config.REDIS_URL);
    const database = await openDatabaseFor(config, lifecycle, { migrate: config.MIGRATE_ON_START });
    const org = await ensureDefaultOrg(database, config, logger);
    const people = options.demo ? await ensureDemoWard(createStore(database.db), org, logger) : [];
    // Web first: the platforms' records of sends in doubt (Messenger echoes) must be heard before
    // the worker decides whether to send again.
    const { url, simulator } = await startWeb(config, lifecycle, logger, database);
    await startWorker(config, lifecycle, logger, database);
    // With a saved Zalo session the listener runs here too (the embedded database allows one process).
    if (await hasZaloSession(config)) await startZalo(config, lifecycle, logger, database, { orgId: org.id });
    if (options.demo && simulator) process.stdout.write(demoInstructions(url, people, relative(process.cwd(), join(config.DATA_DIR, SIMULATOR_SECRET_FILE))));
  });
}

/**
 * `dondoc zalo`: the Zalo listener and the `deliver-zalo` worker, without web or the other
 * workers (run `dondoc worker` beside it on PostgreSQL; on the embedded database use
 * `dondoc start`, which runs the listener itself when a session is saved).
 */
export async function runZalo(config: Config, exit: Exit, options: { account?: string } = {}): Promise<void> {
  const account = options.account ?? "default";
  // One clear line before anything is opened: no key, a wrong key, or no saved session.
  await assertZaloSession(config, account);
  await boot(config, exit, async (lifecycle, logger) => {
    await assertRedisReachable(config.REDIS_URL);
    const database = await openDatabaseFor(config, lifecycle, { migrate: false });
    const org = await ensureDefaultOrg(database, config, logger);
    await startZalo(config, lifecycle, logger, database, { orgId: org.id, account });
  });
}

export async function runWeb(config: Config, exit: Exit): Promise<void> {
  await boot(config, exit, async (lifecycle, logger) => {
    await assertRedisReachable(config.REDIS_URL);
    const database = await openDatabaseFor(config, lifecycle, { migrate: false });
    await startWeb(config, lifecycle, logger, database);
  });
}

export async function runWorker(config: Config, exit: Exit): Promise<void> {
  await boot(config, exit, async (lifecycle, logger) => {
    await assertRedisReachable(config.REDIS_URL);
    const database = await openDatabaseFor(config, lifecycle, { migrate: false });
    await startWorker(config, lifecycle, logger, database);
  });
}

/** Applies pending migrations and reports how many; exits when done. */
export async function runMigrate(config: Config): Promise<string> {
  const logger = createLogger(config);
  const lifecycle = new Lifecycle(logger, config.SHUTDOWN_TIMEOUT_MS);
  try {
    const database = await openDatabaseFor(config, lifecycle, { migrate: false });
    const applied = await database.migrate();
    return applied === 0
      ? `Database is up to date (${database.driver}: ${database.location}).`
      : `Applied ${applied} migration(s) to ${database.driver}: ${database.location}.`;
  } finally {
    await lifecycle.shutdown("migrate done");
  }
}
