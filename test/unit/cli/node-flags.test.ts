import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVE_NODE_FLAGS } from '../../../src/cli/node-flags.js';

/** The bench runs both proxies with SERVE_NODE_FLAGS; that is only honest if `npm start` uses them too. */
describe('SERVE_NODE_FLAGS', () => {
  it('are exactly the flags npm start gives node', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
    const match = /^node ((?:--\S+ )*)dist\/src\/cli\/main\.js serve$/.exec(pkg.scripts.start);
    expect(match, `npm start is '${pkg.scripts.start}'`).not.toBeNull();
    expect(match![1]!.trim().split(' ').filter(Boolean)).toEqual(SERVE_NODE_FLAGS);
  });
});
