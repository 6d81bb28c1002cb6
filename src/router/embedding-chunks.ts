import type { EmbeddingsRequest, EmbeddingsResponse } from '../protocol/chat.js';

/**
 * Splitting one embeddings request for an upstream that takes fewer inputs per call than the client
 * sent (`EmbeddingsCodec.maxInputs`), and joining the answers back into one OpenAI response. The
 * chunks are sent within one attempt, so a failed chunk fails the attempt and failover retries the
 * whole request elsewhere, exactly as for a single call.
 */

/** Chunks of one request in flight at once: a long list is not one round trip per text in series. */
export const CHUNKS_IN_FLIGHT = 4;

/**
 * `fn` over `items` with at most `limit` calls pending, results in input order. The first failure
 * rejects (calls already started run to their end; their answers are dropped).
 */
export async function mapInOrder<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await fn(items[at]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** `req` as requests of at most `maxInputs` inputs each, in order; `[req]` when it fits or there is no cap. */
export function splitEmbeddingsRequest(req: EmbeddingsRequest, maxInputs: number | undefined): EmbeddingsRequest[] {
  const inputs = inputList(req.input);
  if (!inputs || maxInputs === undefined || maxInputs < 1 || inputs.length <= maxInputs) return [req];
  const chunks: EmbeddingsRequest[] = [];
  for (let at = 0; at < inputs.length; at += maxInputs) {
    chunks.push({ ...req, input: inputs.slice(at, at + maxInputs) as EmbeddingsRequest['input'] });
  }
  return chunks;
}

/**
 * The answers to `chunks`, in the same order, as one response: `index` counts across chunks (a
 * chunk's answer is indexed from 0), usage is summed, the model is the first answer's.
 */
export function joinEmbeddings(chunks: EmbeddingsRequest[], answers: EmbeddingsResponse[]): EmbeddingsResponse {
  if (answers.length === 1) return answers[0]!;
  const data: EmbeddingsResponse['data'] = [];
  const usage = { prompt_tokens: 0, total_tokens: 0 };
  let offset = 0;
  answers.forEach((answer, i) => {
    for (const item of answer.data) data.push({ ...item, index: item.index + offset });
    usage.prompt_tokens += answer.usage.prompt_tokens;
    usage.total_tokens += answer.usage.total_tokens;
    offset += inputList(chunks[i]!.input)?.length ?? 1;
  });
  return { object: 'list', data, model: answers[0]?.model ?? '', usage };
}

/** The inputs of a list request; undefined for one input (a string, or one token-id list). */
function inputList(input: EmbeddingsRequest['input']): (string | number[])[] | undefined {
  if (!Array.isArray(input) || input.length === 0 || typeof input[0] === 'number') return undefined;
  return input as (string | number[])[];
}
