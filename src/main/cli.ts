/**
 * `dondoc <command>`: the one entry point. Failures a user can fix (bad config, Redis or the
 * database unreachable, data directory in use) print one line and exit non-zero; anything else
 * prints its stack.
 */
import { Command } from "commander";
import { ConfigError, loadConfig, type Config } from "../config/index.ts";
import { RedisUnavailableError } from "../../jobs/index.ts";
import { DatabaseUnavailableError } from "../store/index.ts";
import { DataDirLockedError } from "./data-lock.ts";
import { runMigrate, runStart, runWeb, runWorker } from "./processes.ts";

const exit = (code: number) => process.exit(code);

function config(): Config {
  return loadConfig();
}

function fail(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  if (
    error instanceof RedisUnavailableError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof DataDirLockedError
  ) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}

const program = new Command()
  .name("dondoc")
  .description("Follows up directives by chat: web, worker, Zalo listener and tools.")
  .showHelpAfterError();

program
  .command("start")
  .description("run web + worker (and the Zalo listener when configured) in one process")
  .action(() => runStart(config(), exit).catch(fail));

program
  .command("web")
  .description("run the HTTP server: webhooks, office API, health")
  .action(() => runWeb(config(), exit).catch(fail));

program
  .command("worker")
  .description("run the BullMQ workers: reminders, deliveries, broadcasts, digests")
  .action(() => runWorker(config(), exit).catch(fail));

program
  .command("migrate")
  .description("apply pending database migrations")
  .action(() =>
    runMigrate(config())
      .then((line) => {
        process.stdout.write(`${line}\n`);
      })
      .catch(fail),
  );

try {
  await program.parseAsync(process.argv);
} catch (error) {
  fail(error);
}
