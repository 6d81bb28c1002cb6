import hashNode from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials } from '../../config/types.js';
import type { HttpRequestSpec, RequestSigner } from '../adapter.js';

/**
 * AWS SigV4 for Bedrock (CATALOG.md §5: service `bedrock`, the region of the host; method, path,
 * `host`, `x-amz-date` and the body's SHA-256 in `x-amz-content-sha256` are signed, plus
 * `x-amz-security-token` for temporary credentials), done by AWS's own signer. The signature
 * covers the exact body bytes and the moment of sending, so it is computed by transport at send
 * time through `HttpRequestSpec.sign`, never at build time.
 */

/** `@smithy/hash-node` is CommonJS without static named exports, hence the default import. */
const Sha256 = hashNode.Hash.bind(null, 'sha256');

/** The headers the signer adds; everything else it saw is already in `spec.headers`. */
const SIGNED_HEADERS = ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'] as const;

export interface SigV4Options {
  credentials: AwsCredentials;
  region: string;
  /** Epoch milliseconds; injected so tests sign deterministically. Omitted: the signer reads the clock. */
  now?: () => number;
}

export function createSigV4Signer(opts: SigV4Options): RequestSigner {
  const signer = new SignatureV4({
    service: 'bedrock',
    region: opts.region,
    credentials: {
      accessKeyId: opts.credentials.access_key_id,
      secretAccessKey: opts.credentials.secret_access_key,
      ...(opts.credentials.session_token ? { sessionToken: opts.credentials.session_token } : {}),
    },
    sha256: Sha256,
  });
  return async (spec) => {
    const signed = await signer.sign(toSignable(spec), opts.now ? { signingDate: new Date(opts.now()) } : undefined);
    const out: Record<string, string> = {};
    for (const name of SIGNED_HEADERS) {
      const value = signed.headers[name];
      if (typeof value === 'string') out[name] = value;
    }
    return out;
  };
}

/**
 * The request as the signer sees it. The path is taken from the URL text as sent (a model id's
 * `:` stays `%3A`, and the signer escapes it once more for the canonical request, as AWS expects
 * of every service but S3). `host` is what undici will send: the URL's host with any port.
 */
function toSignable(spec: HttpRequestSpec) {
  const url = new URL(spec.url);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  return {
    method: spec.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query,
    headers: { ...spec.headers, host: url.host },
    body: spec.body,
  };
}
