import type { CacheControl, ChatMessage } from '../protocol/chat.js';
import { cacheControlOf } from '../protocol/cache-control.js';
import { invalidRequest, unsupported } from '../protocol/errors.js';
import { parseDataUrl } from './data-url.js';

/** Where an OpenAI `image_url` points: inline base64 (a data: URL) or a remote http(s) URL. */
export type ImageSource = { kind: 'inline'; mediaType: string; data: string } | { kind: 'remote'; url: string };

/** How one native format writes a text block and an image block. */
export interface BlockBuilders<Block> {
  text(text: string): Block;
  image(source: ImageSource, param: string): Block;
  /**
   * A text block with a prompt-cache breakpoint (CacheControl), as the format writes it: the block
   * marked (Anthropic), or followed by a marker block (Bedrock `cachePoint`). Absent: the format
   * has no breakpoints and the mark is dropped.
   */
  cached?(block: Block, cache: CacheControl): Block[];
}

/**
 * OpenAI message content (a string or parts) → a native format's content blocks, for the formats
 * that take text and images in a message (Anthropic blocks, Gemini parts: CATALOG.md §3, §4.1).
 * Empty text is skipped: Anthropic rejects empty text blocks, and OpenAI clients send
 * `content: ""` next to tool calls. An image URL that is neither a base64 data: URL nor http(s),
 * and any other part type (audio, files), is refused with a 400 naming it rather than dropped.
 */
export function toContentBlocks<Block>(content: ChatMessage['content'], param: string, build: BlockBuilders<Block>): Block[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [build.text(content)];
  const blocks: Block[] = [];
  content.forEach((part, j) => {
    const partParam = `${param}[${j}]`;
    if (part.type === 'text') {
      if (typeof part.text !== 'string' || part.text === '') return;
      const block = build.text(part.text);
      const cache = build.cached && cacheControlOf(part.cache_control);
      if (cache) blocks.push(...build.cached!(block, cache));
      else blocks.push(block);
      return;
    }
    if (part.type === 'image_url') {
      const url = (part.image_url as { url?: unknown } | undefined)?.url;
      const urlParam = `${partParam}.image_url.url`;
      blocks.push(build.image(imageSource(typeof url === 'string' ? url : '', urlParam), urlParam));
      return;
    }
    throw unsupported(`${partParam} of type '${part.type}' is not supported by this model.`, partParam);
  });
  return blocks;
}

function imageSource(url: string, param: string): ImageSource {
  const inline = parseDataUrl(url);
  if (inline) return { kind: 'inline', ...inline };
  if (/^https?:\/\//i.test(url)) return { kind: 'remote', url };
  throw invalidRequest(`${param} must be an http(s) URL or a base64 data: URL.`, param);
}
