import { type Kysely, sql } from 'kysely';
import {
  createPartition,
  DEFAULT_PARTITION,
  daysAhead,
  kyselyRunner,
  ownsPartition,
  type RunSql,
} from '../event-partitions.ts';
import {
  DAY_MS,
  EVENT_ROLLUP_DIMENSIONS,
  ROLLUP_COLUMNS,
  rollupAddStatements,
  rollupTriggerStatements,
} from '../event-rollups.ts';
import type { Dialect } from '../tables.ts';

/**
 * Events at volume.
 * - PostgreSQL: `events` becomes a table partitioned by UTC day on `ts` (retention drops whole
 *   days; time-bounded hunts read only their days). An existing table is converted in place:
 *   its rows move into the new table and every index it had is rebuilt on the partitioned parent.
 *   The primary key must hold the partition key, so it is `(id, ts)`: a resent event carries its
 *   id and timestamp again, so `ON CONFLICT DO NOTHING` still recognizes it.
 * - Both: `event_rollups_daily`, counts per organization, day and dimension set, kept equal to
 *   the events by triggers, from which hunts summarize whole days without reading every event.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  const run = kyselyRunner(db);
  if (dialect === 'postgres') await partitionEvents(run);

  const rollups = db.schema
    .createTable('event_rollups_daily')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('dims', 'text', (c) => c.notNull())
    .addColumn('day', sql.raw(time), (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn(ROLLUP_COLUMNS[0], 'text')
    .addColumn(ROLLUP_COLUMNS[1], 'integer')
    .addColumn(ROLLUP_COLUMNS[2], 'text')
    .addColumn(ROLLUP_COLUMNS[3], 'text')
    .addColumn('n', sql.raw(time), (c) => c.notNull())
    .addPrimaryKeyConstraint('event_rollups_daily_pk', ['org_id', 'dims', 'day', 'key']);
  if (dialect === 'postgres') {
    // One partition per dimension set: a hunt's scan reads only the set it sums.
    await rollups.modifyEnd(sql`PARTITION BY LIST (dims)`).execute();
    for (const d of EVENT_ROLLUP_DIMENSIONS) {
      await run(
        `CREATE TABLE "event_rollups_daily_${d.name}" PARTITION OF event_rollups_daily FOR VALUES IN ('${d.name}')`,
      );
    }
    await run('CREATE TABLE event_rollups_daily_other PARTITION OF event_rollups_daily DEFAULT');
  } else {
    await rollups.execute();
  }
  for (const statement of rollupAddStatements(dialect, 'events')) await run(statement);
  for (const statement of rollupTriggerStatements(dialect)) await run(statement);
}

async function partitionEvents(run: RunSql): Promise<void> {
  const kind = await run(
    `SELECT c.relkind AS kind FROM pg_class c WHERE c.relname = 'events' AND c.relnamespace = current_schema()::regnamespace`,
  );
  if (kind.rows[0]?.kind === 'p') return;
  // Every index the table has (0001, 0004 and any later migration's), rebuilt on the parent.
  const indexes = await run(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = 'events'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname
                          AND k.connamespace = current_schema()::regnamespace)`,
  );
  await run(`SET LOCAL maintenance_work_mem = '256MB'`);
  await run(`ALTER TABLE events RENAME TO events_unpartitioned`);
  await run(`ALTER TABLE events_unpartitioned RENAME CONSTRAINT events_pkey TO events_unpartitioned_pkey`);
  await run(
    `CREATE TABLE events (LIKE events_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (ts)`,
  );
  await run(`ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id, ts)`);
  await run(`CREATE TABLE ${DEFAULT_PARTITION} PARTITION OF events DEFAULT`);
  const now = Date.now();
  const present = await run(
    `SELECT DISTINCT (ts - (((ts % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS})) AS day FROM events_unpartitioned`,
  );
  const days = new Set(daysAhead(now));
  for (const row of present.rows) days.add(Number(row.day));
  for (const day of [...days].sort((a, b) => a - b)) {
    if (ownsPartition(day, now)) await createPartition(run, day);
  }
  await run(`INSERT INTO events SELECT * FROM events_unpartitioned`);
  await run(`DROP TABLE events_unpartitioned`);
  // The definitions name the table `<schema>.events`, now the partitioned parent.
  for (const row of indexes.rows) await run(String(row.def));
}
