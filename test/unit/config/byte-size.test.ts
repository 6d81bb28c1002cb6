import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../../../src/config/byte-size.js';
import { parseConfig } from '../../../src/config/load.js';
import { fakeResolveKind } from './fake-resolve-kind.js';

describe('parseByteSize', () => {
  it.each([
    [1024, 1024],
    ['1024', 1024],
    ['4mb', 4 * 1024 * 1024],
    ['4MB', 4 * 1024 * 1024],
    ['4 MiB', 4 * 1024 * 1024],
    ['512kb', 512 * 1024],
    ['512k', 512 * 1024],
    ['1.5gb', 1.5 * 1024 ** 3],
    ['100b', 100],
    [' 2m ', 2 * 1024 * 1024],
  ])('%j → %d', (input, bytes) => {
    expect(parseByteSize(input)).toBe(bytes);
  });

  it.each([['4 megabytes'], ['mb'], ['-1mb'], ['1e6'], [''], [1.5], [-1], [true], [null]])('rejects %j', (input) => {
    expect(parseByteSize(input)).toBeUndefined();
  });
});

describe('server.body_limit_bytes', () => {
  const load = (text: string) => parseConfig({ file: 'baimo.yaml', text }, { env: {}, resolveKind: fakeResolveKind, catalog: [] });

  it('accepts bytes or a human size', () => {
    expect(load('server: {body_limit_bytes: 1048576}\n').server.body_limit_bytes).toBe(1_048_576);
    expect(load('server: {body_limit_bytes: 4mb}\n').server.body_limit_bytes).toBe(4_194_304);
  });

  it('names the path for a bad size', () => {
    expect(() => load('server: {body_limit_bytes: lots}\n')).toThrow(
      'baimo.yaml: server.body_limit_bytes: expected a positive number of bytes or a size like "4mb", got "lots"',
    );
    expect(() => load('server: {body_limit_bytes: 0}\n')).toThrow('server.body_limit_bytes');
  });
});
