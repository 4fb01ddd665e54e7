// Creates an empty PGlite data directory (initdb) in a worker thread, so the memory initdb takes
// (about 500 MB of WebAssembly) goes with the thread instead of staying in the server process.
import { workerData, parentPort } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";

const db = await PGlite.create(workerData.dataDir, { postgresqlconf: workerData.postgresqlconf });
await db.close();
parentPort?.postMessage("ready");
