/**
 * The office pages served by `dondoc web`: each module registers its routes in the signed-in
 * scope of `webPages` (src/http/web/).
 */
import type { WebModule } from "../http/index.ts";
import type { PageDeps } from "../http/web/deps.ts";
// page module imports: one line each, below
import { peoplePages } from "../http/web/pages/people.ts";
import { groupPages } from "../http/web/pages/groups.ts";
import { broadcastPages } from "../http/web/pages/broadcasts.ts";
import { activityPages } from "../http/web/pages/activity.ts";
import { directivePages } from "../http/web/pages/directives.ts";
import { boardPages } from "../http/web/pages/board.ts";
// (end of page module imports)

export function webModules(deps: PageDeps): WebModule[] {
  const modules: WebModule[] = [];
  // page modules: one line each, below
  modules.push(peoplePages(deps), groupPages(deps), broadcastPages(deps), activityPages(deps));
  modules.push(directivePages(deps));
  modules.push(boardPages(deps));
  // (end of page modules)
  void deps;
  return modules;
}
