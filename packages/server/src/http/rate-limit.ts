import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { tooManyRequests } from '../errors.ts';
import { FixedWindowLimiter } from '../services/fixed-window-limiter.ts';
import { routeAuth } from './route-access.ts';

/**
 * Per-route rate limits with 429 + `Retry-After`. Credential routes (logins,
 * refresh, registration, logout) declare `rateLimit: 'auth'`: the auth limit per
 * client address. Routes for signed-in callers get the API limit per caller.
 * Other public routes (enrollment: a fleet behind one NAT enrolls at once),
 * device and seed-key routes have their own limits or none.
 */
export function installRateLimits(app: FastifyInstance, ctx: AppContext): void {
  const limiters = new Map<number, FixedWindowLimiter>();
  const limiter = (windowSeconds: number) => {
    let l = limiters.get(windowSeconds);
    if (!l) {
      l = new FixedWindowLimiter(windowSeconds * 1000);
      limiters.set(windowSeconds, l);
    }
    return l;
  };
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.rateLimit === false) return;
    const auth = routeAuth(config);
    let limit: { max: number; windowSeconds: number } | undefined;
    if (config.rateLimit === 'auth') limit = { max: ctx.config.authRateLimitPerMinute, windowSeconds: 60 };
    else if (config.rateLimit) limit = config.rateLimit;
    else if (auth === 'authenticated' || (auth === 'seed-key' && request.principal)) {
      limit = { max: ctx.config.apiRateLimitPerMinute, windowSeconds: 60 };
    } else return;
    const who = request.principal
      ? `p:${request.principal.tokenId ?? request.principal.userId}`
      : `ip:${request.ip}`;
    const key = `${request.method} ${request.routeOptions.url}|${who}`;
    const wait = limiter(limit.windowSeconds).take(key, limit.max, Date.now());
    if (wait > 0) throw tooManyRequests('rate_limited', 'Too many requests; slow down.', wait);
  });
}
