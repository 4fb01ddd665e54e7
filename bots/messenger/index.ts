export { messengerWebhook, verifySignature } from "./webhook.ts";
export type { MessengerWebhookDeps } from "./webhook.ts";
export { normalize, outboxMetadata } from "./normalize.ts";
export { buildSendRequest, classifyGraphError, isWindowOpen, sendOnce } from "./send.ts";
export type { GraphConfig, MessengerOut, SendOutcome } from "./send.ts";
export { messengerGateway } from "./gateway.ts";
