import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../tables.ts';

/**
 * Hunting: saved (and scheduled) queries, the query history, and the event
 * indexes that keep typical hunts fast (bench/hunt.bench.ts measures them).
 *
 * Index choice, for the queries analysts run most:
 * - filter by host, user or event code, newest first: `(org_id, <column>, ts)`;
 * - summarize by two columns (host × event code, image × user) and top 10: one covering index
 *   so the aggregate reads the index only, never the wide rows with their JSON fields;
 * - text contains on command line and image (PostgreSQL): trigram GIN indexes, when the
 *   pg_trgm extension is available (a trusted extension since PostgreSQL 13);
 * - time range scans on PostgreSQL: BRIN on `ts` (rows arrive roughly in time order).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  const t = (type: string) => sql.raw(type);

  await db.schema
    .createTable('saved_queries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('query', 'text', (c) => c.notNull())
    // private: the owner only; shared: everyone in the organization may read and run it.
    .addColumn('visibility', 'text', (c) => c.notNull())
    // Default look-back when the query is run without a time range (and by the scheduler).
    .addColumn('lookback_ms', t(time))
    // Scheduled detection: run every interval; raise an alert when rows > threshold.
    .addColumn('schedule_interval_ms', t(time))
    .addColumn('schedule_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alert_threshold', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alert_severity', 'text', (c) => c.notNull().defaultTo('medium'))
    .addColumn('next_run_at', t(time))
    .addColumn('last_run_at', t(time))
    .addColumn('last_status', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_row_count', 'integer')
    .addColumn('last_alert_id', 'text')
    .addColumn('created_at', t(time), (c) => c.notNull())
    .addColumn('updated_at', t(time), (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('saved_queries_org_owner')
    .on('saved_queries')
    .columns(['org_id', 'owner_id'])
    .execute();
  await db.schema
    .createIndex('saved_queries_org_visibility')
    .on('saved_queries')
    .columns(['org_id', 'visibility'])
    .execute();
  await db.schema
    .createIndex('saved_queries_due')
    .on('saved_queries')
    .columns(['schedule_enabled', 'next_run_at'])
    .execute();

  await db.schema
    .createTable('query_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    // hunt | kql | filter | export
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('time_from', t(time))
    .addColumn('time_to', t(time))
    // ok | error | timeout
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('row_count', 'integer')
    .addColumn('elapsed_ms', 'real')
    .addColumn('created_at', t(time), (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('query_history_org_user')
    .on('query_history')
    .columns(['org_id', 'user_id', 'id'])
    .execute();

  // Event indexes. Filters on one column come newest first straight from `(org_id, col, ts)`
  // (equality, then the time range, in the order results are returned). The covering index
  // `(org_id, ts, …)` holds the columns hunts summarize most, so counts by host, event code,
  // user or image over a time range read the index only, never the wide rows with their JSON.
  // Index builds over a large events table sort in memory rather than in temporary files.
  if (dialect === 'postgres') await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(db);
  const eventIndexes: Array<[string, string[]]> = [
    ['events_org_host_ts', ['org_id', 'hostname', 'ts']],
    ['events_org_user_ts', ['org_id', 'user_name', 'ts']],
    ['events_org_code_ts', ['org_id', 'event_code', 'ts']],
    ['events_org_ts_summary', ['org_id', 'ts', 'event_code', 'hostname', 'user_name', 'image']],
  ];
  for (const [name, columns] of eventIndexes) {
    await db.schema.createIndex(name).on('events').columns(columns).execute();
  }
  // `(org_id, ts)` of 0001 is a prefix of the covering index: one index less to maintain on ingest.
  await db.schema.dropIndex('events_org_ts').execute();

  if (dialect === 'postgres') {
    await sql`CREATE INDEX events_ts_brin ON events USING brin (ts)`.execute(db);
    const trgm = await trigramSchema(db);
    if (trgm) {
      const ops = sql.raw(`${quoteIdent(trgm)}.gin_trgm_ops`);
      await sql`CREATE INDEX events_command_line_trgm ON events USING gin (command_line ${ops})`.execute(db);
      await sql`CREATE INDEX events_image_trgm ON events USING gin (image ${ops})`.execute(db);
    }
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The schema holding pg_trgm, installing it (into `public`, so that dropping a tenant or test
 * schema never drops it) when it is available and we may; undefined otherwise. A failed
 * CREATE EXTENSION is rolled back to a savepoint so the migration's transaction continues.
 */
async function trigramSchema(db: Kysely<unknown>): Promise<string | undefined> {
  const installed = async () =>
    (
      await sql<{ schema: string }>`
        SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname = 'pg_trgm'`.execute(db)
    ).rows[0]?.schema;
  const existing = await installed();
  if (existing) return existing;
  const available = await sql`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'`.execute(db);
  if (available.rows.length === 0) return undefined;
  const hasPublic = await sql`SELECT 1 FROM pg_namespace WHERE nspname = 'public'`.execute(db);
  await sql`SAVEPOINT harrier_trgm`.execute(db);
  try {
    if (hasPublic.rows.length > 0)
      await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`.execute(db);
    else await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
    await sql`RELEASE SAVEPOINT harrier_trgm`.execute(db);
  } catch {
    // No privilege, or another migration installed it at the same moment.
    await sql`ROLLBACK TO SAVEPOINT harrier_trgm`.execute(db);
  }
  return installed();
}
