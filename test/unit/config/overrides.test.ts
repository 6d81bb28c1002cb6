import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/errors.js';
import { DEFAULT_SERVER } from '../../../src/config/defaults.js';
import type { CliOverrides } from '../../../src/config/apply-overrides.js';
import { fakeResolveKind } from './fake-resolve-kind.js';

const FILE = 'server:\n  host: 10.0.0.1\n  port: 5000\n  body_limit_bytes: 1mb\n';
const load = (env: Record<string, string>, overrides?: CliOverrides, text = FILE) =>
  parseConfig({ file: 'baimo.yaml', text }, { env, resolveKind: fakeResolveKind, catalog: [], ...(overrides ? { overrides } : {}) });

describe('server settings precedence: file → env → command line', () => {
  it('uses the file when nothing overrides it', () => {
    expect(load({}).server).toEqual({ ...DEFAULT_SERVER, host: '10.0.0.1', port: 5000, body_limit_bytes: 1_048_576 });
  });

  it('env overrides the file', () => {
    const server = load({ BAIMO_PORT: '6000', BAIMO_HOST: '127.0.0.1', BAIMO_BODY_LIMIT: '8mb' }).server;
    expect(server).toMatchObject({ host: '127.0.0.1', port: 6000, body_limit_bytes: 8 * 1024 * 1024 });
  });

  it('command-line flags override env and file', () => {
    const server = load({ BAIMO_PORT: '6000', BAIMO_HOST: '127.0.0.1' }, { port: 7000, host: '::1' }).server;
    expect(server).toMatchObject({ host: '::1', port: 7000, body_limit_bytes: 1_048_576 });
  });

  it('env overrides apply with no file at all', () => {
    const config = parseConfig(undefined, { env: { BAIMO_PORT: '0' }, resolveKind: fakeResolveKind, catalog: [] });
    expect(config.server.port).toBe(0);
    expect(config.source).toBe('defaults');
  });

  it('ignores empty env values and undefined flags', () => {
    expect(load({ BAIMO_PORT: '', BAIMO_HOST: ' ' }, {}).server).toMatchObject({ host: '10.0.0.1', port: 5000 });
  });

  it('names the variable or flag of a bad value', () => {
    expect(() => load({ BAIMO_PORT: 'eighty' })).toThrow(new ConfigError('baimo.yaml', [{ file: 'env', path: 'BAIMO_PORT', message: "expected a port number 0–65535, got 'eighty'" }]));
    expect(() => load({ BAIMO_PORT: '70000' })).toThrow("env: BAIMO_PORT: expected a port number 0–65535, got '70000'");
    expect(() => load({ BAIMO_BODY_LIMIT: 'big' })).toThrow('env: BAIMO_BODY_LIMIT: expected a positive number of bytes');
    expect(() => load({}, { port: -1 })).toThrow('command line: --port: expected a port number 0–65535, got -1');
    expect(() => load({}, { host: '' })).toThrow('command line: --host: must not be empty');
  });

  it('reports override problems together with file problems', () => {
    try {
      load({ BAIMO_PORT: 'x' }, undefined, 'providers: [{name: p, kind: nope, base_url: "http://h:1"}]\n');
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual(['providers[0].kind', 'BAIMO_PORT']);
      expect((error as ConfigError).message).toBe(
        "baimo.yaml: providers[0].kind: unknown provider kind 'nope'\n  env: BAIMO_PORT: expected a port number 0–65535, got 'x'",
      );
    }
  });
});
