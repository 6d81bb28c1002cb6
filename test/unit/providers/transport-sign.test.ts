import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRequestSpec } from '../../../src/providers/adapter.js';
import { createTransport, readBody } from '../../../src/providers/transport.js';
import { TIMEOUTS } from '../../support/fixtures.js';

/** `HttpRequestSpec.sign` (SigV4 for Bedrock): transport asks for the headers at send time and sends them with the request. */
describe('transport request signing hook', () => {
  const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model/x%3A0/converse`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the signer’s headers on top of the spec’s, computed from the spec as sent', async () => {
    const transport = createTransport();
    const signedSpecs: HttpRequestSpec[] = [];
    const spec: HttpRequestSpec = {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', authorization: 'placeholder' },
      body: '{"a":1}',
      sign: async (s) => {
        signedSpecs.push(s);
        return { authorization: `signed:${s.body}`, 'x-amz-date': '20261126T010203Z' };
      },
    };
    const res = await transport.send(spec, TIMEOUTS);
    await readBody(res, 1024);
    await transport.close();
    expect(signedSpecs).toEqual([spec]);
    expect(seen.at(-1)!.headers).toMatchObject({ authorization: 'signed:{"a":1}', 'x-amz-date': '20261126T010203Z', 'content-type': 'application/json' });
    expect(seen.at(-1)!.body).toBe('{"a":1}');
  });

  it('a signer that fails fails the attempt before anything is sent', async () => {
    const transport = createTransport();
    const before = seen.length;
    await expect(
      transport.send({ method: 'POST', url, headers: {}, body: '{}', sign: async () => Promise.reject(new Error('no credentials')) }, TIMEOUTS),
    ).rejects.toThrow();
    await transport.close();
    expect(seen.length).toBe(before);
  });
});
