/**
 * The office pages served by `dondoc web`: each module registers its routes in the signed-in
 * scope of `webPages` (src/http/web/).
 */
import { activityPages, boardPages, broadcastPages, directivePages, groupPages, messagePages, overviewPages, peoplePages, type PageDeps, type WebModule } from "../http/index.ts";

export function webModules(deps: PageDeps): WebModule[] {
  return [overviewPages(deps), peoplePages(deps), messagePages(deps), groupPages(deps), broadcastPages(deps), activityPages(deps), directivePages(deps), boardPages(deps)];
}
