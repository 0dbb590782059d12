import { sql } from 'kysely';
import { compileOnlyKysely } from './compile-only.ts';
import type { Dialect } from './tables.ts';
import { EVENT_COLUMNS } from './write-jobs.ts';

/** SQL text of every statement the ingest writers run, compiled once per dialect. */
export interface IngestStatements {
  claimNonce: string;
  findBatch: string;
  insertBatch: string;
  insertEvent: string;
  touchDevice: string;
  upsertHeartbeat: string;
  touchDeviceHeartbeat: string;
  insertSignal: string;
  purgeNonces: string;
}

const HEARTBEAT_COLUMNS = [
  'id',
  'org_id',
  'device_id',
  'ts',
  'received_at',
  'reported_ts',
  'agent_version',
  'os_version',
  'uptime_s',
  'cpu_pct',
  'mem_used_bytes',
  'mem_total_bytes',
  'disk_used_bytes',
  'disk_total_bytes',
  'data',
] as const;

const SIGNAL_COLUMNS = [
  'id',
  'org_id',
  'device_id',
  'signal_id',
  'ts',
  'ts_text',
  'host_id',
  'rule_id',
  'rule_description',
  'status',
  'severity',
  'title',
  'tags',
  'context',
  'received_at',
  'updated_at',
] as const;

export { HEARTBEAT_COLUMNS, SIGNAL_COLUMNS };

function placeholders<K extends string>(columns: readonly K[]): Record<K, null> {
  return Object.fromEntries(columns.map((c) => [c, null])) as Record<K, null>;
}

/** Compiles the ingest statements; parameters bind in the column orders exported here. */
export function ingestStatements(dialect: Dialect): IngestStatements {
  const db = compileOnlyKysely(dialect);
  return {
    claimNonce: db
      .insertInto('nonces')
      .values({ scope: '', nonce: '', expires_at: 0 })
      .onConflict((oc) => oc.doNothing())
      .compile().sql,
    findBatch: db
      .selectFrom('ingest_batches')
      .select('result')
      .where('device_id', '=', '')
      .where('batch_id', '=', '')
      .compile().sql,
    insertBatch: db
      .insertInto('ingest_batches')
      .values({ device_id: '', batch_id: '', org_id: '', result: '', created_at: 0 })
      .onConflict((oc) => oc.doNothing())
      .compile().sql,
    insertEvent: db
      .insertInto('events')
      .values(placeholders(EVENT_COLUMNS) as never)
      .onConflict((oc) => oc.doNothing())
      .compile().sql,
    touchDevice: db
      .updateTable('devices')
      .set({
        last_seen_at: (dialect === 'sqlite'
          ? sql<number>`max(coalesce(last_seen_at, 0), ${0})`
          : sql<number>`greatest(coalesce(last_seen_at, 0), ${0})`) as never,
      })
      .where('id', '=', '')
      .compile().sql,
    upsertHeartbeat: db
      .insertInto('heartbeats')
      .values(placeholders(HEARTBEAT_COLUMNS) as never)
      .onConflict((oc) =>
        oc.columns(['device_id', 'reported_ts']).doUpdateSet((eb) => ({
          ts: eb.ref('excluded.ts'),
          received_at: eb.ref('excluded.received_at'),
          agent_version: eb.ref('excluded.agent_version'),
          os_version: eb.ref('excluded.os_version'),
          uptime_s: eb.ref('excluded.uptime_s'),
          cpu_pct: eb.ref('excluded.cpu_pct'),
          mem_used_bytes: eb.ref('excluded.mem_used_bytes'),
          mem_total_bytes: eb.ref('excluded.mem_total_bytes'),
          disk_used_bytes: eb.ref('excluded.disk_used_bytes'),
          disk_total_bytes: eb.ref('excluded.disk_total_bytes'),
          data: eb.ref('excluded.data'),
        })),
      )
      .compile().sql,
    touchDeviceHeartbeat: db
      .updateTable('devices')
      .set({
        last_heartbeat_at: 0,
        last_seen_at: 0,
        agent_version: sql`coalesce(${null}, agent_version)` as never,
        os_name: sql`coalesce(${null}, os_name)` as never,
        os_version: sql`coalesce(${null}, os_version)` as never,
        platform: sql`coalesce(${null}, platform)` as never,
      })
      .where('id', '=', '')
      .compile().sql,
    insertSignal: db
      .insertInto('signals')
      .values(placeholders(SIGNAL_COLUMNS) as never)
      .onConflict((oc) => oc.columns(['org_id', 'signal_id']).doNothing())
      .compile().sql,
    purgeNonces: db.deleteFrom('nonces').where('expires_at', '<', 0).compile().sql,
  };
}
