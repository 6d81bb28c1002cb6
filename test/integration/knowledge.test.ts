import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { createTestDatabase, requireService, PG_URL } from '../support/backends.js';
import { json, MASTER_KEY, startTestGateway, type TestGateway } from '../support/gateway.js';
import { bagOfWords, overlapScore, waitFor } from '../support/knowledge.js';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';

/**
 * Knowledge bases end to end, through the real server: upload → background ingestion (parse,
 * chunk, embed through the gateway, index) → hybrid search with citations → grounded chat,
 * with tenant isolation, replacement and deletion — on embedded SQLite and on PostgreSQL.
 */

const HANDBOOK = `# Baimo handbook

## Routing

The router picks a deployment by priority, then by weight. A deployment that keeps failing is cooled down by the circuit breaker.

## 计费

每个请求的用量按模型价格计费。预算用尽后请求会被拒绝，并返回 budget_exceeded 错误。

## Storage

Embedded mode keeps everything in SQLite inside the data directory; scale-out mode uses PostgreSQL and Redis.
`;

const FAQ = `# FAQ

## Keys

API keys are stored as hashes; the plaintext is shown once when the key is created.
`;

function suite(mode: 'sqlite' | 'postgres') {
  let upstream: MockUpstream;
  let gw: TestGateway;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  const keys: Record<'a' | 'b', string> = { a: '', b: '' };
  const orgs: Record<'a' | 'b', string> = { a: '', b: '' };

  const call = async (method: string, path: string, body?: unknown, key = keys.a) => {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await json(res) };
  };
  const upload = async (kb: string, name: string, content: string | Buffer, extra: Record<string, string> = {}, key = keys.a) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(extra)) form.append(k, v);
    form.append('file', new Blob([content]), name);
    const res = await fetch(`${gw.url}/v1/knowledge_bases/${kb}/documents`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
    return { status: res.status, body: await json(res) };
  };
  const settled = (kb: string, doc: string) =>
    waitFor(async () => {
      const { body } = await call('GET', `/v1/knowledge_bases/${kb}/documents/${doc}`);
      return body.status === 'ready' || body.status === 'failed' ? body : undefined;
    }, 30_000, `document ${doc}`);

  beforeAll(async () => {
    upstream = await startMockUpstream({ embed: (t) => bagOfWords(t), rerank: overlapScore });
    const env: Record<string, string> = { BAIMO_FETCH_ALLOWED_HOSTS: '127.0.0.1' };
    if (mode === 'postgres') {
      database = await createTestDatabase('kb');
      env.BAIMO_DATABASE_URL = database.url;
    }
    gw = await startTestGateway(
      `
providers:
  - { name: up, kind: vllm, base_url: "${upstream.url}/v1" }
  - { name: dash, kind: dashscope, base_url: "${upstream.url}/compatible-mode/v1", api_key: sk-test }
models:
  - { name: dash-embed, capabilities: [embeddings], deployments: [{ provider: dash, model: text-embedding-v3 }] }
  - { name: chat-model, capabilities: [chat], price: { input: 1, output: 2 }, deployments: [{ provider: up, model: up-chat }] }
  - { name: embed-model, capabilities: [embeddings], price: { input: 0.5, output: 0 }, deployments: [{ provider: up, model: up-embed }] }
  - { name: rerank-model, capabilities: [rerank], deployments: [{ provider: up, model: up-rerank }] }
`,
      env,
    );
    for (const t of ['a', 'b'] as const) {
      const org = await json(await gw.post('/admin/v1/orgs', { name: `org-${t}-${mode}` }));
      orgs[t] = org.id;
      keys[t] = (await json(await gw.post(`/admin/v1/orgs/${org.id}/keys`, { name: 'k', models: ['chat-model'] }))).key;
    }
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    await database?.drop();
  });

  let kbId = '';
  let handbookId = '';

  it('creates knowledge bases per org, validating models and names', async () => {
    const created = await call('POST', '/v1/knowledge_bases', { name: 'handbook', embedding_model: 'embed-model', chunking: { max_tokens: 80, overlap_tokens: 10 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: 'knowledge_base', org_id: orgs.a, name: 'handbook', embedding_model: 'embed-model', embedding_dimensions: null, chunking: { max_tokens: 80, overlap_tokens: 10 } });
    kbId = created.body.id;
    expect((await call('POST', '/v1/knowledge_bases', { name: 'handbook', embedding_model: 'embed-model' })).status).toBe(409);
    const badModel = await call('POST', '/v1/knowledge_bases', { name: 'x', embedding_model: 'chat-model' });
    expect(badModel.status).toBe(400);
    expect(badModel.body.error).toMatchObject({ param: 'embedding_model', code: 'model_not_found' });
    expect((await call('POST', '/v1/knowledge_bases', { name: 'x', embedding_model: 'embed-model', chunking: { max_tokens: 100, overlap_tokens: 90 } })).status).toBe(400);
    // The operator names the org.
    expect((await call('POST', '/v1/knowledge_bases', { name: 'ops', embedding_model: 'embed-model' }, MASTER_KEY)).status).toBe(400);
    const ops = await call('POST', '/v1/knowledge_bases', { name: 'b-kb', embedding_model: 'embed-model', org_id: orgs.b }, MASTER_KEY);
    expect(ops.status).toBe(201);
    expect((await call('GET', '/v1/knowledge_bases/handbook')).body.id).toBe(kbId);
    expect((await call('GET', '/v1/knowledge_bases')).body.data.map((k: { name: string }) => k.name)).toEqual(['handbook']);
  });

  it('ingests an upload in the background, with progress, into chunks with citations', async () => {
    const res = await upload(kbId, 'handbook.md', HANDBOOK, { metadata: JSON.stringify({ team: 'platform' }) });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ object: 'knowledge_base.document', name: 'handbook.md', status: 'queued', format: 'markdown', metadata: { team: 'platform' } });
    handbookId = res.body.id;
    const doc = await settled(kbId, handbookId);
    expect(doc).toMatchObject({ status: 'ready', error: null, progress: { stage: 'done' } });
    expect(doc.chunk_count).toBeGreaterThanOrEqual(3);
    expect(doc.progress.done).toBe(doc.progress.total);
    const faq = await upload(kbId, 'faq.md', FAQ, { metadata: JSON.stringify({ team: 'security' }) });
    const faqDoc = await settled(kbId, faq.body.id);
    const kb = (await call('GET', `/v1/knowledge_bases/${kbId}`)).body;
    expect(kb).toMatchObject({ document_count: 2, embedding_dimensions: 64 });
    expect(kb.chunk_count).toBe(doc.chunk_count + faqDoc.chunk_count);
  });

  it('finds English and Chinese passages by keyword, vector and hybrid search, with citations', async () => {
    for (const mode of ['keyword', 'vector', 'hybrid']) {
      const { status, body } = await call('POST', `/v1/knowledge_bases/${kbId}/search`, { query: 'circuit breaker deployment failing', mode, top_k: 3 });
      expect(status).toBe(200);
      expect(body.data[0].text, mode).toContain('circuit breaker');
      expect(body.data[0].citation).toMatchObject({ document_id: handbookId, document_name: 'handbook.md', heading_path: ['Baimo handbook', 'Routing'] });
      expect(body.data[0].citation.end).toBeGreaterThan(body.data[0].citation.start);
    }
    const zh = await call('POST', `/v1/knowledge_bases/${kbId}/search`, { query: '预算用尽会怎样', mode: 'keyword' });
    expect(zh.body.data[0].text).toContain('预算用尽');
    expect(zh.body.data[0].citation.heading_path).toEqual(['Baimo handbook', '计费']);
    const hybrid = await call('POST', `/v1/knowledge_bases/${kbId}/search`, { query: '预算 budget_exceeded' });
    expect(hybrid.body.data[0].scores).toHaveProperty('keyword');
    expect(hybrid.body.usage.total_tokens).toBeGreaterThan(0);
  });

  it('filters by document and metadata', async () => {
    const byMeta = await call('POST', `/v1/knowledge_bases/${kbId}/search`, { query: 'keys hashes plaintext routing', filter: { metadata: { team: 'platform' } } });
    expect(byMeta.body.data.length).toBeGreaterThan(0);
    expect(byMeta.body.data.every((h: { document_id: string }) => h.document_id === handbookId)).toBe(true);
    const none = await call('POST', `/v1/knowledge_bases/${kbId}/search`, { query: 'keys', filter: { metadata: { team: 'nobody' } } });
    expect(none.body.data).toEqual([]);
  });

  it('reranks through /v1/rerank when the KB has a rerank model', async () => {
    const patched = await call('PATCH', `/v1/knowledge_bases/${kbId}`, { rerank_model: 'rerank-model' });
    expect(patched.body.rerank_model).toBe('rerank-model');
    const before = upstream.requests.filter((r) => r.path.endsWith('/rerank')).length;
    const { body } = await call('POST', `/v1/knowledge_bases/${kbId}/search`, { query: 'plaintext shown once', top_k: 2 });
    expect(upstream.requests.filter((r) => r.path.endsWith('/rerank')).length).toBe(before + 1);
    expect(body.data[0].text).toContain('plaintext');
    expect(body.data[0].scores.rerank).toBeGreaterThan(0);
    const plain = await call('POST', `/v1/knowledge_bases/${kbId}/search`, { query: 'plaintext shown once', rerank: false });
    expect(plain.body.data[0].scores.rerank).toBeUndefined();
  });

  it('answers in chat with numbered citations, streaming and not, through the openai SDK', async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1/knowledge_bases/${kbId}`, apiKey: keys.a, maxRetries: 0 });
    const answer = (await client.chat.completions.create({ model: 'chat-model', messages: [{ role: 'user', content: 'What does the circuit breaker do?' }] })) as any;
    expect(answer.choices[0].message.content).toContain('echo');
    expect(answer.citations[0]).toMatchObject({ index: 1, document_name: 'handbook.md' });
    const sent = upstream.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)!.body;
    expect(sent.messages[0].role).toBe('system');
    expect(sent.messages[0].content).toContain('[1]');
    expect(sent.messages[0].content).toContain('circuit breaker');
    const stream = await client.chat.completions.create({ model: 'chat-model', stream: true, messages: [{ role: 'user', content: '预算用尽' }] });
    const chunks: any[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0].citations.length).toBeGreaterThan(0);
    expect(chunks.slice(1).some((c) => c.citations)).toBe(false);
  });

  it('keeps one version per name: identical re-upload is a no-op, a changed one replaces', async () => {
    const same = await upload(kbId, 'faq.md', FAQ);
    expect(same.status).toBe(200);
    const changed = await upload(kbId, 'faq.md', '# FAQ\n\n## Quotas\n\nQuotas reset at midnight UTC for every organisation.\n');
    expect(changed.status).toBe(202);
    await settled(kbId, changed.body.id);
    const docs = (await call('GET', `/v1/knowledge_bases/${kbId}/documents`)).body.data.filter((d: { name: string }) => d.name === 'faq.md');
    expect(docs.map((d: { id: string }) => d.id)).toEqual([changed.body.id]);
    const old = await call('POST', `/v1/knowledge_bases/${kbId}/search`, { query: 'plaintext hashes', mode: 'keyword', rerank: false });
    expect(old.body.data.some((h: { text: string }) => h.text.includes('plaintext'))).toBe(false);
    const fresh = await call('POST', `/v1/knowledge_bases/${kbId}/search`, { query: 'quotas midnight', mode: 'keyword', rerank: false });
    expect(fresh.body.data[0].text).toContain('midnight');
  });

  it('reports unparseable and unsupported documents without stopping', async () => {
    const broken = await upload(kbId, 'broken.pdf', Buffer.from('%PDF-1.7\nthis is not really a pdf'));
    expect(broken.status).toBe(202);
    const failed = await settled(kbId, broken.body.id);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'document_parse_failed' } });
    const binary = await upload(kbId, 'image.bin', Buffer.from([0, 1, 2, 3, 0, 255]));
    expect(binary.status).toBe(400);
    expect(binary.body.error.code).toBe('unsupported_document');
  });

  it('ingests URLs through the SSRF guard', async () => {
    const ok = await call('POST', `/v1/knowledge_bases/${kbId}/documents`, { url: `${upstream.url}/docs/guide.md` });
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({ name: 'guide.md', source: `${upstream.url}/docs/guide.md` });
    // The mock answers unknown paths with JSON: fetched and parsed as a JSON document.
    expect((await settled(kbId, ok.body.id)).status).toBe('ready');
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://10.1.2.3/doc.txt']) {
      const res = await call('POST', `/v1/knowledge_bases/${kbId}/documents`, { url });
      const doc = await settled(kbId, res.body.id);
      expect(doc, url).toMatchObject({ status: 'failed', error: { code: 'url_forbidden' } });
    }
    expect((await call('POST', `/v1/knowledge_bases/${kbId}/documents`, { url: 'file:///etc/passwd' })).status).toBe(400);
    const stray = await call('POST', `/v1/knowledge_bases/${kbId}/documents`, { url: `${upstream.url}/docs/100%.md` });
    expect(stray.status).toBe(202);
    expect(stray.body.name).toBe('100%.md');
    await settled(kbId, stray.body.id);
  });

  it('meters ingestion and search embeddings to the org', async () => {
    await gw.server.flushUsage();
    const usage = (await call('GET', `/admin/v1/usage?group_by=model&org_id=${orgs.a}`, undefined, MASTER_KEY)).body;
    const embed = usage.data.find((r: { model: string }) => r.model === 'embed-model');
    expect(embed.requests).toBeGreaterThan(3);
    expect(embed.input_tokens).toBeGreaterThan(0);
  });

  it("keeps embedding batches within the vendor's limit (DashScope: 10 texts)", async () => {
    const kb = (await call('POST', '/v1/knowledge_bases', { name: 'dash', embedding_model: 'dash-embed', chunking: { max_tokens: 50, overlap_tokens: 0 } })).body;
    const text = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} is about subject${i}, with enough words to stand alone as its own chunk here.`).join('\n\n');
    const doc = await settled(kb.id, (await upload(kb.id, 'many.txt', text)).body.id);
    expect(doc.status).toBe('ready');
    expect(doc.chunk_count).toBeGreaterThanOrEqual(20);
    const sizes = upstream.requests.filter((r) => r.body?.model === 'text-embedding-v3').map((r) => r.body.input.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(doc.chunk_count);
    await call('DELETE', `/v1/knowledge_bases/${kb.id}`);
  });

  it('isolates tenants: another org sees none of it', async () => {
    const b = keys.b;
    expect((await call('GET', `/v1/knowledge_bases/${kbId}`, undefined, b)).status).toBe(404);
    expect((await call('GET', '/v1/knowledge_bases/handbook', undefined, b)).status).toBe(404);
    expect((await call('GET', `/v1/knowledge_bases/${kbId}/documents`, undefined, b)).status).toBe(404);
    expect((await call('GET', `/v1/knowledge_bases/${kbId}/documents/${handbookId}`, undefined, b)).status).toBe(404);
    expect((await call('POST', `/v1/knowledge_bases/${kbId}/search`, { query: 'routing' }, b)).status).toBe(404);
    expect((await call('POST', `/v1/knowledge_bases/${kbId}/chat`, { model: 'chat-model', messages: [{ role: 'user', content: 'hi' }] }, b)).status).toBe(404);
    expect((await call('PATCH', `/v1/knowledge_bases/${kbId}`, { name: 'mine' }, b)).status).toBe(404);
    expect((await upload(kbId, 'x.md', '# x', {}, b)).status).toBe(404);
    expect((await call('DELETE', `/v1/knowledge_bases/${kbId}/documents/${handbookId}`, undefined, b)).status).toBe(404);
    expect((await call('DELETE', `/v1/knowledge_bases/${kbId}`, undefined, b)).status).toBe(404);
    expect((await call('GET', '/v1/knowledge_bases', undefined, b)).body.data.map((k: { name: string }) => k.name)).toEqual(['b-kb']);
    expect((await call('GET', `/admin/v1/knowledge_bases?org_id=${orgs.a}`, undefined, b)).status).toBe(403);
  });

  it('deletes a document and then the knowledge base, and their chunks with them', async () => {
    expect((await call('DELETE', `/v1/knowledge_bases/${kbId}/documents/${handbookId}`)).body.deleted).toBe(true);
    const after = await call('POST', `/v1/knowledge_bases/${kbId}/search`, { query: 'circuit breaker', mode: 'keyword', rerank: false });
    expect(after.body.data.some((h: { document_id: string }) => h.document_id === handbookId)).toBe(false);
    expect((await call('DELETE', `/v1/knowledge_bases/${kbId}`)).body.deleted).toBe(true);
    expect((await call('GET', `/v1/knowledge_bases/${kbId}`)).status).toBe(404);
  });
}

describe('knowledge bases [sqlite]', () => suite('sqlite'));
requireService('PostgreSQL', PG_URL, 'knowledge bases [postgres]', () => suite('postgres'));
