/**
 * The built-in catalog: one entry per vendor, data only. How the numbers were derived, and how to
 * refresh them from a newer price snapshot, is in README.md next to this file.
 */
import type { CatalogVendor } from './types.js';
import { OPENAI } from './vendors/openai.js';
import { ANTHROPIC } from './vendors/anthropic.js';
import { GEMINI } from './vendors/gemini.js';
import { BEDROCK } from './vendors/bedrock.js';
import { DEEPSEEK } from './vendors/deepseek.js';
import { DASHSCOPE } from './vendors/dashscope.js';
import { QIANFAN } from './vendors/qianfan.js';
import { ARK } from './vendors/ark.js';
import { HUNYUAN } from './vendors/hunyuan.js';
import { ZHIPU } from './vendors/zhipu.js';
import { MOONSHOT } from './vendors/moonshot.js';
import { MINIMAX } from './vendors/minimax.js';
import { SILICONFLOW } from './vendors/siliconflow.js';
import { YI } from './vendors/yi.js';
import { BAICHUAN } from './vendors/baichuan.js';
import { SPARK } from './vendors/spark.js';

/**
 * Order matters only for listing: published models appear vendor by vendor in this order.
 * Deep-frozen: it is shared module data, and a consumer that edits it would change every config.
 */
export const BUILTIN_CATALOG: readonly CatalogVendor[] = deepFreeze([
  OPENAI,
  ANTHROPIC,
  GEMINI,
  BEDROCK,
  DEEPSEEK,
  DASHSCOPE,
  QIANFAN,
  ARK,
  HUNYUAN,
  ZHIPU,
  MOONSHOT,
  MINIMAX,
  SILICONFLOW,
  YI,
  BAICHUAN,
  SPARK,
]);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
