import type { Kysely, Selectable } from 'kysely';
import type { DetectorConfigsTable, PolicyRulesTable } from '../db/management-tables.ts';
import type { Database } from '../db/tables.ts';

export type DetectorConfigRow = Selectable<DetectorConfigsTable>;
export type PolicyRuleRow = Selectable<PolicyRulesTable>;

/** Queries on `detector_configs` and seed 000's `policy_rules`. */
export class DetectorConfigsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(orgId: string, enabledOnly = false): Promise<DetectorConfigRow[]> {
    let q = this.db.selectFrom('detector_configs').selectAll().where('org_id', '=', orgId);
    if (enabledOnly) q = q.where('enabled', '=', 1);
    return q.orderBy('name').execute();
  }

  get(orgId: string, id: string): Promise<DetectorConfigRow | undefined> {
    return this.db
      .selectFrom('detector_configs')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insert(row: DetectorConfigRow): Promise<void> {
    await this.db.insertInto('detector_configs').values(row).execute();
  }

  async update(orgId: string, id: string, changes: Partial<DetectorConfigRow>): Promise<void> {
    await this.db
      .updateTable('detector_configs')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('detector_configs')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  listRules(orgId: string, enabledOnly = false): Promise<PolicyRuleRow[]> {
    let q = this.db.selectFrom('policy_rules').selectAll().where('org_id', '=', orgId);
    if (enabledOnly) q = q.where('enabled', '=', 1);
    return q.orderBy('id').execute();
  }

  getRule(orgId: string, id: string): Promise<PolicyRuleRow | undefined> {
    return this.db
      .selectFrom('policy_rules')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insertRule(row: PolicyRuleRow): Promise<void> {
    await this.db.insertInto('policy_rules').values(row).execute();
  }

  async updateRule(orgId: string, id: string, changes: Partial<PolicyRuleRow>): Promise<void> {
    await this.db
      .updateTable('policy_rules')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  async deleteRule(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('policy_rules')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  /** Enabled Sigma rules of the detection engine (for the Sigma export). */
  enabledSigmaRules(orgId: string) {
    return this.db
      .selectFrom('rules')
      .select(['id', 'rule_uid', 'title', 'level', 'kind', 'yaml', 'version'])
      .where('org_id', '=', orgId)
      .where('enabled', '=', 1)
      .orderBy('rule_uid')
      .execute();
  }
}
