/**
 * Make an upstream error message safe to show a tenant (STYLE.md house rule 5; `upstreamError`
 * in protocol/errors.ts): the tenant must learn what was wrong with its request, but not which
 * vendor or host serves the deployment (URLs, host names, the vendor's names), nor anything that
 * looks like a credential.
 *
 * @example sanitizeUpstreamMessage('Your credit balance is too low to access the Anthropic API.', ['Anthropic'])
 *          // 'Your credit balance is too low to access the upstream API.'
 */
export function sanitizeUpstreamMessage(message: string, vendorNames: readonly string[]): string {
  let text = message
    .replace(/\bhttps?:\/\/\S+/gi, '[url]')
    .replace(/\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|ai|cn|dev)\b/gi, '[host]')
    .replace(/\b(?:sk-[A-Za-z0-9_-]{6,}|AIza[0-9A-Za-z_-]{10,})/g, '[redacted]');
  for (const name of vendorNames) {
    text = text.replace(new RegExp(`\\b${escapeRegExp(name)}\\b`, 'gi'), 'upstream');
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

const MAX_LENGTH = 500;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
