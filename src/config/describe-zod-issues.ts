/**
 * Turns zod's issues into messages an operator reads next to a config path: "expected an integer,
 * got 'abc'", "missing required field", "must be one of …". Messages we wrote ourselves in the
 * schema (custom checks, regex hints) pass through unchanged.
 */
import type { z } from 'zod';
import type { PathSegment } from './errors.js';
import type { PathIssue } from './expand-env.js';
import { didYouMean } from './closest-match.js';

const EXPECTED: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  record: 'a mapping (key: value)',
};

/** A short, safe rendering of a bad value (long strings are cut: they may be pasted secrets). */
export function describeValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  return String(value);
}

function toSegments(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
}

function describe(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return 'missing required field';
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(input)}`;
    case 'too_small':
      if (issue.origin === 'array') return `must have at least ${String(issue.minimum)} item(s)`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}, got ${describeValue(input)}`;
    case 'too_big':
      if (issue.origin === 'array') return `must have at most ${String(issue.maximum)} item(s)`;
      return `must be ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}, got ${describeValue(input)}`;
    case 'invalid_value': {
      const options = issue.values.map(String);
      const hint = typeof input === 'string' ? didYouMean(input, options) : '';
      return `must be one of ${options.join(', ')}; got ${describeValue(input)}${hint}`;
    }
    case 'invalid_format':
      return `${issue.message}, got ${describeValue(input)}`;
    case 'invalid_key': {
      const inner = issue.issues[0];
      return `${inner === undefined ? 'invalid key' : inner.message}: ${describeValue(input)}`;
    }
    case 'invalid_union':
      return issue.message;
    default:
      return issue.message;
  }
}

export function describeZodIssues(error: z.ZodError): PathIssue[] {
  return error.issues.map((issue) => ({ at: toSegments(issue.path), message: describe(issue) }));
}
