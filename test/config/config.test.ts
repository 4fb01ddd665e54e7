import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, deliveryRate, describeConfig, parseConfig } from "../../src/config/index.ts";

describe("parseConfig", () => {
  it("gives the documented defaults for an empty environment, frozen", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      HOST: "127.0.0.1",
      PORT: 3000,
      DATA_DIR: "./data",
      REDIS_URL: "redis://127.0.0.1:6379",
      MIGRATE_ON_START: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads values and treats empty strings as unset", () => {
    const config = parseConfig({
      PORT: "8080",
      DATABASE_URL: "",
      REDIS_URL: "redis://redis:6379",
      MIGRATE_ON_START: "false",
      UNRELATED: "ignored",
    });
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBe("redis://redis:6379");
    expect(config.MIGRATE_ON_START).toBe(false);
    expect(parseConfig({ DATABASE_URL: "postgres://u:p@db:5432/dondoc" }).DATABASE_URL).toBe(
      "postgres://u:p@db:5432/dondoc",
    );
  });

  it.each([
    ["PORT", "abc", /PORT must be a TCP port number/],
    ["PORT", "70000", /PORT must be a TCP port number/],
    ["DATABASE_URL", "mysql://x/y", /DATABASE_URL must be a PostgreSQL URL/],
    ["REDIS_URL", "localhost:6379", /REDIS_URL must be a Redis URL/],
    ["LOG_LEVEL", "loud", /LOG_LEVEL must be one of/],
    ["MIGRATE_ON_START", "maybe", /MIGRATE_ON_START must be true or false/],
    ["ORG_SLUG", "Phường 7", /ORG_SLUG must be lower-case/],
  ])("refuses %s=%s with one line naming the variable and the form", (name, value, pattern) => {
    let error: unknown;
    try {
      parseConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(pattern);
    expect(message).toContain(JSON.stringify(value));
    expect(message.split("\n")).toHaveLength(1);
    expect((error as ConfigError).variable).toBe(name);
  });
});

describe("deliveryRate", () => {
  it("takes DELIVERY_RATES, else the default, and the Zalo account's pace from ZALO_SEND_INTERVAL_MS", () => {
    const defaults = parseConfig({});
    expect(deliveryRate(defaults, "messenger")).toBe(20);
    expect(deliveryRate(defaults, "zalo")).toBe(0.25);
    expect(deliveryRate(parseConfig({ ZALO_SEND_INTERVAL_MS: "5000" }), "zalo")).toBe(0.2);
    const set = parseConfig({ DELIVERY_RATES: "messenger=5,zalo=0.1" });
    expect(deliveryRate(set, "messenger")).toBe(5);
    expect(deliveryRate(set, "zalo")).toBe(0.1);
    expect(deliveryRate(set, "simulator")).toBe(200);
  });
});

describe(".env.example", () => {
  it("lists every variable of the schema, each with a comment", () => {
    const lines = readFileSync(new URL("../../.env.example", import.meta.url), "utf8").split("\n");
    for (const { name } of describeConfig()) {
      const index = lines.findIndex((l) => l.replace(/^#\s*/, "").startsWith(`${name}=`));
      expect(index, `${name} missing from .env.example`).toBeGreaterThan(0);
      expect(lines[index - 1], `${name} has no comment above it`).toMatch(/^#/);
    }
  });

  it("is what scripts/env-example.ts generates from the schema, defaults included (regenerate after changing the config)", () => {
    const root = new URL("../../", import.meta.url);
    const generated = execFileSync(process.execPath, ["--import", "tsx", "scripts/env-example.ts"], { cwd: root, encoding: "utf8" });
    expect(readFileSync(new URL(".env.example", root), "utf8")).toBe(generated);
  });
});

describe("README configuration table", () => {
  it("documents every variable of the schema", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const { name } of describeConfig()) expect(readme).toContain(`| \`${name}\` |`);
  });
});

