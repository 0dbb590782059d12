import type { Kysely, Selectable } from 'kysely';
import type { Database, UsersTable } from '../db/tables.ts';

export type User = Selectable<UsersTable>;

/** Queries on `users`. */
export class UsersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findByEmail(email: string): Promise<User | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insert(user: User): Promise<void> {
    await this.db.insertInto('users').values(user).execute();
  }
}
