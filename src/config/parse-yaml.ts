/**
 * YAML text → plain data, plus a way back from a config path to the line it came from, so every
 * error can point into the file. YAML 1.2 core schema (`yes`/`no` stay strings); merge keys
 * (`<<: *anchor`) are enabled; duplicate keys are errors; alias expansion is bounded by the library
 * (a "billion laughs" file fails instead of exhausting memory).
 */
import { LineCounter, parseDocument, isNode } from 'yaml';
import { formatConfigPath, type ConfigIssue, type PathSegment } from './errors.js';

export interface SourcePosition {
  line: number;
  column: number;
}

export type ParsedYaml =
  | { ok: true; data: unknown; locate: (at: readonly PathSegment[]) => SourcePosition | undefined }
  | { ok: false; issues: ConfigIssue[] };

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => ({ path: '', message: `YAML syntax error: ${error.message}`, ...position(error.pos[0]) })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: `YAML error: ${(error as Error).message}` }] };
  }
  const locate = (at: readonly PathSegment[]): SourcePosition | undefined => {
    // The nearest existing node: a missing field points at the mapping that lacks it.
    for (let depth = at.length; depth >= 0; depth--) {
      const node: unknown = depth === 0 ? doc.contents : doc.getIn(at.slice(0, depth), true);
      if (isNode(node) && node.range) return position(node.range[0]);
    }
    return undefined;
  };
  const forbidden = findProtoKeys(data, []);
  if (forbidden.length > 0) {
    return { ok: false, issues: forbidden.map((at) => ({ path: formatConfigPath(at), message: "unknown field '__proto__'", ...locate(at) })) };
  }
  return { ok: true, data, locate };
}

/**
 * Validation copies objects by assignment, where a `__proto__` key would become the prototype and let
 * unvalidated values through; no Baimo field has that name, so it is refused up front.
 */
function findProtoKeys(value: unknown, at: PathSegment[]): PathSegment[][] {
  if (value === null || typeof value !== 'object') return [];
  const found: PathSegment[][] = [];
  Object.entries(value).forEach(([key, item], index) => {
    const next = [...at, Array.isArray(value) ? index : key];
    if (key === '__proto__') found.push(next);
    else found.push(...findProtoKeys(item, next));
  });
  return found;
}
