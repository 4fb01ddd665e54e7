/**
 * Where the real services for tests live. CI (.ci/run) makes sure they are up; override with
 * TEST_DATABASE_URL (an admin connection: tests create and drop their own databases) and
 * TEST_REDIS_URL.
 */
export const TEST_ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
