/**
 * The process logger: pino with secrets redacted wherever they could appear (headers, cookies,
 * tokens in config-shaped objects, query strings of logged URLs) and errors that never carry a
 * query's parameters (a failed INSERT would otherwise print the chat message it held).
 */
import { pino, stdSerializers, type DestinationStream, type Logger, type LoggerOptions } from "pino";

/** Query parameters whose values never reach a log line. */
const SECRET_PARAMS = ["hub.verify_token", "verify_token", "_csrf", "token", "access_token", "secret", "code", "password"];

/**
 * A URL with its secret query values replaced.
 *
 * @example
 * redactUrl("/webhooks/messenger?hub.mode=subscribe&hub.verify_token=abc") // "/webhooks/messenger?hub.mode=subscribe&hub.verify_token=[redacted]"
 */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) {
    if (SECRET_PARAMS.includes(key.toLowerCase())) params.set(key, "[redacted]");
  }
  return `${url.slice(0, q)}?${params.toString().replace(/%5Bredacted%5D/g, "[redacted]")}`;
}

/**
 * An error as logged: message, type and stack, with any SQL parameters cut out (drizzle puts
 * "params: …" in its messages; pg errors carry `parameters`), and the same for its causes.
 */
export function safeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const out = stdSerializers.err(err) as unknown as Record<string, unknown>;
  const scrub = (text: unknown) => (typeof text === "string" ? text.replace(/\nparams:[\s\S]*/u, "\nparams: [redacted]") : text);
  out.message = scrub(out.message);
  out.stack = scrub(out.stack);
  for (const key of ["params", "parameters", "query", "detail", "where", "internalQuery"]) delete out[key];
  if (err.cause) out.cause = safeError(err.cause);
  return out;
}

/** Paths pino redacts in every line (request headers, config-shaped objects). */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-bot-api-secret-token"]',
  'req.headers["x-simulator-secret"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  "*.token",
  "*.pageToken",
  "*.password",
  "*.secret",
  "*.appSecret",
  "*.secretToken",
  "*.verifyToken",
  "*.credentialsKey",
  "*.cookie",
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    name: "dondoc",
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: {
      err: safeError,
      error: safeError,
      req: (req: { method?: string; url?: string; id?: unknown; ip?: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url ?? ""), ip: req.ip }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
