/**
 * The servers `bench/webhook.ts` loads, in their own process: a bare Fastify route answering
 * 200, and dondoc's Messenger webhook (verify signature → store once → enqueue) on the embedded
 * database (or BENCH_DATABASE_URL) and real Redis. Prints {"bare": port, "webhook": port}.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { messengerWebhook } from "../bots/messenger/index.ts";
import { createConversation } from "../src/app/index.ts";
import { buildApp } from "../src/http/index.ts";
import { createStore, openDatabase } from "../src/store/index.ts";
import { createInboundQueue, createRedis } from "../jobs/index.ts";

const database = await openDatabase({
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir: mkdtempSync(join(tmpdir(), "dondoc-bench-")),
});
await database.migrate();
const store = createStore(database.db);
const org = await store.orgs.create({ slug: `bench-${Date.now()}`, name: "Bench" });
const conversation = createConversation({ store, clock: { now: () => new Date() } });
const connection = createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const prefix = `bench-${Date.now()}`;
const queue = createInboundQueue(connection, prefix);

const app = await buildApp({
  logger: false,
  probes: [],
  channelPlugins: [messengerWebhook({ appSecret: "bench-secret-123", verifyToken: "bench-verify", orgId: org.id, handler: conversation, queue })],
});
const bare = Fastify();
bare.post("/webhooks/messenger", async () => "EVENT_RECEIVED");

const webhookUrl = await app.listen({ port: 0, host: "127.0.0.1" });
const bareUrl = await bare.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`${JSON.stringify({ bare: bareUrl, webhook: webhookUrl, driver: database.driver })}\n`);
process.on("SIGTERM", () => {
  void Promise.all([app.close(), bare.close(), queue.close()]).then(async () => {
    // Leave nothing behind in Redis: the queued jobs were only load.
    for await (const keys of connection.scanStream({ match: `${prefix}:*`, count: 1000 })) {
      if ((keys as string[]).length > 0) await connection.del(...(keys as string[]));
    }
    connection.disconnect();
    await database.close();
    process.exit(0);
  });
});
