import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../tables.ts';

/**
 * Detection: rules (with every saved version), alerts grouped by rule and group
 * key, suppressions and IOC indicators. Correlation state is not stored: it is
 * rebuilt from stored events after a restart.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  const t = (type: string) => sql.raw(type);

  await db.schema
    .createTable('rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('rule_uid', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('level', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('yaml', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('logsource', t(json), (c) => c.notNull())
    .addColumn('tags', t(json), (c) => c.notNull())
    .addColumn('mitre_techniques', t(json), (c) => c.notNull())
    .addColumn('mitre_tactics', t(json), (c) => c.notNull())
    .addColumn('group_by', t(json), (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('created_at', t(time), (c) => c.notNull())
    .addColumn('updated_at', t(time), (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rules_org_uid').on('rules').columns(['org_id', 'rule_uid']).unique().execute();
  await db.schema.createIndex('rules_org_updated').on('rules').columns(['org_id', 'updated_at']).execute();

  // Every saved version of a rule; kept after the rule is deleted so an alert can show what fired.
  await db.schema
    .createTable('rule_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('yaml', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', t(time), (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rule_versions_rule_version')
    .on('rule_versions')
    .columns(['rule_id', 'version'])
    .unique()
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('rule_id', 'text')
    .addColumn('rule_uid', 'text', (c) => c.notNull())
    .addColumn('rule_version', 'integer')
    .addColumn('rule_title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('severity_rank', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('device_id', 'text')
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('first_seen', t(time), (c) => c.notNull())
    .addColumn('last_seen', t(time), (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('matched_event_ids', t(json), (c) => c.notNull())
    .addColumn('mitre_techniques', t(json), (c) => c.notNull())
    .addColumn('mitre_tactics', t(json), (c) => c.notNull())
    .addColumn('details', t(json), (c) => c.notNull())
    .addColumn('created_at', t(time), (c) => c.notNull())
    .addColumn('updated_at', t(time), (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alerts_org_id').on('alerts').columns(['org_id', 'id']).execute();
  await db.schema.createIndex('alerts_org_status').on('alerts').columns(['org_id', 'status', 'id']).execute();
  await db.schema
    .createIndex('alerts_org_severity')
    .on('alerts')
    .columns(['org_id', 'severity_rank', 'id'])
    .execute();
  await db.schema.createIndex('alerts_org_last_seen').on('alerts').columns(['org_id', 'last_seen']).execute();
  // Finding the open alert of (org, rule, group key) when a match arrives.
  await db.schema
    .createIndex('alerts_group')
    .on('alerts')
    .columns(['org_id', 'rule_uid', 'group_key', 'last_seen'])
    .execute();

  await db.schema
    .createTable('suppressions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('rule_uid', 'text')
    .addColumn('conditions', t(json), (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('expires_at', t(time))
    .addColumn('suppressed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_suppressed_at', t(time))
    .addColumn('created_at', t(time), (c) => c.notNull())
    .addColumn('updated_at', t(time), (c) => c.notNull())
    .execute();
  await db.schema.createIndex('suppressions_org').on('suppressions').columns(['org_id', 'id']).execute();

  await db.schema
    .createTable('ioc_indicators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('description', 'text')
    .addColumn('expires_at', t(time))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('hit_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', t(time), (c) => c.notNull())
    .addColumn('updated_at', t(time), (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ioc_indicators_org_value')
    .on('ioc_indicators')
    .columns(['org_id', 'type', 'value'])
    .unique()
    .execute();
}
