import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  type IssuedSession,
  REFRESH_TOKEN_TTL_SECONDS,
} from '../services/session-service.ts';

export const ACCESS_COOKIE = 'harrier_access';
export const REFRESH_COOKIE = 'harrier_refresh';
export const CSRF_COOKIE = 'harrier_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** The refresh cookie travels only to the auth routes that consume it. */
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

/** Parses the Cookie header (first value of each name wins; malformed pairs are skipped). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name in out) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}

/** A cookie of the request. */
export function requestCookie(request: FastifyRequest, name: string): string | undefined {
  return parseCookies(request.headers.cookie)[name];
}

interface CookieOptions {
  httpOnly: boolean;
  path: string;
  maxAge: number;
  secure: boolean;
}

function serialize(name: string, value: string, o: CookieOptions): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${o.path}`,
    `Max-Age=${o.maxAge}`,
    'SameSite=Strict',
    ...(o.httpOnly ? ['HttpOnly'] : []),
    ...(o.secure ? ['Secure'] : []),
  ].join('; ');
}

/** Adds one Set-Cookie header (Fastify appends set-cookie values instead of replacing them). */
function append(reply: FastifyReply, cookie: string): void {
  reply.header('set-cookie', cookie);
}

/** True when the request reached us over TLS (directly, or through a trusted proxy). */
export function isSecureRequest(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/**
 * Sets the browser session: the access and refresh tokens in HttpOnly,
 * SameSite=Strict cookies, and the CSRF token in a cookie scripts can read
 * (double submit). Secure under TLS.
 */
export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  session: IssuedSession,
): void {
  const secure = isSecureRequest(request);
  append(
    reply,
    serialize(ACCESS_COOKIE, session.accessToken, {
      httpOnly: true,
      path: '/',
      maxAge: ACCESS_TOKEN_TTL_SECONDS,
      secure,
    }),
  );
  append(
    reply,
    serialize(REFRESH_COOKIE, session.refreshToken, {
      httpOnly: true,
      path: REFRESH_COOKIE_PATH,
      maxAge: REFRESH_TOKEN_TTL_SECONDS,
      secure,
    }),
  );
  append(
    reply,
    serialize(CSRF_COOKIE, session.csrfToken, {
      httpOnly: false,
      path: '/',
      maxAge: REFRESH_TOKEN_TTL_SECONDS,
      secure,
    }),
  );
}

/** Deletes the session cookies. */
export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply): void {
  const secure = isSecureRequest(request);
  append(reply, serialize(ACCESS_COOKIE, '', { httpOnly: true, path: '/', maxAge: 0, secure }));
  append(
    reply,
    serialize(REFRESH_COOKIE, '', { httpOnly: true, path: REFRESH_COOKIE_PATH, maxAge: 0, secure }),
  );
  append(reply, serialize(CSRF_COOKIE, '', { httpOnly: false, path: '/', maxAge: 0, secure }));
}
