import type { Compilable, Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { IocIndicatorsTable } from '../db/detection-tables.ts';
import type { Database } from '../db/tables.ts';
import { containsPattern, likeEscaped } from './like-pattern.ts';

export type IocRow = Selectable<IocIndicatorsTable>;

/** Queries on `ioc_indicators`. */
export class IocRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(
    orgId: string,
    opts: {
      type?: string | undefined;
      search?: string | undefined;
      after?: string | undefined;
      limit: number;
    },
  ) {
    let q = this.db.selectFrom('ioc_indicators').selectAll().where('org_id', '=', orgId);
    if (opts.type) q = q.where('type', '=', opts.type);
    if (opts.search) {
      const pattern = containsPattern(opts.search.toLowerCase());
      q = q.where((eb) => likeEscaped(eb.ref('value'), pattern));
    }
    if (opts.after) q = q.where('id', '>', opts.after);
    return q.orderBy('id', 'asc').limit(opts.limit).execute();
  }

  /** Indicators detection applies at `now`: active and not expired. */
  active(orgId: string, now: number): Promise<IocRow[]> {
    return this.db
      .selectFrom('ioc_indicators')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('active', '=', 1)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
  }

  /** Active, unexpired indicators of the given types. */
  activeOfTypes(orgId: string, types: readonly string[], now: number): Promise<IocRow[]> {
    return this.db
      .selectFrom('ioc_indicators')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('active', '=', 1)
      .where('type', 'in', types)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('id')
      .execute();
  }

  findByValue(orgId: string, type: string, value: string): Promise<IocRow | undefined> {
    return this.db
      .selectFrom('ioc_indicators')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('type', '=', type)
      .where('value', '=', value)
      .executeTakeFirst();
  }

  async insert(row: Insertable<IocIndicatorsTable>): Promise<void> {
    await this.db.insertInto('ioc_indicators').values(row).execute();
  }

  async update(orgId: string, id: string, set: Updateable<IocIndicatorsTable>): Promise<void> {
    await this.db
      .updateTable('ioc_indicators')
      .set(set)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  /** Which of the rows' (type, value) pairs are stored already, as `type\0value` keys. */
  async existingKeys(
    orgId: string,
    rows: ReadonlyArray<{ type: string; value: string }>,
  ): Promise<Set<string>> {
    const keys = new Set<string>();
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      const found = await this.db
        .selectFrom('ioc_indicators')
        .select(['type', 'value'])
        .where('org_id', '=', orgId)
        .where((eb) => eb.or(chunk.map((r) => eb.and([eb('type', '=', r.type), eb('value', '=', r.value)]))))
        .execute();
      for (const f of found) keys.add(`${f.type}\u0000${f.value}`);
    }
    return keys;
  }

  findById(orgId: string, id: string): Promise<IocRow | undefined> {
    return this.db
      .selectFrom('ioc_indicators')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /**
   * Inserts indicators; one already stored (same type and value) is refreshed
   * with the new severity, source, description and expiry and made active.
   * Returns how many were new.
   */
  async upsertMany(rows: Insertable<IocIndicatorsTable>[]): Promise<number> {
    let inserted = 0;
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      const before = await this.countOf(chunk);
      await this.db
        .insertInto('ioc_indicators')
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(['org_id', 'type', 'value']).doUpdateSet((eb) => ({
            severity: eb.ref('excluded.severity'),
            source: eb.ref('excluded.source'),
            description: eb.ref('excluded.description'),
            expires_at: eb.ref('excluded.expires_at'),
            active: 1,
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
      inserted += chunk.length - before;
    }
    return inserted;
  }

  private async countOf(rows: Insertable<IocIndicatorsTable>[]): Promise<number> {
    const orgId = rows[0]?.org_id;
    if (orgId === undefined) return 0;
    const r = await this.db
      .selectFrom('ioc_indicators')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where((eb) =>
        eb.or(rows.map((row) => eb.and([eb('type', '=', row.type), eb('value', '=', row.value)]))),
      )
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('ioc_indicators')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Counts an indicator's hits of one batch (not executed: for the store's writer). */
  addHitsQuery(orgId: string, id: string, n: number): Compilable {
    return this.db
      .updateTable('ioc_indicators')
      .set((eb) => ({ hit_count: eb('hit_count', '+', n) }))
      .where('org_id', '=', orgId)
      .where('id', '=', id);
  }

  async fingerprint(orgId: string): Promise<string> {
    const r = await this.db
      .selectFrom('ioc_indicators')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('at')])
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    return `${Number(r.n)}:${Number(r.at ?? 0)}`;
  }
}
