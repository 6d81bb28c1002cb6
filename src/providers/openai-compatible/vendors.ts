import type { ProviderConfig } from '../../config/types.js';
import type { JsonObject } from './loose-json.js';
import {
  azureDeploymentUrl,
  minimaxBaseRespError,
  sparkCodeError,
  thinkingOffUnlessStreaming,
} from './vendor-hooks.js';

/**
 * THE QUIRK TABLE (STYLE.md house rule 3): one typed entry per OpenAI-compatible catalog id.
 * Every difference between vendors is a field here or a named hook from `vendor-hooks.ts`;
 * the shared transforms read the entry and never branch on a vendor id. Adding a vendor is one
 * entry plus its fixture folder under `test/fixtures/providers/<id>/`.
 */

export type AuthStyle =
  /** `Authorization: Bearer <api_key>`, sent only when a key is configured (engines make it optional). */
  | 'bearer'
  /** `api-key: <api_key>` (Azure, CATALOG.md §2). */
  | 'api-key'
  /** Never send credentials: the server has no auth and a stray key must not leak to it. */
  | 'none';

/** How `max_tokens` / `max_completion_tokens` reach the wire (Appendix A "max_tokens naming"). */
export type MaxTokensField = 'max_tokens' | 'max_completion_tokens' | 'as-given';

export type ReasoningField = 'reasoning_content' | 'reasoning';

/** What happens to `reasoning_content` on assistant messages we send back (Appendix A "reasoning replay"). */
export type ReasoningReplay = 'keep' | 'strip' | 'think-tags';

/** The body shape a vendor's non-2xx errors use (Appendix A "error body shapes"); `error-body.ts` parses all of them. */
export type ErrorShape = 'openai' | 'openai-array' | 'flat' | 'tgi' | 'code-message' | 'base-resp' | 'text';

/** What an upstream error code means, before it becomes a BaimoError (Appendix B rows). */
export type ErrorClass =
  | 'rate_limited'
  | 'quota'
  | 'overloaded'
  | 'content_filter'
  | 'context_length'
  | 'auth'
  | 'not_found'
  | 'invalid_request'
  | 'server';

/** The vendor's own switch for thinking (Appendix A "thinking switch"); hooks use it to spell "off". */
export type ThinkingSwitch = 'enable_thinking' | 'thinking.type' | 'chat_template_kwargs.enable_thinking' | 'none';

export interface VendorPaths {
  /** Appended to `base_url`. */
  chat: string;
  completions?: string;
  embeddings?: string;
  /** Rerank routes, tried in order against the upstream model id; the last one is the fallback. */
  rerank?: readonly RerankRoute[];
}

/**
 * Request/response format of a rerank route (`rerank.ts`):
 * - `jina`: Jina/Cohere style `{model, query, documents, top_n, return_documents}` → `{results:[…]}`
 *   (SiliconFlow §17, Zhipu §10, engines, DashScope compatible API §6.5, Qianfan v2 §7.1 ≈);
 * - `dashscope-native`: `{model, input:{query, documents}, parameters:{top_n, return_documents}}` →
 *   `{output:{results:[…]}, usage, request_id}` (DashScope `text-rerank`, §6.5 ≈).
 */
export type RerankShape = 'jina' | 'dashscope-native';

export interface RerankRoute {
  /** Appended to `base_url`, or with `fromHost` to its host part (see `endpoint.ts` `hostBase`). */
  readonly path: string;
  /** The path is absolute from the host, not under the chat base path (DashScope, §6.5). */
  readonly fromHost?: boolean;
  readonly shape: RerankShape;
  /** Upstream model-id prefixes this route serves; absent: any model (the last route must have none). */
  readonly models?: readonly string[];
}

export interface ReasoningSpec {
  /** Message/delta fields holding reasoning text, read in order. */
  fields: readonly ReasoningField[];
  /** Reasoning arrives inline as `<think>…</think>` at the start of `content` (MiniMax M2, §13). */
  thinkTags: boolean;
  /** Reasoning arrives as `reasoning_details: [{text}]` (MiniMax with `reasoning_split`, §13). */
  details: boolean;
  replay: ReasoningReplay;
}

/** An error reported inside a 2xx body or stream chunk (MiniMax `base_resp`, Spark `code`). */
export interface InBodyError {
  code: string;
  message: string;
}

export type WireBody = JsonObject;

export interface VendorHooks {
  /** Builds the full URL when `base_url + path` is not enough (Azure dated API). */
  url?: (provider: ProviderConfig, path: string, upstreamModel: string) => string;
  /** Last step of chat body building; must return a new object. */
  adjustChatBody?: (body: WireBody, ctx: { stream: boolean; vendor: VendorEntry }) => WireBody;
  /** Finds an error reported inside a 2xx body or chunk. */
  bodyError?: (json: JsonObject) => InBodyError | undefined;
}

export interface VendorEntry {
  /** Catalog id, also accepted as a provider `kind` in baimo.yaml. */
  readonly id: string;
  readonly label: string;
  /** Where the quirks come from, e.g. `§12` or `Appendix A`. */
  readonly catalogSection: string;
  /** `null`: no usable default, the operator must set `base_url` (Azure resource, generic servers). */
  readonly defaultBaseUrl: string | null;
  /** Env var holding the vendor key in the built-in catalog; `null` for self-hosted engines. */
  readonly envKey: string | null;
  readonly auth: AuthStyle;
  readonly paths: VendorPaths;
  readonly maxTokens: MaxTokensField;
  /** `system`: rewrite `developer` messages to `system` (everyone but OpenAI/Azure, Appendix A). */
  readonly developerRole: 'keep' | 'system';
  /** Top-level request fields the vendor rejects (Appendix A "unsupported params to strip"). Dropped, never clamped. */
  readonly dropParams: readonly string[];
  /** Remove `strict` from function tools (MiniMax, §13). */
  readonly dropToolStrict: boolean;
  /** Add `stream_options.include_usage: true` to streaming requests (DESIGN.md §4). */
  readonly requestStreamUsage: boolean;
  readonly reasoning: ReasoningSpec;
  /** Stream usage may sit in `choices[i].usage` instead of the top level (Kimi, §11). */
  readonly usageInChoice: boolean;
  readonly errorShape: ErrorShape;
  /** Vendor-specific error codes (business codes, overrides of generic ones); see `error-codes.ts`. */
  readonly errorCodes: Readonly<Record<string, ErrorClass>>;
  readonly thinkingSwitch: ThinkingSwitch;
  readonly hooks: VendorHooks;
  /**
   * Most texts one embeddings request may carry, where CATALOG.md states it (§1.7, §6.5, §7.1);
   * callers that batch (knowledge ingestion) split to fit. The adapter itself never splits.
   */
  readonly maxEmbeddingInputs?: number;
  /** Per-model exceptions to `maxEmbeddingInputs`, by upstream model id (Qianfan `tao-8k` takes 1 text). */
  readonly maxEmbeddingInputsByModel?: Readonly<Record<string, number>>;
}

const reasoning = (fields: readonly ReasoningField[], more: Partial<ReasoningSpec> = {}): ReasoningSpec => ({
  fields,
  thinkTags: false,
  details: false,
  replay: 'keep',
  ...more,
});

/** No reasoning on the wire: nothing to read, and `reasoning_content` is not replayed. */
const NO_REASONING = reasoning(['reasoning_content'], { replay: 'strip' });

/** The common case: a cloud vendor speaking OAI with Bearer auth (CATALOG.md §1 plus Appendix A defaults). */
const OAI: Omit<VendorEntry, 'id' | 'label' | 'catalogSection' | 'defaultBaseUrl' | 'envKey'> = {
  auth: 'bearer',
  paths: { chat: '/chat/completions' },
  maxTokens: 'max_tokens',
  developerRole: 'system',
  dropParams: [],
  dropToolStrict: false,
  requestStreamUsage: true,
  reasoning: reasoning(['reasoning_content']),
  usageInChoice: false,
  errorShape: 'openai',
  errorCodes: {},
  thinkingSwitch: 'none',
  hooks: {},
};

/** A self-hosted engine: no vendor key, OAI routes under `/v1`. */
const ENGINE = { ...OAI, envKey: null } as const;

const CHAT_EMBED = { chat: '/chat/completions', embeddings: '/embeddings' } as const;
/** Jina/Cohere-style rerank at `base_url + /rerank` (§17, §18, §19, §21). */
const RERANK: readonly RerankRoute[] = [{ path: '/rerank', shape: 'jina' }];
const ALL_ROUTES = { ...CHAT_EMBED, completions: '/completions', rerank: RERANK } as const;

export const VENDORS: readonly VendorEntry[] = [
  {
    ...OAI, id: 'openai', label: 'OpenAI', catalogSection: '§1',
    defaultBaseUrl: 'https://api.openai.com/v1', envKey: 'OPENAI_API_KEY',
    paths: { ...CHAT_EMBED, completions: '/completions' },
    // Reasoning models reject `max_tokens`, others accept both: the client knows its model (§1.2).
    maxTokens: 'as-given', developerRole: 'keep',
    // Reasoning is hidden (§0); OpenAI rejects unknown message fields, so never replay it.
    reasoning: NO_REASONING,
    maxEmbeddingInputs: 2048, // §1.7 ≈
  },
  {
    ...OAI, id: 'azure', label: 'Azure OpenAI', catalogSection: '§2',
    // The resource host is per operator: https://{resource}.openai.azure.com (§2).
    defaultBaseUrl: null, envKey: 'AZURE_OPENAI_API_KEY',
    auth: 'api-key', paths: { ...CHAT_EMBED, completions: '/completions' },
    maxTokens: 'as-given', developerRole: 'keep', reasoning: NO_REASONING,
    hooks: { url: azureDeploymentUrl },
  },
  {
    ...OAI, id: 'deepseek', label: 'DeepSeek', catalogSection: '§12',
    defaultBaseUrl: 'https://api.deepseek.com', envKey: 'DEEPSEEK_API_KEY',
    thinkingSwitch: 'thinking.type',
  },
  {
    ...OAI, id: 'dashscope', label: 'Alibaba DashScope (Qwen, compatible mode)', catalogSection: '§6',
    defaultBaseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', envKey: 'DASHSCOPE_API_KEY',
    paths: {
      ...CHAT_EMBED,
      // §6.5: both rerank APIs live outside `/compatible-mode/v1`: `gte-rerank*` on the native
      // text-rerank service, `qwen3-rerank` (and anything else) on the compatible API.
      rerank: [
        { path: '/api/v1/services/rerank/text-rerank/text-rerank', fromHost: true, shape: 'dashscope-native', models: ['gte-rerank'] },
        { path: '/compatible-api/v1/reranks', fromHost: true, shape: 'jina' },
      ],
    },
    // §6.5 ✔: text-embedding-v4 takes ≤10 texts per request (kept for unlisted models such as v3), v2/v1 ≤25.
    maxEmbeddingInputs: 10,
    maxEmbeddingInputsByModel: { 'text-embedding-v2': 25, 'text-embedding-v1': 25 },
    // §6.4: DashScope's `insufficient_quota` is a per-minute token throttle, not an empty balance.
    errorCodes: { insufficient_quota: 'rate_limited' },
    thinkingSwitch: 'enable_thinking',
    // §6.2: hybrid-thinking Qwen3 models reject non-stream calls with thinking on.
    hooks: { adjustChatBody: thinkingOffUnlessStreaming },
  },
  {
    ...OAI, id: 'qianfan', label: 'Baidu Qianfan (v2)', catalogSection: '§7',
    defaultBaseUrl: 'https://qianfan.baidubce.com/v2', envKey: 'QIANFAN_API_KEY',
    // §7.1: rerank at `/v2/rerankers` is ≈ (shape not stated; Jina/Cohere assumed, parsed tolerantly).
    paths: { ...CHAT_EMBED, rerank: [{ path: '/rerankers', shape: 'jina' }] },
    thinkingSwitch: 'enable_thinking',
    // §7.1 ✔: embedding-v1 and bge-large-* take ≤16 texts per request, tao-8k one.
    maxEmbeddingInputs: 16, maxEmbeddingInputsByModel: { 'tao-8k': 1 },
  },
  {
    ...OAI, id: 'ark', label: 'Volcano Engine Ark (Doubao)', catalogSection: '§8',
    defaultBaseUrl: 'https://ark.cn-beijing.volces.com/api/v3', envKey: 'ARK_API_KEY',
    paths: CHAT_EMBED,
    // §8: `max_tokens` excludes the chain of thought, `max_completion_tokens` includes it; keep the client's choice.
    maxTokens: 'as-given', thinkingSwitch: 'thinking.type',
  },
  {
    ...OAI, id: 'hunyuan', label: 'Tencent Hunyuan (OpenAI endpoint)', catalogSection: '§9',
    defaultBaseUrl: 'https://api.hunyuan.cloud.tencent.com/v1', envKey: 'HUNYUAN_API_KEY',
    paths: CHAT_EMBED,
  },
  {
    ...OAI, id: 'zhipu', label: 'Zhipu GLM', catalogSection: '§10',
    defaultBaseUrl: 'https://open.bigmodel.cn/api/paas/v4', envKey: 'ZHIPU_API_KEY',
    // §10: `/rerank` ≈, model `rerank` ✔ (index + relevance_score results).
    paths: { ...CHAT_EMBED, rerank: RERANK },
    // §10: usage arrives on the last chunk without asking.
    requestStreamUsage: false, thinkingSwitch: 'thinking.type',
    // §10 business codes (a numeric string in `error.code`).
    errorCodes: {
      '1000': 'auth', '1001': 'auth', '1002': 'auth', '1003': 'auth', '1004': 'auth',
      '1113': 'quota', '1304': 'quota', '1211': 'not_found', '1214': 'invalid_request',
      '1261': 'context_length', '1300': 'content_filter', '1301': 'content_filter',
      '1302': 'rate_limited', '1303': 'rate_limited', '1305': 'rate_limited',
    },
  },
  {
    ...OAI, id: 'moonshot', label: 'Moonshot Kimi', catalogSection: '§11',
    defaultBaseUrl: 'https://api.moonshot.cn/v1', envKey: 'MOONSHOT_API_KEY',
    // §11: usage comes in `choices[0].usage` of the last chunk without asking.
    requestStreamUsage: false, usageInChoice: true,
  },
  {
    ...OAI, id: 'minimax', label: 'MiniMax', catalogSection: '§13',
    defaultBaseUrl: 'https://api.minimaxi.com/v1', envKey: 'MINIMAX_API_KEY',
    maxTokens: 'max_completion_tokens',
    dropParams: ['tool_choice', 'response_format', 'seed', 'presence_penalty', 'frequency_penalty', 'parallel_tool_calls', 'reasoning_effort'],
    dropToolStrict: true, requestStreamUsage: false, errorShape: 'base-resp',
    // M2 models inline `<think>…</think>` and need it replayed in tool loops (§13).
    reasoning: reasoning(['reasoning_content'], { thinkTags: true, details: true, replay: 'think-tags' }),
    errorCodes: {
      '1000': 'server', '1001': 'server', '1002': 'rate_limited', '1004': 'auth', '1008': 'quota',
      '1024': 'server', '1026': 'content_filter', '1027': 'content_filter', '1033': 'server',
      '1039': 'context_length', '2013': 'invalid_request', '2049': 'auth',
    },
    thinkingSwitch: 'thinking.type',
    hooks: { bodyError: minimaxBaseRespError },
  },
  {
    ...OAI, id: 'baichuan', label: 'Baichuan', catalogSection: '§14',
    defaultBaseUrl: 'https://api.baichuan-ai.com/v1', envKey: 'BAICHUAN_API_KEY',
    paths: CHAT_EMBED,
    // §14: Baichuan errors on `stream_options`; never send it, even when the client did.
    dropParams: ['stream_options'], requestStreamUsage: false, reasoning: NO_REASONING,
  },
  {
    ...OAI, id: 'spark', label: 'iFlytek Spark (HTTP)', catalogSection: '§15',
    defaultBaseUrl: 'https://spark-api-open.xf-yun.com/v1', envKey: 'SPARK_API_KEY',
    requestStreamUsage: false, reasoning: NO_REASONING,
    errorCodes: {
      '10013': 'content_filter', '10014': 'content_filter', '10019': 'content_filter',
      '10907': 'context_length', '11200': 'auth', '11201': 'quota', '11202': 'rate_limited', '11203': 'rate_limited',
    },
    hooks: { bodyError: sparkCodeError },
  },
  {
    ...OAI, id: 'yi', label: '01.AI Yi', catalogSection: '§16',
    defaultBaseUrl: 'https://api.lingyiwanwu.com/v1', envKey: 'YI_API_KEY', reasoning: NO_REASONING,
  },
  {
    ...OAI, id: 'siliconflow', label: 'SiliconFlow', catalogSection: '§17',
    defaultBaseUrl: 'https://api.siliconflow.cn/v1', envKey: 'SILICONFLOW_API_KEY',
    paths: { ...CHAT_EMBED, rerank: RERANK },
    errorShape: 'code-message', errorCodes: { '20012': 'not_found', '30001': 'quota' },
    thinkingSwitch: 'enable_thinking',
  },
  {
    ...ENGINE, id: 'vllm', label: 'vLLM', catalogSection: '§18', defaultBaseUrl: 'http://127.0.0.1:8000/v1',
    paths: ALL_ROUTES, maxTokens: 'as-given',
    // §18: `reasoning` since v0.11, `reasoning_content` before.
    reasoning: reasoning(['reasoning', 'reasoning_content']),
    thinkingSwitch: 'chat_template_kwargs.enable_thinking',
  },
  {
    ...ENGINE, id: 'sglang', label: 'SGLang', catalogSection: '§19', defaultBaseUrl: 'http://127.0.0.1:30000/v1',
    paths: ALL_ROUTES, errorShape: 'flat', thinkingSwitch: 'chat_template_kwargs.enable_thinking',
  },
  {
    // §23: HTTPS with mutual TLS by default; certificates are the transport's business, not a header.
    ...ENGINE, id: 'mindie', label: 'Huawei MindIE', catalogSection: '§23', defaultBaseUrl: 'https://127.0.0.1:1025/v1',
    auth: 'none', paths: { chat: '/chat/completions', completions: '/completions' },
  },
  {
    ...ENGINE, id: 'lmdeploy', label: 'LMDeploy', catalogSection: '§24', defaultBaseUrl: 'http://127.0.0.1:23333/v1',
    // §24: `/v1/embeddings` exists but is tagged unsupported, so it is not offered.
    paths: { chat: '/chat/completions', completions: '/completions' },
    maxTokens: 'as-given', errorShape: 'flat', thinkingSwitch: 'enable_thinking',
  },
  {
    ...ENGINE, id: 'tgi', label: 'Hugging Face TGI', catalogSection: '§22', defaultBaseUrl: 'http://127.0.0.1:3000/v1',
    auth: 'none', paths: { chat: '/chat/completions', completions: '/completions' },
    reasoning: NO_REASONING, errorShape: 'tgi',
    // §22 `error_type` values; a TGI 429 means its queue is full (Appendix B rate-limit row).
    errorCodes: { overloaded: 'rate_limited', validation: 'invalid_request', generation: 'server' },
  },
  {
    // §20: local Ollama ignores credentials; ollama.com cloud models need Bearer, so send one when configured.
    ...ENGINE, id: 'ollama', label: 'Ollama (/v1)', catalogSection: '§20', defaultBaseUrl: 'http://127.0.0.1:11434/v1',
    paths: { ...CHAT_EMBED, completions: '/completions' },
    dropParams: ['tool_choice', 'n', 'logit_bias', 'user', 'logprobs', 'top_logprobs'],
    reasoning: reasoning(['reasoning', 'reasoning_content'], { replay: 'strip' }),
  },
  {
    ...ENGINE, id: 'llamacpp', label: 'llama.cpp server', catalogSection: '§21', defaultBaseUrl: 'http://127.0.0.1:8080/v1',
    // §21: the final chunk carries `usage` (and `timings`) without asking.
    paths: ALL_ROUTES, requestStreamUsage: false, thinkingSwitch: 'chat_template_kwargs.enable_thinking',
  },
  {
    // Any other OAI server: conservative defaults, tolerant reading (both reasoning fields, usage in either place).
    ...OAI, id: 'openai-compatible', label: 'Generic OpenAI-compatible server', catalogSection: 'Appendix A',
    defaultBaseUrl: null, envKey: null, paths: ALL_ROUTES,
    reasoning: reasoning(['reasoning_content', 'reasoning'], { replay: 'strip' }),
    usageInChoice: true,
  },
];

/** Most texts one embeddings request to `vendor` may carry (for `upstreamModel`, if given); `undefined`: not stated. */
export function maxEmbeddingInputsOf(vendor: VendorEntry, upstreamModel?: string): number | undefined {
  const byModel = vendor.maxEmbeddingInputsByModel;
  if (upstreamModel !== undefined && byModel && Object.hasOwn(byModel, upstreamModel)) return byModel[upstreamModel];
  return vendor.maxEmbeddingInputs;
}

/** The entry for a provider `kind`, or `undefined` when it is not an OpenAI-compatible catalog id. */
export function findVendor(kind: string): VendorEntry | undefined {
  return VENDORS.find((vendor) => vendor.id === kind);
}
