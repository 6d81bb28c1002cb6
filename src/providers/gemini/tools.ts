import type { ChatRequest, FunctionTool } from '../../protocol/chat.js';
import { unsupported } from '../../protocol/errors.js';

/**
 * OpenAI tools → one Gemini `functionDeclarations` tool (CATALOG.md §4.1). The schema goes in
 * `parametersJsonSchema`, which takes JSON Schema as clients write it; `parameters` takes only an
 * OpenAPI subset and would reject common keywords (`additionalProperties`, `$schema`…). `strict`
 * has no Gemini counterpart and is not sent: the schema is still enforced as a declaration.
 * Non-function tools cannot be expressed in OpenAI's shape for Gemini and are refused.
 */
export function convertTools(tools: ChatRequest['tools']): Record<string, unknown>[] | undefined {
  if (!tools || tools.length === 0) return undefined;
  const functionDeclarations = tools.map((tool, i) => {
    if (tool.type !== 'function') {
      throw unsupported(`tools[${i}] of type '${tool.type}' is not supported by this model.`, `tools[${i}].type`);
    }
    const fn = (tool as FunctionTool).function;
    const declaration: Record<string, unknown> = { name: fn.name };
    if (fn.description !== undefined) declaration.description = fn.description;
    if (fn.parameters !== undefined) declaration.parametersJsonSchema = fn.parameters;
    return declaration;
  });
  return [{ functionDeclarations }];
}

/**
 * `tool_choice` → `toolConfig.functionCallingConfig` (§4.1): `required` is `ANY`, a named function
 * is `ANY` restricted by `allowedFunctionNames`. Gemini has no switch for parallel calls, so
 * `parallel_tool_calls: false` with tools is refused rather than ignored: the client said it
 * cannot handle several calls in one turn, and Gemini may send them.
 */
export function convertToolConfig(req: ChatRequest): Record<string, unknown> | undefined {
  if (req.parallel_tool_calls === false && req.tools && req.tools.length > 0) {
    throw unsupported('parallel_tool_calls: false is not supported by this model.', 'parallel_tool_calls');
  }
  const choice = req.tool_choice;
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
}
