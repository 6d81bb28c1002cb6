import { afterEach, expect, it } from 'vitest';
import type { ChatMessage } from '../../../src/protocol/chat.js';
import type { ResponseObject } from '../../../src/protocol/responses/types.js';
import { createResponseStore, responsesMigrations, startResponsePurge, type NewResponse } from '../../../src/responses/index.js';
import { migrate, type Store } from '../../../src/store/index.js';
import { describeEachStore } from '../../support/backends.js';
import { fakeClock, rejection } from '../../support/tenancy.js';

const DAY = 86_400_000;
const ORG_A = { orgId: 'org_a' };
const ORG_B = { orgId: 'org_b' };
const OPERATOR = { orgId: null };

function record(id: string, owner: { orgId: string | null }, conversation: ChatMessage[] = [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }]): NewResponse {
  return {
    id,
    owner,
    model: 'm',
    status: 'completed',
    previousResponseId: null,
    inputItems: [{ type: 'message', id: 'msg_1', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
    conversation,
    response: { id, object: 'response', status: 'completed', output: [] } as unknown as ResponseObject,
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  };
}

describeEachStore('response store', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function open(retentionDays = 30) {
    store = await backend.open();
    await migrate(store.db, store.dialect, [responsesMigrations]);
    const clock = fakeClock();
    return { clock, responses: createResponseStore({ store, now: clock.now, retentionDays }) };
  }

  it('saves and reads back a response with its items, conversation (replay data included) and usage', async () => {
    const { responses, clock } = await open();
    const conversation: ChatMessage[] = [
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '{}' } }], provider_data: { anthropic: { signature: 's' } } },
    ];
    await responses.save({ ...record('resp_1', ORG_A, conversation), previousResponseId: 'resp_0' });
    const got = await responses.get('resp_1', ORG_A);
    expect(got).toEqual({
      id: 'resp_1',
      orgId: 'org_a',
      createdAt: clock.now(),
      expiresAt: clock.now() + 30 * DAY,
      model: 'm',
      status: 'completed',
      previousResponseId: 'resp_0',
      inputItems: record('x', ORG_A).inputItems,
      conversation,
      response: { id: 'resp_1', object: 'response', status: 'completed', output: [] },
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
    expect(await responses.conversationOf('resp_1', ORG_A)).toEqual(conversation);
  });

  it("another org's response is exactly like a missing one: get, delete and chaining all refuse", async () => {
    const { responses } = await open();
    await responses.save(record('resp_a', ORG_A));
    await responses.save(record('resp_op', OPERATOR));
    expect(await responses.get('resp_a', ORG_B)).toBeUndefined();
    expect(await responses.get('resp_a', OPERATOR)).toBeUndefined();
    expect(await responses.get('resp_op', ORG_A)).toBeUndefined();
    expect(await responses.get('resp_op', OPERATOR)).toBeDefined();
    expect(await responses.delete('resp_a', ORG_B)).toBe(false);
    expect(await rejection(responses.conversationOf('resp_a', ORG_B))).toEqual({
      status: 400,
      code: 'previous_response_not_found',
      param: 'previous_response_id',
      message: "Previous response with id 'resp_a' not found.",
    });
    expect(await responses.get('resp_a', ORG_A)).toBeDefined();
  });

  it('deletes once; a deleted response can neither be read nor chained', async () => {
    const { responses } = await open();
    await responses.save(record('resp_1', ORG_A));
    expect(await responses.delete('resp_1', ORG_A)).toBe(true);
    expect(await responses.delete('resp_1', ORG_A)).toBe(false);
    expect(await responses.get('resp_1', ORG_A)).toBeUndefined();
    expect((await rejection(responses.conversationOf('resp_1', ORG_A))).code).toBe('previous_response_not_found');
  });

  it('retention: an expired response is invisible at once and purged in batches', async () => {
    const { responses, clock } = await open(2);
    for (let i = 0; i < 5; i++) await responses.save(record(`resp_old${i}`, ORG_A));
    clock.advance(DAY);
    await responses.save(record('resp_new', ORG_A));
    clock.advance(DAY + 1);
    expect(await responses.get('resp_old0', ORG_A)).toBeUndefined();
    expect((await rejection(responses.conversationOf('resp_old0', ORG_A))).code).toBe('previous_response_not_found');
    expect(await responses.delete('resp_old1', ORG_A)).toBe(false);
    expect(await responses.purgeExpired(2)).toBe(5);
    expect(await responses.purgeExpired()).toBe(0);
    expect(await responses.get('resp_new', ORG_A)).toBeDefined();
    clock.advance(DAY);
    const purge = startResponsePurge({ responses, intervalMs: 60_000 });
    expect(await purge.runOnce()).toBe(1);
    await purge.stop();
  });

  it('refuses a retention that is not a positive number of days', async () => {
    store = await backend.open();
    expect(() => createResponseStore({ store: store!, now: () => 0, retentionDays: 0 })).toThrow(/retentionDays/);
    expect(() => createResponseStore({ store: store!, now: () => 0, retentionDays: Number('x') })).toThrow(/retentionDays/);
  });
});
