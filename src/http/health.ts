import type { FastifyInstance } from "fastify";
import type { HealthProbe } from "../app/index.ts";

export interface HealthState {
  ok: boolean;
  error?: string;
}

async function probe(p: HealthProbe, timeoutMs: number): Promise<HealthState> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      p.check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message || "unavailable" };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /healthz: 200 when every probe answers, 503 naming what is down.
 * Probes run in parallel with a timeout each, so a hung Redis cannot hang the check.
 */
export function healthRoutes(probes: HealthProbe[], timeoutMs = 1_500) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get("/healthz", async (_request, reply) => {
      const results = await Promise.all(probes.map((p) => probe(p, timeoutMs)));
      const checks = Object.fromEntries(probes.map((p, i) => [p.name, results[i]]));
      const down = probes.filter((_, i) => !results[i]?.ok).map((p) => p.name);
      return reply
        .code(down.length === 0 ? 200 : 503)
        .header("cache-control", "no-store")
        .send({ status: down.length === 0 ? "ok" : "down", down, checks });
    });
  };
}
