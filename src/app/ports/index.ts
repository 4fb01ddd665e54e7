/**
 * What the use cases need from the outside world, one file per aggregate. Adapters implement
 * these: the store (src/store), the clock (src/main, test/fakes), channels (bots/), queues (jobs/).
 * Use cases take narrow slices, e.g. `Pick<Store, "inbound" | "chats">`.
 */
export type { Clock } from "./clock.ts";
export type { OrgRepository } from "./orgs.ts";
export type { UnitRepository, PersonRepository, PersonWithUnits } from "./people.ts";
export type { ChatRepository } from "./chats.ts";
export type { NewItem, ItemPatch, DirectiveRepository } from "./directives.ts";
export type { TrackingRepository, LatestReport, DirectiveReport, DirectiveProgressCount } from "./tracking.ts";
export type { InboundRepository } from "./inbound.ts";
export type { OutboundRepository, ReminderLogEntry, DeliveryRoute, InboxEntry } from "./outbound.ts";
export type { BroadcastRepository, BroadcastRecipient, FailedDelivery } from "./broadcasts.ts";
export type { LinkRepository, LimitRepository, AccessRepository, WebRepository } from "./access.ts";
export type { AuditRepository, AuditFilter } from "./audit.ts";
export type { Store } from "./store.ts";
export type { HealthProbe, Logger } from "./runtime.ts";
export type { IncomingMessage, Reply, InboundHandler, InboundQueue, DeliveryAttempt, ChannelGateway, Dispatch, DispatchOptions } from "./channels.ts";
