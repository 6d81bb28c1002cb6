import { malformedUpstreamBody } from '../providers/parse-upstream.js';

/** A non-stream upstream body, parsed once; anything but JSON is the upstream's malformed answer. */
export function parseUpstreamJson(text: string): unknown {
  try {
    // DeepSeek pads slow non-stream answers with blank lines (CATALOG.md §12); JSON.parse skips whitespace.
    return JSON.parse(text);
  } catch (cause) {
    throw malformedUpstreamBody('the body is not valid JSON', cause);
  }
}
