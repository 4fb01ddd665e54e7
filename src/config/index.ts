export { deliveryRate, simulatorEnabled, trustProxy, parseConfig, parseRates, describeConfig, ConfigError, configSchema } from "./config.ts";
export type { Config, ConfigKey } from "./config.ts";
export { loadConfig } from "./load.ts";
