import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../tables.ts';

/**
 * Case work (seed 004's incidents and war room): cases, the alerts linked to
 * them, the war-room timeline, attachment metadata (the bytes live on disk),
 * workplans with tasks, and shift handovers.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = sql.raw(dialect === 'postgres' ? 'bigint' : 'integer');
  const json = sql.raw(dialect === 'postgres' ? 'jsonb' : 'text');

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('severity_rank', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('tags', json, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('origin_alert_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('closed_at', time)
    .execute();
  await db.schema.createIndex('cases_org_id').on('cases').columns(['org_id', 'id']).execute();
  await db.schema.createIndex('cases_org_status').on('cases').columns(['org_id', 'status']).execute();
  // Several NULLs never conflict, so manual cases are unconstrained; automatic ones are one per alert.
  await db.schema
    .createIndex('cases_org_origin_alert')
    .on('cases')
    .columns(['org_id', 'origin_alert_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('case_alerts')
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('linked_by', 'text')
    .addColumn('linked_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('case_alerts_pk', ['case_id', 'alert_id'])
    .execute();
  await db.schema
    .createIndex('case_alerts_alert')
    .on('case_alerts')
    .columns(['org_id', 'alert_id'])
    .execute();

  await db.schema
    .createTable('case_timeline')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('body', 'text')
    .addColumn('data', json, (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_timeline_case').on('case_timeline').columns(['case_id', 'id']).execute();

  await db.schema
    .createTable('case_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_attachments_case')
    .on('case_attachments')
    .columns(['case_id', 'id'])
    .execute();

  await db.schema
    .createTable('workplans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('workplans_subject')
    .on('workplans')
    .columns(['org_id', 'subject_type', 'subject_id'])
    .execute();

  await db.schema
    .createTable('workplan_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('workplan_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('due_at', time)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('workplan_tasks_plan')
    .on('workplan_tasks')
    .columns(['workplan_id', 'position'])
    .execute();

  await db.schema
    .createTable('handovers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('shift_start', time, (c) => c.notNull())
    .addColumn('shift_end', time, (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('recipients', json, (c) => c.notNull())
    .addColumn('open_alerts', json, (c) => c.notNull())
    .addColumn('open_cases', json, (c) => c.notNull())
    .addColumn('delivery_status', 'text', (c) => c.notNull())
    .addColumn('delivery_error', 'text')
    .addColumn('sent_at', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('handovers_org_id').on('handovers').columns(['org_id', 'id']).execute();
}
