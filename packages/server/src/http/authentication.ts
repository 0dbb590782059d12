import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { forbidden, HarrierError } from '../errors.ts';
import type { Principal } from '../services/principal.ts';
import { ACCESS_COOKIE, requestCookie } from './cookies.ts';
import { assertCsrf, isStateChanging } from './csrf.ts';
import { routeAuth } from './route-access.ts';

/** The credential a request carries: the Authorization header wins over the cookie. */
export function presentedCredential(
  request: FastifyRequest,
): { value: string; via: Principal['via'] } | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return { value: match[1]!, via: 'bearer' };
  }
  const cookie = requestCookie(request, ACCESS_COOKIE);
  return cookie ? { value: cookie, via: 'cookie' } : undefined;
}

/** Resolves the request's principal, or undefined when it carries no credential; 401 when one is invalid. */
export async function resolvePrincipal(
  ctx: AppContext,
  request: FastifyRequest,
): Promise<Principal | undefined> {
  const credential = presentedCredential(request);
  if (!credential) return undefined;
  return ctx.identity.authenticator.fromBearer(credential.value, credential.via);
}

/** The principal of an authenticated route (the hook guarantees it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw authenticationRequired();
  return request.principal;
}

function authenticationRequired() {
  return new HarrierError(401, 'authentication_required', 'Sign in or send an API token.', undefined, {
    'www-authenticate': 'Bearer',
  });
}

/**
 * The authentication and authorization hook: resolves the caller of every
 * route that needs one, refuses cookie requests without the CSRF header, and
 * refuses callers without the route's declared permission (403).
 */
export function installAuthentication(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('auditNote', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const auth = routeAuth(config);
    if (auth === undefined || auth === 'public' || auth === 'device') return;
    // A seed route without a permission accepts only its agents' keys, which it checks itself.
    if (auth === 'seed-key' && !config.permission) return;
    const credential = presentedCredential(request);
    if (!credential) {
      // Seed routes check their agents' keys themselves (and answer 401 in the seed's words).
      if (auth === 'seed-key') return;
      throw authenticationRequired();
    }
    // A seed route's own key wins over a stray browser cookie.
    if (auth === 'seed-key' && credential.via === 'cookie' && request.headers['x-api-key'] !== undefined)
      return;
    const principal = await ctx.identity.authenticator.fromBearer(credential.value, credential.via);
    if (principal.via === 'cookie' && isStateChanging(request.method)) {
      assertCsrf(
        request,
        principal.sessionId ? ctx.identity.sessions.csrfToken(principal.sessionId) : undefined,
      );
    }
    request.principal = principal;
    const permission = config.permission;
    if (permission && !principal.permissions.includes(permission)) {
      throw forbidden('forbidden', `This needs the ${permission} permission.`);
    }
  });
}
