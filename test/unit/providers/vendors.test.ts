import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  createOpenAICompatibleAdapters,
  findVendor,
  VENDORS,
  type ErrorClass,
  type VendorEntry,
} from '../../../src/providers/openai-compatible/index.js';
import { parseErrorBody } from '../../../src/providers/openai-compatible/error-body.js';

/** The quirk table is data: these checks keep every entry complete, cited and backed by fixtures. */

const FIXTURES = fileURLToPath(new URL('../../fixtures/providers/', import.meta.url));

/** Section headers of CATALOG.md (2026-11-24 edition), copied so the test needs no file outside the repo. */
const CATALOG_SECTIONS = [
  ...Array.from({ length: 25 }, (_, n) => `§${n}`),
  'Appendix A',
  'Appendix B',
  'Appendix C',
  'Appendix D',
];

/** Every OpenAI-compatible catalog id (CATALOG.md §0 "adapter classes") plus the generic entry. */
const CATALOG_IDS = [
  'openai', 'azure', 'deepseek', 'dashscope', 'qianfan', 'ark', 'hunyuan', 'zhipu', 'moonshot', 'minimax', 'baichuan',
  'spark', 'yi', 'siliconflow', 'vllm', 'sglang', 'mindie', 'lmdeploy', 'tgi', 'ollama', 'llamacpp', 'openai-compatible',
];

const ENV_KEYS: Record<string, string | null> = {
  openai: 'OPENAI_API_KEY',
  azure: 'AZURE_OPENAI_API_KEY',
  deepseek: 'DEEPSEEK_API_KEY',
  dashscope: 'DASHSCOPE_API_KEY',
  qianfan: 'QIANFAN_API_KEY',
  ark: 'ARK_API_KEY',
  hunyuan: 'HUNYUAN_API_KEY',
  zhipu: 'ZHIPU_API_KEY',
  moonshot: 'MOONSHOT_API_KEY',
  minimax: 'MINIMAX_API_KEY',
  baichuan: 'BAICHUAN_API_KEY',
  spark: 'SPARK_API_KEY',
  yi: 'YI_API_KEY',
  siliconflow: 'SILICONFLOW_API_KEY',
};
const ENGINES = ['vllm', 'sglang', 'mindie', 'lmdeploy', 'tgi', 'ollama', 'llamacpp'];

const ERROR_CLASSES: ErrorClass[] = [
  'rate_limited', 'quota', 'overloaded', 'content_filter', 'context_length', 'auth', 'not_found', 'invalid_request', 'server',
];

const REQUIRED_FILES = [
  'README.md',
  'chat.request.json',
  'chat.response.json',
  'chat.expected.json',
  'stream.sse',
  'stream.expected.jsonl',
  'error-429.json',
  'error-429.meta.json',
  'error-429.expected.json',
];

/** Vendors that send reasoning text (CATALOG.md §0 "reasoning text field") need a reasoning stream fixture. */
const hasReasoning = (vendor: VendorEntry) =>
  vendor.reasoning.replay !== 'strip' || vendor.reasoning.fields.includes('reasoning');

const filesOf = (vendor: VendorEntry): string[] => {
  const dir = join(FIXTURES, vendor.id);
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('VENDORS table', () => {
  it('has exactly one entry per catalog id', () => {
    expect(VENDORS.map((vendor) => vendor.id).sort()).toEqual([...CATALOG_IDS].sort());
  });

  it('finds entries by provider kind', () => {
    expect(findVendor('deepseek')?.label).toBe('DeepSeek');
    expect(findVendor('anthropic')).toBeUndefined();
    expect(findVendor('constructor')).toBeUndefined();
  });

  it('derives one adapter per entry, with codecs exactly for the routes the entry lists', () => {
    const adapters = createOpenAICompatibleAdapters();
    expect([...adapters.keys()].sort()).toEqual([...CATALOG_IDS].sort());
    for (const vendor of VENDORS) {
      const adapter = adapters.get(vendor.id)!;
      expect(adapter.family).toBe('openai-compatible');
      expect(adapter.embeddings !== undefined, `${vendor.id} embeddings`).toBe(vendor.paths.embeddings !== undefined);
      expect(adapter.rerank !== undefined, `${vendor.id} rerank`).toBe(vendor.paths.rerank !== undefined);
      expect(adapter.completions !== undefined, `${vendor.id} completions`).toBe(vendor.paths.completions !== undefined);
    }
  });

  it('has tool-call stream fixtures for several vendors', () => {
    const withTools = VENDORS.filter((vendor) => filesOf(vendor).includes('stream-tools.sse'));
    expect(withTools.length).toBeGreaterThanOrEqual(5);
  });
});

for (const vendor of VENDORS) {
  describe(`vendor ${vendor.id}`, () => {
    it('is a valid entry', () => {
      expect(vendor.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(vendor.label.trim()).not.toBe('');
      expect(['bearer', 'api-key', 'none']).toContain(vendor.auth);
      expect(['max_tokens', 'max_completion_tokens', 'as-given']).toContain(vendor.maxTokens);
      expect(['keep', 'system']).toContain(vendor.developerRole);
      expect(vendor.reasoning.fields.length).toBeGreaterThan(0);
      const { rerank, ...paths } = vendor.paths;
      for (const path of Object.values(paths)) expect(path).toMatch(/^\/[a-z/]+$/);
      if (rerank !== undefined) {
        expect(rerank.length).toBeGreaterThan(0);
        for (const route of rerank) {
          expect(route.path).toMatch(/^\/[a-z0-9/-]+$/);
          expect(['jina', 'dashscope-native']).toContain(route.shape);
          if (route.models !== undefined) expect(route.models.length).toBeGreaterThan(0);
        }
        // The last route is the catch-all: a model no prefix names still has somewhere to go.
        expect(rerank[rerank.length - 1]?.models).toBeUndefined();
      }
      for (const limit of [vendor.maxEmbeddingInputs, ...Object.values(vendor.maxEmbeddingInputsByModel ?? {})]) {
        if (limit !== undefined) expect(Number.isInteger(limit) && limit > 0).toBe(true);
      }
      // Limits only make sense for a vendor that serves embeddings.
      if (vendor.maxEmbeddingInputs !== undefined || vendor.maxEmbeddingInputsByModel !== undefined) expect(vendor.paths.embeddings).toBeDefined();
      expect(vendor.paths.chat).toBeDefined();
      expect(new Set(vendor.dropParams).size).toBe(vendor.dropParams.length);
      for (const param of ['model', 'messages', 'stream']) expect(vendor.dropParams).not.toContain(param);
      for (const errorClass of Object.values(vendor.errorCodes)) expect(ERROR_CLASSES).toContain(errorClass);
      // A vendor that refuses `stream_options` must not be asked for stream usage through it.
      if (vendor.dropParams.includes('stream_options')) expect(vendor.requestStreamUsage).toBe(false);
    });

    it('cites a CATALOG.md section', () => {
      expect(vendor.catalogSection).toMatch(/^§\d+$|^Appendix [A-D]$/);
      expect(CATALOG_SECTIONS).toContain(vendor.catalogSection);
    });

    it('has a usable default base URL and the catalog env key', () => {
      if (vendor.defaultBaseUrl !== null) {
        const url = new URL(vendor.defaultBaseUrl);
        expect(['http:', 'https:']).toContain(url.protocol);
        expect(vendor.defaultBaseUrl.endsWith('/')).toBe(false);
        if (ENGINES.includes(vendor.id)) expect(url.hostname).toBe('127.0.0.1');
      }
      expect(vendor.envKey).toBe(ENV_KEYS[vendor.id] ?? null);
    });

    it('has its fixture folder with the required cases', () => {
      const files = filesOf(vendor);
      for (const required of REQUIRED_FILES) expect(files, `${vendor.id}/${required}`).toContain(required);
      if (hasReasoning(vendor)) expect(files, `${vendor.id}/stream-reasoning.sse`).toContain('stream-reasoning.sse');
    });

    it('explains its fixtures in a README that cites the section and says they are hand-written', () => {
      const readme = readFileSync(join(FIXTURES, vendor.id, 'README.md'), 'utf8');
      expect(readme).toContain(vendor.catalogSection);
      expect(readme.toLowerCase()).toContain('hand-written');
    });

    it('pairs every fixture input with its expected output', () => {
      const files = new Set(filesOf(vendor));
      for (const file of files) {
        if (file.endsWith('.response.json')) expect(files).toContain(file.replace(/\.response\.json$/, '.expected.json'));
        if (file.endsWith('.sse')) expect(files).toContain(file.replace(/\.sse$/, '.expected.jsonl'));
        if (/^error-.*\.(json|txt)$/.test(file) && !/\.(meta|expected)\.json$/.test(file)) {
          const name = file.replace(/\.(json|txt)$/, '');
          expect(files).toContain(`${name}.meta.json`);
          expect(files).toContain(`${name}.expected.json`);
        }
      }
    });

    it('declares the error body shape its 429 fixture uses', () => {
      const body = readFileSync(join(FIXTURES, vendor.id, 'error-429.json'), 'utf8');
      expect(parseErrorBody(body).shape).toBe(vendor.errorShape);
    });
  });
}
