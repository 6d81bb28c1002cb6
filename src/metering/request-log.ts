import { z } from 'zod';
import type { JournalStats, RecoverResult } from './journal.js';
import { createJournaledTable, type JournaledTableOptions } from './journaled-table.js';
import { redactString, serializeBody } from './redact.js';
import type { RequestLogsTable } from './tables.js';

/** Metadata of one client request (whatever the number of upstream attempts), as the server saw it. */
export interface RequestLogEntry {
  requestId: string;
  ts: number;
  orgId?: string | null;
  keyId?: string | null;
  endpoint: string;
  model: string;
  /** The deployment that answered (or the last one tried). */
  deploymentId?: string | null;
  provider?: string | null;
  status: number;
  errorCode?: string | null;
  /** The message the client saw (already sanitised of upstream identity). */
  errorMessage?: string | null;
  latencyMs: number;
  ttftMs?: number | null;
  /** Null when unknown (failed before usage was known); never a made-up 0. */
  inputTokens?: number | null;
  outputTokens?: number | null;
  cost?: number | null;
  stream: boolean;
}

export interface RequestLogBodies {
  /** The org opted in to body logging. Without it bodies are dropped before anything is written. */
  logBodies: boolean;
  requestBody?: unknown;
  responseBody?: unknown;
}

export interface RequestLogWriterOptions extends JournaledTableOptions {
  /** Cap per stored body, in bytes of UTF-8 (default 64 KiB). */
  maxBodyBytes?: number;
}

export interface RequestLogWriter {
  /** Redact and cap bodies, then queue; journaled at the end of the turn, like usage (nothing waits for it). */
  record(entry: RequestLogEntry, bodies?: RequestLogBodies): void;
  /** Settles once every recorded entry is journaled (tests simulating a crash wait for it). */
  durable(): Promise<void> | undefined;
  recover(): Promise<RecoverResult>;
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): JournalStats;
}

const ERROR_MESSAGE_MAX_BYTES = 2048;
const nullableText = z.string().nullable();
const nullableCount = z.number().int().nonnegative().nullable();

const requestLogRowSchema = z.object({
  id: z.string().min(1),
  ts: z.number().int(),
  org_id: nullableText,
  key_id: nullableText,
  endpoint: z.string(),
  model: z.string(),
  deployment_id: nullableText,
  provider: nullableText,
  status: z.number().int(),
  error_code: nullableText,
  error_message: nullableText,
  latency_ms: z.number().int().nonnegative(),
  ttft_ms: nullableCount,
  input_tokens: nullableCount,
  output_tokens: nullableCount,
  cost: z.number().nullable(),
  stream: z.union([z.literal(0), z.literal(1)]),
  request_body: nullableText,
  response_body: nullableText,
}) satisfies z.ZodType<RequestLogsTable>;

/** The row as stored: bodies only with the org's opt-in, redacted and capped, before they touch disk. */
export function requestLogRow(entry: RequestLogEntry, bodies: RequestLogBodies | undefined, maxBodyBytes: number): RequestLogsTable {
  const withBodies = bodies?.logBodies === true;
  return {
    id: entry.requestId,
    ts: entry.ts,
    org_id: entry.orgId ?? null,
    key_id: entry.keyId ?? null,
    endpoint: entry.endpoint,
    model: entry.model,
    deployment_id: entry.deploymentId ?? null,
    provider: entry.provider ?? null,
    status: entry.status,
    error_code: entry.errorCode ?? null,
    error_message: entry.errorMessage == null ? null : serializeBody(redactString(entry.errorMessage), ERROR_MESSAGE_MAX_BYTES),
    latency_ms: Math.max(0, Math.round(entry.latencyMs)),
    ttft_ms: entry.ttftMs == null ? null : Math.max(0, Math.round(entry.ttftMs)),
    input_tokens: entry.inputTokens ?? null,
    output_tokens: entry.outputTokens ?? null,
    cost: entry.cost ?? null,
    stream: entry.stream ? 1 : 0,
    request_body: withBodies && bodies.requestBody !== undefined ? serializeBody(bodies.requestBody, maxBodyBytes) : null,
    response_body: withBodies && bodies.responseBody !== undefined ? serializeBody(bodies.responseBody, maxBodyBytes) : null,
  };
}

/** Request logs through the same durable journal as usage events (a separate segment series). */
export function createRequestLogWriter(opts: RequestLogWriterOptions): RequestLogWriter {
  const maxBodyBytes = opts.maxBodyBytes ?? 64 * 1024;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new Error('maxBodyBytes must be a positive integer.');
  const table = createJournaledTable(opts, { name: 'request-log', table: 'request_logs', schema: requestLogRowSchema as z.ZodType<RequestLogsTable>, toRow: (row) => row });
  return { ...table, record: (entry, bodies) => table.append(requestLogRow(entry, bodies, maxBodyBytes)) };
}
