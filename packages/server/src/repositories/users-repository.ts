import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, UsersTable } from '../db/tables.ts';

export type User = Selectable<UsersTable>;

export interface UserListFilter {
  orgId: string;
  role?: string | undefined;
  disabled?: boolean | undefined;
  /** Substring of e-mail, username or display name. */
  search?: string | undefined;
  /** Id to continue after (ids are time-ordered). */
  after?: string | undefined;
  limit: number;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Queries on `users`. Every lookup a request makes names the organization. */
export class UsersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findByEmail(email: string): Promise<User | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
  }

  /** Users with this username in any organization (the seeds' single-tenant logins). */
  findByUsername(username: string, orgId?: string): Promise<User[]> {
    let q = this.db.selectFrom('users').selectAll().where('username', '=', username);
    if (orgId) q = q.where('org_id', '=', orgId);
    return q.limit(2).execute();
  }

  /** A user by id, only inside `orgId`. */
  findInOrg(orgId: string, id: string): Promise<User | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** A user by id in any organization: only for resolving an already authenticated credential. */
  findById(id: string): Promise<User | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(f: UserListFilter): Promise<User[]> {
    let q = this.db.selectFrom('users').selectAll().where('org_id', '=', f.orgId);
    if (f.role) q = q.where('role', '=', f.role);
    if (f.disabled === true) q = q.where('disabled_at', 'is not', null);
    if (f.disabled === false) q = q.where('disabled_at', 'is', null);
    if (f.search) {
      const pattern = `%${escapeLike(f.search.toLowerCase())}%`;
      q = q.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['email']), 'like', eb.val(pattern)),
          eb(eb.fn('lower', ['username']), 'like', eb.val(pattern)),
          eb(eb.fn('lower', ['display_name']), 'like', eb.val(pattern)),
        ]),
      );
    }
    if (f.after) q = q.where('id', '>', f.after);
    return q.orderBy('id').limit(f.limit).execute();
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Active admins of an organization (to refuse removing the last one). */
  async countActiveAdmins(orgId: string): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where('role', '=', 'admin')
      .where('disabled_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insert(user: User): Promise<void> {
    await this.db.insertInto('users').values(user).execute();
  }

  /** Updates a user of `orgId`; false when there is none. */
  async update(orgId: string, id: string, changes: Updateable<UsersTable>): Promise<boolean> {
    const r = await this.db
      .updateTable('users')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async touchLogin(id: string, at: number): Promise<void> {
    await this.db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
  }

  /** Deletes a user of `orgId` and their API tokens; false when there is none. */
  async delete(orgId: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('api_tokens').where('org_id', '=', orgId).where('user_id', '=', id).execute();
      const r = await trx
        .deleteFrom('users')
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }
}
