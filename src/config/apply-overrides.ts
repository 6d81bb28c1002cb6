/**
 * Precedence for server settings: baimo.yaml → environment (BAIMO_PORT, BAIMO_HOST,
 * BAIMO_BODY_LIMIT) → command-line flags (passed in by the CLI as `overrides`). Bad values are
 * config errors that name where they came from (`env: BAIMO_PORT: …`, `command line: --port: …`).
 */
import type { ServerConfig } from './types.js';
import type { ConfigIssue } from './errors.js';
import type { Env } from './expand-env.js';
import { parseByteSize } from './byte-size.js';

/** Flags the CLI forwards; they win over the file and the environment. */
export interface CliOverrides {
  port?: number;
  host?: string;
}

const ENV_SOURCE = 'env';
const CLI_SOURCE = 'command line';

function parsePort(value: unknown): number | undefined {
  const port = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

export function applyServerOverrides(
  server: ServerConfig,
  env: Env,
  overrides: CliOverrides | undefined,
): { server: ServerConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const next: ServerConfig = { ...server };

  const envPort = env.BAIMO_PORT;
  if (envPort !== undefined && envPort !== '') {
    const port = parsePort(envPort);
    if (port === undefined) issues.push({ file: ENV_SOURCE, path: 'BAIMO_PORT', message: `expected a port number 0–65535, got '${envPort}'` });
    else next.port = port;
  }
  const envHost = env.BAIMO_HOST;
  if (envHost !== undefined && envHost.trim() !== '') next.host = envHost.trim();
  const envLimit = env.BAIMO_BODY_LIMIT;
  if (envLimit !== undefined && envLimit !== '') {
    const bytes = parseByteSize(envLimit);
    if (bytes === undefined || bytes < 1) {
      issues.push({ file: ENV_SOURCE, path: 'BAIMO_BODY_LIMIT', message: `expected a positive number of bytes or a size like "4mb", got '${envLimit}'` });
    } else next.body_limit_bytes = bytes;
  }

  if (overrides?.port !== undefined) {
    const port = parsePort(overrides.port);
    if (port === undefined) issues.push({ file: CLI_SOURCE, path: '--port', message: `expected a port number 0–65535, got ${String(overrides.port)}` });
    else next.port = port;
  }
  if (overrides?.host !== undefined) {
    if (overrides.host.trim() === '') issues.push({ file: CLI_SOURCE, path: '--host', message: 'must not be empty' });
    else next.host = overrides.host.trim();
  }
  return { server: next, issues };
}
