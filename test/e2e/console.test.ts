import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../integration/mock-upstream/server.js';
import { describeWithChromium, launchChromium, watchPageErrors } from '../support/browser.js';
import { ensureConsoleBuilt } from '../support/console-build.js';
import { json, MASTER_KEY, startTestGateway, type TestGateway } from '../support/gateway.js';
import { go, PAGES, shot, unlabelledControls, until } from './console-helpers.js';

/**
 * The console in a real browser against a real `baimo serve` with mock upstreams: the operator
 * signs in, enables a vendor, creates an org, a user and a key; the key calls the API; the call
 * shows on Overview, in Usage and in Request logs; the Playground streams and compares models;
 * the language switches; keyboard and labels hold; a phone-width layout; a tenant sees only their
 * org. Any console error or page error fails the step where it happened.
 */
describeWithChromium('console (e2e, chromium)', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: { take(): string[] };
  const state = { orgId: '', keyId: '' };

  beforeAll(async () => {
    ensureConsoleBuilt();
    upstream = await startMockUpstream();
    gw = await startTestGateway(`
providers:
  - name: mock
    kind: openai-compatible
    base_url: ${upstream.url}/v1
models:
  - name: alpha-chat
    capabilities: [chat, tools]
    context_window: 32768
    price: { input: 1, output: 2 }
    deployments:
      - { provider: mock, model: alpha-nvidia, weight: 3, priority: 0, tags: { engine: vllm, accelerator: nvidia } }
      - { provider: mock, model: alpha-ascend, weight: 1, priority: 0, tags: { engine: mindie, accelerator: ascend } }
  - name: beta-chat
    capabilities: [chat]
    price: { input: 0.5, output: 1, reasoning: 1.5, tiers: [{ above_input_tokens: 32000, input: 1, output: 2 }] }
    deployments:
      - { provider: mock, model: beta-upstream }
`);
    // Without the console wired into the app every step below would time out one by one.
    const home = await fetch(`${gw.url}/`);
    if (!(home.headers.get('content-type') ?? '').includes('text/html')) {
      throw new Error(`GET / answered ${home.status} ${home.headers.get('content-type')}: is registerConsole() wired into createApp (src/server/app.ts)?`);
    }
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US', acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    errors = watchPageErrors(page);
  }, 120_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await shot(page, `failed-${ctx.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
    expect(errors.take()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await upstream?.close();
  });

  it('serves the console at / with the API still answering JSON 404s', async () => {
    const html = await fetch(`${gw.url}/logs`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    const api = await fetch(`${gw.url}/admin/v1/nope`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
    expect(api.status).toBe(404);
    expect((await json(api)).error.code).toBe('not_found');
  });

  it('signs in as the operator with the master key', async () => {
    await page.goto(`${gw.url}/`);
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await shot(page, 'login-desktop');
    await page.getByRole('tab', { name: 'Platform operator' }).click();
    await page.getByLabel('Master key').fill(MASTER_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  });

  it('enables a vendor by pasting its key, and test-calls a deployment', async () => {
    await go(page, 'Models & providers');
    const card = page.getByTestId('vendor-deepseek');
    await card.getByText('Not enabled').waitFor();
    await card.getByLabel(/^API key for/).fill('sk-deepseek-e2e-0123456789');
    await card.getByRole('button', { name: 'Enable' }).click();
    await card.getByText('Enabled', { exact: true }).waitFor();
    await page.getByTestId('published-models').getByText('deepseek-v4-flash', { exact: true }).waitFor();
    // Prices beyond input and output: the catalog's cache price, and a configured thinking-mode price and input tier.
    const publishedRow = (name: string) => page.getByTestId('published-models').getByRole('row').filter({ has: page.getByText(name, { exact: true }) });
    await publishedRow('deepseek-v4-flash').getByText('Cached input $0.0028').waitFor();
    await publishedRow('beta-chat').getByText('Thinking-mode output $1.50').waitFor();
    await publishedRow('beta-chat').getByText('Input over 32,000 tokens: $1.00 in, $2.00 out').waitFor();
    expect(await publishedRow('alpha-chat').getByRole('cell').last().textContent()).toBe('—');

    const row = page.locator('[data-deployment="alpha-chat#0"]');
    await row.getByText('engine=vllm').waitFor();
    await row.getByRole('button', { name: /^Test deployment/ }).click();
    await row.getByTestId('test-result').getByText(/^OK/).waitFor();
    await shot(page, 'models-desktop');
  });

  it('creates an org, a console user and a member', async () => {
    await go(page, 'Orgs & members');
    const create = page.getByRole('region', { name: 'New org' });
    await create.getByLabel('Name').fill('acme');
    await create.getByLabel('Budget', { exact: true }).fill('100');
    expect(await create.getByLabel('Budget period').inputValue()).toBe('total');
    await create.getByRole('button', { name: 'Create org' }).click();
    await page.getByTestId('orgs-table').getByRole('rowheader', { name: 'acme' }).waitFor();

    const users = page.getByRole('region', { name: 'Console users' });
    await users.getByLabel('Email').fill('dev@acme.test');
    await users.getByLabel('Name').fill('Dev One');
    await users.getByLabel('Password').fill('correct-horse-1');
    await users.getByRole('button', { name: 'Create user' }).click();
    await users.getByRole('rowheader', { name: 'Dev One' }).waitFor();

    const members = page.getByRole('region', { name: 'Members' });
    await members.getByLabel('User email').fill('dev@acme.test');
    await members.getByLabel('Role', { exact: true }).selectOption('member');
    await members.getByRole('button', { name: 'Add member' }).click();
    await members.getByRole('combobox', { name: 'Role of dev@acme.test' }).waitFor();
    await shot(page, 'orgs-desktop');

    const limits = page.getByRole('region', { name: 'Limits of acme' });
    await limits.getByLabel('Budget alert webhook URL').fill('https://hooks.example.com/acme');
    await limits.getByRole('button', { name: 'Save' }).click();
    await limits.getByText('Saved.').waitFor();

    const orgs = await json(await fetch(`${gw.url}/admin/v1/orgs`, { headers: { authorization: `Bearer ${MASTER_KEY}` } }));
    state.orgId = orgs.data.find((o: { name: string }) => o.name === 'acme').id;
    expect(orgs.data.find((o: { name: string }) => o.name === 'acme').alert_webhook_url).toBe('https://hooks.example.com/…');
  });

  it('creates an API key shown once, and the key calls the API', async () => {
    await go(page, 'API keys');
    const form = page.getByRole('region', { name: 'New API key' });
    await form.getByLabel('Name').fill('backend');
    await form.getByLabel('Requests per minute').fill('600');
    await form.getByLabel('Budget period').selectOption('monthly');
    await form.getByRole('button', { name: 'Create key' }).click();
    const secretBox = page.getByTestId('new-key-secret');
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^sk-bm-/);
    await shot(page, 'keys-desktop');

    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'alpha-chat', messages: [{ role: 'user', content: 'hello from e2e' }] }),
    });
    expect(res.status).toBe(200);
    expect((await json(res)).choices[0].message.content).toBe('echo: hello from e2e');
    await gw.server.flushUsage();

    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await secretBox.count()).toBe(0);
    const row = page.getByTestId('keys-table').getByRole('row', { name: /backend/ });
    await row.getByText('Active').waitFor();
    state.keyId = (await row.getAttribute('data-key-id'))!;
    expect(state.keyId).toMatch(/^key_/);
    const key = await json(await fetch(`${gw.url}/admin/v1/keys/${state.keyId}`, { headers: { authorization: `Bearer ${MASTER_KEY}` } }));
    expect(key.budget_period).toBe('monthly');
  });

  it('shows the call on the Overview, with charts and breakdowns', async () => {
    await go(page, 'Overview');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await until(page, `Number(document.querySelector('[data-testid=kpi-requests]')?.textContent?.replace(/\\D/g, '')) >= 1`);
    await page.getByTestId('breakdown-model').getByRole('rowheader', { name: 'alpha-chat' }).waitFor();
    await page.getByTestId('breakdown-org').getByRole('rowheader', { name: 'acme' }).waitFor();
    await until(page, `document.querySelectorAll('[data-testid=overview-charts] .chart[data-state=ready] canvas').length === 6`);
    await shot(page, 'overview-desktop');
  });

  it('lists the call in Request logs, filtered by key, with a detail view', async () => {
    await go(page, 'Request logs');
    await page.getByLabel('Key ID').fill(state.keyId);
    await page.getByLabel('Model').selectOption('alpha-chat');
    await page.getByLabel('Status').selectOption('2xx');
    await page.getByRole('button', { name: 'Apply' }).click();
    const table = page.getByTestId('logs-table');
    await table.getByText(state.keyId).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(1);
    await table.getByRole('button', { name: /^Details of request/ }).click();
    const detail = page.getByTestId('log-detail');
    await detail.getByText(state.keyId).waitFor();
    expect(await detail.textContent()).toContain('alpha-chat');
    await shot(page, 'logs-detail-desktop');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    await shot(page, 'logs-desktop');
  });

  it('reports usage with totals and exports CSV', async () => {
    await go(page, 'Usage & billing');
    await page.getByRole('button', { name: 'Apply' }).click();
    await until(page, `Number(document.querySelector('[data-testid=usage-total-requests]')?.textContent?.replace(/\\D/g, '')) >= 1`);
    await page.getByTestId('usage-table').getByText('alpha-chat').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/requests/);
    expect(csv).toContain('alpha-chat');
    // No budget was crossed here: the alerts list answers, empty.
    await page.getByTestId('budget-alerts').waitFor();
    await page.getByText('No budget alerts yet.').waitFor();
    await shot(page, 'usage-desktop');
  });

  it('streams a chat in the Playground and compares two models side by side', async () => {
    await go(page, 'Playground');
    await page.getByLabel('Model', { exact: true }).selectOption('alpha-chat');
    await page.getByLabel('Message').fill('hi there');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('transcript').getByText('echo: hi there').waitFor();
    await page.getByTestId('run-stats').waitFor();

    await page.getByRole('tab', { name: 'Compare models' }).click();
    await page.getByLabel('Model 1').selectOption('alpha-chat');
    await page.getByLabel('Model 2').selectOption('beta-chat');
    await page.getByLabel('Prompt', { exact: true }).fill('compare me');
    await page.getByRole('button', { name: 'Run on all' }).click();
    await until(page, `document.querySelectorAll('.compare-col[data-status=done]').length === 2`);
    for (const model of ['alpha-chat', 'beta-chat']) {
      const col = page.locator(`.compare-col[data-model="${model}"]`);
      expect(await col.getByTestId('answer').textContent()).toBe('echo: compare me');
      expect(await col.locator('[data-stat=tokens]').textContent()).toBe('5 / 7');
      expect(await col.locator('[data-stat=latency]').textContent()).toMatch(/\d ms$/);
      expect(await col.locator('[data-stat=ttft]').textContent()).toMatch(/\d ms$/);
      expect(await col.locator('[data-stat=cost]').textContent()).toMatch(/\$0\.0000\d+/);
    }
    await shot(page, 'playground-desktop');
  });

  it('reaches the nav with the keyboard, and every control on every page is labelled', async () => {
    for (const p of PAGES) {
      await go(page, p.label);
      await page.waitForLoadState('networkidle');
      expect(await unlabelledControls(page), p.label).toEqual([]);
    }
    await page.goto(`${gw.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    let reached = false;
    for (let i = 0; i < 20 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate<boolean>(`document.activeElement?.closest('nav') !== null && document.activeElement?.textContent === 'Request logs'`);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Request logs' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/logs');
  });

  it('switches to Chinese, keeps the choice, and collapses the nav at phone width', async () => {
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('link', { name: '概览' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '请求日志' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    await page.setViewportSize({ width: 390, height: 844 });
    const zhLabels = ['概览', '模型与供应商', '组织与成员', 'API 密钥', '用量与计费', '请求日志', '知识库', '调试台'];
    for (const [i, p] of PAGES.entries()) {
      expect(await page.getByRole('navigation').isVisible()).toBe(false);
      await page.getByRole('button', { name: '菜单' }).click();
      await page.getByRole('navigation').getByRole('link', { name: zhLabels[i], exact: true }).click();
      await page.getByRole('heading', { level: 1, name: zhLabels[i], exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth + 1'), `${p.slug} fits the phone width`).toBe(true);
      await shot(page, `${p.slug}-phone-zh`);
    }
    await page.getByLabel('语言').selectOption('en');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('signs a tenant user in, who sees only their org and calls models as it', async () => {
    await fetch(`${gw.url}/admin/v1/orgs`, { method: 'POST', headers: { authorization: `Bearer ${MASTER_KEY}` }, body: JSON.stringify({ name: 'globex' }) });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await shot(page, 'login-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByLabel('Email').fill('dev@acme.test');
    await page.getByLabel('Password').fill('correct-horse-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();

    await go(page, 'Orgs & members');
    const orgs = page.getByTestId('orgs-table');
    await orgs.getByRole('rowheader', { name: 'acme' }).waitFor();
    expect(await orgs.getByText('globex').count()).toBe(0);

    await go(page, 'Models & providers');
    await page.getByTestId('published-models').getByText('alpha-chat').waitFor();
    expect(await page.getByRole('region', { name: 'Provider catalog' }).count()).toBe(0);

    await go(page, 'Playground');
    await page.getByLabel('Call as org').selectOption(state.orgId);
    await page.getByLabel('Model', { exact: true }).selectOption('beta-chat');
    await page.getByLabel('Message').fill('as a tenant');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('transcript').getByText('echo: as a tenant').waitFor();
    await shot(page, 'playground-tenant-desktop');
  });
});
