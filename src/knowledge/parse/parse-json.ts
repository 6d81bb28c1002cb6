import { assembleDocument } from './assemble-document.js';
import { documentParseFailed } from './document-errors.js';
import type { DraftBlock, ParsedDocument } from './types.js';

const ROWS_PER_TABLE = 20;

/**
 * JSON flattened for retrieval: scalars become `path: value` lines (consecutive ones form one
 * paragraph), and an array of objects becomes a heading naming its path followed by table
 * blocks (`key | key` header, one row per element, nested values as compact JSON).
 * Limits: NDJSON is not read; key order is the document's.
 */
export function parseJson(text: string, filename?: string): ParsedDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw documentParseFailed('json', filename, cause);
  }
  const drafts: DraftBlock[] = [];
  let lines: string[] = [];
  const flushLines = () => {
    if (lines.length > 0) drafts.push({ kind: 'paragraph', text: lines.join('\n') });
    lines = [];
  };
  const walk = (node: unknown, path: string) => {
    if (isRecordArray(node)) {
      flushLines();
      drafts.push({ kind: 'heading', level: 1, text: path || '(root)' });
      const keys = [...new Set(node.flatMap((o) => Object.keys(o)))];
      for (let i = 0; i < node.length; i += ROWS_PER_TABLE) {
        const rows = node.slice(i, i + ROWS_PER_TABLE).map((o) => keys.map((k) => cellText(o[k])).join(' | '));
        drafts.push({ kind: 'table', text: [keys.join(' | '), ...rows].join('\n') });
      }
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) walk(child, path ? `${path}.${key}` : key);
    } else {
      lines.push(`${path || '(root)'}: ${cellText(node)}`);
    }
  };
  walk(value, '');
  flushLines();
  return assembleDocument('json', drafts, undefined, false);
}

function isRecordArray(node: unknown): node is Record<string, unknown>[] {
  return Array.isArray(node) && node.length > 0 && node.every((o) => o !== null && typeof o === 'object' && !Array.isArray(o));
}

function cellText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\s*\n\s*/g, ' ');
  return JSON.stringify(value);
}
