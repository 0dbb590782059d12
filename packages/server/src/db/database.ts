import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteRegexp } from '@harrier/query';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { PgIngestWriter } from './pg-writer.ts';
import { openSqliteConnection } from './sqlite-connection.ts';
import { SqliteReaderPool } from './sqlite-reader-pool.ts';
import { SqliteIngestWriter } from './sqlite-writer.ts';
import type { Database, Dialect } from './tables.ts';
import type { IngestWriter } from './write-jobs.ts';

// int8 columns (epoch-ms times) come back from pg as strings by default; every
// value we store fits a double exactly, so read them as numbers.
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface DatabaseOptions {
  /** `postgres://…`; absent selects SQLite at `sqlitePath`. */
  databaseUrl?: string | undefined;
  pgSchema?: string;
  sqlitePath?: string;
  dataDir?: string;
  sqliteSynchronous?: 'NORMAL' | 'FULL';
  /** Pool size on PostgreSQL. */
  poolSize?: number;
}

/** An open store: Kysely for queries, the ingest writer for the hot path. */
export interface HarrierDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL schema holding the tables (undefined on SQLite). */
  schema: string | undefined;
  writer: IngestWriter;
  /** SQLite only: reader processes that run hunts off the event loop (absent for `:memory:`). */
  readers?: SqliteReaderPool | undefined;
  /** True when the store answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Opens SQLite (default) or PostgreSQL. The caller runs migrations before
 * submitting writes.
 */
export async function openDatabase(options: DatabaseOptions): Promise<HarrierDatabase> {
  if (options.databaseUrl)
    return openPostgres(options.databaseUrl, options.pgSchema ?? 'harrier', options.poolSize ?? 10);
  const path = options.sqlitePath ?? join(options.dataDir ?? './data', 'harrier.db');
  if (path !== ':memory:') mkdirSync(join(path, '..'), { recursive: true });
  return openSqlite(path, options.sqliteSynchronous ?? 'NORMAL');
}

function openSqlite(path: string, synchronous: 'NORMAL' | 'FULL'): HarrierDatabase {
  const connection = openSqliteConnection(path, synchronous);
  // Hunts compile `matches regex` to REGEXP; the function re-screens patterns for catastrophic backtracking.
  connection.function('regexp', { deterministic: true }, createSqliteRegexp());
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
  let writer: SqliteIngestWriter | undefined;
  // An in-memory database is private to its connection, so reader processes cannot see it:
  // hunts on `:memory:` (some tests) run on the main connection instead.
  const readers = path === ':memory:' ? undefined : new SqliteReaderPool(path);
  return {
    db,
    dialect: 'sqlite',
    schema: undefined,
    readers,
    get writer() {
      writer ??= new SqliteIngestWriter(path, synchronous);
      return writer;
    },
    ping: () => answers(db),
    async close() {
      await readers?.close();
      if (writer) await writer.close();
      await db.destroy();
    },
  };
}

async function openPostgres(url: string, schema: string, poolSize: number): Promise<HarrierDatabase> {
  const bootstrap = new pg.Client({ connectionString: url });
  await bootstrap.connect();
  try {
    await bootstrap.query(`create schema if not exists "${schema}"`);
  } finally {
    await bootstrap.end();
  }
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: `-c search_path="${schema}"` });
  // An idle client that loses its server emits 'error'; without a listener that crashes the process.
  pool.on('error', () => undefined);
  // A checked-out client whose server goes away between two queries emits 'error' on itself
  // (the next query fails and the caller answers 503); without a listener it crashes the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const writer = new PgIngestWriter(pool);
  return {
    db,
    dialect: 'postgres',
    schema,
    writer,
    ping: () => answers(db),
    async close() {
      await writer.close();
      await db.destroy();
    },
  };
}

/** True when the store answers a trivial query. */
async function answers(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
