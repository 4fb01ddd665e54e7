/**
 * The account's session (cookie, imei, user agent) encrypted at rest, and the QR login that
 * creates it. Whoever holds these three values is logged in as the ward's Zalo account, so the
 * file is AES-256-GCM encrypted with ZALO_CREDENTIALS_KEY, mode 0600, written atomically, and
 * nothing here logs its content.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import jsQRModule from "jsqr";
import { PNG } from "pngjs";
import QRCode from "qrcode";
import type { Clock } from "../../src/app/index.ts";
import { LoginQRCallbackEventType } from "./sdk.ts";
import type { Credentials, LoginQRCallbackEvent, SerializedCookie, ZaloApi, ZaloQrLoginFn } from "./types.ts";

/** What is saved: zca-js's `Credentials` plus when. */
export interface StoredCredentials {
  imei: string;
  cookie: SerializedCookie[];
  userAgent: string;
  language?: string;
  /** The account's Zalo id, once known. */
  uid?: string;
  savedAt: string;
}

/** Credentials that cannot be read: wrong key, damaged file, or no key configured. */
export class ZaloCredentialsError extends Error {
  readonly code = "zalo_credentials";
  constructor(message: string) {
    super(message);
    this.name = "ZaloCredentialsError";
  }
}

/**
 * ZALO_CREDENTIALS_KEY → 32 bytes. Accepts 64 hex digits or base64 of 32 bytes
 * (`openssl rand -hex 32` or `openssl rand -base64 32`).
 *
 * @example
 * const key = parseCredentialsKey(config.ZALO_CREDENTIALS_KEY);
 */
export function parseCredentialsKey(text: string | undefined): Buffer {
  const value = (text ?? "").trim();
  if (!value) throw new ZaloCredentialsError("ZALO_CREDENTIALS_KEY is not set. Create one with `openssl rand -hex 32` and keep it out of the repository: it decrypts the Zalo session.");
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, "hex");
  if (/^[A-Za-z0-9+/]{43}=?$/.test(value)) {
    const key = Buffer.from(value, "base64");
    if (key.length === 32) return key;
  }
  throw new ZaloCredentialsError("ZALO_CREDENTIALS_KEY must be 32 bytes as 64 hex digits or base64 (`openssl rand -hex 32`).");
}

const ACCOUNT = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const GCM_TAG_BYTES = 16;

interface Envelope {
  v: 1;
  alg: "aes-256-gcm";
  iv: string;
  tag: string;
  data: string;
}

/**
 * The encrypted credentials file of one account: `<dataDir>/zalo/<account>.credentials`.
 * The account name is bound into the ciphertext (GCM additional data), so a file copied to
 * another account's name does not decrypt.
 *
 * @example
 * const store = credentialStore({ dataDir: config.DATA_DIR, account: "default", key, clock });
 * await store.save({ imei, cookie, userAgent });
 * const saved = await store.load(); // null when there is no file yet
 */
export function credentialStore(opts: { dataDir: string; account: string; key: Buffer; clock: Clock }) {
  if (!ACCOUNT.test(opts.account)) throw new ZaloCredentialsError(`Zalo account name "${opts.account}" must be lower-case letters, digits, - or _.`);
  if (opts.key.length !== 32) throw new ZaloCredentialsError("The credentials key must be 32 bytes.");
  const path = join(opts.dataDir, "zalo", `${opts.account}.credentials`);
  const aad = Buffer.from(`dondoc-zalo:${opts.account}`, "utf8");
  let lastCookies: string | null = null;

  async function save(credentials: Omit<StoredCredentials, "savedAt">): Promise<StoredCredentials> {
    const stored: StoredCredentials = { ...credentials, savedAt: opts.clock.now().toISOString() };
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", opts.key, iv, { authTagLength: GCM_TAG_BYTES });
    cipher.setAAD(aad);
    const data = Buffer.concat([cipher.update(JSON.stringify(stored), "utf8"), cipher.final()]);
    const envelope: Envelope = { v: 1, alg: "aes-256-gcm", iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") };
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(tmp, JSON.stringify(envelope), { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, path);
    lastCookies = JSON.stringify(stored.cookie);
    return stored;
  }

  return {
    path,
    /** The saved credentials, or null when there is no file. Throws `ZaloCredentialsError` when it cannot be decrypted. */
    async load(): Promise<StoredCredentials | null> {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
      try {
        const envelope = JSON.parse(text) as Envelope;
        if (envelope.v !== 1 || envelope.alg !== "aes-256-gcm") throw new Error("unknown format");
        // The full 16-byte tag, always: GCM accepts a cut tag (4 bytes: one forgery in 2^32), so its length is checked.
        const tag = Buffer.from(envelope.tag, "base64");
        const iv = Buffer.from(envelope.iv, "base64");
        if (tag.length !== GCM_TAG_BYTES || iv.length !== 12) throw new Error("bad tag or iv length");
        const decipher = createDecipheriv("aes-256-gcm", opts.key, iv, { authTagLength: GCM_TAG_BYTES });
        decipher.setAAD(aad);
        decipher.setAuthTag(tag);
        const plain = Buffer.concat([decipher.update(Buffer.from(envelope.data, "base64")), decipher.final()]).toString("utf8");
        const stored = JSON.parse(plain) as StoredCredentials;
        lastCookies = JSON.stringify(stored.cookie);
        return stored;
      } catch {
        throw new ZaloCredentialsError(
          `Cannot decrypt the Zalo credentials in ${path}: ZALO_CREDENTIALS_KEY is not the key they were saved with, or the file is damaged. Set the original key, or log in again with "dondoc zalo login".`,
        );
      }
    },
    save,
    /**
     * Saves the API's current cookies when they differ from the last saved ones (Zalo refreshes
     * them on most requests; stale ones stop working after days). Returns whether it wrote.
     */
    async saveIfChanged(api: Pick<ZaloApi, "getCookie">, base: StoredCredentials): Promise<boolean> {
      const cookies = api.getCookie().toJSON()?.cookies ?? [];
      const text = JSON.stringify(cookies);
      if (cookies.length === 0 || text === lastCookies) return false;
      await save({ ...base, cookie: cookies });
      return true;
    },
  };
}

export type CredentialStore = ReturnType<typeof credentialStore>;

/** Credentials as zca-js's `login` takes them. */
export function toCredentials(stored: StoredCredentials): Credentials {
  return { imei: stored.imei, cookie: stored.cookie, userAgent: stored.userAgent, ...(stored.language ? { language: stored.language } : {}) };
}

/**
 * The QR code zca-js generated (a base64 PNG) drawn in the terminal. Zalo's `code` field is a
 * polling token, not the QR content, so the PNG is read back (pngjs + jsQR) and drawn again
 * with `qrcode`. Null when the image cannot be read (then only the PNG file helps).
 *
 * @example
 * const art = await terminalQr(event.data.image); // "█▀▀▀▀▀█ …"
 */
export async function terminalQr(pngBase64: string): Promise<string | null> {
  try {
    const png = PNG.sync.read(Buffer.from(pngBase64.replace(/^data:image\/png;base64,/, ""), "base64"));
    // jsqr is CommonJS with `exports.default`: under NodeNext the default import is module.exports.
    const found = jsQRModule.default(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
    if (!found?.data) return null;
    return await QRCode.toString(found.data, { type: "terminal", small: true });
  } catch {
    return null;
  }
}

/**
 * Logs in by QR: zca-js's `loginQR` (built with `checkUpdate: false`), the code printed in the
 * terminal and saved as a PNG at `qrPngPath` (mode 0600: it logs in whoever scans it), then the
 * session saved encrypted. A code expires after about 100 s; it is renewed up to `maxQrCodes`
 * times. Messages for the person scanning are in Vietnamese.
 *
 * @example
 * const { uid } = await loginWithQr({ loginQR: (o, cb) => new Zalo({ checkUpdate: false }).loginQR(o, cb), store, qrPngPath: "data/zalo/qr.png", print: console.log });
 */
export async function loginWithQr(opts: {
  loginQR: ZaloQrLoginFn;
  store: CredentialStore;
  qrPngPath: string;
  print: (line: string) => void;
  userAgent?: string;
  language?: string;
  maxQrCodes?: number;
}): Promise<{ uid: string; credentials: StoredCredentials }> {
  let captured: { cookie: SerializedCookie[]; imei: string; userAgent: string } | null = null;
  let codes = 0;
  const maxQrCodes = opts.maxQrCodes ?? 3;
  const pending: Promise<unknown>[] = [];
  const onEvent = (event: LoginQRCallbackEvent): void => {
    switch (event.type) {
      case LoginQRCallbackEventType.QRCodeGenerated: {
        codes++;
        const image = event.data.image;
        pending.push(
          (async () => {
            await mkdir(dirname(opts.qrPngPath), { recursive: true });
            await writeFile(opts.qrPngPath, Buffer.from(image.replace(/^data:image\/png;base64,/, ""), "base64"), { mode: 0o600 });
            const art = await terminalQr(image);
            opts.print("Mở Zalo trên điện thoại của tài khoản văn phòng → Cá nhân → biểu tượng mã QR → quét mã dưới đây:");
            if (art) opts.print(art);
            opts.print(`Ảnh mã QR cũng được lưu tại ${opts.qrPngPath} (mã hết hạn sau khoảng 100 giây).`);
          })(),
        );
        return;
      }
      case LoginQRCallbackEventType.QRCodeExpired:
        if (codes >= maxQrCodes) {
          opts.print("Mã QR đã hết hạn nhiều lần. Chạy lại lệnh khi sẵn sàng quét.");
          event.actions.abort();
        } else {
          opts.print("Mã QR đã hết hạn, đang tạo mã mới…");
          event.actions.retry();
        }
        return;
      case LoginQRCallbackEventType.QRCodeScanned:
        opts.print(`Đã quét bởi ${event.data.display_name}. Hãy bấm xác nhận đăng nhập trên điện thoại.`);
        return;
      case LoginQRCallbackEventType.QRCodeDeclined:
        opts.print("Đăng nhập đã bị từ chối trên điện thoại.");
        return;
      case LoginQRCallbackEventType.GotLoginInfo:
        captured = { cookie: event.data.cookie, imei: event.data.imei, userAgent: event.data.userAgent };
        return;
    }
  };
  const api = await opts.loginQR({ ...(opts.userAgent ? { userAgent: opts.userAgent } : {}), language: opts.language ?? "vi", qrPath: opts.qrPngPath }, onEvent);
  await Promise.all(pending);
  const got = captured as { cookie: SerializedCookie[]; imei: string; userAgent: string } | null;
  if (!got) throw new ZaloCredentialsError("The QR login finished without login information from zca-js; nothing was saved.");
  const uid = String(api.getOwnId());
  // The jar after login holds the freshest cookies; the callback's are the QR step's.
  const fresh = api.getCookie().toJSON()?.cookies ?? [];
  const credentials = await opts.store.save({ imei: got.imei, userAgent: got.userAgent, cookie: fresh.length > 0 ? fresh : got.cookie, language: opts.language ?? "vi", uid });
  return { uid, credentials };
}
