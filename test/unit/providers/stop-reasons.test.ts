import { describe, expect, it } from 'vitest';
import { mapStopReason as anthropic } from '../../../src/providers/anthropic/stop-reason.js';
import { mapStopReason as bedrock } from '../../../src/providers/bedrock/stop-reason.js';

describe('native stop reasons → finish_reason', () => {
  it('maps each API’s own reasons', () => {
    expect([anthropic('end_turn'), anthropic('pause_turn'), anthropic('max_tokens'), anthropic('tool_use'), anthropic('refusal')]).toEqual([
      'stop',
      'stop',
      'length',
      'tool_calls',
      'content_filter',
    ]);
    expect([bedrock('stop_sequence'), bedrock('model_context_window_exceeded'), bedrock('guardrail_intervened'), bedrock('content_filtered')]).toEqual([
      'stop',
      'length',
      'content_filter',
      'content_filter',
    ]);
  });

  it('no reason yet is null; an unknown one (even a name on Object.prototype) is passed on as written', () => {
    expect(anthropic(null)).toBeNull();
    expect(bedrock(undefined)).toBeNull();
    expect(anthropic('new_reason_2027')).toBe('new_reason_2027');
    expect(bedrock('constructor')).toBe('constructor');
    expect(bedrock('pause_turn')).toBe('pause_turn');
  });
});
