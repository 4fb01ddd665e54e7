/** Logging and health probes. */

/**
 * Liveness of a dependency, for /healthz.
 * @example
 * const probe: HealthProbe = { name: "redis", check: async () => { await redis.ping(); } };
 */
export interface HealthProbe {
  name: string;
  /** Resolves when healthy; rejects (or times out) when not. */
  check(): Promise<void>;
}

/**
 * Structured logging, pino-shaped.
 * @example
 * logger.warn({ queue: "heartbeat", err }, "job failed");
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
