import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../tables.ts';

/**
 * Seed 002's insight engine: per device and UTC day, incremental aggregates of the events
 * (counters and key sets, updated as events are committed), the computed daily risk and
 * brief, and the insights with their de-duplication counters. Days are epoch days
 * (days since 1970-01-01), so "the day before" is `day - 1` in either dialect.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = sql.raw(dialect === 'postgres' ? 'bigint' : 'integer');
  const json = sql.raw(dialect === 'postgres' ? 'jsonb' : 'text');

  await db.schema
    .createTable('device_day_metrics')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('info_count', 'integer', (c) => c.notNull())
    .addColumn('warn_count', 'integer', (c) => c.notNull())
    .addColumn('high_count', 'integer', (c) => c.notNull())
    .addColumn('failed_logins', 'integer', (c) => c.notNull())
    .addColumn('suspicious_execs', 'integer', (c) => c.notNull())
    .addColumn('score_auth', 'integer', (c) => c.notNull())
    .addColumn('score_network_exposure', 'integer', (c) => c.notNull())
    .addColumn('score_process', 'integer', (c) => c.notNull())
    .addColumn('score_filewatch', 'integer', (c) => c.notNull())
    .addColumn('first_auth', time)
    .addColumn('first_network_exposure', time)
    .addColumn('first_process', time)
    .addColumn('first_filewatch', time)
    .addColumn('updated_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('device_day_metrics_pk', ['org_id', 'device_id', 'day'])
    .execute();
  await db.schema
    .createIndex('device_day_metrics_updated')
    .on('device_day_metrics')
    .columns(['updated_at'])
    .execute();

  // Distinct listener and process keys (hashed: exe paths can be long) and WARN/HIGH changes per day.
  await db.schema
    .createTable('device_day_keys')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addPrimaryKeyConstraint('device_day_keys_pk', ['org_id', 'device_id', 'day', 'kind', 'key'])
    .execute();
  await db.schema
    .createIndex('device_day_keys_lookup')
    .on('device_day_keys')
    .columns(['org_id', 'device_id', 'kind', 'key', 'day'])
    .execute();

  await db.schema
    .createTable('device_risk_scores')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('risk_score', 'integer', (c) => c.notNull())
    .addColumn('raw_risk_score', 'integer', (c) => c.notNull())
    .addColumn('failed_logins', 'integer', (c) => c.notNull())
    .addColumn('new_listeners', 'integer', (c) => c.notNull())
    .addColumn('new_processes', 'integer', (c) => c.notNull())
    .addColumn('suspicious_execs', 'integer', (c) => c.notNull())
    .addColumn('counts', json, (c) => c.notNull())
    .addColumn('baseline', json, (c) => c.notNull())
    .addColumn('drivers', json, (c) => c.notNull())
    .addColumn('new_changes', json, (c) => c.notNull())
    .addColumn('resolved_changes', json, (c) => c.notNull())
    .addColumn('brief', json, (c) => c.notNull())
    .addColumn('delta_vs_7d', 'text', (c) => c.notNull())
    .addColumn('top_driver', 'text', (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('device_risk_scores_pk', ['org_id', 'device_id', 'day'])
    .execute();
  await db.schema
    .createIndex('device_risk_scores_org_day')
    .on('device_risk_scores')
    .columns(['org_id', 'day'])
    .execute();

  await db.schema
    .createTable('insights')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('ts', time, (c) => c.notNull())
    .addColumn('insight_type', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('evidence', json, (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('first_seen', time, (c) => c.notNull())
    .addColumn('last_seen', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('insights_org_ts').on('insights').columns(['org_id', 'ts', 'id']).execute();
  await db.schema
    .createIndex('insights_fingerprint')
    .on('insights')
    .columns(['org_id', 'device_id', 'fingerprint', 'last_seen'])
    .execute();
}
