import { misconfigured } from './scope-spec.js';
import type { LimiterOptions } from './types.js';

/** A backend's answer when it cannot judge a budget yet: these scopes hold no spend. */
export interface UnknownSpend {
  unknownSpend: string[];
}

/** Rounds of "unknown, seeded, try again" before admit gives up (a seed that never sticks). */
const MAX_SEED_ROUNDS = 3;

/**
 * Run one admission attempt; where it reports scopes with no spend, load their durable spend,
 * seed it, and try again. Seeding is set-if-absent, so replicas racing to seed the same scope
 * agree on the first value written.
 */
export async function admitWithKnownSpend<T extends object>(
  attempt: () => Promise<T | UnknownSpend>,
  loadSpent: LimiterOptions['loadSpent'],
  seedSpent: (id: string, amount: number) => Promise<void>,
): Promise<T> {
  for (let round = 0; ; round++) {
    const result = await attempt();
    if (!('unknownSpend' in result)) return result;
    const ids = result.unknownSpend;
    if (!loadSpent) throw misconfigured(`the spend of ${ids.join(', ')} is unknown: call seedSpent() first or pass loadSpent`);
    if (round >= MAX_SEED_ROUNDS) {
      throw misconfigured(`the spend of ${ids.join(', ')} is still unknown after seeding ${MAX_SEED_ROUNDS} times`);
    }
    await Promise.all(ids.map(async (id) => seedSpent(id, await loadSpent(id))));
  }
}
