/**
 * The webhook channels, wired once: which are on (their secrets are configured), the plugin each
 * serves in `dondoc web`, the gateway each sends through in `dondoc worker`. Adding a channel
 * means one entry here (bots/README.md). The Zalo account (zca-js) is not here: it has a process
 * of its own (zalo.ts).
 */
import type { FastifyPluginAsync } from "fastify";
import type { Config } from "../config/index.ts";
import type { ChannelGateway, InboundHandler, InboundQueue } from "../app/index.ts";
import type { Channel } from "../domain/index.ts";
import { messengerGateway, messengerWebhook } from "../../bots/messenger/index.ts";
import { simulatorGateway } from "../../bots/simulator/index.ts";
import { zaloBotGateway, zaloBotWebhook } from "../../bots/zalo-bot/index.ts";

export interface WebhookDeps {
  orgId: string;
  handler: Pick<InboundHandler, "accept" | "recordEchoes">;
  queue: InboundQueue;
}

interface WebhookChannel {
  channel: Channel;
  /** The webhook plugin, or null when the channel's secrets are not configured. */
  webhook(config: Config, deps: WebhookDeps): FastifyPluginAsync | null;
  gateway(config: Config): ChannelGateway | null;
}

const WEBHOOK_CHANNELS: WebhookChannel[] = [
  {
    channel: "messenger",
    webhook: (c, deps) =>
      c.MESSENGER_APP_SECRET && c.MESSENGER_VERIFY_TOKEN && c.MESSENGER_PAGE_TOKEN ? messengerWebhook({ appSecret: c.MESSENGER_APP_SECRET, verifyToken: c.MESSENGER_VERIFY_TOKEN, ...deps }) : null,
    gateway: (c) => (c.MESSENGER_APP_SECRET && c.MESSENGER_PAGE_TOKEN ? messengerGateway({ graph: { baseUrl: c.GRAPH_API_BASE, pageToken: c.MESSENGER_PAGE_TOKEN, appSecret: c.MESSENGER_APP_SECRET } }) : null),
  },
  {
    channel: "zalo_bot",
    webhook: (c, deps) => (c.ZALO_BOT_TOKEN && c.ZALO_BOT_SECRET_TOKEN ? zaloBotWebhook({ secretToken: c.ZALO_BOT_SECRET_TOKEN, ...deps }) : null),
    gateway: (c) => (c.ZALO_BOT_TOKEN && c.ZALO_BOT_SECRET_TOKEN ? zaloBotGateway({ bot: { baseUrl: c.ZALO_BOT_API_BASE, token: c.ZALO_BOT_TOKEN } }) : null),
  },
];

/** The webhook plugins of the configured channels, by channel. */
export function channelWebhooks(config: Config, deps: WebhookDeps): Partial<Record<Channel, FastifyPluginAsync>> {
  const out: Partial<Record<Channel, FastifyPluginAsync>> = {};
  for (const c of WEBHOOK_CHANNELS) {
    const plugin = c.webhook(config, deps);
    if (plugin) out[c.channel] = plugin;
  }
  return out;
}

/** The gateways `dondoc worker` delivers through: the simulator's inbox and every configured webhook channel. */
export function channelGateways(config: Config): Partial<Record<Channel, ChannelGateway>> {
  const out: Partial<Record<Channel, ChannelGateway>> = { simulator: simulatorGateway() };
  for (const c of WEBHOOK_CHANNELS) {
    const gateway = c.gateway(config);
    if (gateway) out[c.channel] = gateway;
  }
  return out;
}
