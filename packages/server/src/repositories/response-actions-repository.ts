import type { Kysely, Selectable } from 'kysely';
import type { ResponseActionsTable } from '../db/management-tables.ts';
import type { Database } from '../db/tables.ts';

export type ResponseActionRow = Selectable<ResponseActionsTable>;

/** Statuses from which an action can still change. */
export const OPEN_ACTION_STATUSES = ['pending', 'delivered'] as const;

/** Queries on `response_actions`. */
export class ResponseActionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: ResponseActionRow): Promise<void> {
    await this.db.insertInto('response_actions').values(row).execute();
  }

  get(orgId: string, id: string): Promise<ResponseActionRow | undefined> {
    return this.db
      .selectFrom('response_actions')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** An action of one device (the agent's view). */
  getForDevice(deviceId: string, id: string): Promise<ResponseActionRow | undefined> {
    return this.db
      .selectFrom('response_actions')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  list(f: {
    orgId: string;
    deviceId?: string | undefined;
    status?: string | undefined;
    before?: string | undefined;
    limit: number;
  }) {
    let q = this.db.selectFrom('response_actions').selectAll().where('org_id', '=', f.orgId);
    if (f.deviceId) q = q.where('device_id', '=', f.deviceId);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.before) q = q.where('id', '<', f.before);
    return q
      .orderBy('id', 'desc')
      .limit(f.limit + 1)
      .execute();
  }

  /** Marks open actions past their expiry as expired; returns how many. */
  async expire(now: number, deviceId?: string): Promise<number> {
    let q = this.db
      .updateTable('response_actions')
      .set({ status: 'expired', completed_at: now })
      .where('status', 'in', [...OPEN_ACTION_STATUSES])
      .where('expires_at', '<=', now);
    if (deviceId) q = q.where('device_id', '=', deviceId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  pendingForDevice(deviceId: string, limit: number): Promise<ResponseActionRow[]> {
    return this.db
      .selectFrom('response_actions')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('status', '=', 'pending')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Moves actions from one status to another (only those still in `from`); returns the count. */
  async transition(
    ids: readonly string[],
    from: readonly string[],
    changes: Partial<ResponseActionRow>,
  ): Promise<number> {
    if (ids.length === 0) return 0;
    const r = await this.db
      .updateTable('response_actions')
      .set(changes)
      .where('id', 'in', [...ids])
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async cancelOpen(orgId: string, filter: { deviceId?: string }, now: number): Promise<number> {
    let q = this.db
      .updateTable('response_actions')
      .set({ status: 'cancelled', completed_at: now })
      .where('org_id', '=', orgId)
      .where('status', 'in', [...OPEN_ACTION_STATUSES]);
    if (filter.deviceId) q = q.where('device_id', '=', filter.deviceId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async setResponseEnabled(orgId: string, enabled: boolean): Promise<void> {
    await this.db
      .updateTable('organizations')
      .set({ response_enabled: enabled ? 1 : 0 })
      .where('id', '=', orgId)
      .execute();
  }
}
