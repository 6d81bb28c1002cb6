import type { ChatRequest, FunctionTool } from '../../protocol/chat.js';
import { cacheControlOf } from '../../protocol/cache-control.js';

/**
 * OpenAI `tools` / `tool_choice` / `parallel_tool_calls` → Anthropic (CATALOG.md §3):
 *  - function tools lose the `{type:"function", function:{…}}` wrapper and name their schema
 *    `input_schema`, which Anthropic requires even for a tool without parameters;
 *  - `strict` has no Anthropic counterpart and is not sent: it asks for stricter decoding of a
 *    schema the model is already given, so the call keeps its meaning without it;
 *  - a tool's `cache_control` breakpoint is kept;
 *  - any other tool type (Anthropic server tools such as `web_search_20250305`) is sent as given;
 *  - `required` is Anthropic's `any`, a named function is `{type:"tool", name}`;
 *  - `parallel_tool_calls: false` is `disable_parallel_tool_use` on the choice, so it needs a
 *    choice to ride on (`auto` when the caller set none); `none` forbids tools anyway.
 */
export function convertTools(tools: ChatRequest['tools']): Record<string, unknown>[] | undefined {
  if (!tools || tools.length === 0) return undefined;
  return tools.map((tool) => {
    if (tool.type !== 'function') return { ...tool };
    const fn = (tool as FunctionTool).function;
    const out: Record<string, unknown> = { name: fn.name };
    if (fn.description !== undefined) out.description = fn.description;
    out.input_schema = fn.parameters ?? { type: 'object', properties: {} };
    const cache = cacheControlOf((tool as FunctionTool).cache_control);
    if (cache) out.cache_control = cache;
    return out;
  });
}

export function convertToolChoice(req: ChatRequest): Record<string, unknown> | undefined {
  const choice = req.tool_choice;
  const noParallel = req.parallel_tool_calls === false;
  let out: Record<string, unknown> | undefined;
  if (choice === undefined) out = noParallel && req.tools?.length ? { type: 'auto' } : undefined;
  else if (choice === 'auto') out = { type: 'auto' };
  else if (choice === 'none') return { type: 'none' };
  else if (choice === 'required') out = { type: 'any' };
  else out = { type: 'tool', name: choice.function.name };
  if (out && noParallel) out.disable_parallel_tool_use = true;
  return out;
}
