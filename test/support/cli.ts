import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

export const DONDOC_BIN = fileURLToPath(new URL("../../bin/dondoc.js", import.meta.url));

export interface RunningProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Waits for a JSON log line with this msg and returns it. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited(): Promise<number | null>;
}

/** Runs `dondoc ARGS` as a child process with only the given environment (plus PATH/HOME). */
export function runDondoc(args: string[], options: { cwd: string; env?: Record<string, string> }): RunningProcess {
  const child = spawn(process.execPath, [DONDOC_BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const exit = once(child, "exit").then(([code]) => code as number | null);

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: () => exit,
    async waitForLog(msg, timeoutMs = 45_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const line of out.split("\n")) {
          if (!line.startsWith("{")) continue;
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (entry.msg === msg) return entry;
        }
        if (child.exitCode !== null) {
          throw new Error(`dondoc exited (${child.exitCode}) before "${msg}":\n${out}\n${err}`);
        }
        if (Date.now() > deadline) throw new Error(`no "${msg}" within ${timeoutMs} ms:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
  };
}
