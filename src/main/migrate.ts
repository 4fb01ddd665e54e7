/** `dondoc migrate`: applies pending migrations to the configured database and says how many. */
import type { Config } from "../config/index.ts";
import { createLogger, openDatabaseFor } from "./components.ts";
import { Lifecycle } from "./lifecycle.ts";

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
