import helmet from "@fastify/helmet";
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from "fastify";
import type { FastifyBaseLogger } from "fastify";
import type { HealthProbe } from "../app/index.ts";
import { healthRoutes } from "./health.ts";
import { officeApi, type OfficeApiDeps } from "./office-api.ts";
import { errorPage, isPagePath, webPages, type WebDeps } from "./web/index.ts";

export interface AppDeps {
  /** pino logger (or `false` in tests for silence). */
  logger: FastifyBaseLogger | false;
  probes: HealthProbe[];
  /** Channel webhook plugins, built by main/ from bots/ (http never imports bots/). */
  channelPlugins?: FastifyPluginAsync[];
  /** The office API (directives, review, activation); omitted = not served. */
  office?: OfficeApiDeps;
  /** The office web pages (sign-in, directives, board, people, broadcasts, activity); omitted = not served. */
  web?: WebDeps;
  /** Largest request body accepted, in bytes (directive uploads need 2 MB and some room). */
  bodyLimit?: number;
  /** Fastify's `trustProxy` (TRUST_PROXY): behind a TLS proxy, `request.protocol` and `request.ip` come from its headers. */
  trustProxy?: boolean | number | string[];
}

/**
 * The pages load scripts and styles from this origin only and run no inline script; nothing may
 * frame them. Inline `style` attributes stay allowed (layout only, no code).
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // Off: on a plain-HTTP install (the quick start on 127.0.0.1) it would break every asset.
  upgradeInsecureRequests: null,
};

/**
 * Builds the Fastify app without listening (CONVENTIONS.md habit 1), so tests use `inject()`.
 *
 * @example
 * const app = await buildApp({ logger: false, probes: [] });
 * const res = await app.inject({ url: "/healthz" });
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: deps.bodyLimit ?? 3 * 1_048_576,
    // A number of hops becomes the predicate proxy-addr uses for it (Fastify's types take no number).
    trustProxy: typeof deps.trustProxy === "number" ? ((hops: number) => (_address: string, hop: number) => hop < hops)(deps.trustProxy) : (deps.trustProxy ?? false),
  });

  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // HSTS only when the request really came over HTTPS (see the hook below): on plain HTTP it is meaningless.
    strictTransportSecurity: false,
    referrerPolicy: { policy: "same-origin" },
    frameguard: { action: "deny" },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook("onSend", async (request, reply) => {
    if (request.protocol === "https") reply.header("strict-transport-security", "max-age=31536000; includeSubDomains");
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      // 5xx bodies never carry internals; a browser page gets the error page.
      if (deps.web && isPagePath(request.url)) return errorPage(null, request, reply, status);
      return reply.code(status).send({ error: "internal_error", message: "Lỗi hệ thống, vui lòng thử lại sau." });
    }
    return reply.code(status).send({ error: "bad_request", message: error.message });
  });

  // The API, webhooks and the health probe answer in JSON; with the office pages served, any other path is a page.
  app.setNotFoundHandler((request, reply) =>
    deps.web && isPagePath(request.url)
      ? errorPage(deps.web.auth, request, reply, 404)
      : reply.code(404).send({
          error: "not_found",
          message: `Không tìm thấy ${request.method} ${request.url}.`,
        }),
  );

  await app.register(healthRoutes(deps.probes));
  if (deps.office) await app.register(officeApi(deps.office));
  if (deps.web) await app.register(webPages(deps.web));
  for (const plugin of deps.channelPlugins ?? []) await app.register(plugin);
  return app;
}
