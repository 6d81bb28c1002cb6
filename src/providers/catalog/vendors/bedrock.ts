import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §5; numbers from the snapshot (`bedrock` / `bedrock_converse` rows). Only the
 * region-neutral on-demand model ids are listed: they are the same id in every region, so one entry
 * serves whatever region the published provider uses (AWS_REGION). Left out: the `us.*` cross-region
 * inference profiles (region-specific, and priced about 10% above on-demand) and the Vertex-style
 * `anthropic.claude-haiku-4-5@20251001` row (not a Bedrock model id). Operators deploy a profile
 * (`us.…`, `global.…`) or an ARN as a deployment `model` in baimo.yaml. No `json`: the bedrock
 * adapter refuses `response_format`.
 */
export const BEDROCK: CatalogVendor = {
  vendorId: 'bedrock',
  doc: 'CATALOG.md §5',
  models: [
    { name: 'amazon.nova-2-lite-v1:0', upstream: 'amazon.nova-2-lite-v1:0', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 1_000_000, max_output_tokens: 64_000, price: { input: 0.3, output: 2.5, cached_input: 0.075 }, currency: 'USD', snapshotKey: 'amazon.nova-2-lite-v1:0' },
    { name: 'amazon.nova-lite-v1:0', upstream: 'amazon.nova-lite-v1:0', capabilities: ['chat', 'tools', 'vision'], context_window: 300_000, max_output_tokens: 10_000, price: { input: 0.06, output: 0.24 }, currency: 'USD', snapshotKey: 'amazon.nova-lite-v1:0' },
    { name: 'amazon.nova-pro-v1:0', upstream: 'amazon.nova-pro-v1:0', capabilities: ['chat', 'tools', 'vision'], context_window: 300_000, max_output_tokens: 10_000, price: { input: 0.8, output: 3.2 }, currency: 'USD', snapshotKey: 'amazon.nova-pro-v1:0' },
    { name: 'anthropic.claude-opus-4-7', upstream: 'anthropic.claude-opus-4-7', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 1_000_000, max_output_tokens: 128_000, price: { input: 5, output: 25, cached_input: 0.5, cache_write: 6.25 }, currency: 'USD', snapshotKey: 'anthropic.claude-opus-4-7' },
    { name: 'anthropic.claude-sonnet-4-5-20250929-v1:0', upstream: 'anthropic.claude-sonnet-4-5-20250929-v1:0', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 200_000, max_output_tokens: 64_000, price: { input: 3, output: 15, cached_input: 0.3, cache_write: 3.75 }, currency: 'USD', snapshotKey: 'anthropic.claude-sonnet-4-5-20250929-v1:0' },
    { name: 'anthropic.claude-haiku-4-5-20251001-v1:0', upstream: 'anthropic.claude-haiku-4-5-20251001-v1:0', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 200_000, max_output_tokens: 64_000, price: { input: 1, output: 5, cached_input: 0.1, cache_write: 1.25 }, currency: 'USD', snapshotKey: 'anthropic.claude-haiku-4-5-20251001-v1:0' },
    { name: 'amazon.titan-embed-text-v2:0', upstream: 'amazon.titan-embed-text-v2:0', capabilities: ['embeddings'], context_window: 8192, price: { input: 0.02, output: 0 }, currency: 'USD', snapshotKey: 'amazon.titan-embed-text-v2:0' },
  ],
};
