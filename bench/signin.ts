/**
 * Sign-in timing: does an unknown login answer as slowly as a known one with a wrong password?
 * (It should: the dummy hash is a real argon2id hash of the same parameters.)
 *   npx tsx bench/signin.ts [samples]
 * Runs the sign-in use case on a temporary embedded database, alternating unknown and known
 * logins, each from its own client address (so the attempt limits never slow it), and prints the
 * median and 90th percentile of each. Asserts nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWebAuth } from "../src/app/index.ts";
import { argon2Hasher, systemClock } from "../src/main/components.ts";
import { createStore, openDatabase } from "../src/store/index.ts";

const samples = Number(process.argv[2] ?? 50);
const dir = mkdtempSync(join(tmpdir(), "dondoc-bench-signin-"));
const database = await openDatabase({ dataDir: dir });
try {
  await database.migrate();
  const store = createStore(database.db);
  const org = await store.orgs.create({ slug: "bench", name: "Bench" });
  const person = await store.persons.create({ orgId: org.id, fullName: "Văn phòng", roles: ["office"] });
  const auth = createWebAuth({ store, clock: systemClock, hasher: argon2Hasher });
  await auth.createAccount({ orgId: org.id, personId: person.id, login: "vanphong", password: "mật khẩu rất dài" });
  const time = async (login: string, i: number) => {
    const start = performance.now();
    await auth.signIn(login, `sai ${i}`, `10.0.${Math.floor(i / 250)}.${i % 250}`).catch(() => undefined);
    return performance.now() - start;
  };
  await time("khongco", 10_000); // warm up (the dummy hash is made on first use)
  const unknown: number[] = [];
  const known: number[] = [];
  for (let i = 0; i < samples; i++) {
    unknown.push(await time("khongco", 2 * i));
    // A known login from a fresh address each time; its account limit is reset by nothing, so
    // keep it under the free tries by spacing the accounts' counts: reset between samples.
    known.push(await time("vanphong", 2 * i + 1));
    await store.limits.reset(`signin:account:${(await store.web.accountByLogin("vanphong"))?.id ?? ""}`);
  }
  const stat = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { p50: s[Math.floor(s.length / 2)] ?? 0, p90: s[Math.floor(s.length * 0.9)] ?? 0 };
  };
  const u = stat(unknown);
  const k = stat(known);
  console.log(`sign-in, ${samples} samples each: unknown login p50 ${u.p50.toFixed(1)} ms, p90 ${u.p90.toFixed(1)} ms; known login, wrong password p50 ${k.p50.toFixed(1)} ms, p90 ${k.p90.toFixed(1)} ms; ratio of medians ${(u.p50 / k.p50).toFixed(2)}`);
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
