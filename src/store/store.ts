/**
 * The Store port, composed of one Drizzle repository per aggregate (./repositories/). The only
 * place SQL is written; every query of tenant data is scoped by orgId (`inOrg` in
 * ./repositories/scoped.ts).
 */
import type { Store } from "../app/index.ts";
import type { Db } from "./db.ts";
import { accessRepository, webRepository } from "./repositories/access.ts";
import { auditRepository } from "./repositories/audit.ts";
import { broadcastRepository } from "./repositories/broadcasts.ts";
import { chatRepository } from "./repositories/chats.ts";
import { directiveRepository } from "./repositories/directives.ts";
import { inboundRepository } from "./repositories/inbound.ts";
import { limitRepository } from "./repositories/limits.ts";
import { linkRepository } from "./repositories/links.ts";
import { orgRepository } from "./repositories/orgs.ts";
import { outboundRepository } from "./repositories/outbound.ts";
import { personRepository } from "./repositories/persons.ts";
import { trackingRepository } from "./repositories/tracking.ts";
import { unitRepository } from "./repositories/units.ts";

/**
 * @example
 * const store = createStore(database.db);
 * const { org } = await store.orgs.ensure({ slug: "phuong-7", name: "Đảng ủy phường 7" });
 */
export function createStore(db: Db): Store {
  return {
    transaction: (work) => db.transaction((tx) => work(createStore(tx as unknown as Db))),
    orgs: orgRepository(db),
    units: unitRepository(db),
    persons: personRepository(db),
    chats: chatRepository(db),
    directives: directiveRepository(db),
    tracking: trackingRepository(db),
    inbound: inboundRepository(db),
    outbound: outboundRepository(db),
    broadcasts: broadcastRepository(db),
    audit: auditRepository(db),
    access: accessRepository(db),
    web: webRepository(db),
    links: linkRepository(db),
    limits: limitRepository(db),
  };
}
