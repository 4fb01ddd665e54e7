import { randomBytes } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { credentialStore, loginWithQr, parseCredentialsKey, ZaloCredentialsError } from "../../../bots/zalo/index.ts";
import { LoginQRCallbackEventType } from "../../../bots/zalo/sdk.ts";
import type { LoginQRCallbackEvent } from "../../../bots/zalo/types.ts";
import { ConfigError, parseConfig } from "../../../src/config/index.ts";
import { FakeClock } from "../../fakes/clock.ts";
import { FakeZcaApi } from "../../fakes/zca-js.ts";
import { useTempDirs } from "../../support/temp-dirs.ts";

const tempDir = useTempDirs("dondoc-zalo-cred-");
const clock = new FakeClock("2020-06-20T01:00:00Z");
const COOKIE = [{ key: "zpw_sek", value: "SECRET-COOKIE-VALUE-42", domain: "chat.zalo.me", path: "/" }];

describe("credentials at rest", () => {
  it("round-trips encrypted: the file is 0600 and holds neither the cookie nor the imei in clear", async () => {
    const dataDir = tempDir();
    const key = randomBytes(32);
    const store = credentialStore({ dataDir, account: "default", key, clock });
    expect(await store.load()).toBeNull();
    await store.save({ imei: "imei-abc-123", cookie: COOKIE, userAgent: "Mozilla/5.0 test", uid: "8000000000000000001" });
    const raw = readFileSync(store.path, "utf8");
    expect(raw).not.toContain("SECRET-COOKIE-VALUE-42");
    expect(raw).not.toContain("imei-abc-123");
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    const again = credentialStore({ dataDir, account: "default", key, clock });
    expect(await again.load()).toEqual({ imei: "imei-abc-123", cookie: COOKIE, userAgent: "Mozilla/5.0 test", uid: "8000000000000000001", savedAt: "2020-06-20T01:00:00.000Z" });
  });

  it("fails clearly with the wrong key, a damaged file, or another account's file", async () => {
    const dataDir = tempDir();
    const key = randomBytes(32);
    const store = credentialStore({ dataDir, account: "default", key, clock });
    await store.save({ imei: "i", cookie: COOKIE, userAgent: "ua" });
    const wrong = credentialStore({ dataDir, account: "default", key: randomBytes(32), clock });
    await expect(wrong.load()).rejects.toThrow(ZaloCredentialsError);
    await expect(wrong.load()).rejects.toThrow(/ZALO_CREDENTIALS_KEY is not the key/);
    const other = credentialStore({ dataDir, account: "phuong-7", key, clock });
    writeFileSync(other.path, readFileSync(store.path));
    await expect(other.load()).rejects.toThrow(ZaloCredentialsError);
    const envelope = JSON.parse(readFileSync(store.path, "utf8")) as { data: string };
    const bytes = Buffer.from(envelope.data, "base64");
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    writeFileSync(store.path, JSON.stringify({ ...envelope, data: bytes.toString("base64") }));
    await expect(store.load()).rejects.toThrow(ZaloCredentialsError);
  });

  it("saves refreshed cookies only when they changed", async () => {
    const store = credentialStore({ dataDir: tempDir(), account: "default", key: randomBytes(32), clock });
    const base = await store.save({ imei: "i", cookie: COOKIE, userAgent: "ua" });
    const api = new FakeZcaApi("1", COOKIE);
    expect(await store.saveIfChanged(api, base)).toBe(false);
    api.cookies = [{ ...COOKIE[0], value: "REFRESHED" }];
    expect(await store.saveIfChanged(api, base)).toBe(true);
    expect((await store.load())?.cookie[0]).toMatchObject({ value: "REFRESHED" });
  });

  it("reads the key as 64 hex digits or base64 of 32 bytes, and refuses anything else", () => {
    const key = randomBytes(32);
    expect(parseCredentialsKey(key.toString("hex")).equals(key)).toBe(true);
    expect(parseCredentialsKey(key.toString("base64")).equals(key)).toBe(true);
    expect(() => parseCredentialsKey(undefined)).toThrow(/ZALO_CREDENTIALS_KEY is not set/);
    expect(() => parseCredentialsKey("abc")).toThrow(/32 bytes/);
    expect(() => parseCredentialsKey(randomBytes(16).toString("hex"))).toThrow(/32 bytes/);
  });
});

describe("config", () => {
  it("has the Zalo defaults and checks the key's form", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ ZALO_SEND_INTERVAL_MS: 4000, ZALO_HOURLY_CAP: 300 });
    expect(config.ZALO_CREDENTIALS_KEY).toBeUndefined();
    const hex = randomBytes(32).toString("hex");
    expect(parseConfig({ ZALO_CREDENTIALS_KEY: hex, ZALO_SEND_INTERVAL_MS: "6000", ZALO_HOURLY_CAP: "120" })).toMatchObject({ ZALO_CREDENTIALS_KEY: hex, ZALO_SEND_INTERVAL_MS: 6000, ZALO_HOURLY_CAP: 120 });
    expect(() => parseConfig({ ZALO_CREDENTIALS_KEY: "short" })).toThrow(ConfigError);
    expect(() => parseConfig({ ZALO_SEND_INTERVAL_MS: "10" })).toThrow(/ZALO_SEND_INTERVAL_MS must be milliseconds/);
    expect(() => parseConfig({ ZALO_HOURLY_CAP: "0" })).toThrow(/ZALO_HOURLY_CAP/);
  });
});

describe("QR login", () => {
  it("prints the QR zca-js generated in the terminal, saves it as PNG and the session encrypted", async () => {
    const dir = tempDir();
    const key = randomBytes(32);
    const store = credentialStore({ dataDir: dir, account: "default", key, clock });
    const content = "https://id.zalo.me/account/qr?code=TEST-QR-CONTENT";
    const png = await QRCode.toBuffer(content, { margin: 4, scale: 6 });
    const lines: string[] = [];
    const api = new FakeZcaApi("8000000000000000001", [{ key: "zpw_sek", value: "AFTER-LOGIN", domain: "chat.zalo.me" }]);
    let options: unknown;
    const result = await loginWithQr({
      loginQR: async (o, callback) => {
        options = o;
        const emit = callback as (event: LoginQRCallbackEvent) => void;
        emit({ type: LoginQRCallbackEventType.QRCodeGenerated, data: { code: "polling-token", image: png.toString("base64"), token: "t", options: { enabledCheckOCR: false, enabledMultiLayer: false } }, actions: { saveToFile: async () => undefined, retry: () => undefined, abort: () => undefined } });
        emit({ type: LoginQRCallbackEventType.QRCodeScanned, data: { avatar: "", display_name: "Văn phòng phường" }, actions: { retry: () => undefined, abort: () => undefined } });
        emit({ type: LoginQRCallbackEventType.GotLoginInfo, data: { cookie: [{ key: "zpw_sek", value: "FROM-QR", domain: "chat.zalo.me" }], imei: "imei-qr", userAgent: "UA-QR" }, actions: null });
        return api;
      },
      store,
      qrPngPath: join(dir, "qr.png"),
      print: (l) => lines.push(l),
    });
    expect(options).toMatchObject({ language: "vi", qrPath: join(dir, "qr.png") });
    // The terminal drawing is of the QR's content, not of zca-js's polling `code`.
    expect(lines).toContain(await QRCode.toString(content, { type: "terminal", small: true }));
    expect(lines.join("\n")).toContain("Đã quét bởi Văn phòng phường");
    expect(readFileSync(join(dir, "qr.png")).equals(png)).toBe(true);
    expect(statSync(join(dir, "qr.png")).mode & 0o777).toBe(0o600);
    expect(result.uid).toBe("8000000000000000001");
    expect(await store.load()).toMatchObject({ imei: "imei-qr", userAgent: "UA-QR", uid: "8000000000000000001", cookie: [{ value: "AFTER-LOGIN" }] });
  });
});
