import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { forbidden } from '../errors.ts';

/** The Content-Security-Policy of every response: same-origin everything, no framing, no plugins. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Swagger UI and charting libraries set inline styles; scripts stay same-origin only.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const UNSAFE_UNLESS_HTTPS_EXEMPT = new Set(['/health', '/ready']);

/**
 * Transport policy on every response: security headers (CSP, frame denial,
 * nosniff, no referrer, HSTS under TLS), `Cache-Control: no-store` unless the
 * route sets its own, CORS only for the configured origins, and refusal of
 * plain HTTP when `HARRIER_REQUIRE_HTTPS` is set.
 */
export function installTransportPolicy(app: FastifyInstance, ctx: AppContext): void {
  const origins = new Set(ctx.config.corsOrigins);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    reply.header('cache-control', 'no-store');
    const secure = request.protocol === 'https';
    if (secure) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (
      ctx.config.requireHttps &&
      !secure &&
      !UNSAFE_UNLESS_HTTPS_EXEMPT.has(request.url.split('?')[0] ?? '')
    ) {
      throw forbidden('https_required', 'This server accepts HTTPS only.');
    }
    const origin = request.headers.origin;
    if (typeof origin === 'string' && origins.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-credentials', 'true');
      reply.header('access-control-expose-headers', 'retry-after');
      reply.header('vary', 'Origin');
    }
  });

  // Preflights: answered for listed origins only; everyone else learns nothing.
  app.options(
    '/*',
    { config: { auth: 'public', audit: false, rateLimit: false }, schema: { hide: true } },
    async (request, reply) => {
      const origin = request.headers.origin;
      if (typeof origin !== 'string' || !origins.has(origin)) {
        throw forbidden('cors_refused', 'Cross-origin requests from this origin are not allowed.');
      }
      return reply
        .status(204)
        .header('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE')
        .header('access-control-allow-headers', 'authorization, content-type, x-csrf-token')
        .header('access-control-max-age', '600')
        .send();
    },
  );
}
