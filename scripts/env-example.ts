/**
 * Writes .env.example from the config schema, so the two cannot drift:
 *   npx tsx scripts/env-example.ts > .env.example
 */
import { describeConfig } from "../src/config/index.ts";

const lines = [
  "# dondoc configuration. Copy to .env (read from the working directory) or set in the environment.",
  "# Empty or commented-out values use the default shown.",
  "",
];
for (const { name, expected, default: value } of describeConfig()) {
  lines.push(`# ${expected}`);
  const text = String(value);
  const shown = /\s/.test(text) ? JSON.stringify(text) : text;
  lines.push(value === undefined ? `# ${name}=` : `${name}=${shown}`);
  lines.push("");
}
process.stdout.write(lines.join("\n"));
