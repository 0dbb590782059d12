import type { Kysely, Selectable } from 'kysely';
import type { PoliciesTable, PolicyAssignmentsTable, PolicyVersionsTable } from '../db/management-tables.ts';
import type { Database } from '../db/tables.ts';

export type PolicyRow = Selectable<PoliciesTable>;
export type PolicyVersionRow = Selectable<PolicyVersionsTable>;
export type AssignmentRow = Selectable<PolicyAssignmentsTable>;

/** Queries on `policies`, `policy_versions` and `policy_assignments`. */
export class PoliciesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(orgId: string): Promise<PolicyRow[]> {
    return this.db.selectFrom('policies').selectAll().where('org_id', '=', orgId).orderBy('name').execute();
  }

  get(orgId: string, id: string): Promise<PolicyRow | undefined> {
    return this.db
      .selectFrom('policies')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Inserts a policy and its first version in one transaction. */
  async insert(row: PolicyRow, version: PolicyVersionRow): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('policies').values(row).execute();
      await tx.insertInto('policy_versions').values(version).execute();
    });
  }

  /** Updates a policy; with `version`, stores the new version in the same transaction. */
  async update(
    orgId: string,
    id: string,
    changes: Partial<PolicyRow>,
    version?: PolicyVersionRow,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('policies')
        .set(changes)
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .execute();
      if (version) await tx.insertInto('policy_versions').values(version).execute();
    });
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const r = await tx
        .deleteFrom('policies')
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
      await tx
        .deleteFrom('policy_assignments')
        .where('org_id', '=', orgId)
        .where('policy_id', '=', id)
        .execute();
      await tx.deleteFrom('policy_rules').where('org_id', '=', orgId).where('policy_id', '=', id).execute();
      return Number(r.numDeletedRows) === 1;
    });
  }

  versions(orgId: string, policyId: string): Promise<PolicyVersionRow[]> {
    return this.db
      .selectFrom('policy_versions')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('policy_id', '=', policyId)
      .orderBy('version', 'desc')
      .execute();
  }

  listAssignments(orgId: string, policyId?: string): Promise<AssignmentRow[]> {
    let q = this.db.selectFrom('policy_assignments').selectAll().where('org_id', '=', orgId);
    if (policyId) q = q.where('policy_id', '=', policyId);
    return q.orderBy('id').execute();
  }

  getAssignment(orgId: string, id: string): Promise<AssignmentRow | undefined> {
    return this.db
      .selectFrom('policy_assignments')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insertAssignment(row: AssignmentRow): Promise<void> {
    await this.db.insertInto('policy_assignments').values(row).execute();
  }

  async updateAssignment(orgId: string, id: string, changes: Partial<AssignmentRow>): Promise<void> {
    await this.db
      .updateTable('policy_assignments')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  async deleteAssignment(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('policy_assignments')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  /** Enabled policies assigned to the organization, to any of `groupIds`, or to the device. */
  applicable(orgId: string, deviceId: string, groupIds: readonly string[]) {
    return this.db
      .selectFrom('policy_assignments')
      .innerJoin('policies', 'policies.id', 'policy_assignments.policy_id')
      .select([
        'policy_assignments.id as assignment_id',
        'policy_assignments.target_type',
        'policy_assignments.target_id',
        'policy_assignments.priority',
        'policy_assignments.created_at as assigned_at',
        'policies.id',
        'policies.name',
        'policies.version',
        'policies.document',
      ])
      .where('policy_assignments.org_id', '=', orgId)
      .where('policies.enabled', '=', 1)
      .where('policy_assignments.status', '!=', 'failed')
      .where((eb) =>
        eb.or([
          eb('policy_assignments.target_type', '=', 'org'),
          eb.and([
            eb('policy_assignments.target_type', '=', 'device'),
            eb('policy_assignments.target_id', '=', deviceId),
          ]),
          ...(groupIds.length > 0
            ? [
                eb.and([
                  eb('policy_assignments.target_type', '=', 'group'),
                  eb('policy_assignments.target_id', 'in', [...groupIds]),
                ]),
              ]
            : []),
        ]),
      )
      .execute();
  }
}
