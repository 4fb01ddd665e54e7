/**
 * `dondoc start`: web + worker (+ the Zalo listener once configured) in one process, on either
 * database — the one-ward install, and `npm start`'s demo.
 */
import { join, relative } from "node:path";
import type { Config } from "../config/index.ts";
import { createStore } from "../store/index.ts";
import { assertRedisReachable } from "../../jobs/index.ts";
import { boot, ensureDefaultOrg, openDatabaseFor, SIMULATOR_SECRET_FILE } from "./components.ts";
import { demoInstructions, ensureDemoWard } from "./demo.ts";
import { startWeb } from "./web.ts";
import { startWorker } from "./worker.ts";
import { hasZaloSession, startZalo } from "./zalo.ts";

export async function runStart(config: Config, exit: (code: number) => void, options: { demo?: boolean } = {}): Promise<void> {
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
