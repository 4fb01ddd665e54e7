/**
 * The office API: directives in, review edits, activation. Every route needs an access token of
 * an office or leader user (`Authorization: Bearer …`); leaders may read, only office may change.
 */
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { CHANNELS, type Channel, type Org, type Person } from "../domain/index.ts";
import type { FailedDelivery } from "../app/index.ts";
import { ACTIVATION_WARNING_KINDS, BroadcastError, GroupBindingError, IntakeError, OrgSettingsError, type Broadcasts, type Groups, type Intake } from "../app/index.ts";
import { DirectiveFileError, MAX_DIRECTIVE_FILE_BYTES, readDirectiveBuffer } from "../files/index.ts";

export interface OfficeApiDeps {
  intake: Intake;
  /** Resolves an access token to its user, or null. */
  authenticate(token: string): Promise<{ person: Person; org: Org } | null>;
  /** Outbox messages that could not be delivered, with who and why. */
  failedDeliveries?(orgId: string): Promise<FailedDelivery[]>;
  /** Issues a one-time code linking a chat account to a person; null when the person is unknown. */
  issueLinkCode?(
    orgId: string,
    personId: string,
    actor: string,
    options?: { channel?: Channel | null },
  ): Promise<{ code: string; display: string; channel: Channel | null; expiresAt: Date; instructions: string; messengerLink: string | null; person: Person } | null>;
  broadcasts?: Broadcasts;
  /** The org's reminder policy and calendar (validated by the app). */
  settings?: {
    get(orgId: string): Promise<Record<string, unknown>>;
    set(orgId: string, settings: unknown, actor: string): Promise<Record<string, unknown>>;
  };
  /** Group threads (Zalo groups) and the unit each is bound to. */
  groups?: Pick<Groups, "list" | "bind">;
}

interface Caller {
  person: Person;
  org: Org;
  actor: string;
}

declare module "fastify" {
  interface FastifyRequest {
    caller?: Caller;
  }
}

/** A refusal with a Vietnamese message for the office and an English one for logs/tools. */
function refuse(reply: FastifyReply, status: number, error: string, message: string, messageEn: string) {
  return reply.code(status).send({ error, message, messageEn });
}

const assigneeSchema = z.object({
  name: z.string().min(1).max(200),
  role: z.enum(["lead", "support"]).default("lead"),
});
const itemEditSchema = z
  .object({
    ref: z.string().min(1).max(20),
    text: z.string().min(1).max(20_000),
    summary: z.string().max(500),
    deadline: z.string().max(300),
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
    assignees: z.array(assigneeSchema).max(50),
  })
  .partial()
  .strict();
const renameSchema = z
  .object({ shortName: z.string().max(60), labels: z.record(z.uuid(), z.string().max(200)) })
  .partial()
  .strict();
const newItemSchema = itemEditSchema.extend({ ref: z.string().min(1).max(20), text: z.string().min(1).max(20_000) });
const importJsonSchema = z.object({ text: z.string(), name: z.string().max(300).optional() }).strict();
const idParams = z.object({ id: z.uuid() });
const names = z.array(z.string().trim().min(1).max(200)).max(5_000);
const broadcastSchema = z
  .object({
    kind: z.enum(["announcement", "remind"]).default("announcement"),
    text: z.string().max(2_000).optional(),
    targets: z
      .object({
        units: names.optional(),
        people: z.array(z.uuid()).max(5_000).optional(),
        groups: z.array(z.uuid()).max(1_000).optional(),
        notReportedOn: z.string().trim().min(1).max(20).optional(),
        notReportedIn: z.uuid().optional(),
        everyone: z.boolean().optional(),
      })
      .strict()
      .refine((t) => Object.values(t).some((v) => (Array.isArray(v) ? v.length > 0 : Boolean(v))), "chọn ít nhất một nhóm người nhận"),
  })
  .strict();
const itemParams = z.object({ id: z.uuid(), itemId: z.uuid() });
const threadsQuery = z.object({ kind: z.enum(["group"]).default("group") }).strict();
const linkCodeSchema = z.object({ channel: z.enum(CHANNELS).nullable().optional() }).strict();
const bindSchema = z.object({ unit: z.string().trim().min(1).max(200).nullable() }).strict();
/** The warnings office accepts on activation: a list of kinds, or "all". */
const activateSchema = z
  .object({
    confirm: z
      .union([z.literal("all"), z.array(z.enum(ACTIVATION_WARNING_KINDS)).max(ACTIVATION_WARNING_KINDS.length)], {
        error: `cần là "all" hoặc danh sách các loại cảnh báo đã xác nhận (${ACTIVATION_WARNING_KINDS.join(", ")})`,
      })
      .optional(),
  })
  .strict();

function parseOr400<T>(schema: z.ZodType<T>, value: unknown, reply: FastifyReply): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.join(".") || "nội dung";
  void refuse(
    reply,
    400,
    "invalid_request",
    `Dữ liệu không hợp lệ ở "${where}": ${issue?.message ?? "sai định dạng"}.`,
    `invalid request at ${where}: ${issue?.message ?? "bad shape"}`,
  );
  return undefined;
}

/**
 * @example
 * await app.register(officeApi({ intake, authenticate: (t) => store.access.byToken(t) }));
 */
export function officeApi(deps: OfficeApiDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(multipart, {
      limits: { fileSize: MAX_DIRECTIVE_FILE_BYTES, files: 1, fields: 5 },
    });
    // Plain-text paste: the body is the directive itself.
    app.addContentTypeParser("text/plain", { parseAs: "string", bodyLimit: MAX_DIRECTIVE_FILE_BYTES }, (_req, body, done) => {
      done(null, body);
    });

    app.addHook("onRequest", async (request, reply) => {
      const header = request.headers.authorization ?? "";
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const who = match?.[1] ? await deps.authenticate(match[1]) : null;
      if (!who) {
        return refuse(
          reply,
          401,
          "unauthorized",
          "Cần mã truy cập của cán bộ văn phòng hoặc lãnh đạo (tiêu đề Authorization: Bearer …). Xin mã mới bằng lệnh: npx dondoc token.",
          "An access token of an office or leader user is required (Authorization: Bearer …); create one with `npx dondoc token`.",
        );
      }
      const roles = who.person.roles;
      if (!roles.includes("office") && !roles.includes("leader")) {
        return refuse(reply, 403, "forbidden", "Chức năng này dành cho cán bộ văn phòng và lãnh đạo.", "office or leader role required");
      }
      if (request.method !== "GET" && request.method !== "HEAD" && !roles.includes("office")) {
        return refuse(reply, 403, "forbidden", "Chức năng này dành cho cán bộ văn phòng: lãnh đạo chỉ xem.", "only office users may change things; leaders read");
      }
      request.caller = { ...who, actor: `person:${who.person.id}` };
    });

    app.setErrorHandler((error: unknown, request, reply) => {
      if (error instanceof IntakeError) {
        if (error.code === "needs_confirmation") {
          // What to confirm, and how: the same call again with `confirm` listing these kinds.
          return reply.code(error.status).send({ error: error.code, message: error.messageVi, messageEn: error.message, unconfirmed: error.unconfirmed, warnings: error.warnings });
        }
        return refuse(reply, error.status, error.code, error.messageVi, error.message);
      }
      if (error instanceof DirectiveFileError) {
        return refuse(reply, error.status, error.code, error.messageVi, error.message);
      }
      const e = error as { statusCode?: number; code?: string; message?: string };
      if (e.statusCode === 413 || e.code === "FST_REQ_FILE_TOO_LARGE") {
        return refuse(reply, 413, "too_large", "Tệp hoặc văn bản quá lớn (tối đa 2 MB).", "body or file too large (2 MB at most)");
      }
      if (e.statusCode && e.statusCode < 500) {
        return refuse(reply, e.statusCode, "bad_request", "Yêu cầu không hợp lệ.", e.message ?? "bad request");
      }
      request.log.error({ err: error }, "office api failed");
      return refuse(reply, 500, "internal_error", "Lỗi hệ thống, vui lòng thử lại sau.", "internal error");
    });

    const caller = (request: FastifyRequest): Caller => {
      if (!request.caller) throw new Error("caller missing after auth hook");
      return request.caller;
    };

    app.get("/api/directives", async (request) => {
      const directives = await deps.intake.listDirectives(caller(request).org.id);
      return { directives: directives.map(({ sourceText: _s, ...d }) => d) };
    });

    app.post("/api/directives", async (request, reply) => {
      const { org, actor } = caller(request);
      let text: string;
      let sourceName: string | null = null;
      if (request.isMultipart()) {
        const file = await request.file();
        if (!file) {
          return refuse(reply, 400, "no_file", "Chưa chọn tệp văn bản (trường \"file\").", "no file in the multipart body (field \"file\")");
        }
        const buffer = await file.toBuffer();
        sourceName = file.filename;
        text = (await readDirectiveBuffer(buffer, file.filename)).text;
      } else if (typeof request.body === "string") {
        text = request.body;
      } else {
        const body = parseOr400(importJsonSchema, request.body, reply);
        if (!body) return reply;
        text = body.text;
        sourceName = body.name ?? null;
      }
      const result = await deps.intake.importDirective({ orgId: org.id, text, sourceName, actor });
      return reply.code(result.created ? 201 : 200).send(result);
    });

    app.get("/api/directives/:id", async (request, reply) => {
      const params = parseOr400(idParams, request.params, reply);
      if (!params) return reply;
      const orgId = caller(request).org.id;
      const found = await deps.intake.getDirective(orgId, params.id);
      // A draft's review: what activation would have to be confirmed (none once tracked).
      return { ...found, warnings: await deps.intake.activationWarnings(orgId, params.id) };
    });

    // The directive's short name and its items' labels, in any status (office).
    app.patch("/api/directives/:id", async (request, reply) => {
      const params = parseOr400(idParams, request.params, reply);
      const names = params && parseOr400(renameSchema, request.body, reply);
      if (!params || !names) return reply;
      const { org, actor } = caller(request);
      return deps.intake.rename(org.id, params.id, names, actor);
    });

    app.patch("/api/directives/:id/items/:itemId", async (request, reply) => {
      const params = parseOr400(itemParams, request.params, reply);
      const edit = params && parseOr400(itemEditSchema, request.body, reply);
      if (!params || !edit) return reply;
      const { org, actor } = caller(request);
      return { item: await deps.intake.updateItem(org.id, params.id, params.itemId, edit, actor) };
    });

    app.post("/api/directives/:id/items", async (request, reply) => {
      const params = parseOr400(idParams, request.params, reply);
      const item = params && parseOr400(newItemSchema, request.body, reply);
      if (!params || !item) return reply;
      const { org, actor } = caller(request);
      return reply.code(201).send({ item: await deps.intake.addItem(org.id, params.id, item, actor) });
    });

    app.delete("/api/directives/:id/items/:itemId", async (request, reply) => {
      const params = parseOr400(itemParams, request.params, reply);
      if (!params) return reply;
      const { org, actor } = caller(request);
      await deps.intake.removeItem(org.id, params.id, params.itemId, actor);
      return reply.code(204).send();
    });

    app.get("/api/deliveries/failed", async (request) => {
      const rows = deps.failedDeliveries ? await deps.failedDeliveries(caller(request).org.id) : [];
      return { failed: rows };
    });

    app.post("/api/persons/:id/link-codes", async (request, reply) => {
      const params = parseOr400(idParams, request.params, reply);
      if (!params) return reply;
      const body = parseOr400(linkCodeSchema, request.body ?? {}, reply);
      if (!body) return reply;
      const { org, actor } = caller(request);
      const issued = deps.issueLinkCode ? await deps.issueLinkCode(org.id, params.id, actor, { channel: body.channel ?? null }) : null;
      if (!issued) return refuse(reply, 404, "not_found", "Không tìm thấy cán bộ này.", "person not found");
      return reply.code(201).send({
        code: issued.code,
        display: issued.display,
        channel: issued.channel,
        expiresAt: issued.expiresAt.toISOString(),
        person: { id: issued.person.id, fullName: issued.person.fullName },
        instructions: issued.instructions,
        messengerLink: issued.messengerLink,
      });
    });

    app.post("/api/broadcasts", async (request, reply) => {
      const body = parseOr400(broadcastSchema, request.body, reply);
      if (!body || !deps.broadcasts) return body ? refuse(reply, 503, "unavailable", "Chức năng gửi thông báo chưa được bật.", "broadcasts not configured") : reply;
      const { org, person } = caller(request);
      try {
        const sent = await deps.broadcasts.send(org.id, {
          kind: body.kind,
          ...(body.text !== undefined ? { text: body.text } : {}),
          targets: Object.fromEntries(Object.entries(body.targets).filter(([, v]) => v !== undefined)),
          createdBy: person.id,
        });
        return reply.code(201).send(sent);
      } catch (err) {
        if (err instanceof BroadcastError) return refuse(reply, 422, "broadcast_rejected", err.message, "broadcast rejected");
        throw err;
      }
    });

    app.get("/api/broadcasts", async (request) => {
      const rows = deps.broadcasts ? await deps.broadcasts.list(caller(request).org.id) : [];
      return { broadcasts: rows };
    });

    app.get("/api/broadcasts/:id", async (request, reply) => {
      const params = parseOr400(idParams, request.params, reply);
      if (!params) return reply;
      const view = deps.broadcasts ? await deps.broadcasts.view(caller(request).org.id, params.id) : null;
      if (!view) return refuse(reply, 404, "not_found", "Không tìm thấy thông báo này.", "broadcast not found");
      return view;
    });

    app.get("/api/settings", async (request, reply) => {
      if (!deps.settings) return refuse(reply, 503, "unavailable", "Chưa cấu hình.", "settings not configured");
      return { settings: await deps.settings.get(caller(request).org.id) };
    });

    app.put("/api/settings", async (request, reply) => {
      if (!deps.settings) return refuse(reply, 503, "unavailable", "Chưa cấu hình.", "settings not configured");
      try {
        return { settings: await deps.settings.set(caller(request).org.id, request.body, caller(request).actor) };
      } catch (err) {
        if (err instanceof OrgSettingsError) return refuse(reply, 400, "invalid_settings", err.message, "invalid settings");
        throw err;
      }
    });

    app.get("/api/threads", async (request, reply) => {
      const query = parseOr400(threadsQuery, request.query, reply);
      if (!query) return reply;
      if (!deps.groups) return refuse(reply, 503, "unavailable", "Chức năng nhóm chat chưa được bật.", "groups not configured");
      const rows = await deps.groups.list(caller(request).org.id);
      return {
        threads: rows.map(({ thread, unit }) => ({
          id: thread.id,
          channel: thread.channel,
          externalId: thread.externalId,
          kind: thread.kind,
          title: thread.title,
          unit: unit ? { id: unit.id, name: unit.name, key: unit.key } : null,
        })),
      };
    });

    app.put("/api/threads/:id/unit", async (request, reply) => {
      const params = parseOr400(idParams, request.params, reply);
      const body = params && parseOr400(bindSchema, request.body, reply);
      if (!params || !body) return reply;
      if (!deps.groups) return refuse(reply, 503, "unavailable", "Chức năng nhóm chat chưa được bật.", "groups not configured");
      const { org, actor } = caller(request);
      try {
        const { thread, unit } = await deps.groups.bind(org.id, params.id, body.unit, actor);
        return { thread: { id: thread.id, channel: thread.channel, externalId: thread.externalId, kind: thread.kind, title: thread.title, unit: unit ? { id: unit.id, name: unit.name, key: unit.key } : null } };
      } catch (err) {
        if (!(err instanceof GroupBindingError)) throw err;
        const status = err.code === "not_a_group" ? 422 : 404;
        const en = { thread_not_found: "thread not found", not_a_group: "only group threads can be bound to a unit", unit_not_found: "unit not found" }[err.code];
        return refuse(reply, status, err.code, err.message, en);
      }
    });

    app.post("/api/directives/:id/activate", async (request, reply) => {
      const params = parseOr400(idParams, request.params, reply);
      const body = params && parseOr400(activateSchema, request.body ?? {}, reply);
      if (!params || !body) return reply;
      const { org, actor } = caller(request);
      return deps.intake.activate(org.id, params.id, actor, body.confirm !== undefined ? { confirm: body.confirm } : {});
    });
  };
}
