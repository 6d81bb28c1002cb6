/**
 * Split a base64 `data:` URL (how OpenAI clients inline images, CATALOG.md §1.2) into the media
 * type and payload that native formats carry separately (Anthropic `source.base64`, Gemini
 * `inlineData`). Returns undefined for anything else, including non-base64 data URLs, which
 * neither upstream accepts.
 *
 * @example parseDataUrl('data:image/png;base64,iVBOR…') // { mediaType: 'image/png', data: 'iVBOR…' }
 */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+)((?:;[^;,]*)*);base64,(.*)$/s.exec(url);
  if (!match) return undefined;
  return { mediaType: match[1]!.toLowerCase(), data: match[3]! };
}
