import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../tables.ts';

/**
 * Management plane: device profiles and groups, versioned policies and their
 * assignments, seed 000's rules and detector configurations, the response
 * action queue and the decision engine's recommendations.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = sql.raw(dialect === 'postgres' ? 'bigint' : 'integer');
  const json = sql.raw(dialect === 'postgres' ? 'jsonb' : 'text');
  const real = sql.raw(dialect === 'postgres' ? 'double precision' : 'real');

  await db.schema
    .createTable('device_profiles')
    .addColumn('device_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('location', 'text')
    .addColumn('notes', 'text')
    .addColumn('retired_at', time)
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('device_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('match_tags', json, (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('device_groups_org_name')
    .on('device_groups')
    .columns(['org_id', 'name'])
    .unique()
    .execute();

  await db.schema
    .createTable('device_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('added_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('device_group_members_pk', ['group_id', 'device_id'])
    .execute();
  await db.schema
    .createIndex('device_group_members_device')
    .on('device_group_members')
    .column('device_id')
    .execute();

  await db.schema
    .createTable('policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('document', json, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('policies_org_name')
    .on('policies')
    .columns(['org_id', 'name'])
    .unique()
    .execute();

  await db.schema
    .createTable('policy_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('document', json, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('policy_versions_policy_version')
    .on('policy_versions')
    .columns(['policy_id', 'version'])
    .unique()
    .execute();

  await db.schema
    .createTable('policy_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('policy_assignments_org_target')
    .on('policy_assignments')
    .columns(['org_id', 'target_type', 'target_id'])
    .execute();

  await db.schema
    .createTable('policy_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('policy_rules_org').on('policy_rules').columns(['org_id', 'id']).execute();

  await db.schema
    .createTable('detector_configs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('params', json, (c) => c.notNull())
    .addColumn('rule_packs', json, (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('detector_configs_org_name')
    .on('detector_configs')
    .columns(['org_id', 'name'])
    .unique()
    .execute();

  await db.schema
    .createTable('response_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('params', json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('requested_by', 'text')
    .addColumn('decision_id', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('delivered_at', time)
    .addColumn('completed_at', time)
    .addColumn('result', json)
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('response_actions_device_status')
    .on('response_actions')
    .columns(['device_id', 'status'])
    .execute();
  await db.schema
    .createIndex('response_actions_org_created')
    .on('response_actions')
    .columns(['org_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text')
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('score', real, (c) => c.notNull())
    .addColumn('recommended_action', 'text', (c) => c.notNull())
    .addColumn('priority', real, (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('rationale', json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('action_id', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  // One decision per alert (seed 000's uq_decisions_alert_id): concurrent passes insert it once.
  await db.schema.createIndex('decisions_alert').on('decisions').column('alert_id').unique().execute();
  await db.schema
    .createIndex('decisions_org_status')
    .on('decisions')
    .columns(['org_id', 'status', 'created_at'])
    .execute();
}
