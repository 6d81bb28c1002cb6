/**
 * What the indexes see of a chunk: its heading path, then its text. A passage under
 * "Install › Linux" is found by "install on linux" even when its own sentences never say so
 * (contextual chunk headers); citations still point at the exact text range.
 */
export function indexTextOf(text: string, headingPath: readonly string[]): string {
  return headingPath.length === 0 ? text : `${headingPath.join(' › ')}\n${text}`;
}
