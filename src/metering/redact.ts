/**
 * Redaction for logged bodies: credentials never reach the journal, the database or the console.
 * Two nets, because a secret can hide in either place:
 *   - by field name: the value of any field named like a key, secret, password, token,
 *     authorization or cookie (`api_key`, `clientSecret`, `x-api-key`, `access_token`);
 *   - by shape: strings anywhere — message content included — that look like API keys or bearer
 *     tokens (`sk-…`, `Bearer …`, AWS/Google/GitHub/Slack keys, JWTs).
 * Over-redacting a harmless field is acceptable; leaking a key is not. Token *counts* stay:
 * `max_tokens` and `prompt_tokens` end in "tokens", not "token".
 */

export const REDACTED = '[REDACTED]';

const SECRET_NAME_SUFFIXES = ['key', 'token', 'secret', 'password', 'passwd', 'pwd', 'pass', 'credential', 'credentials', 'signature'];
const SECRET_NAME_PARTS = ['secret', 'password', 'authorization', 'cookie', 'apikey', 'privatekey', 'accesskey', 'sessionid'];

const SECRET_PATTERNS: { pattern: RegExp; replacement: string }[] = [
  { pattern: /\bsk-[A-Za-z0-9_-]{8,}/g, replacement: `sk-${REDACTED}` },
  { pattern: /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, replacement: `Bearer ${REDACTED}` },
  { pattern: /\bAKIA[0-9A-Z]{16}\b/g, replacement: REDACTED },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}/g, replacement: REDACTED },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}/g, replacement: REDACTED },
  { pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, replacement: REDACTED },
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replacement: REDACTED },
];

/** Is a field with this name likely to hold a credential? */
export function isSecretName(name: string): boolean {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_NAME_SUFFIXES.some((s) => n.endsWith(s)) || SECRET_NAME_PARTS.some((p) => n.includes(p));
}

export function redactString(text: string): string {
  let out = text;
  for (const { pattern, replacement } of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A redacted deep copy of a JSON value. Scalars under secret-named fields are replaced; objects
 * under them are walked (a JSON-schema property called `key` keeps its schema).
 *
 * `redactBody({api_key: 'x', messages: [{content: 'use sk-abcdefgh1234'}]})`
 * → `{api_key: '[REDACTED]', messages: [{content: 'use sk-[REDACTED]'}]}`
 */
export function redactBody(value: unknown): unknown {
  return redactValue(value, false);
}

function redactValue(value: unknown, secretField: boolean): unknown {
  if (typeof value === 'string') return secretField ? REDACTED : redactString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return secretField ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secretField));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(value)) out[name] = redactValue(inner, isSecretName(name));
    return out;
  }
  return value;
}

/**
 * Redact, serialise and cap a body at `maxBytes` of UTF-8 (never splitting a character). A
 * truncated body is no longer valid JSON; the marker says how big it was.
 */
export function serializeBody(value: unknown, maxBytes: number): string {
  const text = typeof value === 'string' ? redactString(value) : JSON.stringify(redactBody(value)) ?? 'null';
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  const cut = bytes.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD+$/, '');
  return `${cut}…[truncated: ${bytes.length} bytes]`;
}
