import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../db/tables.ts';

export type AuditRecord = Selectable<AuditLogTable>;

export interface AuditFilter {
  orgId: string;
  actorId?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  outcome?: string | undefined;
  since?: number | undefined;
  until?: number | undefined;
  /** Continue with records older than this id (ids are time-ordered). */
  before?: string | undefined;
  limit: number;
}

/** Queries on `audit_log`: insert and read, nothing else (the table refuses updates and deletes). */
export class AuditLogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(record: Insertable<AuditLogTable>): Promise<void> {
    await this.db.insertInto('audit_log').values(record).execute();
  }

  list(f: AuditFilter): Promise<AuditRecord[]> {
    let q = this.db.selectFrom('audit_log').selectAll().where('org_id', '=', f.orgId);
    if (f.actorId) q = q.where('actor_id', '=', f.actorId);
    if (f.action) q = q.where('action', '=', f.action);
    if (f.targetType) q = q.where('target_type', '=', f.targetType);
    if (f.targetId) q = q.where('target_id', '=', f.targetId);
    if (f.outcome) q = q.where('outcome', '=', f.outcome);
    if (f.since !== undefined) q = q.where('created_at', '>=', f.since);
    if (f.until !== undefined) q = q.where('created_at', '<', f.until);
    if (f.before) q = q.where('id', '<', f.before);
    return q.orderBy('id', 'desc').limit(f.limit).execute();
  }
}
