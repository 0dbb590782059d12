import type { Kysely, Selectable } from 'kysely';
import type { ApiTokensTable, Database } from '../db/tables.ts';

export type ApiToken = Selectable<ApiTokensTable>;

/** Queries on `api_tokens`. */
export class ApiTokensRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findByHash(tokenHash: string): Promise<ApiToken | undefined> {
    return this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  findInOrg(orgId: string, id: string): Promise<ApiToken | undefined> {
    return this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Tokens of an organization, optionally of one user, newest first. */
  list(
    orgId: string,
    userId: string | undefined,
    after: string | undefined,
    limit: number,
  ): Promise<ApiToken[]> {
    let q = this.db.selectFrom('api_tokens').selectAll().where('org_id', '=', orgId);
    if (userId) q = q.where('user_id', '=', userId);
    if (after) q = q.where('id', '<', after);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }

  async insert(token: ApiToken): Promise<void> {
    await this.db.insertInto('api_tokens').values(token).execute();
  }

  async revoke(orgId: string, id: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async touch(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
