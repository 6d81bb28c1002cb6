import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * BAIMO_TRUST_PROXY through the real server, seen by the console sign-in throttle's per-address
 * count: behind a trusted proxy each client's X-Forwarded-For address is counted apart; without
 * the setting the header is ignored (a caller cannot pick its own address), so everyone shares the
 * socket's address.
 */
describe('BAIMO_TRUST_PROXY and the client address', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  const start = async (env: Record<string, string>) => {
    gw = await startTestGateway('models: []\n', { BAIMO_LOGIN_MAX_FAILURES_PER_ADDRESS: '2', BAIMO_LOGIN_MAX_FAILURES_PER_EMAIL: '100', ...env });
    expect((await gw.admin('POST', '/admin/v1/users', { email: 'ada@example.com', name: 'Ada', password: 'correct horse' })).status).toBe(201);
    return gw;
  };
  const login = (g: TestGateway, from: string, password: string) =>
    fetch(`${g.url}/admin/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ email: 'ada@example.com', password }),
    }).then((r) => r.status);

  it('behind a trusted proxy, each forwarded address has its own count', async () => {
    const g = await start({ BAIMO_TRUST_PROXY: '127.0.0.1' });
    expect([await login(g, '203.0.113.1', 'x'), await login(g, '203.0.113.1', 'y')]).toEqual([401, 401]);
    expect(await login(g, '203.0.113.1', 'correct horse')).toBe(429);
    expect(await login(g, '203.0.113.2', 'correct horse')).toBe(200);
  });

  it('without it, X-Forwarded-For is ignored: a caller cannot dodge the count by changing the header', async () => {
    const g = await start({});
    expect([await login(g, '203.0.113.1', 'x'), await login(g, '203.0.113.2', 'y')]).toEqual([401, 401]);
    expect(await login(g, '203.0.113.3', 'correct horse')).toBe(429);
  });

  it('refuses a setting it cannot read, at start', async () => {
    await expect(startTestGateway('models: []\n', { BAIMO_TRUST_PROXY: '1' })).rejects.toThrow(/BAIMO_TRUST_PROXY/);
  });
});
