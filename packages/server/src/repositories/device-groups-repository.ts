import type { Kysely, Selectable } from 'kysely';
import type { DeviceGroupsTable } from '../db/management-tables.ts';
import type { Database } from '../db/tables.ts';

export type DeviceGroupRow = Selectable<DeviceGroupsTable>;

/** Queries on `device_groups` and their static members. */
export class DeviceGroupsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(orgId: string): Promise<DeviceGroupRow[]> {
    return this.db
      .selectFrom('device_groups')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('name')
      .execute();
  }

  get(orgId: string, id: string): Promise<DeviceGroupRow | undefined> {
    return this.db
      .selectFrom('device_groups')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insert(row: DeviceGroupRow): Promise<void> {
    await this.db.insertInto('device_groups').values(row).execute();
  }

  async update(orgId: string, id: string, changes: Partial<DeviceGroupRow>): Promise<void> {
    await this.db
      .updateTable('device_groups')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('device_groups')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    await this.db
      .deleteFrom('device_group_members')
      .where('org_id', '=', orgId)
      .where('group_id', '=', id)
      .execute();
    return Number(r.numDeletedRows) === 1;
  }

  async addMembers(orgId: string, groupId: string, deviceIds: readonly string[], now: number): Promise<void> {
    if (deviceIds.length === 0) return;
    await this.db
      .insertInto('device_group_members')
      .values(deviceIds.map((device_id) => ({ group_id: groupId, device_id, org_id: orgId, added_at: now })))
      .onConflict((oc) => oc.columns(['group_id', 'device_id']).doNothing())
      .execute();
  }

  async removeMember(orgId: string, groupId: string, deviceId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('device_group_members')
      .where('org_id', '=', orgId)
      .where('group_id', '=', groupId)
      .where('device_id', '=', deviceId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  async memberCount(groupId: string): Promise<number> {
    const r = await this.db
      .selectFrom('device_group_members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('group_id', '=', groupId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Ids of devices of the organization that exist, out of `ids`. */
  async existingDevices(orgId: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('devices')
      .select('id')
      .where('org_id', '=', orgId)
      .where('id', 'in', [...ids])
      .execute();
    return rows.map((r) => r.id);
  }
}
