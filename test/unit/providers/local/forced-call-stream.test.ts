import { describe, expect, it } from 'vitest';
import { forcedCallStream } from '../../../../src/providers/local/forced-call-stream.js';
import { createTextChannel, type CallPiece, type RunPiece } from '../../../../src/providers/local/text-channel.js';
import { seededRandom } from '../../../support/fixtures.js';

/** The arguments a forced call's sampled JSON streams, however the text is split into chunks. */
function streamed(text: string, splits: (text: string) => string[]): { names: string[]; args: string } {
  const pieces: CallPiece[] = [];
  const feed = forcedCallStream((piece) => pieces.push(piece));
  for (const chunk of splits(text)) feed(chunk);
  return { names: [...new Set(pieces.map((p) => p.name))], args: pieces.map((p) => p.args).join('') };
}

const whole = (text: string) => [text];
const perChar = (text: string) => [...text];
const randomly = (seed: number) => (text: string) => {
  const r = seededRandom(seed);
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(r() * 6);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
};

describe('forcedCallStream', () => {
  const ARGS = '{"city": "Pa}ris \\"{x", "tags": ["a]", {"b": 1}], "unit": "celsius"}';

  const splits: [string, (text: string) => string[]][] = [
    ['whole', whole],
    ['char by char', perChar],
    ...[1, 2, 3, 4, 5].map((seed): [string, (text: string) => string[]] => [`random split ${seed}`, randomly(seed)]),
  ];
  it.each(splits)('streams exactly the arguments object (%s), never the call object around it', (_, split) => {
    const out = streamed(`{"name": "get_weather", "arguments": ${ARGS}}`, split);
    expect(out.names).toEqual(['get_weather']);
    expect(out.args).toBe(ARGS);
    expect(JSON.parse(out.args)).toEqual({ city: 'Pa}ris "{x', tags: ['a]', { b: 1 }], unit: 'celsius' });
  });

  it('takes the whitespace a grammar may sample, and an escaped name', () => {
    const out = streamed('\n{ "name" : "say\\"hi" ,\n  "arguments" :\n  {}\n}', perChar);
    expect(out).toEqual({ names: ['say"hi'], args: '{}' });
  });

  it('streams nothing for arguments that are not an object or array (the call then goes out whole)', () => {
    expect(streamed('{"name": "f", "arguments": 42}', perChar)).toEqual({ names: [], args: '' });
  });

  it('streams what was sampled before a cut-off', () => {
    expect(streamed('{"name": "f", "arguments": {"city": "Par', randomly(9)).args).toBe('{"city": "Par');
  });
});

describe('text channel', () => {
  it('hands on pieces that piled up together: runs of text as one string, runs of one call as one piece', async () => {
    const channel = createTextChannel();
    const pushed: RunPiece[] = ['Hel', 'lo', { call: 0, name: 'f', args: '{"a"' }, { call: 0, name: 'f', args: ': 1}' }, { call: 1, name: 'g', args: '{}' }, '!'];
    for (const piece of pushed) channel.push(piece);
    channel.close();
    const got: RunPiece[] = [];
    for await (const piece of channel.pieces) got.push(piece);
    expect(got).toEqual(['Hello', { call: 0, name: 'f', args: '{"a": 1}' }, { call: 1, name: 'g', args: '{}' }, '!']);
  });

  it('hands each piece on as it comes when the reader keeps up', async () => {
    const channel = createTextChannel();
    const reader = (async () => {
      const got: RunPiece[] = [];
      for await (const piece of channel.pieces) got.push(piece);
      return got;
    })();
    for (const piece of ['a', 'b']) {
      channel.push(piece);
      await new Promise((r) => setImmediate(r));
    }
    channel.close();
    expect(await reader).toEqual(['a', 'b']);
  });
});
