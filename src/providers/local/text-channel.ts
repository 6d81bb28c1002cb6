/**
 * node-llama-cpp reports generated text through callbacks; the response body pulls. This bridges
 * the two: `push` never blocks generation, and what is queued is bounded by the request's own
 * token budget (at most `context_size` tokens of text), so memory per stream stays bounded.
 */
export interface TextChannel {
  push(text: string): void;
  /** No more text; the iterator ends after draining. */
  close(): void;
  readonly pieces: AsyncIterable<string>;
}

export function createTextChannel(): TextChannel {
  const queued: string[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  return {
    push(text) {
      if (closed) return;
      queued.push(text);
      notify();
    },
    close() {
      closed = true;
      notify();
    },
    pieces: {
      async *[Symbol.asyncIterator]() {
        while (true) {
          if (queued.length > 0) {
            // Pieces that piled up while the client was slow go out as one chunk.
            yield queued.splice(0).join('');
            continue;
          }
          if (closed) return;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    },
  };
}
