import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../tables.ts';

/** Threat intelligence: scheduled indicator feeds and seed 004's threat-map items. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = sql.raw(dialect === 'postgres' ? 'bigint' : 'integer');
  const json = sql.raw(dialect === 'postgres' ? 'jsonb' : 'text');
  const real = sql.raw(dialect === 'postgres' ? 'double precision' : 'real');

  await db.schema
    .createTable('ioc_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_fetched_at', time)
    .addColumn('last_status', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_imported', 'integer')
    .addColumn('created_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ioc_feeds_org_name')
    .on('ioc_feeds')
    .columns(['org_id', 'name'])
    .unique()
    .execute();

  await db.schema
    .createTable('threat_map_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('ts', time, (c) => c.notNull())
    .addColumn('src_ip', 'text')
    .addColumn('dst_ip', 'text')
    .addColumn('attack_type', 'text', (c) => c.notNull())
    .addColumn('severity', 'integer', (c) => c.notNull())
    .addColumn('volume_pps', real)
    .addColumn('volume_bps', real)
    .addColumn('tags', json, (c) => c.notNull())
    .addColumn('confidence', real, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('threat_map_items_org_ts')
    .on('threat_map_items')
    .columns(['org_id', 'ts'])
    .execute();
}
