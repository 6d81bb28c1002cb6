/**
 * Combine request-header layers (adapter defaults, the operator's static `headers` from config,
 * auth) with later layers winning. Keys are lower-cased first: undici would send `Anthropic-Version`
 * and `anthropic-version` as two headers, and the upstream would see both.
 */
export function mergeHeaders(...layers: (Record<string, string | undefined> | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      if (value !== undefined) out[key.toLowerCase()] = value;
    }
  }
  return out;
}
