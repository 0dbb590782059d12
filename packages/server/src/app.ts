import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { AppContext } from './context.ts';
import { installAccessControl, installTransport } from './http/access-control.ts';
import { installErrorHandler } from './http/error-handler.ts';
import { assertRoutesDeclared, registerWithAccess, withDefaultAccess } from './http/route-access.ts';
import { loggerOptions } from './logger.ts';
import { agentCredentialRoutes } from './routes/agent-credential-routes.ts';
import { agentManagementRoutes } from './routes/agent-management-routes.ts';
import { agentRoutes } from './routes/agent-routes.ts';
import { analysisRoutes } from './routes/analysis-routes.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { caseRoutes } from './routes/case-routes.ts';
import { consoleRoutes } from './routes/console-routes.ts';
import { decisionRoutes } from './routes/decision-routes.ts';
import { detectionRoutes } from './routes/detection-routes.ts';
import { detectorRoutes } from './routes/detector-routes.ts';
import { deviceRoutes } from './routes/device-routes.ts';
import { eventRoutes } from './routes/event-routes.ts';
import { exportRoutes } from './routes/export-routes.ts';
import { exposureRoutes } from './routes/exposure-routes.ts';
import { handoverRoutes } from './routes/handover-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { huntRoutes } from './routes/hunt-routes.ts';
import { insightRoutes } from './routes/insight-routes.ts';
import { intelRoutes } from './routes/intel-routes.ts';
import { notificationRoutes } from './routes/notification-routes.ts';
import { organizationRoutes } from './routes/organization-routes.ts';
import { policyRoutes } from './routes/policy-routes.ts';
import { postureRoutes } from './routes/posture-routes.ts';
import { responseRoutes } from './routes/response-routes.ts';
import { santamonRoutes } from './routes/santamon-routes.ts';
import { savedQueryRoutes } from './routes/saved-query-routes.ts';
import { seedAlertRoutes } from './routes/seed-alert-routes.ts';
import { seedAuthRoutes } from './routes/seed-auth-routes.ts';
import { seedIngestRoutes } from './routes/seed-ingest-routes.ts';
import { seedSearchRoutes } from './routes/seed-search-routes.ts';
import { seed000Routes } from './routes/seed000-routes.ts';
import { seed002Routes } from './routes/seed002-routes.ts';
import { seed003AlertRoutes } from './routes/seed003-alert-routes.ts';
import { seed004IncidentRoutes } from './routes/seed004-incident-routes.ts';
import { shipperRoutes } from './routes/shipper-routes.ts';
import { streamRoutes } from './routes/stream-routes.ts';
import { threatMapRoutes } from './routes/threat-map-routes.ts';
import { tokenRoutes } from './routes/token-routes.ts';
import { userRoutes } from './routes/user-routes.ts';
import { workGroupRoutes } from './routes/work-group-routes.ts';
import { workplanRoutes } from './routes/workplan-routes.ts';

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
    // X-Forwarded-For/-Proto are believed only from the configured proxies.
    trustProxy: ctx.config.trustedProxies.length > 0 ? ctx.config.trustedProxies : false,
    // Per-request log lines would dominate the logs under ingest load; the error handler logs failures.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    ...(options.https ? { https: options.https } : {}),
  } as unknown as FastifyServerOptions).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandler(app);
  // WebSocket upgrades go through every hook below (401/403 before the upgrade). Registered first so its
  // own hook marks the upgrade before any hook can refuse it (a refused upgrade's socket is then closed).
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // Every route declares its access (http/route-access.ts); security headers on every response.
  installTransport(app, ctx);
  // First: the console's navigation hook must see requests for every route registered after it.
  await withDefaultAccess(app, { auth: 'public' }, () => consoleRoutes(app));
  // Authentication, the declared permission, rate limits and the audit record of every route below.
  installAccessControl(app, ctx);

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
        { name: 'rules', description: 'Detection rules, suppressions, IOC lists' },
        { name: 'alerts', description: 'Alerts raised by detection' },
        { name: 'operations', description: 'Health, readiness, metrics' },
        { name: 'seed-compat', description: 'Routes of the systems Harrier replaces' },
        { name: 'hunting', description: 'Hunting queries, the events explorer, saved queries' },
        { name: 'cases', description: 'Cases and their war room, workplans, shift handovers' },
      ],
    },
  });
  await registerWithAccess(app, { auth: 'public' }, async (scope) => {
    await scope.register(swaggerUi, { routePrefix: '/docs' });
  });
  app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(async (scope) => healthRoutes(scope, ctx));
  await app.register(async (scope) => agentRoutes(scope, ctx));
  // POST /ingest checks the seed agents' keys itself; batches are data, not audit records.
  await registerWithAccess(app, { auth: 'seed-key', audit: false }, (scope) => seedIngestRoutes(scope, ctx));
  await app.register(async (scope) => santamonRoutes(scope, ctx, ctx.santamon));
  await app.register(async (scope) => shipperRoutes(scope, ctx));
  await app.register(async (scope) => huntRoutes(scope, ctx));
  await app.register(async (scope) => eventRoutes(scope, ctx));
  await app.register(async (scope) => savedQueryRoutes(scope, ctx));
  await app.register(async (scope) => seedSearchRoutes(scope, ctx));
  await app.register(async (scope) => authRoutes(scope, ctx));
  await app.register(async (scope) => userRoutes(scope, ctx));
  await app.register(async (scope) => organizationRoutes(scope, ctx));
  await app.register(async (scope) => tokenRoutes(scope, ctx));
  await app.register(async (scope) => auditRoutes(scope, ctx));
  await app.register(async (scope) => agentCredentialRoutes(scope, ctx));
  await app.register(async (scope) => seedAuthRoutes(scope, ctx));
  await app.register(async (scope) => detectionRoutes(scope, ctx));
  // Management plane: fleet, policies, response actions, and what agents pull (signed).
  await app.register(async (scope) => deviceRoutes(scope, ctx));
  await app.register(async (scope) => policyRoutes(scope, ctx));
  await app.register(async (scope) => responseRoutes(scope, ctx));
  await app.register(async (scope) => agentManagementRoutes(scope, ctx));
  await app.register(async (scope) => detectorRoutes(scope, ctx));
  await app.register(async (scope) => exportRoutes(scope, ctx));
  await app.register(async (scope) => decisionRoutes(scope, ctx));
  await app.register(async (scope) => postureRoutes(scope, ctx));
  await app.register(async (scope) => seed000Routes(scope, ctx));
  // Threat intelligence: agent indicator pulls, network sensor ingest, feeds; the threat map (WebSocket).
  await app.register(async (scope) => intelRoutes(scope, ctx));
  await app.register(async (scope) => threatMapRoutes(scope, ctx));
  // Seed 002's insight engine: native insight and risk reads, and the seed's read API.
  await app.register(async (scope) => insightRoutes(scope, ctx));
  await app.register(async (scope) => seed002Routes(scope, ctx));
  await app.register(async (scope) => notificationRoutes(scope, ctx));
  await app.register(async (scope) => streamRoutes(scope, ctx));
  // Alert triage: work groups (the alert routes themselves live with detection's).
  await app.register(async (scope) => workGroupRoutes(scope, ctx));
  await app.register(async (scope) => seedAlertRoutes(scope, ctx));
  await app.register(async (scope) => seed003AlertRoutes(scope, ctx));
  // Case work: cases and their war room, workplans, shift handovers.
  await app.register(async (scope) => caseRoutes(scope, ctx));
  await app.register(async (scope) => workplanRoutes(scope, ctx));
  await app.register(async (scope) => handoverRoutes(scope, ctx));
  await app.register(async (scope) => seed004IncidentRoutes(scope, ctx));
  // Exposure: software inventory, vulnerabilities, static file and e-mail analysis.
  await app.register(async (scope) => exposureRoutes(scope, ctx));
  await app.register(async (scope) => analysisRoutes(scope, ctx));
  // A route without a declared access fails the build here (and again at ready).
  assertRoutesDeclared(app);
  return app;
}
