import { chmodSync, closeSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

/**
 * The embedded database may be opened by one process at a time; a second one would corrupt it.
 * A lock file with the owner's pid guards DATA_DIR; a lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, "dondoc.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new DataDirLockedError(dataDir, pid);
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new DataDirLockedError(dataDir, null);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class DataDirLockedError extends Error {
  readonly code = "data_dir_locked";
  constructor(dataDir: string, pid: number | null) {
    super(
      `The embedded database in ${dataDir} is in use by another dondoc process${pid ? ` (pid ${pid})` : ""}. Stop it, run web and worker together with "dondoc start", or set DATABASE_URL to use PostgreSQL.`,
    );
    this.name = "DataDirLockedError";
  }
}

/**
 * The data directory holds the embedded database, the office's login and token files and the
 * Zalo session: only its owner may read it. The directory becomes 0700 and everything in it
 * 0600 (directories 0700); PGlite writes some files world-readable (pg_hba.conf 0666), and the
 * process umask (0077, set at start) keeps new ones private.
 */
export function secureDataDir(dataDir: string): void {
  const walk = (path: string, isDir: boolean) => {
    try {
      chmodSync(path, isDir ? 0o700 : 0o600);
    } catch {
      return; // a file removed meanwhile, or not ours: nothing to do
    }
    if (!isDir) return;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isSymbolicLink()) continue;
      walk(join(path, entry.name), entry.isDirectory());
    }
  };
  walk(dataDir, true);
}
