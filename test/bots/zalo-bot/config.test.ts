/** The ZALO_BOT_* configuration block: both secrets or none, lengths, the official default base. */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../src/config/index.ts";

const TOKEN = "3912345678:ZbConfigTokenAbc";
const SECRET = "zalo-bot-secret-1";

function errorOf(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("parseConfig accepted it");
}

describe("ZALO_BOT_* configuration", () => {
  it("is off by default and points at the official Bot API", () => {
    const config = parseConfig({});
    expect(config.ZALO_BOT_TOKEN).toBeUndefined();
    expect(config.ZALO_BOT_SECRET_TOKEN).toBeUndefined();
    expect(config.ZALO_BOT_API_BASE).toBe("https://bot-api.zaloplatforms.com");
  });

  it("reads both secrets and a base URL (a test fake)", () => {
    const config = parseConfig({ ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_SECRET_TOKEN: SECRET, ZALO_BOT_API_BASE: "http://127.0.0.1:4010" });
    expect(config).toMatchObject({ ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_SECRET_TOKEN: SECRET, ZALO_BOT_API_BASE: "http://127.0.0.1:4010" });
  });

  it("wants both secrets or none, naming the missing one without printing the other", () => {
    const noSecret = errorOf({ ZALO_BOT_TOKEN: TOKEN });
    expect(noSecret.variable).toBe("ZALO_BOT_SECRET_TOKEN");
    expect(noSecret.message).toMatch(/set together with ZALO_BOT_TOKEN/);
    expect(noSecret.message).not.toContain(TOKEN);
    expect(errorOf({ ZALO_BOT_SECRET_TOKEN: SECRET }).variable).toBe("ZALO_BOT_TOKEN");
  });

  it.each([
    ["ZALO_BOT_SECRET_TOKEN", "short", /8-256 characters/],
    ["ZALO_BOT_SECRET_TOKEN", "x".repeat(257), /8-256 characters/],
    ["ZALO_BOT_TOKEN", "1234567", /Zalo Bot token/],
    ["ZALO_BOT_API_BASE", "ftp://bot-api.zaloplatforms.com", /Zalo Bot API base URL/],
  ])("refuses %s=%s", (name, value, pattern) => {
    const error = errorOf({ ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_SECRET_TOKEN: SECRET, [name]: value });
    expect(error.variable).toBe(name);
    expect(error.message).toMatch(pattern);
  });
});
