import type { ChatMessage } from '../protocol/chat.js';
import { invalidRequest } from '../protocol/errors.js';
import { parseToolArguments } from './json-args.js';

/**
 * The tool-call history of an OpenAI conversation as the block formats need it (Anthropic
 * `tool_use`/`tool_result`, Bedrock `toolUse`/`toolResult`: CATALOG.md §3, §5): each assistant
 * call with its arguments as an object, and the id each tool message answers.
 */
export interface ToolCallInput {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export function toolCallInputs(message: ChatMessage, param: string): ToolCallInput[] {
  return (message.tool_calls ?? []).map((call, j) => ({
    id: call.id,
    name: call.function.name,
    input: parseToolArguments(call.function.arguments, `${param}.tool_calls[${j}].function.arguments`),
  }));
}

/** A tool message must say which call it answers; a 400 naming the field otherwise. */
export function answeredToolCallId(message: ChatMessage, param: string): string {
  if (!message.tool_call_id) {
    throw invalidRequest(`${param}.tool_call_id is required for a tool message.`, `${param}.tool_call_id`);
  }
  return message.tool_call_id;
}
