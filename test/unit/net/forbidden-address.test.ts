import { describe, expect, it } from 'vitest';
import { isForbiddenAddress, isMetadataAddress } from '../../../src/net/forbidden-address.js';
import { parseIPv6 } from '../../../src/net/parse-ip.js';

describe('isForbiddenAddress', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1',
    '169.254.169.254', '100.64.0.1', '100.127.255.255', '224.0.0.1', '240.0.0.1', '255.255.255.255', '198.18.0.1',
    '::1', '::', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::127.0.0.1', '64:ff9b::a9fe:a9fe',
    '64:ff9b::10.0.0.1', '2002:7f00:1::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1',
    '2001:db8::1',
  ])('refuses %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '169.255.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'allows public %s',
    (ip) => {
      expect(isForbiddenAddress(ip)).toBe(false);
    },
  );

  it('fails closed on anything that is not a canonical literal (odd spellings are normalised by new URL first)', () => {
    for (const s of ['2130706433', '0x7f.1', '0177.0.0.1', '127.1', 'localhost', '']) {
      expect(isForbiddenAddress(s)).toBe(true);
    }
  });

  it('knows metadata endpoints, including IPv6 spellings of them', () => {
    expect(isMetadataAddress('169.254.169.254')).toBe(true);
    expect(isMetadataAddress('100.100.100.200')).toBe(true);
    expect(isMetadataAddress('::ffff:169.254.169.254')).toBe(true);
    expect(isMetadataAddress('64:ff9b::a9fe:a9fe')).toBe(true);
    expect(isMetadataAddress('fd00:ec2::254')).toBe(true);
    expect(isMetadataAddress('10.0.0.1')).toBe(false);
  });

  it('parses IPv6 with compression and embedded IPv4', () => {
    expect(parseIPv6('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
    expect(parseIPv6('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIPv6('nope')).toBeNull();
  });
});
