import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src/config/types.js';
import { findVendor, type VendorEntry } from '../../../src/providers/openai-compatible/index.js';
import {
  azureDeploymentUrl,
  minimaxBaseRespError,
  sparkCodeError,
  thinkingOffUnlessStreaming,
  withThinkingOff,
} from '../../../src/providers/openai-compatible/vendor-hooks.js';

/** Every named hook in vendors.ts has its behaviour pinned here (STYLE.md house rule 3). */

const provider = (base_url: string, api_version?: string): ProviderConfig => ({
  name: 'azure',
  kind: 'azure',
  base_url,
  api_version,
  headers: {},
  timeouts: { connect_ms: 1, first_byte_ms: 1, idle_ms: 1, total_ms: 1 },
});

describe('azureDeploymentUrl (§2)', () => {
  it('uses the dated API with the deployment in the path when api_version is set', () => {
    expect(azureDeploymentUrl(provider('https://r.openai.azure.com', '2025-04-01-preview'), '/chat/completions', 'gpt 4o/mini')).toBe(
      'https://r.openai.azure.com/openai/deployments/gpt%204o%2Fmini/chat/completions?api-version=2025-04-01-preview',
    );
  });

  it('uses the v1 API otherwise, tolerating a base URL written for the OpenAI SDK', () => {
    for (const base of ['https://r.openai.azure.com', 'https://r.openai.azure.com/', 'https://r.openai.azure.com/openai', 'https://r.openai.azure.com/openai/v1/']) {
      expect(azureDeploymentUrl(provider(base), '/embeddings', 'dep')).toBe('https://r.openai.azure.com/openai/v1/embeddings');
    }
  });

  it('is the URL hook of the azure entry only', () => {
    expect(findVendor('azure')?.hooks.url).toBe(azureDeploymentUrl);
    expect(findVendor('openai')?.hooks.url).toBeUndefined();
  });
});

describe('thinkingOffUnlessStreaming (§6.2)', () => {
  const dashscope = findVendor('dashscope')!;
  const withSwitch = (thinkingSwitch: VendorEntry['thinkingSwitch']): VendorEntry => ({ ...dashscope, thinkingSwitch });

  it('turns thinking off for non-stream requests the vendor’s way', () => {
    expect(thinkingOffUnlessStreaming({ model: 'm' }, { stream: false, vendor: dashscope })).toEqual({ model: 'm', enable_thinking: false });
    expect(thinkingOffUnlessStreaming({}, { stream: false, vendor: withSwitch('thinking.type') })).toEqual({ thinking: { type: 'disabled' } });
    expect(thinkingOffUnlessStreaming({ chat_template_kwargs: { a: 1 } }, { stream: false, vendor: withSwitch('chat_template_kwargs.enable_thinking') })).toEqual({
      chat_template_kwargs: { a: 1, enable_thinking: false },
    });
    expect(thinkingOffUnlessStreaming({ x: 1 }, { stream: false, vendor: withSwitch('none') })).toEqual({ x: 1 });
  });

  it('leaves streaming requests and client choices alone', () => {
    expect(thinkingOffUnlessStreaming({ model: 'm' }, { stream: true, vendor: dashscope })).toEqual({ model: 'm' });
    expect(thinkingOffUnlessStreaming({ enable_thinking: true }, { stream: false, vendor: dashscope })).toEqual({ enable_thinking: true });
    expect(thinkingOffUnlessStreaming({ thinking: { type: 'enabled' } }, { stream: false, vendor: withSwitch('thinking.type') })).toEqual({ thinking: { type: 'enabled' } });
  });

  it('returns a new object', () => {
    const body = { model: 'm' };
    expect(withThinkingOff(body, 'enable_thinking')).not.toBe(body);
    expect(body).toEqual({ model: 'm' });
  });

  it('is the body hook of the dashscope entry', () => {
    expect(dashscope.hooks.adjustChatBody).toBe(thinkingOffUnlessStreaming);
  });
});

describe('in-body error detectors', () => {
  it('minimaxBaseRespError (§13): status_code ≠ 0 is an error', () => {
    expect(minimaxBaseRespError({ base_resp: { status_code: 1002, status_msg: 'rate limit' } })).toEqual({ code: '1002', message: 'rate limit' });
    expect(minimaxBaseRespError({ base_resp: { status_code: 0, status_msg: '' } })).toBeUndefined();
    expect(minimaxBaseRespError({ choices: [] })).toBeUndefined();
    expect(minimaxBaseRespError({ base_resp: { status_code: 1004 } })).toEqual({ code: '1004', message: '' });
  });

  it('sparkCodeError (§15): code ≠ 0 is an error', () => {
    expect(sparkCodeError({ code: 11202, message: 'AppIdQpsOverFlowError' })).toEqual({ code: '11202', message: 'AppIdQpsOverFlowError' });
    expect(sparkCodeError({ code: 0, message: 'Success' })).toBeUndefined();
    expect(sparkCodeError({ choices: [] })).toBeUndefined();
  });

  it('are wired to their vendors only', () => {
    expect(findVendor('minimax')?.hooks.bodyError).toBe(minimaxBaseRespError);
    expect(findVendor('spark')?.hooks.bodyError).toBe(sparkCodeError);
    // SiliconFlow errors look like `{code, message}` but only with a non-2xx status.
    expect(findVendor('siliconflow')?.hooks.bodyError).toBeUndefined();
  });
});
