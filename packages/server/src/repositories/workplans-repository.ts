import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { WorkplansTable, WorkplanTasksTable } from '../db/case-tables.ts';
import type { Database } from '../db/tables.ts';

export type WorkplanRow = Selectable<WorkplansTable>;
export type WorkplanTaskRow = Selectable<WorkplanTasksTable>;

export interface WorkplanFilter {
  orgId: string;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  ownerId?: string | undefined;
  before?: string | undefined;
  limit: number;
}

/** Queries on `workplans` and `workplan_tasks`. */
export class WorkplansRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: Insertable<WorkplansTable>): Promise<void> {
    await this.db.insertInto('workplans').values(row).execute();
  }

  find(orgId: string, id: string): Promise<WorkplanRow | undefined> {
    return this.db
      .selectFrom('workplans')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  list(f: WorkplanFilter): Promise<WorkplanRow[]> {
    let q = this.db.selectFrom('workplans').selectAll().where('org_id', '=', f.orgId);
    if (f.subjectType) q = q.where('subject_type', '=', f.subjectType);
    if (f.subjectId) q = q.where('subject_id', '=', f.subjectId);
    if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
    if (f.before) q = q.where('id', '<', f.before);
    return q.orderBy('id', 'desc').limit(f.limit).execute();
  }

  async update(orgId: string, id: string, changes: Updateable<WorkplansTable>): Promise<void> {
    await this.db
      .updateTable('workplans')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  async delete(orgId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('workplan_tasks')
        .where('org_id', '=', orgId)
        .where('workplan_id', '=', id)
        .execute();
      await trx.deleteFrom('workplans').where('org_id', '=', orgId).where('id', '=', id).execute();
    });
  }

  tasks(orgId: string, workplanIds: readonly string[]): Promise<WorkplanTaskRow[]> {
    if (workplanIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('workplan_tasks')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('workplan_id', 'in', [...workplanIds])
      .orderBy('position', 'asc')
      .orderBy('id', 'asc')
      .execute();
  }

  findTask(orgId: string, workplanId: string, id: string): Promise<WorkplanTaskRow | undefined> {
    return this.db
      .selectFrom('workplan_tasks')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('workplan_id', '=', workplanId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async nextPosition(orgId: string, workplanId: string): Promise<number> {
    const row = await this.db
      .selectFrom('workplan_tasks')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('org_id', '=', orgId)
      .where('workplan_id', '=', workplanId)
      .executeTakeFirst();
    return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
  }

  async insertTask(row: Insertable<WorkplanTasksTable>): Promise<void> {
    await this.db.insertInto('workplan_tasks').values(row).execute();
  }

  async updateTask(orgId: string, id: string, changes: Updateable<WorkplanTasksTable>): Promise<void> {
    await this.db
      .updateTable('workplan_tasks')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  async deleteTask(orgId: string, id: string): Promise<void> {
    await this.db.deleteFrom('workplan_tasks').where('org_id', '=', orgId).where('id', '=', id).execute();
  }
}
