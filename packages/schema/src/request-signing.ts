import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Header names of Harrier's signed agent requests. */
export const SIGNATURE_HEADERS = {
  device: 'x-harrier-device',
  timestamp: 'x-harrier-timestamp',
  nonce: 'x-harrier-nonce',
  signature: 'x-harrier-signature',
} as const;

/** How far a request's timestamp may be from the server's clock, in seconds. */
export const SIGNATURE_WINDOW_SECONDS = 300;
export const NONCE_MIN_LENGTH = 16;
export const NONCE_MAX_LENGTH = 128;

export interface SignatureInput {
  /** HTTP method, any case (upper-cased before signing). */
  method: string;
  /** The request target as sent: path plus query string. */
  path: string;
  /** Unix seconds, as sent in `X-Harrier-Timestamp`. */
  timestamp: string | number;
  nonce: string;
  /** The body bytes exactly as on the wire (after compression, if any). */
  body: Uint8Array | string;
  secret: string | Uint8Array;
}

/** sha256 of the body in lowercase hex; the empty body hashes like any other. */
export function bodyDigest(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The exact string that is MACed: `METHOD\nPATH\nTIMESTAMP\nNONCE\nsha256hex(body)`. */
export function signingString(input: Omit<SignatureInput, 'secret'>): string {
  return `${input.method.toUpperCase()}\n${input.path}\n${input.timestamp}\n${input.nonce}\n${bodyDigest(input.body)}`;
}

/** Lowercase hex HMAC-SHA256 of the signing string with the device secret. */
export function signRequest(input: SignatureInput): string {
  return createHmac('sha256', input.secret).update(signingString(input)).digest('hex');
}

/** Constant-time comparison of two hex strings; false on any length or format difference. */
export function hexEqual(expectedHex: string, givenHex: string): boolean {
  if (givenHex.length !== expectedHex.length || !/^[0-9a-fA-F]*$/.test(givenHex)) return false;
  const a = Buffer.from(expectedHex, 'hex');
  const b = Buffer.from(givenHex.toLowerCase(), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Verifies a signature in constant time. */
export function verifyRequestSignature(input: SignatureInput, signatureHex: string): boolean {
  return hexEqual(signRequest(input), signatureHex);
}

/**
 * Builds the four signature headers for a request, for the agent and for tests.
 * `now` is injected so callers control the clock.
 */
export function signedHeaders(
  input: Omit<SignatureInput, 'timestamp' | 'nonce'> & { deviceId: string; nonce?: string; now?: number },
): Record<string, string> {
  const timestamp = String(Math.floor((input.now ?? Date.now()) / 1000));
  const nonce = input.nonce ?? randomNonce();
  return {
    [SIGNATURE_HEADERS.device]: input.deviceId,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: signRequest({ ...input, timestamp, nonce }),
  };
}

function randomNonce(): string {
  return createHash('sha256')
    .update(`${process.hrtime.bigint()}:${Math.random()}`)
    .digest('hex')
    .slice(0, 32);
}
