/**
 * A fake Graph API Send endpoint on 127.0.0.1 (random port), typed against the real contract,
 * so the Messenger client is tested over real HTTP. Scripted answers are used in order; after
 * them every request succeeds with `{recipient_id, message_id: "m_<n>"}`, n being the request's
 * 1-based number. `{ hang: true }` never answers (for timeouts); with `thenDeliver: true` the
 * message counts as delivered all the same (the platform sent it, its answer got lost), so its
 * echo can be found by metadata. Anything but `POST {VERSION}/me/messages` gets Graph's
 * "Unknown path components" error (code 2500).
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphErrorBody, SendRequest, SendResponse } from "../../bots/messenger/types.ts";

/**
 * A scripted answer: a status and body (a string is sent as HTML, anything else as JSON), or
 * silence.
 *
 * @example
 * const answers: ScriptedResponse[] = [{ status: 502, body: "<html>…</html>" }, { hang: true, thenDeliver: true }];
 */
export type ScriptedResponse = { status: number; body: unknown } | { hang: true } | { hang: true; thenDeliver: true };

/**
 * One request as the fake saw it.
 *
 * @example
 * expect(graph.requests[0]?.headers.authorization).toBe("Bearer test-token");
 */
export interface RecordedRequest {
  /** Path with query string, as the client sent it. */
  path: string;
  headers: Record<string, string | undefined>;
  body: SendRequest;
}

/**
 * A message the fake platform delivered (and would echo).
 *
 * @example
 * const d: DeliveredMessage = { recipientId: "PSID", messageId: "m_1", metadata: "outbox:1" };
 */
export interface DeliveredMessage {
  recipientId: string;
  messageId: string;
  metadata: string | undefined;
  /** When the fake took it (ms since the epoch). */
  at: number;
  /** RESPONSE, UPDATE, … as the request said. */
  messagingType: string;
}

/**
 * The running fake.
 *
 * @example
 * const graph: FakeGraph = await startFakeGraph();
 */
export interface FakeGraph {
  /** e.g. `http://127.0.0.1:40123/v25.0` */
  baseUrl: string;
  requests: RecordedRequest[];
  /** What the fake platform delivered: every success, and every `thenDeliver` hang. */
  delivered: DeliveredMessage[];
  /** The message id of the delivered message carrying this metadata (what an echo would tell). */
  echoFor(metadata: string): string | null;
  script(...responses: ScriptedResponse[]): void;
  /** Stops the server, cutting hanging requests. */
  close(): Promise<void>;
}

const VERSION = "/v25.0";

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
 * Starts the fake on a random port.
 *
 * @example
 * const graph = await startFakeGraph();
 * graph.script({ status: 500, body: { error: { message: "(#1200) Temporary send message failure", type: "OAuthException", code: 1200, fbtrace_id: "x" } } });
 * await sendOnce({ baseUrl: graph.baseUrl, pageToken: "t" }, request); // retry; the next one succeeds
 * await graph.close();
 */
export async function startFakeGraph(options: { echoTo?: EchoTarget } = {}): Promise<FakeGraph> {
  const requests: RecordedRequest[] = [];
  const delivered: DeliveredMessage[] = [];
  const queue: ScriptedResponse[] = [];
  const echoes = options.echoTo ? startEchoes(options.echoTo) : null;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const body = JSON.parse(raw) as SendRequest;
    requests.push({ path: req.url ?? "", headers: flatten(req.headers), body });
    const n = requests.length;
    const deliver = (): SendResponse => {
      const answer = { recipient_id: body.recipient.id, message_id: `m_${n}` };
      delivered.push({ recipientId: answer.recipient_id, messageId: answer.message_id, metadata: body.message.metadata, at: Date.now(), messagingType: body.messaging_type });
      echoes?.add(answer.message_id, body);
      return answer;
    };
    const json = (status: number, value: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (req.method !== "POST" || path !== `${VERSION}/me/messages`) {
      const error: GraphErrorBody = { error: { message: `Unknown path components: ${path}`, type: "OAuthException", code: 2500, fbtrace_id: "FakeGraphTrace" } };
      json(400, error);
      return;
    }
    const next = queue.shift();
    if (!next) {
      json(200, deliver());
    } else if ("hang" in next) {
      if ("thenDeliver" in next) deliver();
      // never answers; close() cuts the socket
    } else if (typeof next.body === "string") {
      res.writeHead(next.status, { "content-type": "text/html; charset=utf-8" }).end(next.body);
    } else {
      json(next.status, next.body);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(599, { "content-type": "text/plain" }).end(`fake graph: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}${VERSION}`,
    requests,
    delivered,
    echoFor: (metadata) => delivered.find((d) => d.metadata === metadata)?.messageId ?? null,
    script: (...responses) => {
      queue.push(...responses);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        echoes?.stop();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Where the fake sends message echoes: the app's webhook, signed like Meta signs it. */
export interface EchoTarget {
  url: string;
  appSecret: string;
  pageId: string;
}

/**
 * Echoes the way the platform sends them: a signed `is_echo` webhook per delivered message,
 * carrying our metadata, retried every 100 ms until the app answers 200 (Meta retries too).
 */
function startEchoes(target: EchoTarget) {
  const pending: { mid: string; body: SendRequest }[] = [];
  let busy = false;
  const flush = async () => {
    if (busy || pending.length === 0) return;
    busy = true;
    const batch = pending.slice(0, 200);
    const now = Date.now();
    const payload = JSON.stringify({
      object: "page",
      entry: [
        {
          id: target.pageId,
          time: now,
          messaging: batch.map((e) => ({
            sender: { id: target.pageId },
            recipient: { id: e.body.recipient.id },
            timestamp: now,
            message: { mid: e.mid, is_echo: true, app_id: 1, metadata: e.body.message.metadata, text: "text" in e.body.message ? e.body.message.text : "" },
          })),
        },
      ],
    });
    const signature = `sha256=${createHmac("sha256", target.appSecret).update(payload).digest("hex")}`;
    try {
      const res = await fetch(target.url, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature }, body: payload, signal: AbortSignal.timeout(2_000) });
      if (res.ok) pending.splice(0, batch.length);
    } catch {
      // The app is down: try again on the next tick, as the platform would.
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void flush(), 100);
  return {
    add: (mid: string, body: SendRequest) => pending.push({ mid, body }),
    stop: () => clearInterval(timer),
  };
}
