/** The whole store, for composition roots; use cases take slices of it (`Pick<Store, "chats" | "outbound">`). */
import type { AccessRepository, LimitRepository, LinkRepository, WebRepository } from "./access.ts";
import type { AuditRepository } from "./audit.ts";
import type { BroadcastRepository } from "./broadcasts.ts";
import type { ChatRepository } from "./chats.ts";
import type { DirectiveRepository } from "./directives.ts";
import type { InboundRepository } from "./inbound.ts";
import type { OrgRepository } from "./orgs.ts";
import type { OutboundRepository } from "./outbound.ts";
import type { PersonRepository, UnitRepository } from "./people.ts";
import type { TrackingRepository } from "./tracking.ts";

/** Everything the store offers, grouped by entity. */
export interface Store {
  orgs: OrgRepository;
  units: UnitRepository;
  persons: PersonRepository;
  chats: ChatRepository;
  directives: DirectiveRepository;
  tracking: TrackingRepository;
  inbound: InboundRepository;
  outbound: OutboundRepository;
  broadcasts: BroadcastRepository;
  audit: AuditRepository;
  access: AccessRepository;
  web: WebRepository;
  links: LinkRepository;
  limits: LimitRepository;
  /** Runs `work` in one database transaction; everything it does commits or none of it. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
}
