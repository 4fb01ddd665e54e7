import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start child processes (each boots TypeScript and PGlite) and real
    // databases; on a loaded 2-core machine one can take 30 s, so give them room.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: "forks",
    // PGlite templates made once per run (test/support/databases.ts copies them).
    globalSetup: ["test/support/global-setup.ts"],
  },
});
