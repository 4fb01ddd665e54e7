export { isLocalCaller, simulatorPlugin, SIMULATOR_SECRET_HEADER } from "./webhook.ts";
export type { SimulatorDeps } from "./webhook.ts";
export type { SimulatorRequest, SimulatorResponse } from "./types.ts";
export { simulatorGateway } from "./send.ts";
