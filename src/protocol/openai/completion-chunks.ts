import type { CompletionStreamEvent } from '../stream-events.js';
import { encodeError } from './encode.js';

/**
 * The OpenAI surface's legacy completions stream, outbound: each upstream `text_completion` chunk
 * as it came, with the public model name, and usage only if the client asked for it
 * (`stream_options.include_usage`, in which case every chunk carries `usage`, null until the
 * last, as OpenAI sends it). A failure after the first byte is OpenAI's `{error}` event.
 */
export class OpenAICompletionChunkEncoder {
  constructor(
    private readonly publicModel: string,
    private readonly includeUsage: boolean,
    private readonly fallbackId: string,
    private readonly now: number,
  ) {}

  encode(event: CompletionStreamEvent): string {
    if (event.type === 'error') return `data: ${JSON.stringify(encodeError(event.error))}\n\n`;
    const { usage, ...chunk } = event.chunk;
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    // The usage-only chunk Baimo asked the upstream for, which this client did not.
    if (choices.length === 0 && !this.includeUsage) return '';
    const body: Record<string, unknown> = {
      ...chunk,
      id: typeof chunk.id === 'string' && chunk.id !== '' ? chunk.id : this.fallbackId,
      object: 'text_completion',
      created: typeof chunk.created === 'number' && chunk.created > 0 ? chunk.created : this.now,
      model: this.publicModel,
      choices,
    };
    if (this.includeUsage) body.usage = usage ?? null;
    return `data: ${JSON.stringify(body)}\n\n`;
  }

  end(): string {
    return 'data: [DONE]\n\n';
  }
}
