/**
 * The office pages served by `dondoc web`: each module registers its routes in the signed-in
 * scope of `webPages` (src/http/web/).
 */
import type { WebModule } from "../http/index.ts";
import type { PageDeps } from "../http/web/deps.ts";
// page module imports: one line each, below
// (end of page module imports)

export function webModules(deps: PageDeps): WebModule[] {
  const modules: WebModule[] = [];
  // page modules: one line each, below
  // (end of page modules)
  void deps;
  return modules;
}
