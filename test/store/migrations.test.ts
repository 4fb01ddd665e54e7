import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { MIGRATIONS_DIR } from "../../src/store/index.ts";
import { createStore } from "../../src/store/index.ts";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../support/databases.ts";

const EXPECTED_TABLES = [
  "api_tokens",
  "assignments",
  "attempt_counters",
  "audit_log",
  "broadcasts",
  "deliveries",
  "directives",
  "extensions",
  "identities",
  "inbound_messages",
  "items",
  "link_codes",
  "occurrences",
  "orgs",
  "outbound_messages",
  "persons",
  "reminders",
  "reports",
  "threads",
  "unit_aliases",
  "unit_memberships",
  "units",
  "web_accounts",
  "web_sessions",
];

const migrationFiles = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql"));

async function tables(test: TestDatabase): Promise<string[]> {
  // Both drivers answer execute() with { rows }.
  const result: unknown = await test.database.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return (result as { rows: { table_name: string }[] }).rows.map((r) => r.table_name);
}

describe.each(DRIVERS)("migrations on %s", (driver) => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.drop();
    test = undefined;
  });

  it("apply to an empty database, and a second run changes nothing", async () => {
    test = await createTestDatabase(driver);
    expect(await tables(test)).toEqual([]);

    expect(await test.database.migrate()).toBe(migrationFiles.length);
    expect(await tables(test)).toEqual(EXPECTED_TABLES);

    expect(await test.database.migrate()).toBe(0);
    expect(await tables(test)).toEqual(EXPECTED_TABLES);
  });

  it("make the audit log append-only", async () => {
    test = await createTestDatabase(driver);
    await test.database.migrate();
    const store = createStore(test.database.db);
    const org = await store.orgs.create({ slug: "audit-org", name: "Audit" });
    const entry = await store.audit.append({ orgId: org.id, actor: "system", action: "x", entity: "org" });

    await expect(
      test.database.db.execute(sql`update audit_log set action = 'changed' where id = ${entry.id}`),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });
    await expect(
      test.database.db.execute(sql`delete from audit_log where id = ${entry.id}`),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });
    const [kept] = await store.audit.list(org.id);
    expect(kept?.action).toBe("x");
  });
});
