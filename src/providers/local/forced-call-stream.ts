import type { CallPiece } from './text-channel.js';

/**
 * A forced tool call is sampled as the JSON text `{"name": "<tool>", "arguments": {…}}`, the order
 * its grammar (forcedCallSchema) fixes. This reads that text as it grows and hands on the
 * arguments object as it is sampled, as call 0, so a streamed forced call arrives like any other:
 * name first, then its arguments in pieces. Strings are tracked (a brace inside one is text), so
 * the arguments end exactly where their own braces close, and the call object's closing brace is
 * never passed on. Arguments that are not an object or array are not streamed: the call then
 * goes out whole once generation ends, as before.
 */
export function forcedCallStream(emit: (piece: CallPiece) => void): (text: string) => void {
  let head = '';
  let name: string | undefined;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let started = false;
  let done = false;

  const scanArguments = (text: string) => {
    let from = 0;
    if (!started) {
      while (from < text.length && /\s/.test(text[from]!)) from++;
      if (from === text.length) return;
      if (text[from] !== '{' && text[from] !== '[') {
        done = true;
        return;
      }
      started = true;
    }
    let end = text.length;
    for (let i = from; i < text.length; i++) {
      const ch = text[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if ((ch === '}' || ch === ']') && --depth === 0) {
        end = i + 1;
        done = true;
        break;
      }
    }
    if (end > from) emit({ call: 0, name: name!, args: text.slice(from, end) });
  };

  return (text) => {
    if (done) return;
    if (name !== undefined) return scanArguments(text);
    head += text;
    const match = /^\s*\{\s*"name"\s*:\s*"((?:[^"\\]|\\.)*)"\s*,\s*"arguments"\s*:/.exec(head);
    if (!match) return;
    name = JSON.parse(`"${match[1]!}"`) as string;
    scanArguments(head.slice(match[0].length));
  };
}
