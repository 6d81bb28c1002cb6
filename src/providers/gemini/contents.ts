import type { ChatMessage } from '../../protocol/chat.js';
import { invalidRequest } from '../../protocol/errors.js';
import { toContentBlocks, type BlockBuilders } from '../content-blocks.js';
import { parseToolArguments } from '../json-args.js';
import { toNativeTurns } from '../native-turns.js';
import { textParts } from '../text-parts.js';
import { readThoughtSignature } from './parts.js';

/**
 * OpenAI messages → Gemini `systemInstruction` + `contents` (CATALOG.md §4.1), on the shared
 * skeleton of `toNativeTurns` (system hoisted into `systemInstruction`, same-role turns merged):
 *  - assistant is `model`; its tool calls are `functionCall` parts with object `args`, each with
 *    the `thoughtSignature` it was issued with (§4.1: Gemini 3 rejects a replayed function call
 *    without it). Reasoning text is not sent back: thought summaries are output only, and the
 *    signature is what carries the model's thinking across turns;
 *  - tool results are `functionResponse` parts in a `user` turn. Gemini matches them by function
 *    name, which OpenAI tool messages lack, so the name is found from the earlier call's id; the
 *    result text is wrapped as `{content: "…"}` because `response` must be an object; the
 *    results of parallel calls share one turn.
 */

type WirePart = Record<string, unknown>;
type WireRole = 'user' | 'model';

export interface GeminiContents {
  systemInstruction?: { parts: { text: string }[] };
  contents: { role: WireRole; parts: WirePart[] }[];
}

export function convertContents(messages: ChatMessage[]): GeminiContents {
  const callNames = new Map<string, string>();
  const { system, turns } = toNativeTurns<WireRole, WirePart>(messages, {
    user: (message, param) => ({ role: 'user', blocks: contentParts(message.content, `${param}.content`) }),
    assistant: (message, param) => ({ role: 'model', blocks: modelParts(message, param, callNames) }),
    tool: (message, param) => ({ role: 'user', blocks: [functionResponsePart(message, param, callNames)] }),
  });
  const out: GeminiContents = { contents: turns.map((t) => ({ role: t.role, parts: t.blocks })) };
  if (system.length > 0) out.systemInstruction = { parts: system.map(({ text }) => ({ text })) };
  return out;
}

function modelParts(message: ChatMessage, param: string, callNames: Map<string, string>): WirePart[] {
  const parts = contentParts(message.content, `${param}.content`);
  (message.tool_calls ?? []).forEach((call, j) => {
    callNames.set(call.id, call.function.name);
    const args = parseToolArguments(call.function.arguments, `${param}.tool_calls[${j}].function.arguments`);
    const part: WirePart = { functionCall: { name: call.function.name, args } };
    const signature = readThoughtSignature(call.provider_data);
    if (signature) part.thoughtSignature = signature;
    parts.push(part);
  });
  return parts;
}

function functionResponsePart(message: ChatMessage, param: string, callNames: Map<string, string>): WirePart {
  const name = message.tool_call_id ? callNames.get(message.tool_call_id) : undefined;
  if (!name) {
    throw invalidRequest(
      `${param}.tool_call_id does not match a tool call of an earlier assistant message; this model needs the function's name.`,
      `${param}.tool_call_id`,
    );
  }
  const content = textParts(message.content, `${param}.content`).join('');
  return { functionResponse: { name, response: { content } } };
}

/**
 * `fileData` needs a MIME type that an OpenAI `image_url` does not carry; it is taken from the
 * URL's extension, and a URL without a recognisable one is refused (a wrong guess would be an
 * opaque upstream 400) with a pointer to the form that always works, a data: URL.
 */
const PARTS: BlockBuilders<WirePart> = {
  text: (text) => ({ text }),
  image: (source, param) => {
    if (source.kind === 'inline') return { inlineData: { mimeType: source.mediaType, data: source.data } };
    const mimeType = imageMimeType(source.url);
    if (!mimeType) {
      throw invalidRequest(
        `${param}: cannot tell the image type from the URL (expected a .png, .jpg, .jpeg, .webp, .gif, .heic or .heif path); send the image as a base64 data: URL instead.`,
        param,
      );
    }
    return { fileData: { mimeType, fileUri: source.url } };
  },
};

function contentParts(content: ChatMessage['content'], param: string): WirePart[] {
  return toContentBlocks(content, param, PARTS);
}

const IMAGE_TYPES: ReadonlyMap<string, string> = new Map([
  ['png', 'image/png'],
  ['jpg', 'image/jpeg'],
  ['jpeg', 'image/jpeg'],
  ['webp', 'image/webp'],
  ['gif', 'image/gif'],
  ['heic', 'image/heic'],
  ['heif', 'image/heif'],
]);

function imageMimeType(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return extension ? IMAGE_TYPES.get(extension) : undefined;
}
