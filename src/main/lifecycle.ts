import type { Logger } from "../app/index.ts";

/**
 * Owns signals and graceful shutdown for one process: closers run in reverse order of
 * registration (HTTP first, then workers, Redis, database), each at most once.
 */
export class Lifecycle {
  private readonly closers: { name: string; close: () => Promise<void> }[] = [];
  private closing: Promise<void> | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {}

  add(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  /** Closes everything registered so far; errors are logged, not thrown. */
  shutdown(reason: string): Promise<void> {
    this.closing ??= (async () => {
      this.logger.debug({ reason }, "closing");
      for (const { name, close } of [...this.closers].reverse()) {
        // Each closer gets a share of the budget, so one that hangs (a queue waiting for a
        // Redis that is gone) cannot keep the database and the data-dir lock open.
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            close(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error("timed out")), this.timeoutMs / 4);
            }),
          ]);
          this.logger.debug({ name }, "closed");
        } catch (err) {
          this.logger.error({ name, err }, "close failed");
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.closing;
  }

  /** SIGINT/SIGTERM → shutdown → exit 0; a shutdown that overruns the timeout exits 1. */
  handleSignals(exit: (code: number) => void): void {
    const onSignal = (signal: NodeJS.Signals) => {
      this.logger.info({ signal }, "shutting down");
      const timer = setTimeout(() => {
        this.logger.error({ timeoutMs: this.timeoutMs }, "shutdown timed out");
        exit(1);
      }, this.timeoutMs);
      timer.unref();
      void this.shutdown(signal).then(() => {
        this.logger.info({ signal }, "stopped");
        exit(0);
      });
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }
}
