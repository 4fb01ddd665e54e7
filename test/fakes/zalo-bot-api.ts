/**
 * A fake Zalo Bot API on 127.0.0.1 (random port), typed against bots/zalo-bot/types.ts, so the
 * client is tested over real HTTP. It answers `POST /bot<TOKEN>/sendMessage` like the platform
 * (zalo.md §3.1): the `{ok, result | error_code, description}` envelope, HTTP 200 for success,
 * text of 1–2000 characters. Scripted answers are used in order; after them every request with
 * the right token succeeds with `message_id` "zb<n>", n being the request's 1-based number.
 * `{ hang: true }` never answers (timeouts). A wrong token gets 401, an unknown method 404
 * (assumed: the platform's codes for these are not documented).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SendMessageRequest, SendMessageResult, ZaloBotEnvelope } from "../../bots/zalo-bot/types.ts";

/**
 * A scripted answer: a status and body (a string is sent as HTML, anything else as JSON), or
 * silence.
 *
 * @example
 * const answers: ZaloScripted[] = [{ status: 200, body: { ok: false, error_code: 403, description: "Forbidden" } }, { hang: true }];
 */
export type ZaloScripted = { status: number; body: ZaloBotEnvelope<unknown> | string } | { hang: true };

/**
 * One request as the fake saw it. `path` holds the token: never print it in a test failure.
 *
 * @example
 * expect(bot.requests[0]?.body.chat_id).toBe("6ede9afa66b88fe6d6a9");
 */
export interface ZaloRecordedRequest {
  method: string;
  path: string;
  /** The token from the path, `/bot<TOKEN>/<method>`. */
  token: string | null;
  /** The API method from the path (`sendMessage`…). */
  apiMethod: string | null;
  headers: Record<string, string | undefined>;
  body: SendMessageRequest;
}

/**
 * The running fake.
 *
 * @example
 * const bot: FakeZaloBot = await startFakeZaloBot("1234567890:test-token");
 */
export interface FakeZaloBot {
  /** e.g. `http://127.0.0.1:40123` (no `/bot<TOKEN>`). */
  baseUrl: string;
  requests: ZaloRecordedRequest[];
  /** Texts the fake platform delivered, per chat id, in order. */
  delivered(chatId: string): string[];
  script(...responses: ZaloScripted[]): void;
  /** Stops the server, cutting hanging requests. */
  close(): Promise<void>;
}

export const ZALO_TEXT_MAX = 2000;

function flatten(headers: IncomingMessage["headers"]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(", ") : value;
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Starts the fake on a random port for one bot token.
 *
 * @example
 * const bot = await startFakeZaloBot(TOKEN);
 * bot.script({ status: 200, body: { ok: false, error_code: 500, description: "Internal error" } });
 * await sendText({ baseUrl: bot.baseUrl, token: TOKEN }, "chat-1", "Xin chào"); // retried, then sent
 * await bot.close();
 */
export async function startFakeZaloBot(token: string): Promise<FakeZaloBot> {
  const requests: ZaloRecordedRequest[] = [];
  const deliveredTo = new Map<string, string[]>();
  const queue: ZaloScripted[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path);
    const body = (raw ? JSON.parse(raw) : {}) as SendMessageRequest;
    requests.push({ method: req.method ?? "", path, token: match?.[1] ?? null, apiMethod: match?.[2] ?? null, headers: flatten(req.headers), body });
    const n = requests.length;
    const json = (status: number, value: ZaloBotEnvelope<unknown>) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (match?.[1] !== token) return void json(401, { ok: false, error_code: 401, description: "Unauthorized" });
    if (req.method !== "POST" || match[2] !== "sendMessage") return void json(404, { ok: false, error_code: 404, description: `Not Found: ${match[2]}` });
    const next = queue.shift();
    if (next && "hang" in next) return; // never answers; close() cuts the socket
    if (next) {
      if (typeof next.body === "string") res.writeHead(next.status, { "content-type": "text/html; charset=utf-8" }).end(next.body);
      else json(next.status, next.body);
      return;
    }
    const text = typeof body.text === "string" ? body.text : "";
    if (typeof body.chat_id !== "string" || body.chat_id === "") return void json(200, { ok: false, error_code: 400, description: "Bad Request: chat_id is required" });
    if (text.length < 1 || text.length > ZALO_TEXT_MAX) return void json(200, { ok: false, error_code: 400, description: "Bad Request: text must be 1-2000 characters" });
    deliveredTo.set(body.chat_id, [...(deliveredTo.get(body.chat_id) ?? []), text]);
    const result: SendMessageResult = { message_id: `zb${n}`, date: 1750316131602 + n };
    json(200, { ok: true, result });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(599, { "content-type": "text/plain" }).end(`fake zalo bot: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    delivered: (chatId) => [...(deliveredTo.get(chatId) ?? [])],
    script: (...responses) => {
      queue.push(...responses);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
