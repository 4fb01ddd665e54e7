/**
 * `dondoc parse | import | token`: directive intake and access tokens from the command line.
 */
import { randomBytes } from "node:crypto";
import { parseDirective, type ParsedDirective } from "../domain/index.ts";
import {
  assertParsableLength,
  createIntake,
  directiveHeader,
  createWebAuth,
  IntakeError,
  WebAuthError,
  type Intake,
} from "../app/index.ts";
import type { Org } from "../domain/index.ts";
import type { Config } from "../config/index.ts";
import { createStore, type Database } from "../store/index.ts";
import { DirectiveFileError, readDirectiveFile } from "../files/index.ts";
import { argon2Hasher, createLogger, ensureDefaultOrg, openDatabaseFor, systemClock } from "./components.ts";
import { Lifecycle } from "./lifecycle.ts";

/** A failure the user can fix: printed as one line in Vietnamese and English, exit 1. */
export class CliError extends Error {
  constructor(messageVi: string, messageEn: string) {
    super(`${messageVi} / ${messageEn}`);
    this.name = "CliError";
  }
}

export async function readText(file: string): Promise<string> {
  try {
    return (await readDirectiveFile(file)).text;
  } catch (error) {
    if (error instanceof DirectiveFileError) throw new CliError(error.messageVi, error.message);
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new CliError(`Không tìm thấy tệp ${file}.`, `file not found: ${file}`);
    }
    throw error;
  }
}

/** The exact JSON shape of `dondoc parse --json`. */
export function parseJson(parsed: ParsedDirective) {
  return {
    ...directiveHeader(parsed),
    items: parsed.items.map((item) => ({
      ref: item.ref,
      text: item.text,
      summary: item.summary,
      assignees: item.assignees.map((a) => ({ name: a.name, role: a.role })),
      deadline: {
        kind: item.deadline.kind,
        text: item.deadline.text,
        due: item.deadline.due,
        every: item.deadline.every,
        timesPerPeriod: item.deadline.timesPerPeriod,
      },
    })),
  };
}

function deadlineLabel(d: ParsedDirective["items"][number]["deadline"]): string {
  if (d.kind === "none") return "—";
  if (d.kind === "ongoing") return "thường xuyên";
  if (d.kind === "recurring") {
    const every = { week: "hằng tuần", month: "hằng tháng", quarter: "hằng quý", year: "hằng năm" };
    const base = d.every ? every[d.every] : "định kỳ";
    return d.timesPerPeriod ? `${base}, ${d.timesPerPeriod} lần` : base;
  }
  return d.due ?? `? (${d.text ?? ""})`;
}

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text.padEnd(width) : `${chars.slice(0, width - 1).join("")}…`;
}

/** A table that reads in a terminal: ref, summary, units (lead first), deadline. */
export function parseTable(parsed: ParsedDirective): string {
  const header = [
    `${parsed.docType ?? "Văn bản"} ${parsed.number ?? ""}`.trim(),
    parsed.issuer ? `Cơ quan ban hành: ${parsed.issuer}` : null,
    `Ngày ban hành: ${parsed.issuedDate ?? "—"} · Người ký: ${parsed.signer ?? "—"}`,
    parsed.recipients.length > 0 ? `Nơi nhận: ${parsed.recipients.join("; ")}` : null,
    "",
  ].filter((l): l is string => l !== null);
  const rows = parsed.items.map((item) => {
    const units = [...item.assignees]
      .sort((a, b) => (a.role === b.role ? 0 : a.role === "lead" ? -1 : 1))
      .map((a) => (a.role === "support" ? `(${a.name})` : a.name))
      .join(", ");
    return `${cut(item.ref, 6)} ${cut(item.summary, 58)} ${cut(units || "—", 40)} ${deadlineLabel(item.deadline)}`;
  });
  const head = `${cut("Mục", 6)} ${cut("Nội dung", 58)} ${cut("Đơn vị (phối hợp)", 40)} Thời hạn`;
  const footer = [
    "",
    `${parsed.items.length} nhiệm vụ.`,
    ...parsed.warnings.map((w) => `! ${w}`),
  ];
  return [...header, head, "-".repeat(head.length + 10), ...rows, ...footer].join("\n");
}

export async function runParse(file: string, options: { json?: boolean }): Promise<string> {
  const text = await readText(file);
  try {
    assertParsableLength(text);
  } catch (error) {
    if (error instanceof IntakeError) throw new CliError(error.messageVi, error.message);
    throw error;
  }
  const parsed = parseDirective(text);
  if (parsed.items.length === 0) {
    throw new CliError(
      "Không tìm thấy nhiệm vụ nào trong văn bản (cần các mục đánh số hoặc bảng nhiệm vụ).",
      "no items found in the directive (numbered items or a task table expected)",
    );
  }
  return options.json ? JSON.stringify(parseJson(parsed), null, 2) : parseTable(parsed);
}

export async function withStore<T>(config: Config, work: (ctx: { database: Database; intake: Intake; org: (slug?: string) => Promise<Org> }) => Promise<T>): Promise<T> {
  const logger = createLogger({ ...config, LOG_LEVEL: "warn" });
  const lifecycle = new Lifecycle(logger, config.SHUTDOWN_TIMEOUT_MS);
  try {
    const database = await openDatabaseFor(config, lifecycle, { migrate: true });
    const store = createStore(database.db);
    const intake = createIntake({ store, clock: systemClock });
    const org = async (slug?: string) => {
      if (!slug || slug === config.ORG_SLUG) return ensureDefaultOrg(database, config, logger);
      const found = await store.orgs.bySlug(slug);
      if (!found) throw new CliError(`Không có tổ chức "${slug}".`, `no org with slug "${slug}"`);
      return found;
    };
    return await work({ database, intake, org });
  } finally {
    await lifecycle.shutdown("command done");
  }
}

export async function runImport(config: Config, file: string, options: { org?: string }): Promise<string> {
  const text = await readText(file);
  return withStore(config, async ({ intake, org }) => {
    const { id: orgId } = await org(options.org);
    try {
      const result = await intake.importDirective({ orgId, text, sourceName: file, actor: "cli" });
      const label = `${result.directive.docType ?? "văn bản"} ${result.directive.number ?? ""}`.trim();
      const lines = [
        result.created
          ? `Đã nhập ${label}: ${result.items.length} nhiệm vụ, bản nháp ${result.directive.id}. / Imported as draft ${result.directive.id}.`
          : `Văn bản này đã được nhập trước đó: ${result.directive.id} (${result.directive.status}). / Already imported: ${result.directive.id}.`,
        ...result.warnings.map((w) => `! ${w}`),
      ];
      return lines.join("\n");
    } catch (error) {
      if (error instanceof IntakeError) throw new CliError(error.messageVi, error.message);
      throw error;
    }
  });
}

export async function runToken(config: Config, options: { name: string; role: string; org?: string }): Promise<string> {
  if (options.role !== "office" && options.role !== "leader") {
    throw new CliError("Vai trò phải là office hoặc leader.", "--role must be office or leader");
  }
  const role = options.role;
  return withStore(config, async ({ database, org }) => {
    const { id: orgId, slug } = await org(options.org);
    const store = createStore(database.db);
    const person = await store.persons.create({ orgId, fullName: options.name, roles: [role] });
    const { token } = await store.access.createToken({ orgId, personId: person.id, label: "cli" });
    await store.audit.append({ orgId, actor: "cli", action: "token.created", entity: "person", entityId: person.id, data: { role } });
    return [
      `Mã truy cập cho ${options.name} (${role}, ${slug}) — chỉ hiện một lần / shown once:`,
      token,
      `Dùng: Authorization: Bearer ${token}`,
    ].join("\n");
  });
}

/**
 * `dondoc user`: an office or leader user who signs in to the web pages. The password is
 * generated (16 characters) and printed once; only its argon2id hash is stored.
 */
export async function runUser(config: Config, options: { name: string; login: string; role: string; org?: string }): Promise<string> {
  if (options.role !== "office" && options.role !== "leader") {
    throw new CliError("Vai trò phải là office hoặc leader.", "--role must be office or leader");
  }
  const role = options.role;
  return withStore(config, async ({ database, org }) => {
    const { id: orgId, slug } = await org(options.org);
    const store = createStore(database.db);
    const auth = createWebAuth({ store, clock: systemClock, hasher: argon2Hasher });
    const password = randomBytes(12).toString("base64url");
    const person = await store.persons.create({ orgId, fullName: options.name, roles: [role] });
    try {
      await auth.createAccount({ orgId, personId: person.id, login: options.login, password });
    } catch (err) {
      if (err instanceof WebAuthError) throw new CliError(err.message, `cannot create the web account: ${err.code}`);
      throw err;
    }
    await store.audit.append({ orgId, actor: "cli", action: "web.account_created", entity: "person", entityId: person.id, data: { role, login: options.login } });
    return [`Tài khoản web cho ${options.name} (${role}, ${slug}) — mật khẩu chỉ hiện một lần / shown once:`, `  đăng nhập: ${options.login.toLowerCase()}`, `  mật khẩu:  ${password}`].join("\n");
  });
}
