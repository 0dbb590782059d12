import { createHmac, timingSafeEqual } from 'node:crypto';

/** Claims of our access tokens; seed clients see only the token string. */
export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Organization id. */
  org: string;
  /** Session (refresh-token family) id: logging out revokes every access token of the session. */
  sid: string;
  role: string;
  typ: 'access';
  /** Random, so two tokens issued in the same second differ. */
  jti: string;
  iat: number;
  exp: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** Derives the HS256 signing key from the server secret, so no separate secret has to be configured. */
export function deriveJwtKey(serverSecret: string): Buffer {
  return createHmac('sha256', serverSecret).update('harrier:jwt:access:v1').digest();
}

/** Signs claims as a compact HS256 JWT. */
export function signJwt(claims: object, key: Buffer): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', key).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}

/**
 * Verifies an HS256 JWT and returns its claims, or undefined when the token is
 * malformed, not HS256, badly signed (compared in constant time) or expired.
 * Only our own header is accepted, so `alg: none` and key-confusion tricks fail.
 */
export function verifyJwt(
  token: string,
  key: Buffer,
  nowSeconds: number,
): Record<string, unknown> | undefined {
  if (token.length > 4096) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  if (header !== HEADER) return undefined;
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined;
  const exp = (claims as { exp?: unknown }).exp;
  if (typeof exp !== 'number' || exp <= nowSeconds) return undefined;
  return claims as Record<string, unknown>;
}

/** Verifies an access token and checks the claims we rely on. */
export function verifyAccessToken(token: string, key: Buffer, nowSeconds: number): AccessClaims | undefined {
  const c = verifyJwt(token, key, nowSeconds);
  if (c?.typ !== 'access') return undefined;
  if (typeof c.sub !== 'string' || typeof c.org !== 'string' || typeof c.sid !== 'string') return undefined;
  return c as unknown as AccessClaims;
}
