export { openDatabase, DatabaseUnavailableError, MIGRATIONS_DIR } from "./db.ts";
export type { Database, DatabaseOptions, Db } from "./db.ts";
export { createStore } from "./store.ts";
