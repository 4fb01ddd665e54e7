export { zaloBotWebhook, sameSecret } from "./webhook.ts";
export type { ZaloBotWebhookDeps } from "./webhook.ts";
export { normalize, parseJsonKeepingBigIntegers, unwrap } from "./normalize.ts";
export type { NormalizedUpdate } from "./normalize.ts";
export {
  ZALO_BOT_API_BASE,
  ZALO_BOT_TEXT_LIMIT,
  chunkText,
  classifyZaloBotError,
  isPermanent,
  redactToken,
  sendMessageOnce,
  sendText,
} from "./send.ts";
export type { Attempt, SendFailureKind, SendOutcome, ZaloBotConfig } from "./send.ts";
export { toDeliveryAttempts, zaloBotGateway } from "./gateway.ts";
export type { ZaloBotGatewayDeps } from "./gateway.ts";
