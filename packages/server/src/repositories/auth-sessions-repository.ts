import type { Kysely, Selectable } from 'kysely';
import type { AuthSessionsTable, Database, RefreshTokensTable } from '../db/tables.ts';

export type AuthSession = Selectable<AuthSessionsTable>;
export type RefreshToken = Selectable<RefreshTokensTable>;

/** Queries on `auth_sessions` (refresh-token families) and `refresh_tokens`. */
export class AuthSessionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a new session with its first refresh token. */
  async create(session: AuthSession, token: RefreshToken): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('auth_sessions').values(session).execute();
      await trx.insertInto('refresh_tokens').values(token).execute();
    });
  }

  findSession(id: string): Promise<AuthSession | undefined> {
    return this.db.selectFrom('auth_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findToken(tokenHash: string): Promise<RefreshToken | undefined> {
    return this.db
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  /**
   * Marks a refresh token used and stores its successor, atomically: only the
   * first of two concurrent presentations wins; false for the loser.
   */
  async rotate(
    usedId: string,
    successor: RefreshToken,
    at: number,
    sessionExpiresAt: number,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('refresh_tokens')
        .set({ used_at: at })
        .where('id', '=', usedId)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      await trx.insertInto('refresh_tokens').values(successor).execute();
      await trx
        .updateTable('auth_sessions')
        .set({ last_used_at: at, expires_at: sessionExpiresAt })
        .where('id', '=', successor.session_id)
        .execute();
      return true;
    });
  }

  async revokeSession(id: string, at: number, reason: string): Promise<void> {
    await this.db
      .updateTable('auth_sessions')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Revokes every session of a user, except `keep` when given. */
  async revokeUserSessions(userId: string, at: number, reason: string, keep?: string): Promise<void> {
    let q = this.db
      .updateTable('auth_sessions')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (keep) q = q.where('id', '!=', keep);
    await q.execute();
  }

  /** Drops refresh tokens and sessions that expired more than a day ago. */
  async purgeExpired(before: number): Promise<void> {
    await this.db.deleteFrom('refresh_tokens').where('expires_at', '<', before).execute();
    await this.db.deleteFrom('auth_sessions').where('expires_at', '<', before).execute();
  }
}
