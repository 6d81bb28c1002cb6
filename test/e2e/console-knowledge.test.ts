import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../integration/mock-upstream/server.js';
import { describeWithChromium, launchChromium, watchPageErrors } from '../support/browser.js';
import { ensureConsoleBuilt } from '../support/console-build.js';
import { json, startTestGateway, type TestGateway } from '../support/gateway.js';
import { bagOfWords, overlapScore } from '../support/knowledge.js';
import { go, shot, unlabelledControls, until } from './console-helpers.js';

/**
 * The console's Knowledge bases page in a real browser against a real `baimo serve` whose mock
 * upstream embeds deterministically (bag of words) and reranks by term overlap: an org member
 * creates a KB, uploads an English and a Chinese document and adds one by URL, watches them
 * become ready, searches with citations, chats with streamed, numbered citations, deletes a
 * document; the page is labelled, fits a phone in Chinese; a viewer sees it all read-only.
 * Any console error or page error fails the step where it happened.
 */

const HANDBOOK = `# Baimo handbook

## Routing

The router picks a deployment by priority, then by weight. A deployment that keeps failing is cooled down by the circuit breaker.

## Storage

Embedded mode keeps everything in SQLite inside the data directory; scale-out mode uses PostgreSQL and Redis.
`;

const BILLING_ZH = `# 计费说明

## 预算

每个请求的用量按模型价格计费。预算用尽后请求会被拒绝，并返回 budget_exceeded 错误。

## 发票

每月一日生成上月的账单。
`;

const QUOTAS = 'Quotas reset at midnight UTC for every organisation.\n';

/** An OpenAI stream whose text cites sources [1] and [2], as a grounded model would. */
function citingStream(model: string, pieces: string[]): string[] {
  const base = { id: 'chatcmpl-kb', object: 'chat.completion.chunk', created: 1760000000, model };
  return [
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`,
    ...pieces.map((content) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`),
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
    'data: [DONE]\n\n',
  ];
}

const rows = (status: string) => `document.querySelectorAll('[data-testid=kb-documents] tbody tr[data-status=${status}]').length`;

describeWithChromium('console knowledge bases (e2e, chromium)', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: { take(): string[] };

  const signIn = async (email: string) => {
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct-horse-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  };
  const openKb = async (name: string) => {
    await page.getByTestId('kb-table').getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  };

  beforeAll(async () => {
    ensureConsoleBuilt();
    // A slow embedder keeps documents in flight long enough to see their progress.
    upstream = await startMockUpstream({ embed: (t) => bagOfWords(t), rerank: overlapScore, embedDelayMs: 600 });
    gw = await startTestGateway(
      `
providers:
  - { name: up, kind: vllm, base_url: "${upstream.url}/v1" }
models:
  - { name: chat-model, capabilities: [chat], price: { input: 1, output: 2 }, deployments: [{ provider: up, model: up-chat }] }
  - { name: embed-model, capabilities: [embeddings], price: { input: 0.5, output: 0 }, deployments: [{ provider: up, model: up-embed }] }
  - { name: rerank-model, capabilities: [rerank], deployments: [{ provider: up, model: up-rerank }] }
`,
      { BAIMO_FETCH_ALLOWED_HOSTS: '127.0.0.1' },
    );
    const org = await json(await gw.post('/admin/v1/orgs', { name: 'acme' }));
    for (const [email, role] of [
      ['dev@acme.test', 'member'],
      ['viewer@acme.test', 'viewer'],
    ] as const) {
      const user = await gw.post('/admin/v1/users', { email, name: email.split('@')[0], password: 'correct-horse-1' });
      expect(user.status).toBe(201);
      expect((await gw.post(`/admin/v1/orgs/${org.id}/members`, { email, role })).status).toBeLessThan(300);
    }
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    errors = watchPageErrors(page);
  }, 120_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await shot(page, `failed-kb-${ctx.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
    expect(errors.take()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await upstream?.close();
  });

  it('signs an org member in and lists no knowledge bases yet', async () => {
    await page.goto(`${gw.url}/`);
    await signIn('dev@acme.test');
    await go(page, 'Knowledge bases');
    await page.getByText('This org has no knowledge bases yet.').waitFor();
    expect(await page.getByLabel('Embedding model').inputValue()).toBe('embed-model');
  });

  it('creates a knowledge base, and deletes another after confirming', async () => {
    const form = page.getByRole('region', { name: 'New knowledge base' });
    await form.getByLabel('Name').fill('scratch');
    await form.getByRole('button', { name: 'Create knowledge base' }).click();
    await page.getByRole('heading', { level: 1, name: 'scratch' }).waitFor();
    await page.getByRole('link', { name: 'All knowledge bases' }).click();
    const table = page.getByTestId('kb-table');
    await table.getByRole('link', { name: 'scratch' }).waitFor();
    await table.getByRole('button', { name: 'Delete knowledge base scratch' }).click();
    await table.getByRole('button', { name: 'Delete it and its documents' }).click();
    await page.getByText('This org has no knowledge bases yet.').waitFor();

    await form.getByLabel('Name').fill('handbook');
    await form.getByLabel('Description').fill('How Baimo works, in two languages.');
    await form.getByLabel('Rerank model').selectOption('rerank-model');
    await form.getByLabel('Chunk size (tokens)').fill('80');
    await form.getByLabel('Chunk overlap (tokens)').fill('10');
    await shot(page, 'knowledge-create-desktop');
    await form.getByRole('button', { name: 'Create knowledge base' }).click();
    await page.getByRole('heading', { level: 1, name: 'handbook' }).waitFor();
    const facts = page.getByTestId('kb-facts');
    await facts.getByText('rerank-model').waitFor();
    await facts.getByText('80 tokens, 10 overlap').waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/knowledge\/kb_/);
  });

  it('uploads two documents (one Chinese) and adds one by URL, with progress until ready', async () => {
    upstream.enqueue('/docs/quotas.txt', { kind: 'text', status: 200, body: QUOTAS, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    await page.getByLabel('Files').setInputFiles([
      { name: 'handbook.md', mimeType: 'text/markdown', buffer: Buffer.from(HANDBOOK) },
      { name: '计费.md', mimeType: 'text/markdown', buffer: Buffer.from(BILLING_ZH) },
    ]);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByTestId('upload-notice').getByText('2 file(s) sent for ingestion.').waitFor();
    await page.getByLabel('Document URL').fill(`${upstream.url}/docs/quotas.txt`);
    await page.getByRole('button', { name: 'Add URL' }).click();

    const table = page.getByTestId('kb-documents');
    await table.getByRole('rowheader', { name: /^quotas\.txt/ }).waitFor();
    await table.locator('progress').first().waitFor();
    await shot(page, 'knowledge-ingesting-desktop');
    await until(page, `${rows('ready')} === 3`, 30_000);
    expect(await page.evaluate<number>(`document.querySelectorAll('[data-testid=kb-documents] progress').length`)).toBe(0);
    for (const name of ['handbook.md', '计费.md', 'quotas.txt']) {
      const row = table.locator(`tr[data-doc-name="${name}"]`);
      expect(await row.getByText('Ready').count(), name).toBe(1);
    }
    // The counts on the KB follow once ingestion settles.
    await page.getByTestId('kb-document-count').getByText('3', { exact: true }).waitFor();
    await shot(page, 'knowledge-documents-desktop');
  });

  it('searches in English and Chinese, showing scores, text and the citation', async () => {
    const search = page.getByRole('region', { name: 'Search' });
    await search.getByLabel('Query').fill('circuit breaker deployment failing');
    await search.getByRole('button', { name: 'Search', exact: true }).click();
    const hits = page.getByTestId('kb-hits');
    const first = hits.getByRole('listitem').first();
    await first.waitFor();
    expect(await first.getAttribute('data-document')).toBe('handbook.md');
    expect(await first.textContent()).toContain('circuit breaker');
    expect(await first.getByTestId('citation').textContent()).toContain('Baimo handbook › Routing');
    expect(await first.getByTestId('citation').textContent()).toMatch(/characters \d+–\d+/);
    await first.locator('[data-score=rerank]').waitFor();

    await search.getByLabel('Query').fill('预算用尽');
    await search.getByLabel('Mode', { exact: true }).selectOption('keyword');
    await search.getByLabel(/^Rerank with/).uncheck();
    await search.getByRole('button', { name: 'Search', exact: true }).click();
    await until(page, `document.querySelector('[data-testid=kb-hits] li')?.getAttribute('data-document') === '计费.md'`);
    const zh = hits.getByRole('listitem').first();
    expect(await zh.textContent()).toContain('预算用尽');
    expect(await zh.getByTestId('citation').textContent()).toContain('计费说明 › 预算');
    expect(await zh.locator('[data-score=keyword]').count()).toBe(1);
    expect(await zh.locator('[data-score=rerank]').count()).toBe(0);
    await shot(page, 'knowledge-search-desktop');
  });

  it('chats with the knowledge base: a streamed answer with numbered, linked citations', async () => {
    upstream.enqueue(
      '/chat/completions',
      { kind: 'sse', delayMs: 30, frames: citingStream('up-chat', ['The router picks a deployment by priority, then by weight ', '[1]. ', 'A failing deployment is cooled down by the circuit breaker', '[1][2].']) },
    );
    const chat = page.getByRole('region', { name: 'Chat with this knowledge base' });
    await chat.getByLabel('Chat model').selectOption('chat-model');
    await chat.getByLabel('Question').fill('How does routing pick a deployment?');
    await chat.getByRole('button', { name: 'Ask' }).click();
    const transcript = page.getByTestId('kb-transcript');
    await transcript.locator('li[data-status=done]').waitFor();
    const answer = transcript.getByTestId('kb-answer');
    expect(await answer.textContent()).toContain('cooled down by the circuit breaker');
    // [1], [1] and [2] are chips linking to the numbered sources; no "[n]" text is left.
    expect(await answer.locator('a.cite-chip').count()).toBe(3);
    expect(await answer.textContent()).not.toMatch(/\[\d\]/);
    const sources = transcript.getByTestId('kb-sources');
    expect(await sources.getByRole('listitem').count()).toBeGreaterThanOrEqual(2);
    const source1 = sources.locator('li[data-source="1"]');
    expect(await source1.getByTestId('citation').textContent()).toContain('handbook.md');
    await answer.getByRole('link', { name: 'Source 1' }).first().click();
    expect(new URL(page.url()).hash).toBe('#kb-turn-1-source-1');

    // The model was given the retrieved passages as numbered sources.
    const sent = upstream.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)!.body;
    expect(sent.stream).toBe(true);
    expect(sent.messages[0].role).toBe('system');
    expect(sent.messages[0].content).toContain('[1]');
    expect(sent.messages.at(-1)).toMatchObject({ role: 'user', content: 'How does routing pick a deployment?' });
    await shot(page, 'knowledge-chat-desktop');
  });

  it('deletes a document after confirming', async () => {
    const table = page.getByTestId('kb-documents');
    await table.getByRole('button', { name: 'Delete document quotas.txt' }).click();
    await table.getByRole('button', { name: 'Delete document', exact: true }).click();
    await until(page, `document.querySelectorAll('[data-testid=kb-documents] tbody tr').length === 2`);
    await page.getByTestId('kb-document-count').getByText('2', { exact: true }).waitFor();
  });

  it('labels every control, and fits a phone in Chinese', async () => {
    expect(await unlabelledControls(page), 'knowledge base').toEqual([]);
    await page.getByRole('link', { name: 'All knowledge bases' }).click();
    await page.getByTestId('kb-table').getByRole('link', { name: 'handbook' }).waitFor();
    expect(await unlabelledControls(page), 'knowledge base list').toEqual([]);
    await shot(page, 'knowledge-desktop');

    await page.getByLabel('Language').selectOption('zh-CN');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('heading', { level: 1, name: '知识库' }).waitFor();
    const fits = () => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth + 1');
    expect(await fits(), 'list fits the phone width').toBe(true);
    await shot(page, 'knowledge-phone-zh');
    await openKb('handbook');
    await page.getByRole('region', { name: '检索' }).getByLabel('查询').fill('预算');
    await page.getByRole('region', { name: '检索' }).getByRole('button', { name: '检索', exact: true }).click();
    await page.getByTestId('kb-hits').getByRole('listitem').first().waitFor();
    await page.getByTestId('kb-documents').getByText('就绪').first().waitFor();
    expect(await fits(), 'a knowledge base fits the phone width').toBe(true);
    expect(await unlabelledControls(page), 'knowledge base (zh)').toEqual([]);
    await shot(page, 'knowledge-detail-phone-zh');
    await page.getByLabel('语言').selectOption('en');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('shows a viewer everything read-only', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('viewer@acme.test');
    await go(page, 'Knowledge bases');
    const table = page.getByTestId('kb-table');
    await table.getByRole('link', { name: 'handbook' }).waitFor();
    await page.getByText('Your role in this org is viewer', { exact: false }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Create knowledge base' }).count()).toBe(0);
    expect(await table.getByRole('button').count()).toBe(0);

    await openKb('handbook');
    const docs = page.getByTestId('kb-documents');
    await docs.locator('tr[data-doc-name="handbook.md"][data-status=ready]').waitFor();
    expect(await docs.locator('tbody tr').count()).toBe(2);
    expect(await docs.getByRole('button').count()).toBe(0);
    expect(await page.getByLabel('Files').count()).toBe(0);
    expect(await page.getByLabel('Document URL').count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Search' }).getByText('Viewers cannot call models').count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Chat with this knowledge base' }).getByText('Viewers cannot call models').count()).toBe(1);
    expect(await unlabelledControls(page), 'viewer').toEqual([]);
    await shot(page, 'knowledge-viewer-desktop');
  });
});
