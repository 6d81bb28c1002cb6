/**
 * Wire types of OpenAI's Responses API as Baimo serves it (CATALOG.md §1.4): the Response object,
 * its output items and usage. Only what Baimo produces is typed; clients may send more.
 */

export type ResponseStatus = 'completed' | 'in_progress' | 'incomplete' | 'failed';
export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export interface OutputTextPart {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs: unknown[];
}

export interface RefusalPart {
  type: 'refusal';
  refusal: string;
}

export interface SummaryTextPart {
  type: 'summary_text';
  text: string;
}

export interface MessageItem {
  type: 'message';
  id: string;
  status: ItemStatus;
  role: 'assistant';
  content: (OutputTextPart | RefusalPart)[];
}

export interface FunctionCallItem {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: ItemStatus;
}

export interface ReasoningItem {
  type: 'reasoning';
  id: string;
  summary: SummaryTextPart[];
  status?: ItemStatus;
}

export type OutputItem = MessageItem | FunctionCallItem | ReasoningItem;

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface ResponseError {
  code: string;
  message: string;
}

/** Function tool as the Responses API declares it: flat, not nested under `function`. */
export interface ResponsesFunctionTool {
  type: 'function';
  name: string;
  description?: string | null;
  parameters?: Record<string, unknown> | null;
  strict?: boolean | null;
}

export type ResponsesToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; name: string };

/** The request fields a Response object echoes back, fixed when the request is accepted. */
export interface ResponseEnvelope {
  id: string;
  created_at: number;
  /** The public model name. */
  model: string;
  instructions: string | null;
  previous_response_id: string | null;
  tools: ResponsesFunctionTool[];
  tool_choice: ResponsesToolChoice;
  parallel_tool_calls: boolean;
  temperature: number | null;
  top_p: number | null;
  max_output_tokens: number | null;
  reasoning: { effort: string | null; summary: string | null };
  text: { format: Record<string, unknown>; verbosity?: string };
  truncation: 'disabled';
  metadata: Record<string, string>;
  store: boolean;
  user: string | null;
}

export interface ResponseObject extends ResponseEnvelope {
  object: 'response';
  status: ResponseStatus;
  background: false;
  error: ResponseError | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  output: OutputItem[];
  usage: ResponseUsage | null;
}
