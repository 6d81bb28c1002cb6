/**
 * Usage an adapter estimated because the upstream reported none (Gemini and Bedrock Cohere
 * embeddings). The estimate is billed, but metering flags the event `usage_estimated` so reports
 * show the gap (STYLE.md: unknown is not zero, nor silently exact). A mark on the object rather
 * than a field, so nothing extra reaches the client's JSON.
 */
const estimated = new WeakSet<object>();

export function markEstimated<T extends object>(usage: T): T {
  estimated.add(usage);
  return usage;
}

export function isEstimated(usage: object | undefined): boolean {
  return usage !== undefined && estimated.has(usage);
}
