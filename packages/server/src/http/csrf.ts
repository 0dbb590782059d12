import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { forbidden } from '../errors.ts';
import { CSRF_COOKIE, CSRF_HEADER, requestCookie } from './cookies.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for methods that may change state. */
export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method);
}

/**
 * The double-submit check for cookie-authenticated, state-changing requests:
 * the `X-CSRF-Token` header must equal the `harrier_csrf` cookie, and (when the
 * session is known) the token the server derives for that session.
 */
export function assertCsrf(request: FastifyRequest, expected?: string): void {
  const header = request.headers[CSRF_HEADER];
  const sent = Array.isArray(header) ? header[0] : header;
  const cookie = requestCookie(request, CSRF_COOKIE);
  const ok =
    typeof sent === 'string' &&
    sent.length > 0 &&
    cookie !== undefined &&
    equal(sent, cookie) &&
    (expected === undefined || equal(sent, expected));
  if (!ok)
    throw forbidden('csrf_failed', 'Send the X-CSRF-Token header with the value of the harrier_csrf cookie.');
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
