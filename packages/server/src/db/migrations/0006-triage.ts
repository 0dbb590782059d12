import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../tables.ts';

/**
 * Alert triage: who an alert is assigned to and how far it was escalated (new
 * columns on `alerts`), its history of status changes, assignments, escalations
 * and recorded actions, work groups with members and a lead, and comments that
 * alerts and cases share (`subject_type` + `subject_id`).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = sql.raw(dialect === 'postgres' ? 'bigint' : 'integer');
  const json = sql.raw(dialect === 'postgres' ? 'jsonb' : 'text');

  // SQLite adds one column per ALTER TABLE.
  await db.schema.alterTable('alerts').addColumn('assignee_user_id', 'text').execute();
  await db.schema.alterTable('alerts').addColumn('assignee_group_id', 'text').execute();
  await db.schema
    .alterTable('alerts')
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('alerts').addColumn('conclusion', 'text').execute();
  await db.schema.alterTable('alerts').addColumn('status_changed_at', time).execute();
  await db.schema
    .createIndex('alerts_org_assignee_user')
    .on('alerts')
    .columns(['org_id', 'assignee_user_id', 'id'])
    .execute();
  await db.schema
    .createIndex('alerts_org_assignee_group')
    .on('alerts')
    .columns(['org_id', 'assignee_group_id', 'id'])
    .execute();

  await db.schema
    .createTable('alert_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('reason', 'text')
    .addColumn('details', json, (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('alert_history_alert')
    .on('alert_history')
    .columns(['org_id', 'alert_id', 'id'])
    .execute();

  await db.schema
    .createTable('work_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('lead_user_id', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('work_groups_org_name')
    .on('work_groups')
    .columns(['org_id', 'name'])
    .unique()
    .execute();

  await db.schema
    .createTable('work_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('added_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('work_group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('work_group_members_user')
    .on('work_group_members')
    .columns(['org_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('comments_subject')
    .on('comments')
    .columns(['org_id', 'subject_type', 'subject_id', 'id'])
    .execute();
}
