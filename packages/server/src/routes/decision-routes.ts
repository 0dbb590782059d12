import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { principalOf } from '../http/authentication.ts';
import { presentDecision } from '../presenters/decision-presenter.ts';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ListQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 32 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});

/**
 * The decision engine's queue: native under `/api/v1/decisions` and seed 000's
 * `/api/decisions` in its shapes (a bare list, `{"created": n}`). Unlike seed
 * 000 every route needs a signed-in caller or an API token.
 */
export async function decisionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const decisions = ctx.management.decisions;
  const variants = [
    { base: '/api/v1/decisions', seed: false },
    { base: '/api/decisions', seed: true },
  ];
  for (const { base, seed } of variants) {
    const tags = seed ? ['seed-compat'] : ['alerts'];
    const config = seed ? { errorShape: 'fastapi' as const } : {};
    const listPaths = seed ? [base, `${base}/`] : [base];
    for (const path of listPaths) {
      app.get(
        path,
        {
          config: { ...config, permission: 'alerts:read' },
          schema: {
            tags,
            summary: 'Decisions, newest first (`?status=pending`)',
            querystring: ListQuery,
            hide: path.endsWith('/'),
          },
        },
        async (request) => {
          const q = request.query as typeof ListQuery.static;
          const rows = await decisions.list(principalOf(request).orgId, {
            status: q.status || undefined,
            limit: q.limit ?? 50,
            offset: q.offset ?? 0,
          });
          const items = rows.map(presentDecision);
          return seed ? items : { items };
        },
      );
    }

    app.post(
      `${base}/run`,
      {
        config: {
          ...config,
          permission: 'alerts:triage',
          audit: { action: 'decision.run', target: 'decision' },
        },
        schema: { tags, summary: 'Run a decision pass now; returns how many decisions it created' },
      },
      async (request) => ({ created: await decisions.run(principalOf(request).orgId) }),
    );

    app.get(
      `${base}/:id`,
      {
        config: { ...config, permission: 'alerts:read' },
        schema: { tags, summary: 'One decision', params: IdParams },
      },
      async (request) => {
        const { id } = request.params as typeof IdParams.static;
        return presentDecision(await decisions.get(principalOf(request).orgId, id));
      },
    );

    app.post(
      `${base}/:id/execute`,
      {
        config: {
          ...config,
          permission: 'response:execute',
          audit: { action: 'decision.execute', target: 'decision' },
        },
        schema: {
          tags,
          summary: 'Execute a pending decision (queues its response action)',
          params: IdParams,
        },
      },
      async (request) => {
        const { id } = request.params as typeof IdParams.static;
        const p = principalOf(request);
        return presentDecision(await decisions.execute(p.orgId, p.userId, id));
      },
    );

    app.post(
      `${base}/:id/dismiss`,
      {
        config: {
          ...config,
          permission: 'alerts:triage',
          audit: { action: 'decision.dismiss', target: 'decision' },
        },
        schema: { tags, summary: 'Dismiss a pending decision', params: IdParams },
      },
      async (request) => {
        const { id } = request.params as typeof IdParams.static;
        const p = principalOf(request);
        return presentDecision(await decisions.dismiss(p.orgId, p.userId, id));
      },
    );
  }
}
