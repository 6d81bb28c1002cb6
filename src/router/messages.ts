import type { DeploymentConfig, ModelConfig } from '../config/types.js';
import type { Usage } from '../protocol/chat.js';
import type { PassthroughItem } from '../protocol/anthropic/passthrough.js';
import type { StreamEvent } from '../protocol/stream-events.js';
import type { AbortSignalLike } from '../providers/abort-like.js';
import type { Adapter, DecodeContext, MessagesCodec, SseMessage, StreamDecoder, UpstreamTarget } from '../providers/adapter.js';
import { fetchBuffered, type Transport, type UpstreamResponse } from '../providers/transport.js';
import type { ChatOutcome } from './gateway.js';
import type { Lease } from './lease.js';
import { openStream } from './upstream-stream.js';
import { parseUpstreamJson } from './upstream-json.js';

/**
 * The native half of the Anthropic Messages surface (Gateway.messages): a deployment whose
 * adapter speaks Messages gets the client's body, and its answer is relayed as it came — while
 * still decoded by the adapter, so usage reaches metering and limits exactly as on a translated
 * call, and the first-byte rule, lease and error classification are the ones `openStream` applies
 * to every stream.
 */

/** A committed native stream: the upstream's SSE messages, then possibly one terminal error. */
export interface NativeStream {
  readonly deploymentId: string;
  events(): AsyncGenerator<PassthroughItem, void, void>;
  usage(): Usage | undefined;
}

export type MessagesOutcome =
  | ChatOutcome
  | { kind: 'native-json'; body: unknown; usage?: Usage; deploymentId: string }
  | { kind: 'native-stream'; stream: NativeStream };

export interface NativeDeps {
  now: () => number;
  decode: DecodeContext;
}

/** A native stream, committed on its first event. */
export async function openNativeStream(res: UpstreamResponse, adapter: Adapter, lease: Lease, deps: NativeDeps, startedAt: number): Promise<MessagesOutcome> {
  const paired = pairFrames(adapter.chat.decoder(deps.decode));
  const opened = await openStream(res, paired.decoder, lease, deps.now, startedAt);
  return { kind: 'native-stream', stream: { deploymentId: opened.deploymentId, usage: opened.usage, events: () => paired.relay(opened.events()) } };
}

/** A native JSON answer, relayed as it came; parsed by the adapter for its usage (and errors in a 200). */
export function nativeJsonAnswer(body: unknown, adapter: Adapter, lease: Lease, deps: NativeDeps, startedAt: number): MessagesOutcome {
  const usage = adapter.chat.parse(body, deps.decode).usage;
  lease.finish({ status: 200, usage, ttftMs: deps.now() - startedAt });
  return { kind: 'native-json', body, usage, deploymentId: lease.deployment.id };
}

/** Nothing new: stands for an SSE message that decodes to no canonical event (`ping`, a block start). */
const NOTHING: StreamEvent = { type: 'delta', index: 0 };

/**
 * Pairs each raw SSE message with the canonical events decoded from it. The wrapped decoder
 * remembers every message it is given and answers at least one event for each (NOTHING when the
 * adapter has none), so `relay` can hand messages on the moment their events come through
 * `openStream` — in order, with nothing held back. On an error the pending message is the one
 * that failed (an upstream `error` event, or unparsable data): it is replaced by the error itself.
 */
export function pairFrames(inner: StreamDecoder): {
  decoder: StreamDecoder;
  relay(events: AsyncGenerator<StreamEvent, void, void>): AsyncGenerator<PassthroughItem, void, void>;
} {
  let pending: SseMessage[] = [];
  const take = (): PassthroughItem[] => {
    const out = pending.map((m): PassthroughItem => ({ type: 'frame', event: m.event, data: m.data }));
    pending = [];
    return out;
  };
  return {
    decoder: {
      push(message) {
        pending.push(message);
        const events = inner.push(message);
        return events.length > 0 ? events : [NOTHING];
      },
      end: () => inner.end(),
      get done() {
        return inner.done;
      },
    },
    async *relay(events) {
      for await (const event of events) {
        if (event.type === 'error') {
          pending = [];
          yield { type: 'error', error: event.error };
          return;
        }
        yield* take();
      }
      yield* take();
    },
  };
}

/**
 * Anthropic's `count_tokens` (§3), asked of the model's preferred deployment when it speaks
 * Messages. Undefined when it does not, or when the upstream gives no count — the caller then
 * estimates. Counting is free upstream and reserves nothing, so it takes no lease.
 */
export async function countTokensNatively(
  transport: Transport,
  model: ModelConfig,
  resolve: (deployment: DeploymentConfig) => { adapter: Adapter; target: UpstreamTarget } | undefined,
  body: Record<string, unknown>,
  opts: { signal?: AbortSignalLike; maxBody: number; betas?: string },
): Promise<number | undefined> {
  const preferred = model.deployments.reduce<DeploymentConfig | undefined>((best, d) => (!best || d.priority < best.priority ? d : best), undefined);
  const resolved = preferred && resolve(preferred);
  const codec: MessagesCodec | undefined = resolved?.adapter.messages;
  if (!preferred || !resolved || !codec) return undefined;
  const res = await fetchBuffered(transport, codec.countTokens(body, resolved.target, { betas: opts.betas }), preferred.timeouts, opts.signal, opts.maxBody);
  if (res.status < 200 || res.status >= 300) return undefined;
  const json = parseUpstreamJson(res.text) as { input_tokens?: unknown } | null;
  return typeof json?.input_tokens === 'number' ? json.input_tokens : undefined;
}
