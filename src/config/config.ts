import { z } from "zod";
import { CHANNELS, type Channel } from "../domain/index.ts";

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

type RateChannel = Channel;
const channelNames = CHANNELS.join("|");

/** "messenger=20,zalo=0.25" → { messenger: 20, zalo: 0.25 } (the format DELIVERY_RATES checks). */
export function parseRates(value: string): Partial<Record<RateChannel, number>> {
  const pairs = value.split(",").map((p): [string, number] => {
    const [k = "", n = ""] = p.split("=").map((x) => x.trim());
    return [k, Number(n)];
  });
  return Object.fromEntries(pairs);
}

/** Channels DELIVERY_RATES leaves out keep these; the Zalo account's follows ZALO_SEND_INTERVAL_MS. */
export const DEFAULT_DELIVERY_RATES = "messenger=20,zalo_bot=10,simulator=200";

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
    .describe("auto, on or off (the HTTP chat simulator for demos: answers loopback callers with the per-install secret only; auto = on for the embedded database on a loopback HOST outside production; a deployment refuses to start with it on)"),
  NODE_ENV: z.string().regex(/^[a-z]+$/).optional().describe("production for a deployment (refuses the simulator); anything else is ignored"),
  TRUST_PROXY: z
    .string()
    .regex(/^(false|true|\d{1,2}|[0-9a-fA-F:.,/ ]+)$/)
    .default("false")
    .describe("false, true, a number of proxy hops, or comma-separated proxy addresses/CIDRs (behind a TLS proxy: cookies become Secure and client addresses come from X-Forwarded-For)"),
  LINK_CODE_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(720)
    .default(72)
    .describe("hours, 1-720 (how long a one-time link code stays valid)"),
  DELIVERY_RATES: z
    .string()
    .regex(new RegExp(`^(\\s*(${channelNames})\\s*=\\s*\\d+(\\.\\d+)?\\s*)(,\\s*(${channelNames})\\s*=\\s*\\d+(\\.\\d+)?\\s*)*$`))
    .default(DEFAULT_DELIVERY_RATES)
    .refine((v) => Object.values(parseRates(v)).every((n) => n !== undefined && n > 0 && n <= 1_000))
    .describe("channel=sends per second, comma-separated, each 0-1000 (e.g. messenger=20,zalo_bot=10,simulator=200; zalo defaults to one per ZALO_SEND_INTERVAL_MS); Messenger's high-volume state starts near 40/s"),
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32).describe("1-256 (deliveries in flight per channel and worker process)"),
  DELIVERY_LOCK_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(300_000)
    .default(10_000)
    .describe("milliseconds, 1000-300000 (a crashed worker's deliveries are taken over after about this long)"),
  DIGEST_CRON: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/)
    .default("30 7 * * 1")
    .describe("a 5-field cron in Asia/Ho_Chi_Minh (the weekly digest; default Monday 07:30)"),
  MESSENGER_APP_SECRET: z.string().min(8).optional().describe("the Facebook app secret (signs webhooks); Messenger is on when the three MESSENGER_* secrets are set"),
  MESSENGER_VERIFY_TOKEN: z.string().min(8).optional().describe("any string of 8+ characters, typed again in the app dashboard (webhook handshake)"),
  MESSENGER_PAGE_TOKEN: z.string().min(8).optional().describe("the Page access token (Send API); never logged"),
  MESSENGER_PAGE_ID: z.string().regex(/^[A-Za-z0-9.]+$/).optional().describe("the Page id or username, for the m.me onboarding link"),
  GRAPH_API_BASE: z
    .url({ protocol: /^https?$/ })
    .default("https://graph.facebook.com/v25.0")
    .describe("the Graph API base URL with a pinned version (tests point it at a fake)"),
  ZALO_BOT_TOKEN: z.string().min(8).optional().describe("the Zalo Bot token from Zalo Bot Manager (part of every API URL); Zalo Bot is on when both ZALO_BOT_* secrets are set; never logged"),
  ZALO_BOT_SECRET_TOKEN: z
    .string()
    .min(8)
    .max(256)
    .optional()
    .describe("8-256 characters, the secret_token given to setWebhook (checked on every webhook call)"),
  ZALO_BOT_API_BASE: z
    .url({ protocol: /^https?$/ })
    .default("https://bot-api.zaloplatforms.com")
    .describe("the Zalo Bot API base URL, without /bot<token> (tests point it at a fake)"),
  ZALO_CREDENTIALS_KEY: z
    .string()
    .regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=?)$/)
    .optional()
    .describe("32 random bytes as 64 hex digits or base64 (openssl rand -hex 32); encrypts the saved Zalo session (zca-js); never logged"),
  ZALO_SEND_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(600_000)
    .default(4_000)
    .describe("milliseconds, 1000-600000 (the least time between two sends of the Zalo account)"),
  ZALO_HOURLY_CAP: z.coerce
    .number()
    .int()
    .min(1)
    .max(3_600)
    .default(300)
    .describe("1-3600 (most messages the Zalo account sends in any hour; more wait for the next hour)"),
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
  const zaloBot = ["ZALO_BOT_TOKEN", "ZALO_BOT_SECRET_TOKEN"] as const;
  const zaloBotSet = zaloBot.filter((k) => result.data[k] !== undefined);
  if (zaloBotSet.length > 0 && zaloBotSet.length < zaloBot.length) {
    const missing = zaloBot.find((k) => result.data[k] === undefined) ?? "ZALO_BOT_SECRET_TOKEN";
    throw new ConfigError(missing, `set together with ${zaloBotSet.join(", ")} (Zalo Bot needs both)`, undefined);
  }
  if (result.data.SIMULATOR === "on") {
    const why = deploymentReason(result.data);
    if (why) throw new ConfigError("SIMULATOR", `off or auto in a deployment (${why}): the simulator lets anyone who reaches it speak as any chat user`, "on");
  }
  return Object.freeze(result.data);
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);

/** Why this configuration is a deployment rather than a demo on one machine, or null. */
function deploymentReason(c: { DATABASE_URL?: string | undefined; HOST: string; NODE_ENV?: string | undefined }): string | null {
  if (c.DATABASE_URL) return "DATABASE_URL is set";
  if (!LOOPBACK_HOSTS.has(c.HOST)) return `HOST is ${c.HOST}, not loopback`;
  if (c.NODE_ENV === "production") return "NODE_ENV is production";
  return null;
}

/**
 * Whether the HTTP simulator is served: `on`, or `auto` on a demo install (embedded database,
 * loopback HOST, not production). `parseConfig` already refused `on` in a deployment.
 *
 * @example
 * simulatorEnabled(parseConfig({})) // true
 * simulatorEnabled(parseConfig({ DATABASE_URL: "postgres://db/dondoc" })) // false
 */
export function simulatorEnabled(config: Config): boolean {
  if (config.SIMULATOR === "off") return false;
  return deploymentReason(config) === null;
}

/**
 * TRUST_PROXY as Fastify's `trustProxy` option.
 *
 * @example
 * trustProxy(parseConfig({ TRUST_PROXY: "1" })) // 1
 */
export function trustProxy(config: Config): boolean | number | string[] {
  const v = config.TRUST_PROXY.trim();
  if (v === "false") return false;
  if (v === "true") return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(",").map((a) => a.trim()).filter((a) => a !== "");
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

/**
 * Sends per second on a channel, across every process: DELIVERY_RATES, else its default; the
 * Zalo account's defaults to one message per ZALO_SEND_INTERVAL_MS, the pace its sender keeps.
 *
 * @example
 * deliveryRate(parseConfig({}), "zalo") // 0.25
 */
export function deliveryRate(config: Config, channel: RateChannel): number {
  return parseRates(config.DELIVERY_RATES)[channel] ?? parseRates(DEFAULT_DELIVERY_RATES)[channel] ?? 1_000 / config.ZALO_SEND_INTERVAL_MS;
}
