/**
 * `${NAME}` and `${NAME:-default}` in any string value of the config (keys are never expanded).
 * - `${NAME}`: the variable must be set (an empty value is kept as empty); unset is a config error.
 * - `${NAME:-default}`: the default when NAME is unset or empty, as in POSIX shells.
 * - `$${` writes a literal `${`. A `$` not followed by `{` is literal (passwords keep their `$`).
 * The environment is passed in: modules never read `process.env` (house rule 8).
 */
import type { PathSegment } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** A problem at a raw config path; the loader turns it into a ConfigIssue with a line number. */
export interface PathIssue {
  at: readonly PathSegment[];
  message: string;
}

type Piece =
  | { kind: 'text'; text: string }
  | { kind: 'ref'; name: string; fallback: string | undefined }
  | { kind: 'error'; message: string };

const REFERENCE_BODY = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

function scan(input: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  let i = 0;
  while (i < input.length) {
    if (input.startsWith('$${', i)) {
      text += '${';
      i += 3;
    } else if (input.startsWith('${', i)) {
      const end = input.indexOf('}', i + 2);
      if (end < 0) {
        pieces.push({ kind: 'error', message: `unterminated reference '${input.slice(i)}' (missing '}')` });
        return pieces;
      }
      const body = input.slice(i + 2, end);
      const match = REFERENCE_BODY.exec(body);
      if (text !== '') pieces.push({ kind: 'text', text });
      text = '';
      pieces.push(
        match === null
          ? { kind: 'error', message: `malformed reference '\${${body}}' (expected \${NAME} or \${NAME:-default})` }
          : { kind: 'ref', name: match[1] ?? '', fallback: match[2] },
      );
      i = end + 1;
    } else {
      text += input[i];
      i += 1;
    }
  }
  if (text !== '') pieces.push({ kind: 'text', text });
  return pieces;
}

/** True when the string contains a `${…}` reference (an escaped `$${` does not count). */
export function hasEnvReference(input: string): boolean {
  return scan(input).some((piece) => piece.kind !== 'text');
}

/** Expands one string; returns the problems instead of throwing so all of them can be reported. */
export function expandEnvString(input: string, env: Env): { value: string; problems: string[] } {
  let value = '';
  const problems: string[] = [];
  for (const piece of scan(input)) {
    if (piece.kind === 'text') value += piece.text;
    else if (piece.kind === 'error') problems.push(piece.message);
    else {
      const found = env[piece.name];
      if (piece.fallback !== undefined) value += found === undefined || found === '' ? piece.fallback : found;
      else if (found === undefined) problems.push(`environment variable ${piece.name} is not set (referenced as \${${piece.name}})`);
      else value += found;
    }
  }
  return { value, problems };
}

/** Returns a copy of `tree` with every string expanded; problems are appended to `issues`. */
export function expandEnvReferences(tree: unknown, env: Env, issues: PathIssue[], at: PathSegment[] = []): unknown {
  if (typeof tree === 'string') {
    const { value, problems } = expandEnvString(tree, env);
    for (const message of problems) issues.push({ at, message });
    return value;
  }
  if (Array.isArray(tree)) return tree.map((item, index) => expandEnvReferences(item, env, issues, [...at, index]));
  if (tree !== null && typeof tree === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(tree)) {
      // defineProperty, not assignment: a YAML key `__proto__` must stay a plain (rejected) field.
      const value = expandEnvReferences(item, env, issues, [...at, key]);
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return tree;
}
