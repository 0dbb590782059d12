import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../tables.ts';

/**
 * The platform's base tables. One definition serves both dialects; only the
 * column types that differ (times, JSON) are chosen per dialect.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  const t = (type: string) => sql.raw(type);

  await db.schema
    .createTable('organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('ingest_rate_limit_per_minute', 'integer', (c) => c.notNull().defaultTo(600))
    .addColumn('response_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t(time), (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('is_instance_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('team', 'text')
    .addColumn('manager', 'text')
    .addColumn('phone', 'text')
    .addColumn('computer', 'text')
    .addColumn('disabled_at', t(time))
    .addColumn('created_at', t(time), (c) => c.notNull())
    .addColumn('updated_at', t(time), (c) => c.notNull())
    .addColumn('last_login_at', t(time))
    .addColumn('password_changed_at', t(time), (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('users_org_username')
    .on('users')
    .columns(['org_id', 'username'])
    .unique()
    .execute();

  await db.schema
    .createTable('enrollment_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', t(time), (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('expires_at', t(time))
    .addColumn('max_uses', 'integer')
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('revoked_at', t(time))
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('display_name', 'text')
    .addColumn('os_name', 'text')
    .addColumn('os_version', 'text')
    .addColumn('platform', 'text')
    .addColumn('agent_version', 'text')
    .addColumn('ip_address', 'text')
    .addColumn('tags', t(json), (c) => c.notNull())
    .addColumn('metadata', t(json), (c) => c.notNull())
    .addColumn('secret_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('secret_generation', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('enrollment_key_id', 'text')
    .addColumn('enrolled_at', t(time))
    .addColumn('revoked_at', t(time))
    .addColumn('first_seen_at', t(time), (c) => c.notNull())
    .addColumn('last_seen_at', t(time))
    .addColumn('last_heartbeat_at', t(time))
    .addColumn('created_at', t(time), (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('devices_org_external')
    .on('devices')
    .columns(['org_id', 'external_id'])
    .unique()
    .execute();
  await db.schema.createIndex('devices_org_hostname').on('devices').columns(['org_id', 'hostname']).execute();

  await db.schema
    .createTable('agent_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('device_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text')
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('secret_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t(time), (c) => c.notNull())
    .addColumn('revoked_at', t(time))
    .addColumn('last_used_at', t(time))
    .execute();
  await db.schema.createIndex('agent_keys_hash').on('agent_keys').column('key_hash').execute();
  await db.schema.createIndex('agent_keys_org_kind').on('agent_keys').columns(['org_id', 'kind']).execute();

  await db.schema
    .createTable('heartbeats')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('ts', t(time), (c) => c.notNull())
    .addColumn('received_at', t(time), (c) => c.notNull())
    .addColumn('reported_ts', 'text', (c) => c.notNull())
    .addColumn('agent_version', 'text')
    .addColumn('os_version', 'text')
    .addColumn('uptime_s', 'real')
    .addColumn('cpu_pct', 'real')
    .addColumn('mem_used_bytes', t(time))
    .addColumn('mem_total_bytes', t(time))
    .addColumn('disk_used_bytes', t(time))
    .addColumn('disk_total_bytes', t(time))
    .addColumn('data', t(json), (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('heartbeats_device_reported')
    .on('heartbeats')
    .columns(['device_id', 'reported_ts'])
    .unique()
    .execute();
  await db.schema
    .createIndex('heartbeats_org_received')
    .on('heartbeats')
    .columns(['org_id', 'received_at'])
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text')
    .addColumn('ts', t(time), (c) => c.notNull())
    .addColumn('received_at', t(time), (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('product', 'text')
    .addColumn('category', 'text')
    .addColumn('service', 'text')
    .addColumn('event_code', 'integer')
    .addColumn('severity', 'text')
    .addColumn('title', 'text')
    .addColumn('hostname', 'text')
    .addColumn('user_name', 'text')
    .addColumn('image', 'text')
    .addColumn('command_line', 'text')
    .addColumn('parent_image', 'text')
    .addColumn('target_filename', 'text')
    .addColumn('source_ip', 'text')
    .addColumn('destination_ip', 'text')
    .addColumn('destination_port', 'integer')
    .addColumn('fields', t(json), (c) => c.notNull())
    .addColumn('raw', 'text')
    .addColumn('batch_id', 'text')
    .execute();
  await db.schema.createIndex('events_org_ts').on('events').columns(['org_id', 'ts']).execute();
  await db.schema.createIndex('events_device_ts').on('events').columns(['device_id', 'ts']).execute();

  await db.schema
    .createTable('signals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text')
    .addColumn('signal_id', 'text', (c) => c.notNull())
    .addColumn('ts', t(time), (c) => c.notNull())
    .addColumn('ts_text', 'text', (c) => c.notNull())
    .addColumn('host_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_description', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('tags', t(json), (c) => c.notNull())
    .addColumn('context', t(json), (c) => c.notNull())
    .addColumn('received_at', t(time), (c) => c.notNull())
    .addColumn('updated_at', t(time), (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('signals_org_signal')
    .on('signals')
    .columns(['org_id', 'signal_id'])
    .unique()
    .execute();
  await db.schema.createIndex('signals_org_ts').on('signals').columns(['org_id', 'ts']).execute();

  await db.schema
    .createTable('nonces')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('expires_at', t(time), (c) => c.notNull())
    .addPrimaryKeyConstraint('nonces_pk', ['scope', 'nonce'])
    .execute();
  await db.schema.createIndex('nonces_expires').on('nonces').column('expires_at').execute();

  await db.schema
    .createTable('ingest_batches')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('result', t(json), (c) => c.notNull())
    .addColumn('created_at', t(time), (c) => c.notNull())
    .addPrimaryKeyConstraint('ingest_batches_pk', ['device_id', 'batch_id'])
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', t(time), (c) => c.notNull())
    .execute();
}
