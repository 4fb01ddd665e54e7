import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start child processes and real databases; give them room.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
