import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

/** Liveness, readiness and Prometheus metrics. */
export async function healthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // Santamon's shape (seed 001), which is also our liveness probe: no I/O.
  app.get(
    '/health',
    { config: { auth: 'public' }, schema: { tags: ['operations'], summary: 'Liveness' } },
    async () => ({
      status: 'healthy',
      timestamp: new Date().toISOString(),
    }),
  );

  app.get(
    '/ready',
    {
      config: { auth: 'public' },
      schema: { tags: ['operations'], summary: 'Readiness: the database answers' },
    },
    async (_req, reply) => {
      if (!ctx.pipeline.busConnected()) {
        return reply
          .status(503)
          .header('retry-after', '5')
          .send({
            error: { code: 'not_ready', message: 'The event bus (NATS) does not answer.', details: null },
          });
      }
      if (await ctx.database.ping()) return { status: 'ready', database: ctx.database.dialect };
      return reply
        .status(503)
        .header('retry-after', '5')
        .send({
          error: { code: 'not_ready', message: 'The database does not answer.', details: null },
        });
    },
  );

  app.get(
    '/metrics',
    {
      config: { auth: 'public' },
      schema: { tags: ['operations'], summary: 'Prometheus metrics', hide: true },
    },
    async (_req, reply) => {
      reply.header('content-type', ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  );
}
