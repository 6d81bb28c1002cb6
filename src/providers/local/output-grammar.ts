import type { Llama, LlamaGrammar } from 'node-llama-cpp';
import { invalidParam } from './engine-error.js';
import type { OutputFormat } from './wire-request.js';

/**
 * Grammars for `response_format`: llama.cpp samples only tokens the grammar allows, so the answer
 * is valid JSON (matching the schema for `json_schema`) even from a model that would not write it.
 * Compiling a schema's grammar takes milliseconds, so grammars are kept per schema text (bounded).
 */

const MAX_CACHED = 64;
const cached = new WeakMap<Llama, Map<string, Promise<LlamaGrammar>>>();

export async function grammarFor(llama: Llama, format: OutputFormat): Promise<LlamaGrammar> {
  let byKey = cached.get(llama);
  if (!byKey) cached.set(llama, (byKey = new Map()));
  const key = format.kind === 'json_object' ? 'json' : JSON.stringify(format.schema);
  let grammar = byKey.get(key);
  if (!grammar) {
    grammar = compile(llama, format);
    if (byKey.size >= MAX_CACHED) byKey.delete(byKey.keys().next().value!);
    byKey.set(key, grammar);
    // A schema llama.cpp cannot compile is the caller's error; do not keep it.
    grammar.catch(() => byKey.delete(key));
  }
  return grammar;
}

async function compile(llama: Llama, format: OutputFormat): Promise<LlamaGrammar> {
  if (format.kind === 'json_object') return llama.getGrammarFor('json');
  try {
    // node-llama-cpp's GBNF converter takes the JSON Schema subset it documents; anything else throws.
    return await llama.createGrammarForJsonSchema(format.schema as never);
  } catch (err) {
    throw invalidParam(
      'response_format.json_schema.schema',
      `The local engine cannot constrain output to this JSON Schema: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
