import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/**
 * Test-side AWS event-stream writer (CATALOG.md §5), with AWS's own encoder so the bytes carry
 * real preludes and CRCs. Bedrock stream fixtures are kept readable as one JSON line per message
 * (`*.events.jsonl`) and turned into wire bytes here, for the unit tests and the mock upstream:
 *   {"event": "contentBlockDelta", "payload": {…}}        → :message-type event
 *   {"exception": "throttlingException", "payload": {…}}  → :message-type exception
 */
export interface EventLine {
  event?: string;
  exception?: string;
  payload: unknown;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

const header = (value: string) => ({ type: 'string' as const, value });

export function encodeEventMessage(line: EventLine): Uint8Array {
  const headers: Record<string, ReturnType<typeof header>> = line.exception
    ? { ':message-type': header('exception'), ':exception-type': header(line.exception), ':content-type': header('application/json') }
    : { ':message-type': header('event'), ':event-type': header(line.event ?? ''), ':content-type': header('application/json') };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(line.payload)) });
}

export function encodeEventStream(lines: EventLine[]): Buffer {
  return Buffer.concat(lines.map((line) => encodeEventMessage(line)));
}

/** `*.events.jsonl` text → wire bytes. */
export function eventStreamFromJsonl(text: string): Buffer {
  const lines = text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as EventLine);
  return encodeEventStream(lines);
}
