import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { installAuditHook } from './audit-hook.ts';
import { installAuthentication } from './authentication.ts';
import { installRateLimits } from './rate-limit.ts';
import { enforceRouteDeclarations } from './route-access.ts';
import { installTransportPolicy } from './security-headers.ts';

/**
 * The first layer, installed before any route or hook: every route must
 * declare its access, and every response gets the transport policy (headers,
 * HTTPS, CORS).
 */
export function installTransport(app: FastifyInstance, ctx: AppContext): void {
  enforceRouteDeclarations(app);
  installTransportPolicy(app, ctx);
}

/**
 * The second layer: authentication and the declared permission, rate limits,
 * and after the response the audit record. Installed after hooks that answer
 * requests themselves (the console's page navigations) and before the API routes.
 */
export function installAccessControl(app: FastifyInstance, ctx: AppContext): void {
  installAuthentication(app, ctx);
  installRateLimits(app, ctx);
  installAuditHook(app, ctx);
}
