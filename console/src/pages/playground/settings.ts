import type { ChatMessage, ChatParams } from '../../api/chat-stream';

/** The Playground's shared settings, as typed in the form (text), and their parsed request form. */
export interface Settings {
  system: string;
  temperature: string;
  topP: string;
  maxTokens: string;
  tools: string;
}

export const DEFAULT_SETTINGS: Settings = { system: '', temperature: '', topP: '', maxTokens: '', tools: '' };

export class ToolsJsonError extends Error {}

/** Parameters for the request; throws ToolsJsonError when the tools text is not a JSON array. */
export function paramsOf(s: Settings): ChatParams {
  const num = (text: string) => (text.trim() === '' ? undefined : Number(text));
  const params: ChatParams = { temperature: num(s.temperature), top_p: num(s.topP), max_tokens: num(s.maxTokens) };
  if (s.tools.trim() !== '') {
    let tools: unknown;
    try {
      tools = JSON.parse(s.tools);
    } catch (err) {
      throw new ToolsJsonError(err instanceof Error ? err.message : String(err));
    }
    if (!Array.isArray(tools)) throw new ToolsJsonError('not an array');
    params.tools = tools;
  }
  return params;
}

export const withSystem = (s: Settings, messages: ChatMessage[]): ChatMessage[] =>
  s.system.trim() ? [{ role: 'system', content: s.system }, ...messages] : messages;
