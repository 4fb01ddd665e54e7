export { messengerWebhook, verifySignature } from "./webhook.ts";
export type { MessengerWebhookDeps } from "./webhook.ts";
export { normalize, outboxMetadata } from "./normalize.ts";
export { messengerReplySender } from "./reply-sender.ts";
export { buildSendRequest, classifyGraphError, isWindowOpen, sendOnce, sendWithRetry } from "./send.ts";
export type { GraphConfig, MessengerOut, SendOutcome } from "./send.ts";
export { messengerGateway } from "./gateway.ts";
