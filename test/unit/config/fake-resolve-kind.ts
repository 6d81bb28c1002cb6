import type { KindInfo, ResolveKind } from '../../../src/config/kinds.js';

/**
 * A small stand-in for the resolver the composition root builds from the vendor table. Base URLs
 * and key names follow CATALOG.md §0; `vllm` has no default base URL, like a self-hosted engine.
 */
const KINDS: Readonly<Record<string, KindInfo>> = {
  'openai-compatible': { family: 'openai-compatible', vendorId: 'openai-compatible' },
  anthropic: { family: 'anthropic', vendorId: 'anthropic', defaultBaseUrl: 'https://api.anthropic.com/v1', envKey: 'ANTHROPIC_API_KEY' },
  gemini: { family: 'gemini', vendorId: 'gemini', defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta', envKey: 'GEMINI_API_KEY' },
  deepseek: { family: 'openai-compatible', vendorId: 'deepseek', defaultBaseUrl: 'https://api.deepseek.com', envKey: 'DEEPSEEK_API_KEY' },
  dashscope: { family: 'openai-compatible', vendorId: 'dashscope', defaultBaseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1/', envKey: 'DASHSCOPE_API_KEY' },
  vllm: { family: 'openai-compatible', vendorId: 'vllm' },
};

export const fakeResolveKind: ResolveKind = (kind) => KINDS[kind];

/** The same, plus overrides for one test. */
export function resolveKindWith(extra: Readonly<Record<string, KindInfo>>): ResolveKind {
  return (kind) => extra[kind] ?? KINDS[kind];
}
