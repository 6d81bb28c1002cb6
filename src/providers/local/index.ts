/**
 * `kind: local`: GGUF models run in the gateway process through node-llama-cpp. The engine
 * answers OpenAI-compatible requests in-process (`local-upstream.ts`, reached through the
 * transport's `local://` URLs), so the shared adapter, router, relay and metering are reused as
 * they are.
 */
export { LOCAL_KIND, LOCAL_VENDOR } from './vendor.js';
export { LOCAL_URL_PREFIX, createLocalUpstream } from './local-upstream.js';
export type { LocalUpstream, LocalUpstreamDeps } from './local-upstream.js';
export type { EngineStats } from './provider-engine.js';
