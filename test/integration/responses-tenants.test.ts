import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { json, startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * Stored responses belong to a tenant, and the Responses surface is one more door to the same
 * pipeline: another org's response is invisible to every route (retrieve, delete, input items,
 * chaining), and limits, usage and request logs are the same as on `/v1/chat/completions`.
 */
describe('Responses surface: tenants, limits and metering', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;

  const admin = (method: string, path: string, body?: unknown) => gw.admin(method, path, body);
  /** A new org with one key (and its limits), and an SDK client for that key. */
  const tenant = async (name: string, limits: Record<string, unknown> = {}) => {
    const org = (await admin('POST', '/admin/v1/orgs', { name })).body;
    const key = (await admin('POST', `/admin/v1/orgs/${org.id}/keys`, { name: `${name}-key`, ...limits })).body;
    return { orgId: org.id as string, key: key.key as string, client: new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key.key, maxRetries: 0 }) };
  };

  beforeAll(async () => {
    upstream = await startMockUpstream();
    gw = await startTestGateway(`
providers:
  - { name: up, kind: openai-compatible, base_url: "${upstream.url}/v1" }
models:
  # 1000 per 1M tokens: the echo upstream's 5 + 7 tokens cost 0.012.
  - { name: priced, capabilities: [chat, tools], price: { input: 1000, output: 1000 }, deployments: [{ provider: up, model: up-priced }] }
`);
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  it("tenant B cannot retrieve, delete, list or chain on tenant A's response; the operator's scope is its own", async () => {
    const a = await tenant('resp-a');
    const b = await tenant('resp-b');
    const mine = await a.client.responses.create({ model: 'priced', input: 'a secret' });

    await expect(b.client.responses.retrieve(mine.id)).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(b.client.responses.delete(mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(b.client.responses.inputItems.list(mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(b.client.responses.create({ model: 'priced', input: 'x', previous_response_id: mine.id })).rejects.toMatchObject({
      status: 400,
      code: 'previous_response_not_found',
      param: 'previous_response_id',
    });
    await expect(gw.client.responses.retrieve(mine.id)).rejects.toMatchObject({ status: 404 });
    expect(upstream.requests.filter((r) => JSON.stringify(r.body).includes('a secret'))).toHaveLength(1);

    // Still A's, untouched by B's attempts.
    expect((await a.client.responses.retrieve(mine.id)).output_text).toBe('echo: a secret');
  });

  it('the owner lists input items, chains, and deletes; a deleted response is gone for good', async () => {
    const a = await tenant('resp-owner');
    const first = await a.client.responses.create({ model: 'priced', input: [{ role: 'user', content: 'one' }, { role: 'user', content: [{ type: 'input_text', text: 'two' }] }] });
    const items = await a.client.responses.inputItems.list(first.id, { order: 'asc' });
    expect(items.data.map((i) => (i as { content: { text: string }[] }).content[0]!.text)).toEqual(['one', 'two']);
    expect(items.data.every((i) => typeof i.id === 'string' && i.type === 'message')).toBe(true);
    const newestFirst = await a.client.responses.inputItems.list(first.id, { limit: 1 });
    expect(newestFirst.data.map((i) => (i as { content: { text: string }[] }).content[0]!.text)).toEqual(['two']);
    expect(newestFirst.has_more).toBe(true);
    // The SDK's auto-pagination follows `after` from page to page.
    const all: string[] = [];
    for await (const item of a.client.responses.inputItems.list(first.id, { limit: 1 })) all.push((item as { content: { text: string }[] }).content[0]!.text);
    expect(all).toEqual(['two', 'one']);

    const second = await a.client.responses.create({ model: 'priced', input: 'three', previous_response_id: first.id });
    expect(upstream.requests.at(-1)!.body.messages.map((m: { content: unknown }) => m.content)).toEqual(['one', 'two', 'echo: two', 'three']);

    await a.client.responses.delete(first.id);
    const raw = await fetch(`${gw.url}/v1/responses/${second.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${a.key}` } });
    expect(await json(raw)).toEqual({ id: second.id, object: 'response.deleted', deleted: true });
    await expect(a.client.responses.retrieve(first.id)).rejects.toMatchObject({ status: 404 });
    await expect(a.client.responses.create({ model: 'priced', input: 'x', previous_response_id: second.id })).rejects.toMatchObject({ status: 400 });
  });

  it("a key's RPM limit counts Responses calls like chat calls: 429 with retry-after", async () => {
    const t = await tenant('resp-rpm', { rpm: 2 });
    await t.client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] });
    const ok = await fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'priced', input: 'hi' }),
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const refused = await t.client.responses.create({ model: 'priced', input: 'hi' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect(Number((refused as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('usage and request logs are the same whichever surface a call came through', async () => {
    const t = await tenant('resp-meter');
    await t.client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] });
    await t.client.responses.create({ model: 'priced', input: 'hi' });
    const streamed = await t.client.responses.create({ model: 'priced', input: 'hi', stream: true });
    for await (const _ of streamed) void _;
    await gw.server.flushUsage();

    const usage = await admin('GET', `/admin/v1/usage?group_by=org&org_id=${t.orgId}`);
    expect(usage.body.totals).toMatchObject({ requests: 3, input_tokens: 15, output_tokens: 21 });
    expect(usage.body.totals.cost).toBeCloseTo(3 * 0.012, 9);
    const mine = await json(await fetch(`${gw.url}/v1/usage`, { headers: { authorization: `Bearer ${t.key}` } }));
    expect(mine.totals.requests).toBe(3);

    const logs = await admin('GET', `/admin/v1/logs?org_id=${t.orgId}`);
    const rows = logs.body.data as { endpoint: string; status: number; input_tokens: number; output_tokens: number; stream: boolean }[];
    expect(rows.map((r) => r.endpoint).sort()).toEqual(['chat', 'responses', 'responses']);
    for (const row of rows) expect(row).toMatchObject({ status: 200, input_tokens: 5, output_tokens: 7 });
  });
});
