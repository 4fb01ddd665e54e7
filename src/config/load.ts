import { existsSync } from "node:fs";
import { parseConfig, type Config } from "./config.ts";

/**
 * The only place that reads process.env: loads `.env` from the working directory when present
 * (values already in the environment win), then parses once.
 */
export function loadConfig(envFile = ".env"): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}
