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
import { runMigrate } from "./migrate.ts";
import { runStart } from "./start.ts";
import { runWeb } from "./web.ts";
import { runWorker } from "./worker.ts";
import { runZalo, runZaloLogin, ZaloSessionMissingError } from "./zalo.ts";
import { CliError, runImport, runParse, runToken, runUser } from "./intake-cli.ts";
import { runInterpret, runLinkCode } from "./chat-cli.ts";
import { runPlan } from "./plan-cli.ts";

const exit = (code: number) => process.exit(code);

// Files this process creates (the embedded database, login and token files, the Zalo session) are the owner's alone.
process.umask(0o077);

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
    error instanceof DataDirLockedError ||
    error instanceof CliError ||
    error instanceof ZaloSessionMissingError ||
    // The Zalo channel's own errors, known by code: zca-js is loaded only when Zalo is used.
    (error instanceof Error && ["zalo_credentials", "zalo_listener_locked"].includes(String((error as { code?: unknown }).code)))
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
  .option("--demo", "on first run, fill the org with the demo ward (seed directive, people linked to the simulator)")
  .action((options: { demo?: boolean }) => runStart(config(), exit, options).catch(fail));

program
  .command("web")
  .description("run the HTTP server: webhooks, office API, health")
  .action(() => runWeb(config(), exit).catch(fail));

program
  .command("worker")
  .description("run the BullMQ workers: reminders, deliveries, broadcasts, digests")
  .action(() => runWorker(config(), exit).catch(fail));

const zalo = program
  .command("zalo")
  .description("run the Zalo listener (zca-js, the ward office's account) and send its deliveries")
  .option("--account <name>", "the Zalo account's name in dondoc", "default")
  .action((options: { account: string }) => runZalo(config(), exit, { account: options.account }).catch(fail));

zalo
  .command("login")
  .description("log the office's Zalo account in by QR code and save the session encrypted")
  .option("--account <name>", "the Zalo account's name in dondoc", "default")
  .action((options: { account: string }) =>
    runZaloLogin(config(), { account: options.account, print: (line) => process.stdout.write(`${line}\n`) })
      .then((line) => {
        process.stdout.write(`${line}\n`);
      })
      .catch(fail),
  );

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

const print = (text: string) => {
  process.stdout.write(`${text}\n`);
};

program
  .command("parse")
  .description("parse a directive (.docx, .txt, .md) and print its items; nothing is saved")
  .argument("<file>", "the directive file")
  .option("--json", "print the parse as JSON")
  .action((file: string, options: { json?: boolean }) => runParse(file, options).then(print).catch(fail));

program
  .command("import")
  .description("import a directive as a draft for review (nothing is tracked before activation)")
  .argument("<file>", "the directive file")
  .option("--org <slug>", "the org to import into (default: ORG_SLUG)")
  .action((file: string, options: { org?: string }) => runImport(config(), file, options).then(print).catch(fail));

program
  .command("token")
  .description("create an office or leader user with an access token for the office API")
  .requiredOption("--name <name>", "the person's full name")
  .option("--role <role>", "office or leader", "office")
  .option("--org <slug>", "the org (default: ORG_SLUG)")
  .action((options: { name: string; role: string; org?: string }) => runToken(config(), options).then(print).catch(fail));

program
  .command("user")
  .description("create an office or leader user who signs in to the web pages (prints a generated password once)")
  .requiredOption("--name <name>", "the person's full name")
  .requiredOption("--login <login>", "the sign-in name (letters without diacritics, digits, . _ -)")
  .option("--role <role>", "office or leader", "office")
  .option("--org <slug>", "the org (default: ORG_SLUG)")
  .action((options: { name: string; login: string; role: string; org?: string }) => runUser(config(), options).then(print).catch(fail));

program
  .command("interpret")
  .description("show how the bot understands a chat message (intent, item, status, …)")
  .requiredOption("--text <text>", "the message")
  .option("--directive <file>", "match a message without an item number against this directive's items")
  .option("--json", "print JSON")
  .action((options: { text: string; directive?: string; json?: boolean }) => runInterpret(options).then(print).catch(fail));

program
  .command("link-code")
  .description("issue a one-time code for a person to link a Zalo/Messenger account (/dangky CODE)")
  .requiredOption("--person <name-or-id>", "the person's full name or id")
  .option("--org <slug>", "the org (default: ORG_SLUG)")
  .action((options: { person: string; org?: string }) => runLinkCode(config(), options).then(print).catch(fail));

program
  .command("plan")
  .description("print the reminders the policy would send for a directive (no database or Redis needed)")
  .requiredOption("--directive <file>", "the directive file")
  .option("--now <iso>", "the moment to plan from, e.g. 2020-06-20T08:00:00+07:00 (default: now)")
  .option("--days <n>", "how many days ahead", "30")
  .option("--json", "print JSON")
  .action((options: { directive: string; now?: string; days?: string; json?: boolean }) => runPlan(options).then(print).catch(fail));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  fail(error);
}
