/**
 * How long the server takes to answer the status board page (issue 15 item 2).
 *   npx tsx bench/board-render.ts [pglite|postgres] [renders]
 * An org with 5 tracked directives (the seed text, each item assigned to 40 units: 12 items ×
 * 40 = 480 cells a board), a few reports; then GET /directives/:id/board through Fastify
 * `inject` (sign-in cookie, store reads, view-model, HTML), cycling the 5 boards, after a warm
 * up. Prints the median (and p90) of `renders` renders (default 20), for the default card view
 * and `?view=items`, and the page's size. Asserts nothing. `postgres` needs PostgreSQL on
 * localhost (as the tests do); `pglite` (default) runs the embedded database.
 */
import { readFileSync } from "node:fs";
import { createBoardView, createBroadcasts, createConversation, createDirectory, createGroups, createIntake, createOrgSettings, createWebAuth } from "../src/app/index.ts";
import { buildApp } from "../src/http/index.ts";
import { SESSION_COOKIE } from "../src/http/web/index.ts";
import { webModules } from "../src/main/web-modules.ts";
import { createStore } from "../src/store/index.ts";
import { FakeClock } from "../test/fakes/clock.ts";
import { createMigratedDatabase } from "../test/support/databases.ts";
import { plainHasher } from "../test/support/web.ts";

const driver = process.argv[2] === "postgres" ? "postgres" : "pglite";
const renders = Number(process.argv[3] ?? 20);
const DIRECTIVES = 5;
const UNITS = 40;
const SEED = readFileSync(new URL("../test/fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");

const test = await createMigratedDatabase(driver);
try {
  const store = createStore(test.database.db);
  const clock = new FakeClock("2020-06-06T01:00:00Z");
  const orgId = (await store.orgs.create({ slug: "bench-board", name: "Đảng ủy phường Bảng" })).id;
  const intake = createIntake({ store, clock });
  const conversation = createConversation({ store, clock });
  const units = Array.from({ length: UNITS }, (_, i) => `Tổ dân phố số ${i + 1}`);
  const ids: string[] = [];
  for (let d = 0; d < DIRECTIVES; d++) {
    const { directive, items } = await intake.importDirective({ orgId, text: `${SEED}\n\nBản ${d + 1}.`, actor: "bench" });
    for (const item of items) await intake.updateItem(orgId, directive.id, item.id, { assignees: units.map((name, i) => ({ name, role: i === 0 ? "lead" : "support" })) }, "bench");
    await intake.activate(orgId, directive.id, "bench", { confirm: "all" });
    ids.push(directive.id);
  }
  // A cadre in each of the first 10 units reports on item 1 and 3, so cells carry reports.
  const all = await store.units.list(orgId);
  for (const [i, name] of units.slice(0, 10).entries()) {
    const unit = all.find((u) => u.name === name);
    if (!unit) throw new Error(`no unit ${name}`);
    const person = await store.persons.create({ orgId, fullName: `Cán bộ ${i + 1}`, roles: ["cadre"] });
    await store.persons.addMembership({ orgId, personId: person.id, unitId: unit.id });
    const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: `c${i}` });
    await store.chats.linkIdentity(orgId, identity.id, person.id, clock.now());
    for (const [n, text] of ["bc 1 đang làm 50%", "bc 3 vướng kinh phí"].entries()) {
      await conversation.handle({ orgId, channel: "simulator", threadId: `c${i}`, threadKind: "direct", senderId: `c${i}`, messageId: `m${i}-${n}`, text, sentAt: clock.now() });
    }
  }
  clock.set("2020-07-03T01:00:00Z");

  const auth = createWebAuth({ store, clock, hasher: plainHasher });
  const office = await store.persons.create({ orgId, fullName: "Văn phòng", roles: ["office"] });
  await auth.createAccount({ orgId, personId: office.id, login: "vanphong", password: "mật khẩu văn phòng" });
  const { token } = await auth.signIn("vanphong", "mật khẩu văn phòng", "127.0.0.1");
  const app = await buildApp({
    logger: false,
    probes: [],
    web: {
      auth,
      modules: webModules({
        store,
        clock,
        intake,
        directory: createDirectory({ store, clock }),
        conversation,
        broadcasts: createBroadcasts({ store, clock }),
        groups: createGroups({ store, clock }),
        settings: createOrgSettings({ store, clock }),
        messengerPage: null,
        board: createBoardView({ store, clock }),
      }),
    },
  });
  const cookie = `${SESSION_COOKIE}=${token}`;
  let bytes = 0;
  let cells = 0;
  const render = async (i: number, query: string) => {
    const start = performance.now();
    const res = await app.inject({ url: `/directives/${ids[i % ids.length]}/board${query}`, headers: { cookie } });
    const ms = performance.now() - start;
    if (res.statusCode !== 200) throw new Error(`board answered ${res.statusCode}`);
    bytes = res.body.length;
    cells = (res.body.match(/data-cell="/g) ?? []).length;
    return ms;
  };
  const stat = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `median ${(s[Math.floor(s.length / 2)] ?? 0).toFixed(1)} ms, p90 ${(s[Math.floor(s.length * 0.9)] ?? 0).toFixed(1)} ms`;
  };
  for (let i = 0; i < 5; i++) await render(i, ""); // warm up
  for (const [label, query] of [["cards by unit", ""], ["cards by item", "?view=items"]] as const) {
    const times: number[] = [];
    for (let i = 0; i < renders; i++) times.push(await render(i, query));
    console.log(`board page (${driver}, ${DIRECTIVES} directives × ${UNITS} units, ${cells} cells, ${(bytes / 1024).toFixed(0)} KiB), ${label}: ${stat(times)} over ${renders} renders`);
  }
  await app.close();
} finally {
  await test.drop();
}
