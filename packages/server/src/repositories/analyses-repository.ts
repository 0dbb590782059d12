import type { Kysely, Selectable } from 'kysely';
import type { AnalysesTable, PatternRulesTable } from '../db/exposure-tables.ts';
import type { Database } from '../db/tables.ts';

export type AnalysisRow = Selectable<AnalysesTable>;
export type PatternRuleRow = Selectable<PatternRulesTable>;

/** Queries on `analyses` (file and e-mail reports) and `pattern_rules`. */
export class AnalysesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: AnalysisRow): Promise<void> {
    await this.db.insertInto('analyses').values(row).execute();
  }

  get(orgId: string, id: string): Promise<AnalysisRow | undefined> {
    return this.db
      .selectFrom('analyses')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Newest first; `before` is the id of the last row of the previous page (ids are time-ordered). */
  list(f: {
    orgId: string;
    kind?: string;
    verdict?: string;
    caseId?: string;
    sha256?: string;
    before?: string;
    limit: number;
  }): Promise<AnalysisRow[]> {
    let q = this.db.selectFrom('analyses').selectAll().where('org_id', '=', f.orgId);
    if (f.kind) q = q.where('kind', '=', f.kind as AnalysisRow['kind']);
    if (f.verdict) q = q.where('verdict', '=', f.verdict);
    if (f.caseId) q = q.where('case_id', '=', f.caseId);
    if (f.sha256) q = q.where('sha256', '=', f.sha256.toLowerCase());
    if (f.before) q = q.where('id', '<', f.before);
    return q.orderBy('id', 'desc').limit(f.limit).execute();
  }

  listRules(orgId: string): Promise<PatternRuleRow[]> {
    return this.db
      .selectFrom('pattern_rules')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('name')
      .execute();
  }

  getRule(orgId: string, id: string): Promise<PatternRuleRow | undefined> {
    return this.db
      .selectFrom('pattern_rules')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insertRule(row: PatternRuleRow): Promise<void> {
    await this.db.insertInto('pattern_rules').values(row).execute();
  }

  async updateRule(orgId: string, id: string, changes: Partial<PatternRuleRow>): Promise<boolean> {
    const r = await this.db
      .updateTable('pattern_rules')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deleteRule(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('pattern_rules')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }
}
