import { describe, expect, it } from 'vitest';
import { streamTranscript } from '../../../src/server/relay.js';

describe('streamTranscript', () => {
  it('keeps frames whole below the cap', () => {
    const t = streamTranscript(100);
    t.add('data: {"a":1}\n\n');
    t.add('data: [DONE]\n\n');
    expect(t.text()).toBe('data: {"a":1}\n\ndata: [DONE]\n\n');
  });

  it('keeps only the first maxChars and says how much more there was', () => {
    const t = streamTranscript(10);
    t.add('0123456');
    t.add('789abc');
    t.add('defg');
    expect(t.text()).toBe('0123456789…[truncated: 7 more characters]');
  });
});
