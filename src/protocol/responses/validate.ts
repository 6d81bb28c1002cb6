import type { z } from 'zod';
import { invalidRequest } from '../errors.js';
import { formatPath } from '../validate-body.js';

/**
 * Zod for the nested parts of a Responses request: input items, their content parts, tools. Each
 * is checked on its own under its full path, so the 400 names the exact field
 * (`input[2].content[0].image_url`) and speaks of the item's actual type instead of a union's
 * "no option matched".
 */
export function checkShape<T extends z.ZodType>(schema: T, value: unknown, at: PropertyKey[]): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = formatPath([...at, ...issue.path]);
  const missing = issue.code === 'invalid_type' && isAbsent(value, issue.path);
  const message = missing ? `Missing required parameter: '${param}'.` : `Invalid value for '${param}': ${issue.message}.`;
  throw invalidRequest(message, param, missing ? 'missing_required_parameter' : 'invalid_value');
}

function isAbsent(value: unknown, path: PropertyKey[]): boolean {
  let cur: unknown = value;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return false;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur === undefined;
}
