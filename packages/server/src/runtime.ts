import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type BuildAppOptions, buildApp } from './app.ts';
import type { Config } from './config.ts';
import { type AppContext, createContext } from './context.ts';
import { type HarrierDatabase, openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { bootstrapInstance, type FirstRunCredentials } from './services/bootstrap-service.ts';
import { loadServerSecret } from './services/server-secret.ts';

export interface Runtime {
  app: FastifyInstance;
  ctx: AppContext;
  firstRun: FirstRunCredentials | undefined;
  /** Stops accepting, drains in-flight batches and background work, closes the store. */
  close(): Promise<void>;
}

/** Opens the store, migrates, bootstraps and builds the app: everything `serve` does but listen. */
export async function startRuntime(config: Config, appOptions: BuildAppOptions = {}): Promise<Runtime> {
  const database: HarrierDatabase = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgSchema: config.pgSchema,
    dataDir: config.dataDir,
    sqliteSynchronous: config.sqliteSynchronous,
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
  // Scheduled hunting queries (detections); stopped before the store closes.
  ctx.hunting.scheduler.start();
  let closed = false;
  return {
    app,
    ctx,
    firstRun,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(purge);
      // Fastify's close waits for in-flight requests; their writes commit before the store closes.
      await app.close();
      await ctx.hunting.scheduler.stop();
      await ctx.pipeline.idle();
      await database.close();
    },
  };
}
