import { signatureEquals } from '@harrier/schema';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { forbidden, HarrierError } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { seedEmail } from './seed-auth-routes.ts';

const fastapi = { errorShape: 'fastapi' as const };
const tags = ['seed-compat'];

const MetricsQuery = Type.Object({
  org_id: Type.String({ minLength: 1, maxLength: 256 }),
  device_id: Type.Optional(Type.String({ maxLength: 256 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
});
const FleetTopQuery = Type.Object({
  org_id: Type.String({ minLength: 1, maxLength: 256 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 5 })),
});
const CreateUser = Type.Object(
  {
    org_id: Type.String({ minLength: 1, maxLength: 256 }),
    username: Type.String({ minLength: 1, maxLength: 128 }),
    password: Type.String({ minLength: 8, maxLength: 256 }),
    role: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

/** The caller's organization, which must be the one the seed's `org_id` names (its slug). */
async function sameOrg(ctx: AppContext, request: FastifyRequest, orgSlug: string, message: string) {
  const org = await ctx.identity.organizations.findById(principalOf(request).orgId);
  if (!org || org.slug !== orgSlug) throw forbidden('cross_org', message);
  return org;
}

/**
 * Seed 002's (sec44) read API over the platform's insight engine, in its shapes and
 * messages: `/v1/metrics`, `/v1/fleet/top`, `/v1/admin/users`, `/internal/metrics` and
 * `/healthz`. Its weaknesses are fixed: creating an existing user is a 409 (the seed silently
 * reset its password and role), the metrics token is compared in constant time, and a failed
 * health check is a 503.
 */
export async function seed002Routes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/v1/metrics',
    {
      config: { ...fastapi, permission: 'devices:read' },
      schema: { tags, summary: 'Seed 002 metrics: latest risk per device', querystring: MetricsQuery },
    },
    async (request) => {
      const q = request.query as typeof MetricsQuery.static;
      const org = await sameOrg(ctx, request, q.org_id, 'cross-org access denied');
      return ctx.insightQueries.seedMetrics(
        org,
        { deviceName: q.device_id || undefined, page: q.page ?? 1, pageSize: q.page_size ?? 25 },
        Date.now(),
      );
    },
  );

  app.get(
    '/v1/fleet/top',
    {
      config: { ...fastapi, permission: 'devices:read' },
      schema: { tags, summary: 'Seed 002 riskiest devices', querystring: FleetTopQuery },
    },
    async (request) => {
      const q = request.query as typeof FleetTopQuery.static;
      const org = await sameOrg(ctx, request, q.org_id, 'cross-org access denied');
      return ctx.insightQueries.seedFleetTop(org, q.limit ?? 5);
    },
  );

  app.post(
    '/v1/admin/users',
    {
      config: { ...fastapi, permission: 'users:manage', audit: { action: 'user.create', target: 'user' } },
      schema: { tags, summary: 'Seed 002 create user (an existing user is a 409)', body: CreateUser },
    },
    async (request) => {
      const body = request.body as typeof CreateUser.static;
      const org = await sameOrg(ctx, request, body.org_id, 'cross-org user create denied');
      const role = body.role === 'admin' ? 'admin' : 'read_only';
      const user = await ctx.identity.users
        .create(org.id, {
          email: seedEmail(body.username, org.slug),
          username: body.username,
          password: body.password,
          role,
        })
        .catch((error: unknown) => {
          if (error instanceof HarrierError && error.status === 409) {
            throw new HarrierError(409, 'user_exists', 'user already exists');
          }
          throw error;
        });
      noteAudit(request, { targetId: user.id });
      return { created: true, org_id: org.slug, username: user.username, role };
    },
  );

  app.get(
    '/internal/metrics',
    {
      config: { ...fastapi, auth: 'public' },
      schema: { tags, summary: 'Seed 002 Prometheus metrics (X-Metrics-Token when EM_METRICS_TOKEN is set)' },
    },
    async (request, reply) => {
      const expected = ctx.config.metricsToken;
      if (expected !== undefined) {
        const header = request.headers['x-metrics-token'];
        const given = Array.isArray(header) ? header[0] : header;
        if (given === undefined || !signatureEquals(expected, given)) {
          throw new HarrierError(401, 'metrics_token_required', 'metrics token required');
        }
      }
      reply.header('content-type', ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  );

  app.get(
    '/healthz',
    {
      config: { ...fastapi, auth: 'public' },
      schema: { tags, summary: 'Seed 002 health: the database answers' },
    },
    async (_request, reply) => {
      if (await ctx.database.ping()) return { status: 'ok' };
      return reply.status(503).send({ status: 'error', detail: 'DatabaseUnavailable' });
    },
  );
}
