/**
 * The shape of `baimo.yaml` (DESIGN.md §2a; field names are a contract with operators' files and
 * outside tools). This validates one file in isolation, after `${ENV}` expansion; references between
 * sections (providers ↔ deployments, kinds, ids) are checked in build-config.ts.
 *
 * Strictness: every config object rejects unknown fields, because in an operator's file an unknown
 * field is almost always a typo (`base_ur`, `retry`) that would otherwise be silently ignored.
 * Forward-compatible extension goes through keys starting with `x-`: they are accepted and ignored
 * at every level (handy for YAML anchors: `x-timeouts: &slow {…}`). Free-form maps (`headers`,
 * `tags`) accept any key. New Baimo fields are added to this schema, never renamed.
 */
import { z } from 'zod';
import type { Capability, RoutingStrategy } from './types.js';
import { parseByteSize } from './byte-size.js';
import { didYouMean } from './closest-match.js';
import { AWS_REGION_PATTERN } from './aws-provider.js';

export const CAPABILITIES = [
  'chat',
  'completions',
  'embeddings',
  'rerank',
  'tools',
  'vision',
  'json',
  'reasoning',
] as const satisfies readonly Capability[];
// Fails to compile if types.ts gains a capability that this list lacks.
const capabilitiesComplete: [Exclude<Capability, (typeof CAPABILITIES)[number]>] extends [never] ? true : false = true;
void capabilitiesComplete;

export const ROUTING_STRATEGIES = [
  'priority-weighted',
  'least-latency',
  'least-busy',
  'lowest-cost',
] as const satisfies readonly RoutingStrategy[];

export const CURRENCIES = ['USD', 'CNY'] as const;

/** Strict object that still lets `x-…` extension keys through (see the header comment). */
function configObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.looseObject(shape).superRefine(
    (value, ctx) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
      for (const key of Object.keys(value)) {
        if (Object.hasOwn(shape, key) || key.startsWith('x-')) continue;
        ctx.addIssue({ code: 'custom', path: [key], message: `unknown field '${key}'${didYouMean(key, known)}` });
      }
    },
    // Report unknown fields even when other fields of the same object are also wrong.
    { when: () => true },
  );
}

const NUMERIC = /^-?\d+(?:\.\d+)?$/;

/** Numbers may also be written as numeric strings, so `port: ${PORT}` works after expansion. */
function numeric<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === 'string' && NUMERIC.test(v.trim()) ? Number(v) : v), schema);
}

const nonNegativeInt = numeric(z.number().int().min(0));
const positiveInt = numeric(z.number().int().min(1));
const nonNegativeNumber = numeric(z.number().min(0));

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;
const name = z
  .string()
  .min(1)
  .regex(NAME, 'must start with a letter or digit and contain only letters, digits and . _ : / @ + -');

/** Header and tag values are text; YAML numbers and booleans (`gpu: 8`) are taken as their text. */
const scalarText = z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string' }).transform(String);

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const httpUrl = z.string().superRefine((value, ctx) => {
  if (!isHttpUrl(value)) ctx.addIssue({ code: 'custom', message: `must be an http:// or https:// URL, got '${value}'` });
});

const byteSize = z.unknown().transform((value, ctx) => {
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes < 1) {
    ctx.addIssue({ code: 'custom', message: `expected a positive number of bytes or a size like "4mb", got ${JSON.stringify(value) ?? String(value)}` });
    return z.NEVER;
  }
  return bytes;
});

export const timeoutsSchema = configObject({
  connect_ms: positiveInt.optional(),
  first_byte_ms: positiveInt.optional(),
  idle_ms: positiveInt.optional(),
  total_ms: positiveInt.optional(),
});

const tierPrices = {
  input: nonNegativeNumber,
  output: nonNegativeNumber,
  cached_input: nonNegativeNumber.optional(),
  cache_write: nonNegativeNumber.optional(),
  reasoning: nonNegativeNumber.optional(),
};

/** A price that applies instead of the base one to requests with more input tokens than `above_input_tokens`. */
const priceTierSchema = configObject({ above_input_tokens: positiveInt, ...tierPrices });

export const priceSchema = configObject({
  ...tierPrices,
  tiers: z
    .array(priceTierSchema)
    .superRefine((tiers, ctx) => {
      tiers.forEach((tier, i) => {
        const previous = tiers[i - 1];
        if (previous && tier.above_input_tokens <= previous.above_input_tokens) {
          ctx.addIssue({ code: 'custom', path: [i, 'above_input_tokens'], message: `must be greater than the previous tier's (${previous.above_input_tokens})` });
        }
      });
    })
    .optional(),
});

export const providerSchema = configObject({
  name,
  kind: z.string().min(1),
  base_url: httpUrl.optional(),
  api_key: z.string().optional(),
  headers: z.record(z.string().regex(HEADER_NAME, 'not a valid HTTP header name'), scalarText).optional(),
  api_version: z.string().min(1).optional(),
  // kind `bedrock` only (aws-provider.ts); secrets as ${ENV} references.
  region: z.string().regex(AWS_REGION_PATTERN, 'expected an AWS region such as us-east-1').optional(),
  aws_access_key_id: z.string().optional(),
  aws_secret_access_key: z.string().optional(),
  aws_session_token: z.string().optional(),
  agent_runtime_url: httpUrl.optional(),
  timeouts: timeoutsSchema.optional(),
  // In-process engine options (`kind: local`); build-config.ts refuses them on other kinds.
  threads: positiveInt.optional(),
  context_size: numeric(z.number().int().min(16)).optional(),
  max_loaded_models: positiveInt.optional(),
  sequences: positiveInt.optional(),
  max_queue: nonNegativeInt.optional(),
});

export const deploymentSchema = configObject({
  id: z.string().min(1).optional(),
  provider: z.string().min(1),
  model: z.string().min(1),
  weight: nonNegativeNumber.optional(),
  priority: nonNegativeInt.optional(),
  tags: z.record(z.string(), scalarText).optional(),
  rpm: positiveInt.optional(),
  tpm: positiveInt.optional(),
  timeouts: timeoutsSchema.optional(),
  price: priceSchema.optional(),
});

export const modelSchema = configObject({
  name: name.refine((value) => !value.startsWith('app:'), "names starting with 'app:' are reserved for apps"),
  capabilities: z.array(z.enum(CAPABILITIES)).min(1).optional(),
  context_window: positiveInt.optional(),
  max_output_tokens: positiveInt.optional(),
  price: priceSchema.optional(),
  owned_by: z.string().min(1).optional(),
  deployments: z.array(deploymentSchema).min(1),
});

export const routingSchema = configObject({
  strategy: z.enum(ROUTING_STRATEGIES).optional(),
  // Each retry is another upstream call; a typo like 100 would turn one outage into a storm.
  retries: numeric(z.number().int().min(0).max(10)).optional(),
  backoff_base_ms: nonNegativeInt.optional(),
  backoff_max_ms: nonNegativeInt.optional(),
  failure_threshold: positiveInt.optional(),
  cooldown_ms: nonNegativeInt.optional(),
});

export const portSchema = numeric(z.number().int().min(0).max(65535));

export const serverSchema = configObject({
  host: z.string().min(1).optional(),
  port: portSchema.optional(),
  body_limit_bytes: byteSize.optional(),
  drain_timeout_ms: nonNegativeInt.optional(),
});

/** Sections and lists may be left empty (`models:` with nothing under it) while a file is being written. */
export const fileConfigSchema = configObject({
  currency: z.enum(CURRENCIES).optional(),
  server: serverSchema.nullish(),
  routing: routingSchema.nullish(),
  providers: z.array(providerSchema).nullish(),
  models: z.array(modelSchema).nullish(),
});

export type FileConfig = z.infer<typeof fileConfigSchema>;
export type FileProvider = z.infer<typeof providerSchema>;
export type FileModel = z.infer<typeof modelSchema>;
export type FileDeployment = z.infer<typeof deploymentSchema>;
export type FileTimeouts = z.infer<typeof timeoutsSchema>;
export type FilePrice = z.infer<typeof priceSchema>;
