import { createHash, createHmac } from 'node:crypto';

/**
 * Request signing of the platform contract (issue 2). Kept local until `@harrier/schema`
 * exports `signRequest`; the canonical string is identical:
 *   METHOD \n PATH \n TIMESTAMP \n NONCE \n sha256hex(body bytes as sent)
 */
export interface SignInput {
  method: string;
  /** The request target as sent: path plus query string. */
  path: string;
  /** Unix seconds, as sent in `X-Harrier-Timestamp`. */
  timestamp: string | number;
  nonce: string;
  /** The bytes on the wire (after gzip when the body is compressed). */
  body: Uint8Array | string;
  secret: string;
}

/** The canonical string that is signed; exported so tests and servers can compare. */
export function canonicalRequest(input: Omit<SignInput, 'secret'>): string {
  const bodyHash = createHash('sha256').update(input.body).digest('hex');
  return `${input.method.toUpperCase()}\n${input.path}\n${input.timestamp}\n${input.nonce}\n${bodyHash}`;
}

/** hex(HMAC-SHA256(secret, canonical request)). */
export function signRequest(input: SignInput): string {
  return createHmac('sha256', input.secret).update(canonicalRequest(input)).digest('hex');
}
