import { TOKEN_ATOM } from '../src/knowledge/chunk/count-tokens.js';
import { CODES, GENERAL_EN, GENERAL_ZH, TOPICS, type Topic } from './retrieval-words.js';

/**
 * The retrieval bench's synthetic knowledge base, fully determined by a seed:
 * - markdown documents of `SECTIONS_PER_DOCUMENT` sections; each section is a `##` heading and
 *   100–300 tokens of mixed Chinese/English paragraphs and lists, so it becomes exactly one chunk
 *   (a heading always starts a chunk, and a section stays under a KB's default 400-token limit);
 * - one precomputed "embedding" per chunk, `normalize(A·z + noise)` with z ∈ R³² drawn around the
 *   chunk's topic centre. i.i.d. random vectors have no neighbourhoods, so ANN recall on them is
 *   meaningless (measured-here.md §2); low-rank structure like this is closer to real embeddings;
 * - queries: a few key words of a random chunk, with a vector near that chunk's latent point.
 * The first N chunks are the same whatever the total, so 10k is a prefix of 100k.
 */

export const SECTIONS_PER_DOCUMENT = 20;
const LATENT = 32;
/** Per-dimension std of the noise added to A·z; A's entries are N(0, 1), so A·z has std ≈ √(2·32). */
const NOISE = 1;
/** Default std (per latent dimension) of a query's latent point around its source chunk's. */
const QUERY_JITTER = 1;

export type Rng = () => number;

/** sfc32 seeded through splitmix32: fast, and unlike a plain LCG its consecutive outputs are not correlated. */
export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

export function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const between = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

export interface CorpusDocument {
  filename: string;
  bytes: Buffer;
  /** Global index of this document's first chunk; section j is chunk `firstChunk + j`. */
  firstChunk: number;
  sections: number;
}

export interface CorpusQuery {
  text: string;
  vector: Float32Array;
  /** Id of the chunk the query was drawn from. */
  source: string;
}

export interface Corpus {
  chunks: number;
  dimensions: number;
  documents: CorpusDocument[];
  /** Row i (unit length) is chunk i's vector. */
  vectors: Float32Array;
  queries: CorpusQuery[];
  /** Mean `countTokens` of a section, heading included. */
  meanTokens: number;
}

export interface CorpusOptions {
  chunks: number;
  dimensions: number;
  queries: number;
  seed: number;
  /** How far queries lie from their source chunks, per latent dimension; the default 1 equals the spread within a topic. */
  queryJitter?: number;
}

/** The id the ingestion gives section `section` of document `doc`; queries name their source with it. */
export const chunkId = (doc: number, section: number) => `kb-${doc}#${section}`;

export function generateCorpus(opts: CorpusOptions): Corpus {
  const { chunks, dimensions } = opts;
  const textRng = createRng(opts.seed);
  const latentRng = createRng(opts.seed ^ 0x5bd1e995);
  const noiseRng = createRng(opts.seed ^ 0x27d4eb2f);
  const queryRng = createRng(opts.seed ^ 0x165667b1);
  // The mixing matrix depends only on (seed, dimensions), so every corpus size shares it.
  const mixingRng = createRng(opts.seed ^ 0x3c6ef372 ^ dimensions);
  const mixing = Float32Array.from({ length: dimensions * LATENT }, () => gaussian(mixingRng));
  const centres = TOPICS.map(() => Array.from({ length: LATENT }, () => gaussian(latentRng)));

  // Which chunks queries come from is decided first, so their words and latents can be kept.
  const sources = new Map<number, number>();
  while (sources.size < Math.min(opts.queries, chunks)) {
    const i = Math.floor(queryRng() * chunks);
    if (!sources.has(i)) sources.set(i, sources.size);
  }
  const queries: CorpusQuery[] = new Array(sources.size);

  const vectors = new Float32Array(chunks * dimensions);
  const documents: CorpusDocument[] = [];
  let tokens = 0;
  for (let first = 0, doc = 0; first < chunks; first += SECTIONS_PER_DOCUMENT, doc++) {
    const sections = Math.min(SECTIONS_PER_DOCUMENT, chunks - first);
    const parts: string[] = [];
    for (let j = 0; j < sections; j++) {
      const i = first + j;
      const topic = Math.floor(textRng() * TOPICS.length);
      const section = sectionText(textRng, TOPICS[topic]!, `${doc + 1}.${j + 1}`);
      parts.push(section.markdown);
      tokens += section.tokens;
      const z = centres[topic]!.map((c) => c + gaussian(latentRng));
      writeVector(vectors, i, dimensions, mixing, z, noiseRng);
      const q = sources.get(i);
      if (q !== undefined) {
        const near = z.map((v) => v + (opts.queryJitter ?? QUERY_JITTER) * gaussian(queryRng));
        const vector = new Float32Array(dimensions);
        writeVector(vector, 0, dimensions, mixing, near, queryRng);
        queries[q] = { text: queryText(queryRng, section), vector, source: chunkId(doc, j) };
      }
    }
    documents.push({ filename: `kb-${doc}.md`, bytes: Buffer.from(parts.join('\n\n') + '\n', 'utf8'), firstChunk: first, sections });
  }
  return { chunks, dimensions, documents, vectors, queries, meanTokens: tokens / Math.max(1, chunks) };
}

function writeVector(out: Float32Array, row: number, d: number, mixing: Float32Array, z: number[], rng: Rng): void {
  const off = row * d;
  let norm = 0;
  for (let r = 0; r < d; r++) {
    let x = NOISE * gaussian(rng);
    const m = r * LATENT;
    for (let c = 0; c < LATENT; c++) x += mixing[m + c]! * z[c]!;
    out[off + r] = x;
    norm += x * x;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let r = 0; r < d; r++) out[off + r]! *= scale;
}

interface Words {
  topic: Set<string>;
  rare: Set<string>;
  /** `countTokens` of the section so far, kept as its two parts so the total rounds exactly as it would. */
  singles: number;
  latin: number;
}

const atomCache = new Map<string, [singles: number, latin: number]>();

/**
 * Adds a word's or a mark's `countTokens` atoms to the tally. Atoms never merge across the
 * spaces and punctuation between pieces, so the sum equals `countTokens` of the joined text;
 * caching per piece is what keeps generating 100k sections fast (a regex pass per sentence was half the time).
 */
function tally(words: Words, piece: string, cache = true): void {
  let atoms = cache ? atomCache.get(piece) : undefined;
  if (!atoms) {
    atoms = [0, 0];
    for (const m of piece.matchAll(TOKEN_ATOM)) atoms[m[2] !== undefined ? 1 : 0]++;
    if (cache) atomCache.set(piece, atoms);
  }
  words.singles += atoms[0];
  words.latin += atoms[1];
}

const tokensOf = (w: Words) => w.singles + Math.ceil(w.latin * 1.3);

interface Section {
  markdown: string;
  tokens: number;
  /** The section's topic words (either language): what a user would search for. */
  topicWords: string[];
  /** Codes and identifiers the section used: rare terms a user sometimes pastes into a query. */
  rareWords: string[];
}

/** One `##` section of 100–300 tokens: paragraphs of 2–5 sentences, sometimes a bullet list. */
function sectionText(rng: Rng, topic: Topic, number: string): Section {
  const heading = `## ${number} ${topic.zh} ${topic.en}`;
  const target = between(rng, 100, 300);
  const zhShare = 0.2 + rng() * 0.7;
  const words: Words = { topic: new Set(), rare: new Set(), singles: 0, latin: 0 };
  const blocks = [heading];
  tally(words, heading, false);
  while (tokensOf(words) < target) {
    const list = rng() < 0.15;
    const count = list ? between(rng, 2, 4) : between(rng, 2, 5);
    const sentences: string[] = [];
    for (let s = 0; s < count && tokensOf(words) < target; s++) {
      if (list) tally(words, '-');
      sentences.push(rng() < zhShare ? chineseSentence(rng, topic, words) : englishSentence(rng, topic, words));
    }
    // After a Chinese full stop the next sentence follows directly; after a Latin one, a space.
    blocks.push(list ? sentences.map((s) => `- ${s}`).join('\n') : sentences.reduce((p, s) => p + (/[。；？]$/.test(p) ? '' : ' ') + s));
  }
  const markdown = blocks.join('\n\n');
  return { markdown, tokens: tokensOf(words), topicWords: [...words.topic], rareWords: [...words.rare] };
}

/** A rare term: ticket numbers, error codes, host names and the like, a few per section. */
function identifier(rng: Rng): string {
  const n = between(rng, 1000, 9999);
  return pick(rng, [`OPS-${n}`, `E${n}`, `node-${n}`, `cn-east-${n % 97}`, `req_${n.toString(36)}`]);
}

function chineseSentence(rng: Rng, topic: Topic, words: Words): string {
  const n = between(rng, 5, 12);
  let out = '';
  for (let w = 0; w < n; w++) {
    const r = rng();
    if (r < 0.35) {
      const word = pick(rng, topic.zhWords);
      words.topic.add(word);
      tally(words, word);
      out += word;
    } else if (r < 0.42) {
      // Latin terms inside Chinese text are written with spaces around them.
      const en = r < 0.38;
      const made = r >= 0.4;
      const word = en ? pick(rng, topic.enWords) : made ? identifier(rng) : pick(rng, CODES);
      (en ? words.topic : words.rare).add(word);
      tally(words, word, !made);
      out += ` ${word} `;
    } else {
      const word = pick(rng, GENERAL_ZH);
      tally(words, word);
      out += word;
    }
    if (w === Math.floor(n / 2) && n > 7) {
      tally(words, '，');
      out += '，';
    }
  }
  const end = pick(rng, ['。', '。', '。', '；', '？']);
  tally(words, end);
  return out.trim().replace(/ {2,}/g, ' ') + end;
}

function englishSentence(rng: Rng, topic: Topic, used: Words): string {
  const n = between(rng, 6, 16);
  const words: string[] = [];
  for (let w = 0; w < n; w++) {
    const r = rng();
    let word: string;
    if (r < 0.3) {
      word = pick(rng, topic.enWords);
      used.topic.add(word);
    } else if (r < 0.34) {
      word = r < 0.32 ? pick(rng, CODES) : identifier(rng);
      used.rare.add(word);
    } else {
      word = pick(rng, GENERAL_EN);
    }
    tally(used, word, r < 0.32);
    words.push(word);
  }
  tally(used, '.');
  const first = words[0]!;
  words[0] = first[0]!.toUpperCase() + first.slice(1);
  return `${words.join(' ')}.`;
}

/** 2–4 of the section's topic words, and in a quarter of queries one rare term: `限流 bucket HTTP 429`. */
function queryText(rng: Rng, section: Section): string {
  const pool = [...section.topicWords];
  const words: string[] = [];
  const n = Math.min(pool.length, between(rng, 2, 4));
  for (let i = 0; i < n; i++) words.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]!);
  if (section.rareWords.length > 0 && rng() < 0.25) words.push(pick(rng, section.rareWords));
  return words.join(' ');
}
