import type { Compilable, Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { RulesTable, RuleVersionsTable } from '../db/detection-tables.ts';
import type { Database } from '../db/tables.ts';
import { containsPattern, likeEscaped } from './like-pattern.ts';

export type RuleRow = Selectable<RulesTable>;
export type RuleVersionRow = Selectable<RuleVersionsTable>;

export interface RuleFilter {
  orgId: string;
  enabled?: boolean | undefined;
  level?: string | undefined;
  source?: string | undefined;
  kind?: string | undefined;
  product?: string | undefined;
  category?: string | undefined;
  service?: string | undefined;
  tag?: string | undefined;
  search?: string | undefined;
  after?: string | undefined;
  limit: number;
}

/** Queries on `rules` and `rule_versions`. */
export class RulesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(f: RuleFilter): Promise<RuleRow[]> {
    let q = this.db.selectFrom('rules').selectAll().where('org_id', '=', f.orgId);
    if (f.enabled !== undefined) q = q.where('enabled', '=', f.enabled ? 1 : 0);
    if (f.level) q = q.where('level', '=', f.level);
    if (f.source) q = q.where('source', '=', f.source);
    if (f.kind) q = q.where('kind', '=', f.kind);
    // logsource and tags are JSON; matching their text keeps one query for both dialects.
    for (const [key, value] of [
      ['product', f.product],
      ['category', f.category],
      ['service', f.service],
    ] as const) {
      if (value) {
        const needle = containsPattern(`${JSON.stringify(key)}:${JSON.stringify(value.toLowerCase())}`);
        q = q.where((eb) =>
          likeEscaped(eb.fn('replace', [eb.cast('logsource', 'text'), eb.val(' '), eb.val('')]), needle),
        );
      }
    }
    if (f.tag) {
      const needle = containsPattern(JSON.stringify(f.tag.toLowerCase()));
      q = q.where((eb) => likeEscaped(eb.fn('lower', [eb.cast('tags', 'text')]), needle));
    }
    if (f.search) {
      const pattern = containsPattern(f.search.toLowerCase());
      q = q.where((eb) =>
        eb.or([
          likeEscaped(eb.fn('lower', ['title']), pattern),
          likeEscaped(eb.fn('lower', ['rule_uid']), pattern),
          likeEscaped(eb.fn('lower', [eb.fn.coalesce('description', eb.val(''))]), pattern),
        ]),
      );
    }
    if (f.after) q = q.where('id', '>', f.after);
    return q.orderBy('id', 'asc').limit(f.limit).execute();
  }

  /** Every rule of an organization (engine builds, export). */
  all(orgId: string, enabledOnly = false): Promise<RuleRow[]> {
    let q = this.db.selectFrom('rules').selectAll().where('org_id', '=', orgId);
    if (enabledOnly) q = q.where('enabled', '=', 1);
    return q.orderBy('id', 'asc').execute();
  }

  findById(orgId: string, id: string): Promise<RuleRow | undefined> {
    return this.db
      .selectFrom('rules')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  findByUid(orgId: string, ruleUid: string): Promise<RuleRow | undefined> {
    return this.db
      .selectFrom('rules')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('rule_uid', '=', ruleUid)
      .executeTakeFirst();
  }

  /** Sigma ids and names of the organization's rules (what correlation rules may reference). */
  async refs(orgId: string): Promise<Array<{ rule_uid: string; name: string | null }>> {
    return this.db.selectFrom('rules').select(['rule_uid', 'name']).where('org_id', '=', orgId).execute();
  }

  /** A new rule with its first version (not executed: for the store's writer). */
  insertQueries(row: Insertable<RulesTable>, version: Insertable<RuleVersionsTable>): Compilable[] {
    return [this.db.insertInto('rules').values(row), this.db.insertInto('rule_versions').values(version)];
  }

  /** A change of a rule, with its new version when the YAML changed (not executed). */
  updateQueries(
    orgId: string,
    id: string,
    changes: Updateable<RulesTable>,
    version?: Insertable<RuleVersionsTable>,
  ): Compilable[] {
    const update = this.db.updateTable('rules').set(changes).where('org_id', '=', orgId).where('id', '=', id);
    return version ? [update, this.db.insertInto('rule_versions').values(version)] : [update];
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('rules')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  versions(orgId: string, ruleId: string): Promise<RuleVersionRow[]> {
    return this.db
      .selectFrom('rule_versions')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('rule_id', '=', ruleId)
      .orderBy('version', 'desc')
      .execute();
  }

  version(orgId: string, ruleId: string, version: number): Promise<RuleVersionRow | undefined> {
    return this.db
      .selectFrom('rule_versions')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('rule_id', '=', ruleId)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  /** Changes whenever a rule is added, changed or removed (engine cache check across processes). */
  async fingerprint(orgId: string): Promise<string> {
    const r = await this.db
      .selectFrom('rules')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('at')])
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    return `${Number(r.n)}:${Number(r.at ?? 0)}`;
  }
}
