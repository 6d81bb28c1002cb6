import { invalidRequest } from '../../protocol/errors.js';
import type { Block, ParsedDocument } from '../parse/index.js';
import { countTokens, splitByTokens } from './count-tokens.js';
import { dedupeChunks, hashChunkText } from './dedupe-chunks.js';
import { splitSentences } from './split-sentences.js';
import type { Chunk, ChunkOptions } from './types.js';

/** A piece of the document that is never split further: a whole block, a sentence or a table row. */
interface Unit {
  start: number;
  end: number;
  page?: number;
  headingPath: string[];
  heading: boolean;
}

interface Draft {
  start: number;
  end: number;
  page?: number;
  headingPath: string[];
  units: Unit[];
}

/**
 * Cuts a parsed document into retrieval chunks.
 * - Whole blocks are packed while the chunk stays within `maxTokens`.
 * - A heading always starts a chunk and sets the heading path (headings directly under one
 *   another share a chunk); overlap never crosses it.
 * - A block too big for one chunk is cut at sentence ends (Chinese-aware) or, for a table,
 *   at row ends; a single sentence or row bigger than a chunk is cut by tokens as a last resort,
 *   so `maxTokens` always holds.
 * - The next chunk starts with the previous chunk's last sentences, up to `overlapTokens`.
 * Chunks are contiguous ranges of `doc.text`, and repeats (same normalised text) are dropped.
 *
 * @example
 * chunkDocument(doc, { maxTokens: 512, overlapTokens: 64, source: 'guide.pdf' });
 */
export function chunkDocument(doc: ParsedDocument, opts: ChunkOptions): Chunk[] {
  validate(opts);
  const { text } = doc;
  const units = toUnits(doc, opts.maxTokens);
  const drafts: Draft[] = [];
  let current: Draft | undefined;
  for (const unit of units) {
    const fits = current !== undefined && countTokens(text.slice(current.start, unit.end)) <= opts.maxTokens;
    // A heading right under another heading joins it: a chunk of headings alone says nothing.
    const stacksHeadings = unit.heading && current !== undefined && current.units.every((u) => u.heading);
    if (current && fits && (!unit.heading || stacksHeadings)) {
      current.end = unit.end;
      current.units.push(unit);
      if (unit.heading) current.headingPath = unit.headingPath;
      continue;
    }
    const previous = current;
    const start = previous && !unit.heading ? overlapStart(text, previous, unit, opts) : unit.start;
    current = { start, end: unit.end, headingPath: unit.headingPath, units: [unit] };
    const page = start === unit.start ? unit.page : previous?.units.find((u) => u.start <= start && start < u.end)?.page;
    if (page !== undefined) current.page = page;
    drafts.push(current);
  }
  const chunks = drafts.map((d): Chunk => {
    const body = text.slice(d.start, d.end);
    const chunk: Chunk = {
      text: body,
      tokens: countTokens(body),
      start: d.start,
      end: d.end,
      headingPath: d.headingPath,
      source: opts.source,
      hash: hashChunkText(body),
    };
    if (d.page !== undefined) chunk.page = d.page;
    return chunk;
  });
  return dedupeChunks(chunks);
}

function validate(opts: ChunkOptions): void {
  if (!Number.isInteger(opts.maxTokens) || opts.maxTokens < 8) {
    throw invalidRequest('maxTokens must be an integer of at least 8.', 'maxTokens');
  }
  if (!Number.isInteger(opts.overlapTokens) || opts.overlapTokens < 0 || opts.overlapTokens >= opts.maxTokens) {
    throw invalidRequest('overlapTokens must be an integer from 0 to maxTokens - 1.', 'overlapTokens');
  }
}

function toUnits(doc: ParsedDocument, maxTokens: number): Unit[] {
  const units: Unit[] = [];
  const headings: Array<{ level: number; text: string }> = [];
  for (const block of doc.blocks) {
    if (block.kind === 'heading') {
      const level = block.level ?? 1;
      while (headings.length > 0 && headings[headings.length - 1]!.level >= level) headings.pop();
      headings.push({ level, text: block.text });
    }
    const headingPath = headings.map((h) => h.text);
    segmentsOf(block, maxTokens).forEach(([start, end], i) => {
      const unit: Unit = { start, end, headingPath, heading: block.kind === 'heading' && i === 0 };
      if (block.page !== undefined) unit.page = block.page;
      units.push(unit);
    });
  }
  return units;
}

/** Offsets in document coordinates of the pieces a block is cut into, each within `maxTokens`. */
function segmentsOf(block: Block, maxTokens: number): Array<[number, number]> {
  if (countTokens(block.text) <= maxTokens) return [[block.start, block.end]];
  // Table rows are lines; a row is split only when it alone exceeds a chunk.
  const spans = block.kind === 'table' ? lineSpans(block.text) : splitSentences(block.text);
  return spans.flatMap(([s, e]) => {
    const piece = block.text.slice(s, e);
    const parts: Array<[number, number]> = countTokens(piece) <= maxTokens ? [[0, e - s]] : splitByTokens(piece, maxTokens);
    return parts.map(([ps, pe]): [number, number] => [block.start + s + ps, block.start + s + pe]);
  });
}

function lineSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let from = 0;
  for (const line of text.split('\n')) {
    if (line.trim() !== '') spans.push([from, from + line.length]);
    from += line.length + 1;
  }
  return spans;
}

/**
 * Where the next chunk starts: at the earliest trailing sentence of `previous` such that the
 * carried text stays within `overlapTokens` and carried text plus `next` within `maxTokens`.
 * Heading units are never carried, and the whole previous chunk never is either.
 */
function overlapStart(text: string, previous: Draft, next: Unit, opts: ChunkOptions): number {
  let start = next.start;
  if (opts.overlapTokens === 0) return start;
  for (let u = previous.units.length - 1; u >= 0; u--) {
    const unit = previous.units[u]!;
    if (unit.heading) return start;
    const sentences = splitSentences(text.slice(unit.start, unit.end)).reverse();
    for (const [s] of sentences) {
      const candidate = unit.start + s;
      if (candidate <= previous.start) return start;
      if (countTokens(text.slice(candidate, previous.end)) > opts.overlapTokens) return start;
      if (countTokens(text.slice(candidate, next.end)) > opts.maxTokens) return start;
      start = candidate;
    }
  }
  return start;
}
