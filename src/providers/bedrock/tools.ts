import type { ChatRequest, FunctionTool } from '../../protocol/chat.js';
import { cacheControlOf } from '../../protocol/cache-control.js';
import { unsupported } from '../../protocol/errors.js';
import { CACHE_POINT, hasToolBlocks } from './messages.js';

/**
 * OpenAI `tools` / `tool_choice` → Converse `toolConfig` (CATALOG.md §5):
 *  - each function is a `toolSpec` whose JSON Schema sits in `inputSchema.json` (required even
 *    for a tool without parameters); `strict` has no Converse counterpart and is not sent;
 *  - `auto` is `{auto:{}}`, `required` is `{any:{}}`, a named function is `{tool:{name}}`;
 *  - Converse has no `none`. Without tool blocks in the history, `none` sends no tools at all,
 *    which means the same; with them Converse insists on a `toolConfig`, which would let the
 *    model call tools, so the request is refused rather than answered differently;
 *  - there is no switch for parallel calls, so `parallel_tool_calls: false` is refused (as for
 *    Gemini): the client said it cannot handle several calls in one turn;
 *  - non-function tools have no Converse form and are refused;
 *  - a tool's `cache_control` is a `cachePoint` entry after it.
 */
export function convertToolConfig(req: ChatRequest): Record<string, unknown> | undefined {
  const tools = req.tools ?? [];
  if (tools.length === 0) return undefined;
  if (req.parallel_tool_calls === false) {
    throw unsupported('parallel_tool_calls: false is not supported by this model.', 'parallel_tool_calls');
  }
  const choice = req.tool_choice;
  if (choice === 'none') {
    if (hasToolBlocks(req.messages)) {
      throw unsupported("tool_choice 'none' is not supported by this model when the conversation has tool calls.", 'tool_choice');
    }
    return undefined;
  }
  const config: Record<string, unknown> = {
    tools: tools.flatMap((tool, i) => {
      if (tool.type !== 'function') {
        throw unsupported(`tools[${i}] of type '${tool.type}' is not supported by this model.`, `tools[${i}].type`);
      }
      const fn = (tool as FunctionTool).function;
      const spec: Record<string, unknown> = { name: fn.name };
      if (fn.description !== undefined) spec.description = fn.description;
      spec.inputSchema = { json: fn.parameters ?? { type: 'object', properties: {} } };
      // A cache breakpoint after this tool: the tool list up to here may be cached.
      return cacheControlOf((tool as FunctionTool).cache_control) ? [{ toolSpec: spec }, CACHE_POINT] : [{ toolSpec: spec }];
    }),
  };
  if (choice === 'auto') config.toolChoice = { auto: {} };
  else if (choice === 'required') config.toolChoice = { any: {} };
  else if (choice !== undefined) config.toolChoice = { tool: { name: choice.function.name } };
  return config;
}
