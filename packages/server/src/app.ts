import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { AppContext } from './context.ts';
import { installErrorHandler } from './http/error-handler.ts';
import { loggerOptions } from './logger.ts';
import { agentRoutes } from './routes/agent-routes.ts';
import { consoleRoutes } from './routes/console-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { santamonRoutes } from './routes/santamon-routes.ts';
import { seedIngestRoutes } from './routes/seed-ingest-routes.ts';

export interface BuildAppOptions {
  /** Pino options, or false to silence (tests). */
  logger?: FastifyServerOptions['logger'];
  https?: { cert: Buffer; key: Buffer } | undefined;
}

/** Builds the Fastify app over a context. Does not listen. */
export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? loggerOptions(ctx.config.logLevel),
    bodyLimit: ctx.config.maxBodyBytes,
    trustProxy: false,
    // Per-request log lines would dominate the logs under ingest load; the error handler logs failures.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    ...(options.https ? { https: options.https } : {}),
  } as unknown as FastifyServerOptions).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandler(app);
  // First: the console's navigation hook must see requests for every route registered after it.
  await consoleRoutes(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Harrier API',
        version: '0.1.0',
        description: 'Endpoint security monitoring: ingest, detection, triage, hunting.',
      },
      tags: [
        { name: 'agents', description: 'Enrollment, heartbeats' },
        { name: 'ingest', description: 'Event ingest' },
        { name: 'operations', description: 'Health, readiness, metrics' },
        { name: 'seed-compat', description: 'Routes of the systems Harrier replaces' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (scope) => healthRoutes(scope, ctx));
  await app.register(async (scope) => agentRoutes(scope, ctx));
  await app.register(async (scope) => seedIngestRoutes(scope, ctx));
  await app.register(async (scope) => santamonRoutes(scope, ctx, ctx.santamon));
  return app;
}
