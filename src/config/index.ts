/** The config module's public API: other modules import from here only (house rule 1). */
export type * from './types.js';
export type { AdapterFamily, KindInfo, ResolveKind } from './kinds.js';
export { ConfigError, ConfigWarning, formatConfigPath } from './errors.js';
export type { ConfigIssue, WarnFn } from './errors.js';
export { loadConfig, parseConfig, readConfigSource, DEFAULT_CONFIG_FILE } from './load.js';
export type { ConfigSource, LoadConfigOptions, ParseConfigOptions } from './load.js';
export type { CliOverrides } from './apply-overrides.js';
export { createConfigReloader, diffConfigs } from './reload.js';
export type { ConfigChanges, ConfigReloader, NamedChanges, ReloadResult } from './reload.js';
export { DEFAULT_ROUTING, DEFAULT_SERVER, DEFAULT_TIMEOUTS } from './defaults.js';
export { parseByteSize } from './byte-size.js';
export { CAPABILITIES, ROUTING_STRATEGIES } from './schema.js';
