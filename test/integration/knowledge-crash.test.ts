import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bagOfWords, waitFor } from '../support/knowledge.js';
import { adminCall, runCli } from '../support/process.js';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';

/**
 * Ingestion survives `kill -9`: the server is killed while a document is half embedded; after a
 * restart the job resumes from the last saved batch (already-paid embeddings are not bought
 * again), the document becomes ready with every chunk, and search works. A clean shutdown then
 * leaves the KB's index files in the data dir for the next start.
 */
const MASTER = 'sk-bm-kb-crash-master';
const PARAGRAPHS = 400;

describe('knowledge ingestion survives kill -9', () => {
  let upstream: MockUpstream;
  let dir: string;

  beforeAll(async () => {
    // Slow embeddings, one batch at a time: the kill lands mid-document.
    upstream = await startMockUpstream({ embed: (t) => bagOfWords(t), embedDelayMs: 250 });
    dir = mkdtempSync(join(tmpdir(), 'baimo-kb-crash-'));
  });
  afterAll(async () => {
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes a half-embedded document after a crash without re-embedding saved batches', async () => {
    const config = join(dir, 'baimo.yaml');
    writeFileSync(config, `
providers:
  - { name: up, kind: openai-compatible, base_url: "${upstream.url}/v1" }
models:
  - { name: embed-model, capabilities: [embeddings], deployments: [{ provider: up, model: up-embed }] }
`);
    const args = ['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'data')];
    const env = { BAIMO_MASTER_KEY: MASTER, BAIMO_KB_EMBED_CONCURRENCY: '1' };
    const first = runCli(args, env);
    let url = await first.url();
    const org = await adminCall(url, MASTER, 'POST', '/admin/v1/orgs', { name: 'kb-crash' });
    const kb = await adminCall(url, MASTER, 'POST', '/v1/knowledge_bases', { name: 'big', embedding_model: 'embed-model', org_id: org.id, chunking: { max_tokens: 60, overlap_tokens: 0 } });
    const text = Array.from({ length: PARAGRAPHS }, (_, i) => `Paragraph ${i} talks about topic${i} and the word marker${i % 7} in some detail, long enough to stand alone as one chunk of text.`).join('\n\n');
    const form = new FormData();
    form.append('file', new Blob([text]), 'big.txt');
    const uploaded: any = await (await fetch(`${url}/v1/knowledge_bases/${kb.id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}` }, body: form })).json();
    expect(uploaded.status).toBe('queued');

    const docPath = `/v1/knowledge_bases/${kb.id}/documents/${uploaded.id}`;
    const midway = await waitFor(async () => {
      const d = await adminCall(url, MASTER, 'GET', docPath);
      return d.progress.stage === 'embedding' && d.progress.done >= 64 && d.progress.done < d.progress.total - 64 ? d : undefined;
    }, 30_000, 'half-embedded document');
    first.child.kill('SIGKILL');
    await first.exit;
    const total: number = midway.progress.total;
    const embeddedBeforeKill = upstream.requests.filter((r) => r.path.endsWith('/embeddings')).reduce((n, r) => n + r.body.input.length, 0);
    expect(embeddedBeforeKill).toBeLessThan(total);

    const second = runCli(args, env);
    url = await second.url();
    const done = await waitFor(async () => {
      const d = await adminCall(url, MASTER, 'GET', docPath);
      return d.status === 'ready' || d.status === 'failed' ? d : undefined;
    }, 60_000, 'document ready after restart');
    expect(done).toMatchObject({ status: 'ready', chunk_count: total });
    const embeddedInAll = upstream.requests.filter((r) => r.path.endsWith('/embeddings')).reduce((n, r) => n + r.body.input.length, 0);
    // Every chunk embedded at least once; at most the one batch in flight at the kill twice.
    expect(embeddedInAll).toBeGreaterThanOrEqual(total);
    expect(embeddedInAll).toBeLessThanOrEqual(total + 64);

    const hits = await adminCall(url, MASTER, 'POST', `/v1/knowledge_bases/${kb.id}/search`, { query: 'topic123', mode: 'keyword' });
    expect(hits.data[0].text).toContain('topic123');
    expect((await adminCall(url, MASTER, 'GET', `/v1/knowledge_bases/${kb.id}`)).chunk_count).toBe(total);

    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    expect(existsSync(join(dir, 'data', 'knowledge', kb.id, 'manifest.json'))).toBe(true);

    // The next start loads the saved index and answers the same.
    const third = runCli(args, env);
    url = await third.url();
    const again = await adminCall(url, MASTER, 'POST', `/v1/knowledge_bases/${kb.id}/search`, { query: 'topic123', mode: 'hybrid' });
    expect(again.data[0].text).toContain('topic123');
    third.child.kill('SIGTERM');
    await third.exit;
  }, 120_000);
});
