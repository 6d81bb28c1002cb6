import { Counter, Gauge, type Registry } from 'prom-client';
import type { LocalUpstream } from '../providers/index.js';

type StatsFn = LocalUpstream['stats'];
type EngineStats = ReturnType<StatsFn>[number];

/**
 * The in-process engine's load per `kind: local` provider: what is generating, what waits for a
 * sequence, how many models are loaded, and tokens processed (with `rate()`, tokens/s). Read from
 * the engine at scrape time.
 */
export function registerLocalEngineMetrics(registry: Registry, stats: StatsFn): void {
  const registers = [registry];
  const gauge = (name: string, help: string, pick: (s: EngineStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['provider'],
      registers,
      collect() {
        this.reset();
        for (const s of stats()) this.set({ provider: s.provider }, pick(s));
      },
    });
  gauge('baimo_local_engine_active', 'Requests generating or embedding in the local engine.', (s) => s.active);
  gauge('baimo_local_engine_queued', 'Requests waiting for a free sequence of the local engine.', (s) => s.queued);
  gauge('baimo_local_engine_loaded_models', 'GGUF models loaded (or loading) by the local engine.', (s) => s.loadedModels);
  new Counter({
    name: 'baimo_local_engine_tokens_total',
    help: 'Tokens processed by the local engine, by type (prompt, completion).',
    labelNames: ['provider', 'type'],
    registers,
    collect() {
      this.reset();
      for (const s of stats()) {
        this.inc({ provider: s.provider, type: 'prompt' }, s.promptTokens);
        this.inc({ provider: s.provider, type: 'completion' }, s.completionTokens);
      }
    },
  });
}
