export { buildApp } from "./app.ts";
export type { AppDeps } from "./app.ts";
export type { OfficeApiDeps } from "./office-api.ts";
export type { WebDeps, WebModule } from "./web/index.ts";
