import { z } from "zod";

/**
 * Every environment variable dondoc reads, with its default and the form it expects.
 * `describe()` texts feed both the one-line start-up error and `.env.example`.
 */
const port = z.coerce.number().int().min(0).max(65535);
const portForm = "a TCP port number, 0-65535";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const boolForm = "true or false";

export const configSchema = z.object({
  HOST: z.string().min(1).default("127.0.0.1").describe("an interface address such as 127.0.0.1 or 0.0.0.0"),
  PORT: port.default(3000).describe(portForm),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .optional()
    .describe("a PostgreSQL URL such as postgres://user:pass@host:5432/dondoc; unset = embedded PGlite"),
  DATA_DIR: z.string().min(1).default("./data").describe("a directory path for the embedded database"),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/ })
    .default("redis://127.0.0.1:6379")
    .describe("a Redis URL such as redis://127.0.0.1:6379"),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i)
    .default("dondoc")
    .describe("letters, digits, - or _ (the Redis key prefix of every queue)"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .describe("one of fatal, error, warn, info, debug, trace, silent"),
  MIGRATE_ON_START: bool
    .default(true)
    .describe(boolForm + " (apply pending migrations when `dondoc start` begins)"),
  ORG_SLUG: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default("phuong-demo")
    .describe("lower-case letters, digits and - (the org `dondoc start` creates on first run)"),
  ORG_NAME: z.string().min(1).default("Đảng ủy phường (demo)").describe("any non-empty text"),
  SIMULATOR: z
    .enum(["auto", "on", "off"])
    .default("auto")
    .describe("auto, on or off (the HTTP chat simulator; auto = on with the embedded database only)"),
  LINK_CODE_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(720)
    .default(72)
    .describe("hours, 1-720 (how long a one-time link code stays valid)"),
  MESSENGER_APP_SECRET: z.string().min(8).optional().describe("the Facebook app secret (signs webhooks); Messenger is on when the three MESSENGER_* secrets are set"),
  MESSENGER_VERIFY_TOKEN: z.string().min(8).optional().describe("any string of 8+ characters, typed again in the app dashboard (webhook handshake)"),
  MESSENGER_PAGE_TOKEN: z.string().min(8).optional().describe("the Page access token (Send API); never logged"),
  MESSENGER_PAGE_ID: z.string().regex(/^[A-Za-z0-9.]+$/).optional().describe("the Page id or username, for the m.me onboarding link"),
  GRAPH_API_BASE: z
    .url({ protocol: /^https?$/ })
    .default("https://graph.facebook.com/v25.0")
    .describe("the Graph API base URL with a pinned version (tests point it at a fake)"),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(10_000)
    .describe("milliseconds, 100-120000 (how long shutdown may take before the process exits anyway)"),
});

export type Config = Readonly<z.infer<typeof configSchema>>;
export type ConfigKey = keyof z.infer<typeof configSchema>;

/** One line that names the variable and the form it expects, for start-up failures. */
export class ConfigError extends Error {
  readonly code = "config_invalid";
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string | undefined,
  ) {
    super(
      `Invalid configuration: ${variable} must be ${expected}` +
        (got === undefined ? " (it is not set)" : ` (got ${JSON.stringify(got)})`),
    );
    this.name = "ConfigError";
  }
}

/**
 * Parse an environment (a plain record, never read from process.env here) into a frozen Config.
 * Empty strings count as unset, so `DATABASE_URL=` in a .env file means "use PGlite".
 *
 * @example
 * const config = parseConfig({ PORT: "8080" }); // config.PORT === 8080
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== "") input[key] = value.trim();
  }
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? "?") as ConfigKey;
    const expected = configSchema.shape[variable]?.description ?? issue?.message ?? "valid";
    throw new ConfigError(variable, expected, input[variable]);
  }
  const messenger = ["MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN", "MESSENGER_PAGE_TOKEN"] as const;
  const set = messenger.filter((k) => result.data[k] !== undefined);
  if (set.length > 0 && set.length < messenger.length) {
    const missing = messenger.find((k) => result.data[k] === undefined) ?? "MESSENGER_PAGE_TOKEN";
    throw new ConfigError(missing, `set together with ${set.join(", ")} (Messenger needs all three)`, undefined);
  }
  return Object.freeze(result.data);
}

/** The variables and their descriptions, for `.env.example` and the README table. */
export function describeConfig(): { name: ConfigKey; expected: string; default: unknown }[] {
  return (Object.keys(configSchema.shape) as ConfigKey[]).map((name) => {
    const field = configSchema.shape[name];
    const parsed = field.safeParse(undefined);
    return {
      name,
      expected: field.description ?? "",
      default: parsed.success ? parsed.data : undefined,
    };
  });
}
