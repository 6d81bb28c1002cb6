import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, MASTER_KEY, startTestGateway, type TestGateway } from '../support/gateway.js';
import { bagOfWords, overlapScore } from '../support/knowledge.js';
import { CLI } from '../support/process.js';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';

/**
 * `baimo kb` as a user runs it: the compiled CLI in a child process against a real server whose
 * upstream embeds by bag of words and reranks by term overlap. The operator creates the KB for an
 * org (master key, `--org`); the org then ingests a small labelled corpus, searches and evaluates
 * it by name with its own API key (names resolve within the caller's org, docs/knowledge.md).
 */

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `baimo <args>` with exactly the given credentials (none inherited from the test's environment). */
function baimo(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, BAIMO_LOG: 'off', BAIMO_API_KEY: '', BAIMO_MASTER_KEY: '', BAIMO_DATA_DIR: join(tmpdir(), 'baimo-kb-cli-no-data'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The corpus: each document owns a distinct vocabulary, so every query below has one clearly
 * relevant document whichever retriever looks. Paths are relative to the ingested directory.
 */
const CORPUS: Record<string, string> = {
  'routing.md': `# Routing

The router picks a deployment by priority, then by weight. A deployment that keeps failing is put
into cooldown by the circuit breaker, and traffic fails over to the next healthy deployment.
`,
  'billing-zh.txt': `计费说明

每个请求的用量按模型价格计费。组织的预算用尽后，请求会被拒绝，并返回 budget_exceeded 错误。
管理员可以随时提高预算。
`,
  'storage.html': `<!doctype html><html><head><title>Storage</title></head><body>
<h1>Storage</h1>
<p>Embedded mode keeps everything in SQLite inside the data directory.</p>
<p>Scale-out mode stores state in PostgreSQL and shares counters through Redis.</p>
</body></html>
`,
  'models.json': JSON.stringify(
    {
      catalog: [
        { model: 'qwen3-8b', context_window: 32768, description: 'Multilingual model with a long context window' },
        { model: 'mistral-small', context_window: 131072, description: 'Catalog entry with the longest context window length' },
      ],
    },
    null,
    2,
  ),
  'regions.csv': `region,city,latency_ms,datacenter
eu-central,Frankfurt,18,FRA1
ap-southeast,Singapore,35,SIN2
us-east,Virginia,22,IAD3
`,
  'keys.txt': `API keys

Keys are stored only as hashes; the plaintext is shown once, when the key is created.
Rotate a key to replace its secret; revoke it to disable it for good.
`,
  'guides/install.md': `# Installing on Linux

Download the release tarball, unpack it under /opt, and run it as a systemd service.
A Docker container image is published for every release as well.
`,
  'guides/日志.md': `# 日志

网关把每个请求写入审计日志。日志默认保留三十天，过期后自动删除。
`,
  // Hidden: the directory walk must skip it (its word appears nowhere else).
  '.draft.md': '# Draft\n\nZeppelin airships are not a Baimo feature.\n',
  // Not a PDF at all: the server fails it while parsing; ingest reports it and exits 1.
  'broken.pdf': '%PDF-1.7\nthis is not really a pdf\n',
};

const READY = ['billing-zh.txt', 'guides/install.md', 'guides/日志.md', 'keys.txt', 'models.json', 'regions.csv', 'routing.md', 'storage.html'];

/**
 * Queries and the documents relevant to each; qrels name documents by file name (one by its stem).
 * q9 also judges a document that was never ingested, so no mode can recall it fully: the means
 * are below 1 whatever the ranking. q10 has no relevant judgment and is skipped.
 */
const QUERIES: { id: string; text: string; relevant: string[] }[] = [
  { id: 'q1', text: 'circuit breaker cooldown for a failing deployment', relevant: ['routing.md'] },
  { id: 'q2', text: '预算用尽后请求会怎样', relevant: ['billing-zh'] },
  { id: 'q3', text: 'where does embedded mode keep data, SQLite?', relevant: ['storage.html'] },
  { id: 'q4', text: 'rotate or revoke keys, plaintext shown once', relevant: ['keys.txt'] },
  { id: 'q5', text: 'install on Linux as a systemd service', relevant: ['guides/install.md'] },
  { id: 'q6', text: 'Frankfurt region latency datacenter', relevant: ['regions.csv'] },
  { id: 'q7', text: 'which catalog model has the longest context window', relevant: ['models.json'] },
  { id: 'q8', text: '审计日志保留多少天', relevant: ['guides/日志.md'] },
  { id: 'q9', text: 'Docker container image for each release', relevant: ['guides/install.md', 'changelog.md'] },
  { id: 'q10', text: 'zeppelin airships', relevant: [] },
];
const JUDGED = QUERIES.filter((q) => q.relevant.length > 0).length;
/** The best mean recall possible: q9 finds at most half of what it is judged against. */
const BEST_RECALL = (JUDGED - 0.5) / JUDGED;

const MODES = ['keyword', 'vector', 'hybrid', 'hybrid+rerank'];

describe('baimo kb CLI against a real server', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;
  let dir: string;
  let corpus: string;
  let orgKey = '';
  let kbId = '';
  const master = () => ({ BAIMO_URL: gw.url, BAIMO_MASTER_KEY: MASTER_KEY });
  const tenant = () => ({ BAIMO_URL: gw.url, BAIMO_API_KEY: orgKey });

  beforeAll(async () => {
    upstream = await startMockUpstream({ embed: (t) => bagOfWords(t), rerank: overlapScore });
    gw = await startTestGateway(`
providers:
  - { name: up, kind: vllm, base_url: "${upstream.url}/v1" }
models:
  - { name: chat-model, capabilities: [chat], price: { input: 1, output: 2 }, deployments: [{ provider: up, model: up-chat }] }
  - { name: embed-model, capabilities: [embeddings], price: { input: 0.5, output: 0 }, deployments: [{ provider: up, model: up-embed }] }
  - { name: rerank-model, capabilities: [rerank], deployments: [{ provider: up, model: up-rerank }] }
`);
    const org = await json(await gw.post('/admin/v1/orgs', { name: 'docs-team' }));
    orgKey = (await json(await gw.post(`/admin/v1/orgs/${org.id}/keys`, { name: 'cli' }))).key;

    dir = mkdtempSync(join(tmpdir(), 'baimo-kb-cli-'));
    corpus = join(dir, 'corpus');
    for (const [path, text] of Object.entries(CORPUS)) {
      mkdirSync(join(corpus, path, '..'), { recursive: true });
      writeFileSync(join(corpus, path), text);
    }
    writeFileSync(join(dir, 'q.jsonl'), QUERIES.map((q) => JSON.stringify({ _id: q.id, text: q.text })).join('\n') + '\n');
    writeFileSync(join(dir, 'qrels.tsv'), ['query-id\tcorpus-id\tscore', ...QUERIES.flatMap((q) => q.relevant.map((doc) => `${q.id}\t${doc}\t1`)), 'q10\trouting.md\t0'].join('\n') + '\n');
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints help for kb and its commands, exit 0', async () => {
    const [kb, ingest] = await Promise.all([baimo(['kb', '--help'], {}), baimo(['kb', 'ingest', '--help'], {})]);
    expect(kb.code, kb.stderr).toBe(0);
    expect(kb.stdout).toMatch(/^Usage: baimo kb <command>/);
    for (const command of ['create', 'list', 'ingest', 'search', 'eval', 'delete']) expect(kb.stdout).toContain(`  ${command} `);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toMatch(/^Usage: baimo kb ingest PATH\.\.\. --kb KB/);
  });

  it('creates a knowledge base for an org (master key, org by name, rerank model)', async () => {
    const created = await baimo(['kb', 'create', 'handbook', '--embedding-model', 'embed-model', '--rerank-model', 'rerank-model', '--org', 'docs-team'], master());
    expect(created.code, created.stderr).toBe(0);
    const id = /^Created knowledge base (kb_\S+) \(handbook\)\.\n$/.exec(created.stdout)?.[1];
    expect(id, created.stdout).toBeDefined();
    kbId = id!;
  });

  it('ingests a directory recursively, skipping hidden files, reporting the broken PDF (exit 1)', async () => {
    const run = await baimo(['kb', 'ingest', corpus, '--kb', 'handbook'], tenant());
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
    expect(run.stdout).toMatch(/^NAME\s+STATUS\s+CHUNKS\s+ERROR\n/);
    expect(run.stdout).toMatch(/^broken\.pdf\s+failed\s.*document_parse_failed/m);
    for (const name of READY) expect(run.stdout).toMatch(new RegExp(`^${name.replace(/[.]/g, '\\.')}\\s+ready\\s+[1-9]`, 'm'));
    expect(run.stdout).toContain('8 ready, 1 failed.');
    expect(run.stdout + run.stderr).not.toContain('draft');
    // Not a terminal: plain progress lines on stderr, one per finished document.
    expect(run.stderr).toMatch(/failed broken\.pdf: /);
    expect(run.stderr).toMatch(/ready routing\.md \(\d+ chunks\)/);

    const docs = (await json(await fetch(`${gw.url}/v1/knowledge_bases/${kbId}/documents`, { headers: { authorization: `Bearer ${orgKey}` } }))).data;
    expect(docs.map((d: { name: string }) => d.name).sort()).toEqual([...READY, 'broken.pdf'].sort());
  }, 40_000);

  it('lists the knowledge base with its counts (--json), for the org and for the operator', async () => {
    const [asOrg, asOperator] = await Promise.all([baimo(['kb', 'list', '--json'], tenant()), baimo(['kb', 'list', '--json'], master())]);
    expect(asOrg.code, asOrg.stderr).toBe(0);
    const { data } = JSON.parse(asOrg.stdout);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ id: kbId, name: 'handbook', embedding_model: 'embed-model', rerank_model: 'rerank-model', embedding_dimensions: 64 });
    // Counts what is searchable: the ready documents, not the failed PDF.
    expect(data[0].document_count).toBe(READY.length);
    expect(data[0].chunk_count).toBeGreaterThanOrEqual(READY.length);
    expect(asOperator.code, asOperator.stderr).toBe(0);
    expect(JSON.parse(asOperator.stdout).data.map((k: { id: string }) => k.id)).toEqual([kbId]);
  });

  it('searches: the expected document comes first, in English and Chinese', async () => {
    const [english, chinese, operator] = await Promise.all([
      baimo(['kb', 'search', '--kb', 'handbook', 'circuit breaker cooldown', '--json'], tenant()),
      baimo(['kb', 'search', '--kb', 'handbook', '预算用尽', '--json', '--mode', 'keyword'], tenant()),
      // The operator names the KB by id.
      baimo(['kb', 'search', '--kb', kbId, 'Frankfurt latency', '--top-k', '2'], master()),
    ]);
    expect(english.code, english.stderr).toBe(0);
    const hits = JSON.parse(english.stdout).data;
    expect(hits[0]).toMatchObject({ document_name: 'routing.md', citation: { document_name: 'routing.md' } });
    expect(hits[0].text).toContain('circuit breaker');
    expect(hits[0].scores.rerank).toBeGreaterThan(0);
    expect(chinese.code, chinese.stderr).toBe(0);
    expect(JSON.parse(chinese.stdout).data[0].document_name).toBe('billing-zh.txt');
    expect(operator.code, operator.stderr).toBe(0);
    expect(operator.stdout).toMatch(/^1\. regions\.csv\b/);
  });

  it('hides the hidden file from search too', async () => {
    const run = await baimo(['kb', 'search', '--kb', 'handbook', 'zeppelin airships', '--mode', 'keyword', '--json'], tenant());
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).data).toEqual([]);
  });

  it('evaluates every mode; the table and --json agree; hybrid+rerank recalls the easy set', async () => {
    const args = ['kb', 'eval', '--kb', 'handbook', '--queries', join(dir, 'q.jsonl'), '--qrels', join(dir, 'qrels.tsv'), '--k', '5'];
    const [table, asJson] = await Promise.all([baimo(args, tenant()), baimo([...args, '--json'], tenant())]);
    expect(table.code, table.stderr).toBe(0);
    expect(asJson.code, asJson.stderr).toBe(0);

    const lines = table.stdout.split('\n');
    expect(lines[0]).toBe(`Knowledge base handbook (${kbId}), top_k 10`);
    const header = lines.findIndex((l) => l.startsWith('MODE'));
    expect(lines[header]!.split(/\s+/)).toEqual(['MODE', 'RECALL@5', 'MRR@10', 'NDCG@10', 'QUERIES']);
    const rows = lines.slice(header + 1, header + 1 + MODES.length).map((l) => l.split(/\s+/));
    expect(rows.map((r) => r[0])).toEqual(MODES);
    const shown = new Map<string, { recall: string; mrr: string; ndcg: string }>();
    for (const [mode, recall, mrr, ndcg, queries, ...extra] of rows) {
      expect(extra, mode).toEqual([]);
      for (const cell of [recall, mrr, ndcg]) {
        expect(cell, mode).toMatch(/^[01]\.\d{4}$/);
        expect(Number(cell), mode).toBeGreaterThanOrEqual(0);
        expect(Number(cell), mode).toBeLessThanOrEqual(1);
      }
      // No mode recalls the never-ingested changelog.md.
      expect(Number(recall), mode).toBeLessThanOrEqual(Number(BEST_RECALL.toFixed(4)));
      expect(queries, mode).toBe(String(JUDGED));
      shown.set(mode!, { recall: recall!, mrr: mrr!, ndcg: ndcg! });
    }
    expect(Number(shown.get('hybrid+rerank')!.recall)).toBeGreaterThanOrEqual(0.75);
    expect(Number(shown.get('hybrid+rerank')!.mrr)).toBeGreaterThanOrEqual(0.75);
    expect(table.stdout).toContain('1 query without a relevant judgment in the qrels skipped.');

    const report = JSON.parse(asJson.stdout);
    expect(report).toMatchObject({ knowledge_base: kbId, k: 5, top_k: 10, queries: JUDGED, skipped_queries: 1, missing_queries: 0 });
    expect(report.modes.map((m: { mode: string }) => m.mode)).toEqual(MODES);
    for (const m of report.modes) {
      expect(m.queries, m.mode).toBe(JUDGED);
      expect(m.per_query.map((q: { query_id: string }) => q.query_id).sort(), m.mode).toEqual(QUERIES.slice(0, JUDGED).map((q) => q.id).sort());
      expect(m.per_query.find((q: { query_id: string }) => q.query_id === 'q9')['recall@5'], m.mode).toBeLessThanOrEqual(0.5);
      expect({ recall: m['recall@5'].toFixed(4), mrr: m['mrr@10'].toFixed(4), ndcg: m['ndcg@10'].toFixed(4) }, m.mode).toEqual(shown.get(m.mode));
    }
  }, 40_000);

  it('deletes the knowledge base; list no longer shows it', async () => {
    const deleted = await baimo(['kb', 'delete', 'handbook'], tenant());
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe(`Deleted knowledge base ${kbId}.\n`);
    const listed = await baimo(['kb', 'list', '--json'], tenant());
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).data).toEqual([]);
    const table = await baimo(['kb', 'list'], master());
    expect(table.stdout).not.toContain(kbId);
    expect(table.stdout).toContain('(none)');
  });
});
