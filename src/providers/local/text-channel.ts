/**
 * node-llama-cpp reports generated text through callbacks; the response body pulls. This bridges
 * the two: `push` never blocks generation, and what is queued is bounded by the request's own
 * token budget (at most `context_size` tokens of text), so memory per stream stays bounded.
 */

/** Arguments text of a tool call, as it is sampled; `call` numbers the calls of one answer from 0. */
export interface CallPiece {
  call: number;
  name: string;
  args: string;
}

/** Generated content (a string) or a piece of a tool call's arguments. */
export type RunPiece = string | CallPiece;

export interface TextChannel {
  push(piece: RunPiece): void;
  /** No more pieces; the iterator ends after draining. */
  close(): void;
  readonly pieces: AsyncIterable<RunPiece>;
}

export function createTextChannel(): TextChannel {
  const queued: RunPiece[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  return {
    push(piece) {
      if (closed) return;
      queued.push(piece);
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
            // Pieces that piled up while the client was slow go out together: runs of text as one
            // string, runs of one call's arguments as one piece.
            yield* coalesce(queued.splice(0));
            continue;
          }
          if (closed) return;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    },
  };
}

function coalesce(pieces: RunPiece[]): RunPiece[] {
  const out: RunPiece[] = [];
  for (const piece of pieces) {
    const last = out.at(-1);
    if (typeof piece === 'string' && typeof last === 'string') out[out.length - 1] = last + piece;
    else if (typeof piece !== 'string' && typeof last === 'object' && last.call === piece.call) out[out.length - 1] = { ...last, args: last.args + piece.args };
    else out.push(piece);
  }
  return out;
}
