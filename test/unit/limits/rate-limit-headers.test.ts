import { describe, expect, it } from 'vitest';
import { formatResetDuration } from '../../../src/limits/index.js';

describe('formatResetDuration (OpenAI / Go duration format)', () => {
  it.each([
    [0, '0s'],
    [-5, '0s'],
    [0.2, '1ms'],
    [12, '12ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [2160, '2.16s'],
    [59_874, '59.874s'],
    [60_000, '1m0s'],
    [67_200, '1m7.2s'],
    [360_000, '6m0s'],
    [3_600_000, '1h0m0s'],
    [3_723_500, '1h2m3.5s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatResetDuration(ms)).toBe(text);
  });
});
