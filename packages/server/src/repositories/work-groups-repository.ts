import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database } from '../db/tables.ts';
import type { WorkGroupsTable } from '../db/triage-tables.ts';

export type WorkGroupRow = Selectable<WorkGroupsTable>;

/** Queries on `work_groups` and `work_group_members`. */
export class WorkGroupsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(orgId: string): Promise<WorkGroupRow[]> {
    return this.db
      .selectFrom('work_groups')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('name')
      .execute();
  }

  findById(orgId: string, id: string): Promise<WorkGroupRow | undefined> {
    return this.db
      .selectFrom('work_groups')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insert(row: WorkGroupRow): Promise<void> {
    await this.db.insertInto('work_groups').values(row).execute();
  }

  async update(orgId: string, id: string, change: Updateable<WorkGroupsTable>): Promise<void> {
    await this.db
      .updateTable('work_groups')
      .set(change)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    await this.db
      .deleteFrom('work_group_members')
      .where('org_id', '=', orgId)
      .where('group_id', '=', id)
      .execute();
    const r = await this.db
      .deleteFrom('work_groups')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Member user ids of each group, in a stable order. */
  async members(orgId: string, groupIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(groupIds.map((g) => [g, []]));
    if (groupIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('work_group_members')
      .select(['group_id', 'user_id'])
      .where('org_id', '=', orgId)
      .where('group_id', 'in', [...groupIds])
      .orderBy('added_at')
      .orderBy('user_id')
      .execute();
    for (const r of rows) out.get(r.group_id)?.push(r.user_id);
    return out;
  }

  /** Replaces a group's members. */
  async setMembers(orgId: string, groupId: string, userIds: readonly string[], now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('work_group_members')
        .where('org_id', '=', orgId)
        .where('group_id', '=', groupId)
        .execute();
      if (userIds.length > 0)
        await trx
          .insertInto('work_group_members')
          .values(userIds.map((user_id) => ({ group_id: groupId, user_id, org_id: orgId, added_at: now })))
          .execute();
    });
  }

  /** Ids of the groups a user belongs to. */
  async groupsOf(orgId: string, userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('work_group_members')
      .select('group_id')
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .execute();
    return rows.map((r) => r.group_id);
  }
}
