import type { KindInfo } from '../../config/kinds.js';
import type { VendorEntry } from '../openai-compatible/index.js';
import { LOCAL_URL_PREFIX } from './local-upstream.js';

/**
 * `kind: local` speaks OpenAI's wire format in-process, so the shared OpenAI-compatible adapter
 * serves it from this one entry: no credentials, chat + completions + embeddings, usage always
 * asked for in streams (the engine counts it with the model's tokenizer), OpenAI error bodies.
 */
export const LOCAL_VENDOR: VendorEntry = {
  id: 'local',
  label: 'In-process GGUF engine (node-llama-cpp)',
  catalogSection: 'DESIGN.md §3 (in-process local engine)',
  defaultBaseUrl: null,
  envKey: null,
  auth: 'none',
  paths: { chat: '/chat/completions', completions: '/completions', embeddings: '/embeddings' },
  // The engine reads both names itself.
  maxTokens: 'as-given',
  developerRole: 'system',
  dropParams: [],
  dropToolStrict: false,
  requestStreamUsage: true,
  reasoning: { fields: ['reasoning_content'], thinkTags: false, details: false, replay: 'strip' },
  usageInChoice: false,
  errorShape: 'openai',
  errorCodes: {},
  thinkingSwitch: 'none',
  hooks: {},
};

/** What the registry and config validation know of the kind. */
export const LOCAL_KIND: KindInfo = {
  family: 'openai-compatible',
  vendorId: LOCAL_VENDOR.id,
  inProcess: { scheme: LOCAL_URL_PREFIX.slice(0, -'://'.length) },
};
