import { describe, expect, it } from 'vitest';
import { trustProxySetting } from '../../../src/server/trust-proxy.js';

describe('BAIMO_TRUST_PROXY', () => {
  it('is off unless set', () => {
    for (const value of [undefined, '', 'false', '0']) expect(trustProxySetting({ BAIMO_TRUST_PROXY: value })).toBe(false);
  });

  it('takes true, or a list of proxy addresses, CIDRs and proxy-addr range names', () => {
    expect(trustProxySetting({ BAIMO_TRUST_PROXY: 'true' })).toBe(true);
    expect(trustProxySetting({ BAIMO_TRUST_PROXY: ' 10.0.0.0/8 , 127.0.0.1,::1, fd00::/8,loopback' })).toBe('10.0.0.0/8,127.0.0.1,::1,fd00::/8,loopback');
  });

  it('refuses hop counts and anything else by name', () => {
    for (const value of ['1', '2', 'yes', 'proxy.example.com', '10.0.0.0/8,evil']) {
      expect(() => trustProxySetting({ BAIMO_TRUST_PROXY: value })).toThrow(/BAIMO_TRUST_PROXY/);
    }
  });
});
