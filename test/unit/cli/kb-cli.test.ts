import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runKbCommand, type KbCliIo } from '../../../src/cli/kb.js';
import { rankedIds } from '../../../src/cli/kb-eval.js';

/** `baimo kb` against a fake server that implements the docs/knowledge.md routes the CLI calls. */

interface Upload {
  kind: 'multipart' | 'json';
  name?: string;
  filename?: string;
  type?: string;
  bytes?: Buffer;
  url?: string;
}
interface Doc {
  id: string;
  name: string;
  status: string;
  progress: { stage: string; done: number; total: number };
  chunk_count: number | null;
  error: { code: string; message: string } | null;
  polls: number;
}

const fake = {
  requests: [] as { method: string; path: string; auth?: string; body?: unknown }[],
  uploads: [] as Upload[],
  docs: new Map<string, Doc>(),
  inFlight: 0,
  maxInFlight: 0,
  uploadDelayMs: 0,
  rerankModel: null as string | null,
};

function kbJson(name: string) {
  return { id: `kb_${name}`, object: 'knowledge_base', org_id: 'org_1', name, description: null, embedding_model: 'emb', embedding_dimensions: 4, chunking: { max_tokens: 400, overlap_tokens: 60 }, rerank_model: fake.rerankModel, document_count: 1, chunk_count: 3, created_at: 1 };
}

/** A hit of document `name` (`a.md` is doc_a); `n` tells chunks of one document apart. */
function hit(name: string, n = 1) {
  const stem = name.replace(/\.md$/, '');
  return { chunk_id: `chk_${stem}${n}`, document_id: `doc_${stem}`, document_name: name, text: `text of ${name}\n  chunk ${n}`, score: 0.5, scores: { keyword: 1.5 }, citation: { page: 2, heading_path: ['Intro'] } };
}

/** The fixed rankings the eval test scores: by mode (and rerank) then query text. */
const RANKINGS: Record<string, Record<string, ReturnType<typeof hit>[]>> = {
  keyword: { 'first query': [hit('a.md', 1), hit('a.md', 2), hit('d.md'), hit('b.md')], 'second query': [hit('d.md'), hit('c.md')] },
  vector: { 'first query': [], 'second query': [hit('c.md')] },
  hybrid: { 'first query': [hit('b.md'), hit('a.md')], 'second query': [hit('c.md')] },
  'hybrid+rerank': { 'first query': [hit('a.md'), hit('b.md')], 'second query': [hit('c.md')] },
};

function advance(doc: Doc): void {
  doc.polls++;
  if (doc.name.includes('bad') && doc.polls >= 2) Object.assign(doc, { status: 'failed', error: { code: 'document_parse_failed', message: `cannot parse ${doc.name}` } });
  else if (doc.polls === 1) Object.assign(doc, { status: 'processing', progress: { stage: 'parsing', done: 0, total: 0 } });
  else if (doc.polls === 2) Object.assign(doc, { progress: { stage: 'embedding', done: 1, total: 3 } });
  else if (doc.polls >= 3) Object.assign(doc, { status: 'ready', progress: { stage: 'done', done: 3, total: 3 }, chunk_count: 3 });
}

async function handle(req: IncomingMessage, raw: Buffer): Promise<[number, unknown]> {
  const path = req.url!;
  const isJson = String(req.headers['content-type'] ?? '').startsWith('application/json');
  const body = isJson ? JSON.parse(raw.toString()) : undefined;
  fake.requests.push({ method: req.method!, path, auth: req.headers.authorization, body });
  const kb = /^\/v1\/knowledge_bases\/([^/]+)/.exec(path)?.[1];
  if (kb === 'missing') return [404, { error: { message: 'knowledge base not found', code: 'not_found' } }];
  const route = `${req.method} ${path.replace(/^\/v1\/knowledge_bases\/[^/]+/, '/v1/knowledge_bases/{kb}').replace(/documents\/[^/]+$/, 'documents/{doc}')}`;
  switch (route) {
    case 'GET /admin/v1/orgs':
      return [200, { data: [{ id: 'org_7', name: 'acme' }] }];
    case 'POST /v1/knowledge_bases':
      return [201, { ...kbJson(body.name), org_id: body.org_id ?? 'org_1' }];
    case 'GET /v1/knowledge_bases':
      return [200, { object: 'list', data: [kbJson('handbook')] }];
    case 'GET /v1/knowledge_bases/{kb}':
      return [200, kbJson(decodeURIComponent(kb!))];
    case 'DELETE /v1/knowledge_bases/{kb}':
      return [200, { id: `kb_${kb}`, object: 'knowledge_base.deleted', deleted: true }];
    case 'POST /v1/knowledge_bases/{kb}/documents': {
      fake.inFlight++;
      fake.maxInFlight = Math.max(fake.maxInFlight, fake.inFlight);
      await new Promise((r) => setTimeout(r, fake.uploadDelayMs));
      fake.inFlight--;
      let upload: Upload;
      if (isJson) upload = { kind: 'json', url: body.url };
      else {
        const headers = Object.entries(req.headers).map(([k, v]) => [k, String(v)] as [string, string]);
        const form = await new Request(`http://fake${path}`, { method: 'POST', headers, body: raw }).formData();
        const file = form.get('file') as File;
        upload = { kind: 'multipart', name: String(form.get('name')), filename: file.name, type: file.type, bytes: Buffer.from(await file.arrayBuffer()) };
      }
      fake.uploads.push(upload);
      if (upload.name?.includes('reject')) return [415, { error: { message: 'unsupported document', code: 'unsupported_document' } }];
      const name = upload.name ?? upload.url!;
      const doc: Doc = { id: `doc_${fake.docs.size + 1}`, name, status: 'queued', progress: { stage: 'queued', done: 0, total: 0 }, chunk_count: null, error: null, polls: 0 };
      fake.docs.set(doc.id, doc);
      return [202, doc];
    }
    case 'GET /v1/knowledge_bases/{kb}/documents/{doc}': {
      const doc = fake.docs.get(path.split('/').pop()!)!;
      advance(doc);
      return [200, doc];
    }
    case 'POST /v1/knowledge_bases/{kb}/search': {
      const mode = body.rerank ? 'hybrid+rerank' : (body.mode ?? 'hybrid');
      return [200, { object: 'list', data: RANKINGS[mode]?.[body.query] ?? [hit('a.md')], model: 'emb', usage: { prompt_tokens: 3, total_tokens: 3 } }];
    }
    default:
      return [404, { error: { message: `no route ${route}` } }];
  }
}

let server: Server;
let url: string;
let dir: string;
/** What `readFile` finds (the eval's queries and qrels). */
const files = new Map<string, string>();

async function run(argv: string[], options: { tty?: boolean; env?: Record<string, string> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: KbCliIo = {
    fetch,
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    readFile: (p) => files.get(p),
    now: () => 0,
    stderrIsTTY: options.tty ?? false,
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 2))),
  };
  const code = await runKbCommand(argv, options.env ?? { BAIMO_URL: url, BAIMO_API_KEY: 'sk-bm-tenant', BAIMO_MASTER_KEY: 'master' }, io);
  return { code, out: out.join(''), err: err.join('') };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, Buffer.concat(chunks)).then(([status, payload]) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'baimo-kb-cli-'));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  Object.assign(fake, { requests: [], uploads: [], docs: new Map(), inFlight: 0, maxInFlight: 0, uploadDelayMs: 0, rerankModel: null });
  files.clear();
});

describe('baimo kb: command line', () => {
  it('prints help for kb and each subcommand, and usage errors exit 2', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('Usage: baimo kb <command>') });
    expect(await run([])).toMatchObject({ code: 2, err: expect.stringContaining('Usage: baimo kb <command>') });
    for (const sub of ['create', 'list', 'ingest', 'search', 'eval', 'delete']) {
      const r = await run([sub, '--help']);
      expect(r.code, sub).toBe(0);
      expect(r.out).toContain(`Usage: baimo kb ${sub}`);
    }
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['create', 'x'], /--embedding-model is required/],
      [['create', 'x', '--embedding-model', 'e', '--max-tokens', 'ten'], /--max-tokens: 'ten' is not a positive integer/],
      [['search', 'q'], /--kb is required/],
      [['search', '--kb', 'h', 'q', '--mode', 'fuzzy'], /--mode: 'fuzzy'/],
      [['search', '--kb', 'h', 'two', 'words'], /quote it/],
      [['search', '--kb', 'h', 'q', '--bogus'], /Unknown option '--bogus'/],
      [['list', '--top-k', '3'], /Unknown option '--top-k'/],
      [['eval', '--kb', 'h', '--qrels', 'r.tsv'], /--queries is required/],
      [['eval', '--kb', 'h', '--queries', 'q', '--qrels', 'r', '--k', '60'], /--k: at most 50/],
      [['ingest', '--kb', 'h'], /at least one PATH/],
      [['ingest', '--kb', 'h', join(dir, 'nope.md')], /no such file or directory/],
      [['delete'], /exactly one KB/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).toContain('Usage: baimo kb');
    }
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('creates (org by name, chunking, rerank model), lists and deletes with the tenant key', async () => {
    const created = await run(['create', 'handbook', '--embedding-model', 'emb', '--max-tokens', '300', '--overlap', '0', '--rerank-model', 'rr', '--org', 'acme']);
    expect(created).toMatchObject({ code: 0, out: 'Created knowledge base kb_handbook (handbook).\n' });
    const post = fake.requests.find((r) => r.method === 'POST')!;
    expect(post).toMatchObject({ path: '/v1/knowledge_bases', auth: 'Bearer sk-bm-tenant' });
    expect(post.body).toEqual({ name: 'handbook', embedding_model: 'emb', chunking: { max_tokens: 300, overlap_tokens: 0 }, rerank_model: 'rr', org_id: 'org_7' });

    const listed = await run(['list']);
    expect(listed.out).toMatch(/^ID\s+NAME\s+EMBEDDING MODEL\s+RERANK MODEL\s+CHUNKING\s+DOCUMENTS\s+CHUNKS\n/);
    expect(listed.out).toMatch(/kb_handbook\s+handbook\s+emb\s+-\s+400\/60\s+1\s+3\n/);
    expect(JSON.parse((await run(['list', '--json'])).out).data[0].id).toBe('kb_handbook');

    const deleted = await run(['delete', 'handbook'], { env: { BAIMO_URL: url, BAIMO_MASTER_KEY: 'master' } });
    expect(deleted).toMatchObject({ code: 0, out: 'Deleted knowledge base kb_handbook.\n' });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/knowledge_bases/handbook', auth: 'Bearer master' });
  });

  it('reports server errors with exit 1', async () => {
    const r = await run(['delete', 'missing']);
    expect(r).toMatchObject({ code: 1, err: 'baimo kb delete: knowledge base not found (not_found)\n' });
  });

  it('searches and prints hits, or the JSON answer', async () => {
    const r = await run(['search', '--kb', 'handbook', 'anything', '--top-k', '3', '--mode', 'keyword', '--no-rerank']);
    expect(r.code, r.err).toBe(0);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1/knowledge_bases/handbook/search', body: { query: 'anything', top_k: 3, mode: 'keyword', rerank: false } });
    expect(r.out).toBe('1. a.md (p. 2, Intro)  score 0.5000 [keyword 1.5000]\n   text of a.md chunk 1\n   chk_a1 · doc_a\n\n');
    const json = await run(['search', '--kb', 'handbook', 'anything', '--rerank', '--json']);
    expect(fake.requests.at(-1)!.body).toEqual({ query: 'anything', rerank: true });
    expect(JSON.parse(json.out).data[0].chunk_id).toBe('chk_a1');
  });
});

describe('baimo kb ingest', () => {
  it('uploads files, directories (recursively) and URLs, polls until ready, and prints a summary', async () => {
    const docs = join(dir, 'docs');
    mkdirSync(join(docs, 'sub', '.git'), { recursive: true });
    writeFileSync(join(docs, 'guide.md'), '# Guide\n');
    writeFileSync(join(docs, 'sub', 'notes.txt'), Buffer.from([0x68, 0x69, 0x00, 0xff]));
    writeFileSync(join(docs, 'sub', '.secret.md'), 'hidden');
    writeFileSync(join(docs, 'sub', '.git', 'HEAD.txt'), 'hidden');
    writeFileSync(join(docs, 'image.png'), 'skip');
    writeFileSync(join(dir, 'single.pdf'), '%PDF-1.4');
    const r = await run(['ingest', docs, join(dir, 'single.pdf'), 'https://example.com/page', '--kb', 'handbook']);
    expect(r.code, r.err).toBe(0);

    const byName = new Map(fake.uploads.map((u) => [u.name ?? u.url, u]));
    expect([...byName.keys()].sort()).toEqual(['guide.md', 'https://example.com/page', 'single.pdf', 'sub/notes.txt']);
    expect(byName.get('sub/notes.txt')).toMatchObject({ kind: 'multipart', filename: 'notes.txt', type: 'text/plain', bytes: Buffer.from([0x68, 0x69, 0x00, 0xff]) });
    expect(byName.get('guide.md')).toMatchObject({ filename: 'guide.md', type: 'text/markdown', bytes: Buffer.from('# Guide\n') });
    expect(byName.get('single.pdf')).toMatchObject({ type: 'application/pdf' });
    expect(byName.get('https://example.com/page')).toEqual({ kind: 'json', url: 'https://example.com/page' });
    for (const doc of fake.docs.values()) expect(doc.status).toBe('ready');
    expect(fake.requests.filter((q) => q.method === 'GET' && q.path === '/v1/knowledge_bases/handbook/documents/doc_1')).toHaveLength(3);

    expect(r.out).toMatch(/^NAME\s+STATUS\s+CHUNKS\s+ERROR\n/);
    expect(r.out).toMatch(/sub\/notes\.txt\s+ready\s+3\s+-\n/);
    expect(r.out).toContain('4 ready, 0 failed.\n');
    expect(r.err).toContain('uploaded guide.md → ');
    expect(r.err).toMatch(/\[\d\/4\] ready sub\/notes\.txt \(3 chunks\)\n/);
    expect(r.err).not.toContain('\r');
  });

  it('exits 1 when a document fails or is refused, and shows why', async () => {
    writeFileSync(join(dir, 'bad.md'), 'x');
    writeFileSync(join(dir, 'good.md'), 'y');
    writeFileSync(join(dir, 'reject.md'), 'z');
    const r = await run(['ingest', '--kb', 'handbook', join(dir, 'bad.md'), join(dir, 'good.md'), join(dir, 'reject.md')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/bad\.md\s+failed\s+-\s+cannot parse bad\.md \(document_parse_failed\)\n/);
    expect(r.out).toMatch(/good\.md\s+ready\s+3\s+-\n/);
    expect(r.out).toMatch(/reject\.md\s+failed\s+-\s+unsupported document \(unsupported_document\)\n/);
    expect(r.out).toContain('1 ready, 2 failed.\n');
    const json = await run(['ingest', '--kb', 'handbook', join(dir, 'bad.md'), '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).data[0]).toMatchObject({ name: 'bad.md', status: 'failed' });
  });

  it('keeps at most 4 uploads in flight and draws one progress line on a terminal', async () => {
    const many = join(dir, 'many');
    mkdirSync(many);
    for (let i = 0; i < 10; i++) writeFileSync(join(many, `f${i}.txt`), `file ${i}`);
    fake.uploadDelayMs = 15;
    const r = await run(['ingest', many, '--kb', 'handbook'], { tty: true });
    expect(r.code, r.err).toBe(0);
    expect(fake.uploads).toHaveLength(10);
    expect(fake.maxInFlight).toBe(4);
    expect(r.err).not.toContain('\n');
    expect(r.err).toMatch(/\r\[[█░]{20}\] 0\/10 documents · 0\/0 chunks embedded\x1b\[K/);
    expect(r.err).toContain('10/10 documents · 30/30 chunks embedded');
    expect(r.err.endsWith('\r\x1b[K')).toBe(true);
  });

  it('refuses two inputs that would get the same name', async () => {
    mkdirSync(join(dir, 'x'), { recursive: true });
    writeFileSync(join(dir, 'x', 'good.md'), 'dup');
    const r = await run(['ingest', '--kb', 'handbook', join(dir, 'good.md'), join(dir, 'x', 'good.md')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/would both be named 'good\.md'/);
  });
});

describe('baimo kb eval', () => {
  const QUERIES = ['{"_id":"q1","text":"first query"}', '{"id":"q2","query":"second query"}', '{"_id":"q3","text":"unjudged"}', '{"_id":"q4","text":"not in qrels"}'].join('\n');
  const QRELS = 'query-id\tcorpus-id\tscore\nq1\ta\t2\nq1\tb\t1\nq2\tc\t1\nq3\ta\t0\nq9\tc\t1\n';

  it('prints recall@k, MRR@10 and nDCG@10 per mode for a fixed ranking', async () => {
    files.set('q.jsonl', QUERIES).set('qrels.tsv', QRELS);
    fake.rerankModel = 'rr';
    const r = await run(['eval', '--kb', 'handbook', '--queries', 'q.jsonl', '--qrels', 'qrels.tsv']);
    expect(r.code, r.err).toBe(0);
    const searches = fake.requests.filter((q) => q.path.endsWith('/search'));
    expect(searches).toHaveLength(8); // 4 modes × the 2 judged queries
    expect(searches.map((q) => q.path)).toEqual(Array(8).fill('/v1/knowledge_bases/kb_handbook/search'));
    expect(new Set(searches.map((q) => JSON.stringify(q.body)))).toContain(JSON.stringify({ query: 'first query', top_k: 10, mode: 'hybrid', rerank: true }));
    // keyword  q1: a, doc_d, b (a's second chunk dropped) → recall 1, RR 1,
    //              nDCG = (2 + 1/log2 4) / (2 + 1/log2 3) = 2.5 / 2.6309298 = 0.9502344
    //          q2: doc_d, c → recall 1, RR 1/2, nDCG = (1/log2 3) / 1 = 0.6309298
    //          means: 1, 0.75, 0.7905821
    // vector   q1: nothing → 0, 0, 0; q2: c → 1, 1, 1; means 0.5, 0.5, 0.5
    // hybrid   q1: b, a → recall 1, RR 1, nDCG (1 + 2/log2 3) / 2.6309298 = 0.8597187; q2: 1, 1, 1
    //          means: 1, 1, 0.9298593
    // hybrid+rerank: ideal order for both → 1, 1, 1
    expect(r.out).toMatch(/^MODE\s+RECALL@10\s+MRR@10\s+NDCG@10\s+QUERIES$/m);
    expect(r.out).toMatch(/^keyword\s+1\.0000\s+0\.7500\s+0\.7906\s+2$/m);
    expect(r.out).toMatch(/^vector\s+0\.5000\s+0\.5000\s+0\.5000\s+2$/m);
    expect(r.out).toMatch(/^hybrid\s+1\.0000\s+1\.0000\s+0\.9299\s+2$/m);
    expect(r.out).toMatch(/^hybrid\+rerank\s+1\.0000\s+1\.0000\s+1\.0000\s+2$/m);
    expect(r.out).toContain('2 queries without a relevant judgment in the qrels skipped.');
    expect(r.out).toContain('1 judged query is not in q.jsonl.');
  });

  it('skips hybrid+rerank without a rerank model, honours --k, and prints JSON', async () => {
    files.set('q.jsonl', QUERIES).set('qrels.tsv', QRELS);
    const r = await run(['eval', '--kb', 'handbook', '--queries', 'q.jsonl', '--qrels', 'qrels.tsv', '--k', '1']);
    expect(r.code, r.err).toBe(0);
    // recall@1, keyword: q1 top-1 is a (1 of 2 relevant) → 0.5; q2 top-1 is doc_d → 0; mean 0.25
    expect(r.out).toMatch(/^keyword\s+0\.2500\s+0\.7500\s+0\.7906\s+2$/m);
    expect(r.out).not.toMatch(/^hybrid\+rerank\s+\d/m);
    expect(r.out).toContain('hybrid+rerank: skipped, the knowledge base has no rerank_model.');
    expect(fake.requests.filter((q) => q.path.endsWith('/search')).every((q) => (q.body as { top_k: number }).top_k === 10 && (q.body as { rerank: boolean }).rerank === false)).toBe(true);

    const json = JSON.parse((await run(['eval', '--kb', 'handbook', '--queries', 'q.jsonl', '--qrels', 'qrels.tsv', '--json'])).out);
    expect(json).toMatchObject({ knowledge_base: 'kb_handbook', k: 10, top_k: 10, queries: 2, skipped_queries: 2, missing_queries: 1 });
    expect(json.modes[3]).toEqual({ mode: 'hybrid+rerank', skipped: 'the knowledge base has no rerank_model' });
    expect(json.modes[0]['ndcg@10']).toBeCloseTo(0.7905821, 6);
    expect(json.modes[0].per_query[1]).toEqual({ query_id: 'q2', 'recall@10': 1, 'mrr@10': 0.5, 'ndcg@10': expect.closeTo(0.6309298, 6) });
  });

  it('rejects unreadable or malformed inputs as usage errors', async () => {
    files.set('q.jsonl', '{"text":"no id"}').set('qrels.tsv', QRELS);
    expect(await run(['eval', '--kb', 'h', '--queries', 'q.jsonl', '--qrels', 'qrels.tsv'])).toMatchObject({ code: 2, err: expect.stringContaining('queries line 1: no "_id"') });
    expect(await run(['eval', '--kb', 'h', '--queries', 'none.jsonl', '--qrels', 'qrels.tsv'])).toMatchObject({ code: 2, err: expect.stringContaining('--queries: cannot read none.jsonl') });
  });

  it('maps hits to qrels ids by document name, stem, document id or chunk id', () => {
    const hits = [hit('a.md', 1), hit('a.md', 2), hit('x.md'), hit('b.md'), hit('y.md')];
    expect(rankedIds(hits, new Set(['a', 'doc_b', 'chk_x1']))).toEqual(['a', 'chk_x1', 'doc_b', 'doc_y']);
    expect(rankedIds(hits, new Set(['a.md']))).toEqual(['a.md', 'doc_x', 'doc_b', 'doc_y']);
    // Qrels that judge chunks: unjudged hits stay chunks, so other chunks of a document keep their ranks.
    expect(rankedIds(hits, new Set(['chk_a2']))).toEqual(['chk_a1', 'chk_a2', 'chk_x1', 'chk_b1', 'chk_y1']);
  });
});
