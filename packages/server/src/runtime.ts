import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type BuildAppOptions, buildApp } from './app.ts';
import { runsScheduledJobs, type ServeRole, startCluster } from './bus/cluster.ts';
import type { Config } from './config.ts';
import { type AppContext, createContext } from './context.ts';
import { type HarrierDatabase, openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { DecisionEngineJob } from './jobs/decision-engine-job.ts';
import { InsightsJob } from './jobs/insights-job.ts';
import { MaintenanceJob } from './jobs/maintenance-job.ts';
import { bootstrapInstance, type FirstRunCredentials } from './services/bootstrap-service.ts';
import { RetentionService } from './services/retention-service.ts';
import { loadServerSecret } from './services/server-secret.ts';
import { SyslogListener } from './services/syslog-listener.ts';

export interface Runtime {
  app: FastifyInstance;
  ctx: AppContext;
  firstRun: FirstRunCredentials | undefined;
  /** The syslog listeners, when a HARRIER_SYSLOG_*_PORT is set. */
  syslog: SyslogListener | undefined;
  /** Stops accepting, drains in-flight batches and background work, closes the store. */
  close(): Promise<void>;
}

/** Opens the store, migrates, bootstraps and builds the app: everything `serve` does but listen. */
export async function startRuntime(
  config: Config,
  appOptions: BuildAppOptions = {},
  role: ServeRole = 'all',
): Promise<Runtime> {
  const database: HarrierDatabase = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgSchema: config.pgSchema,
    dataDir: config.dataDir,
    sqliteSynchronous: config.sqliteSynchronous,
    poolSize: config.pgPoolMax,
  });
  await migrateToLatest(database.db, database.dialect, database.schema);
  const secret = loadServerSecret(config.secret, config.dataDir);
  const ctx = createContext(config, database, secret);
  const firstRun = await bootstrapInstance(config, database, ctx.enrollment);
  const https =
    config.tlsCert && config.tlsKey
      ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }
      : undefined;
  const app = await buildApp(ctx, { ...appOptions, https });
  const purge = setInterval(() => {
    database.writer.submit({ kind: 'purge_nonces', before: Date.now() }).catch(() => undefined);
  }, 60_000);
  purge.unref();
  let syslog: SyslogListener | undefined;
  try {
    syslog = await startSyslog(config, ctx, app);
  } catch (error) {
    // A port in use must not leave the store open behind a failed start.
    clearInterval(purge);
    await app.close();
    await database.close();
    throw error;
  }
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  try {
    cluster = await startCluster(ctx, role, app.log);
  } catch (error) {
    clearInterval(purge);
    await syslog?.close();
    await app.close();
    await database.close();
    throw error;
  }
  // Scheduled hunting queries (detections); stopped before the store closes.
  if (runsScheduledJobs(role)) ctx.hunting.scheduler.start();
  // Decision engine: one pass now, then every HARRIER_DECISION_INTERVAL seconds.
  const decisions = new DecisionEngineJob(ctx.management.decisions, config.decisionIntervalSeconds, (error) =>
    app.log.warn({ err: error }, 'decision engine pass failed'),
  );
  if (runsScheduledJobs(role)) decisions.start();
  // Insights and risk (seed 002): at start for recent changes, then every HARRIER_INSIGHTS_INTERVAL seconds.
  const insightsJob = new InsightsJob(ctx.insights, config.insightsIntervalSeconds, (error) =>
    app.log.warn({ err: error }, 'insight computation failed'),
  );
  if (runsScheduledJobs(role)) insightsJob.start();
  // Partitions ahead and retention (HARRIER_RETENTION_DAYS): at start, then hourly.
  const maintenance = new MaintenanceJob(
    new RetentionService(database),
    config.retentionDays,
    (result) => app.log.info({ maintenance: result }, 'store maintenance pass'),
    (error) => app.log.warn({ err: error }, 'store maintenance pass failed'),
  );
  // One process runs it (where scheduled jobs run); ingest creates missing partitions itself.
  if (runsScheduledJobs(role)) maintenance.start();
  // Cases raised by alerts at or above HARRIER_AUTO_CASE_MIN_SEVERITY (off by default).
  const stopAutoCases = ctx.cases.autoCases.start(ctx.domainEvents);
  // Webhook and e-mail deliveries (the durable queue) and device online/offline changes.
  ctx.notifications.start({ deviceStatus: runsScheduledJobs(role) });
  let closed = false;
  return {
    app,
    ctx,
    firstRun,
    syslog,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(purge);
      // What the listeners already received is stored before the store closes.
      await syslog?.close();
      // Fastify's close waits for in-flight requests; their writes commit before the store closes.
      await app.close();
      await cluster?.close();
      await ctx.hunting.scheduler.stop();
      await decisions.stop();
      await insightsJob.stop();
      await maintenance.stop();
      stopAutoCases();
      await ctx.pipeline.idle();
      await ctx.domainEvents.idle();
      await ctx.notifications.stop();
      ctx.mailer.close?.();
      await database.close();
    },
  };
}

/** Starts the syslog listeners if a port is configured (log shippers without HTTP). */
async function startSyslog(
  config: Config,
  ctx: AppContext,
  app: FastifyInstance,
): Promise<SyslogListener | undefined> {
  if (config.syslog.tcpPort === undefined && config.syslog.udpPort === undefined) return undefined;
  const listener = new SyslogListener({
    config: config.syslog,
    ingest: ctx.shipperIngest,
    orgIdForSlug: async (slug) => (await ctx.organizations.findBySlug(slug))?.id,
    authenticator: ctx.identity.authenticator,
    log: (level, msg, extra) => app.log[level](extra ?? {}, msg),
  });
  await listener.start();
  const ports = listener.ports();
  app.log.info({ tcp: ports.tcp, udp: ports.udp, host: config.syslog.host }, 'syslog listening');
  return listener;
}
