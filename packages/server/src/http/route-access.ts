import type { FastifyInstance, RouteOptions } from 'fastify';
import { isPermission, type Permission } from '../services/permissions.ts';
import type { Principal } from '../services/principal.ts';

/**
 * How a route is reached:
 * - `public`: anyone (login, health, docs);
 * - `device`: requests signed by an enrolled device, checked by the route;
 * - `seed-key`: a seed agent's key (`X-API-Key`, `X-EM-*`), checked by the route; with a
 *   `permission` a user or API token holding it is accepted as well;
 * - `authenticated`: any signed-in user or API token (with `permission`: one holding it).
 */
export type RouteAuth = 'public' | 'device' | 'seed-key' | 'authenticated';

/** What the audit hook records for a route; `false` for high-volume data routes (ingest batches). */
export type RouteAudit = { action: string; target?: string } | false;

/** What the caller of a route sets for the audit record the hook writes after the response. */
export interface AuditNote {
  targetId?: string | undefined;
  orgId?: string | null | undefined;
  actorType?: 'user' | 'anonymous' | 'device' | 'agent_key' | undefined;
  actorId?: string | null | undefined;
  actorLabel?: string | null | undefined;
  details?: Record<string, unknown> | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every route declares this or a `permission`. */
    auth?: RouteAuth;
    /** The permission the caller needs (implies `auth: 'authenticated'` unless `seed-key`). */
    permission?: Permission;
    /** The audit record of the route; state-changing routes are audited by default. */
    audit?: RouteAudit;
    /**
     * Per-route limit: `'auth'` for credential routes (HARRIER_AUTH_RATE_LIMIT_PER_MINUTE per
     * client address); routes for signed-in callers default to the API limit (see rate-limit.ts).
     */
    rateLimit?: { max: number; windowSeconds: number } | 'auth' | false;
  }
  interface FastifyRequest {
    /** The authenticated caller, or null (public, device and seed-key routes). */
    principal: Principal | null;
    /** Facts for the audit record only the handler knows (created ids, login outcome). */
    auditNote: AuditNote | null;
  }
}

export interface DeclaredRoute {
  method: string;
  url: string;
  auth: RouteAuth;
  permission: Permission | undefined;
  audit: RouteAudit | undefined;
}

const AUTH_MODES: readonly RouteAuth[] = ['public', 'device', 'seed-key', 'authenticated'];

/** The effective access mode of a route's config, or undefined when it declares nothing. */
export function routeAuth(
  config: { auth?: unknown; permission?: unknown } | undefined,
): RouteAuth | undefined {
  if (!config) return undefined;
  if (config.auth !== undefined) return config.auth as RouteAuth;
  return config.permission !== undefined ? 'authenticated' : undefined;
}

/** Throws when a route declares no access, or declares it wrongly. */
export function assertRouteDeclared(route: Pick<RouteOptions, 'method' | 'url' | 'config'>): DeclaredRoute {
  const config = route.config as { auth?: unknown; permission?: unknown; audit?: RouteAudit } | undefined;
  const name = `${String(route.method)} ${route.url}`;
  const auth = routeAuth(config);
  if (auth === undefined) {
    throw new Error(
      `Route ${name} declares no access: set config.auth ('public', 'device', 'seed-key', 'authenticated') or config.permission.`,
    );
  }
  if (!AUTH_MODES.includes(auth)) throw new Error(`Route ${name}: unknown config.auth "${String(auth)}".`);
  if (config?.permission !== undefined && !isPermission(config.permission)) {
    throw new Error(
      `Route ${name}: unknown permission "${String(config.permission)}" (see services/permissions.ts).`,
    );
  }
  if (config?.permission !== undefined && (auth === 'public' || auth === 'device')) {
    throw new Error(`Route ${name}: a ${auth} route cannot also require a permission.`);
  }
  return {
    method: String(route.method),
    url: route.url,
    auth,
    permission: config?.permission as Permission | undefined,
    audit: config?.audit,
  };
}

const ROUTES = new WeakMap<FastifyInstance, RouteOptions[]>();
/** The access part of a route config, as a default for routes that cannot declare their own. */
export interface RouteAccess {
  auth: RouteAuth;
  permission?: Permission;
  audit?: RouteAudit;
}

const DEFAULT_ACCESS = new WeakMap<FastifyInstance, RouteAccess>();

/**
 * Makes every route declare its access. An onRoute hook collects each route;
 * `assertRoutesDeclared` (called at the end of `buildApp`, and again when the
 * app becomes ready) refuses to build an app with a route that declares no
 * `config.auth` or `config.permission`. The check runs after registration so
 * that `registerWithAccess` can declare the routes of third-party plugins.
 */
export function enforceRouteDeclarations(app: FastifyInstance): void {
  const routes: RouteOptions[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (route) => {
    const access = DEFAULT_ACCESS.get(app);
    if (access && routeAuth(route.config) === undefined)
      route.config = { ...access, ...(route.config ?? {}) };
    routes.push(route);
  });
  app.addHook('onReady', async () => {
    assertRoutesDeclared(app);
  });
}

/** Throws naming the first route that declares no (or a wrong) access. */
export function assertRoutesDeclared(app: FastifyInstance): void {
  routeTable(app);
}

/** Every declared route of the app (HEAD twins included), for tests and the docs. */
export function routeTable(app: FastifyInstance): DeclaredRoute[] {
  return (ROUTES.get(app) ?? []).flatMap((route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    return methods.map((method) => assertRouteDeclared({ method, url: route.url, config: route.config }));
  });
}

/**
 * Registers a third-party plugin whose routes cannot carry our config (Swagger UI,
 * static files): each of its routes gets the given access unless it declares its own.
 */
export async function registerWithAccess(
  app: FastifyInstance,
  access: RouteAccess,
  register: (scope: FastifyInstance) => Promise<void>,
): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...access, ...(route.config ?? {}) };
    });
    await register(scope);
  });
}

/**
 * Runs `work` (which registers routes on the root instance, e.g. the console's
 * plugin that must hook every request) giving each route it registers without a
 * declaration the given access.
 */
export async function withDefaultAccess<T>(
  app: FastifyInstance,
  access: RouteAccess,
  work: () => Promise<T>,
): Promise<T> {
  DEFAULT_ACCESS.set(app, access);
  try {
    return await work();
  } finally {
    DEFAULT_ACCESS.delete(app);
  }
}
