import type { Kysely, Selectable } from 'kysely';
import type { Database, OrganizationsTable } from '../db/tables.ts';

export type Organization = Selectable<OrganizationsTable>;

/** Queries on `organizations`. */
export class OrganizationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findById(id: string): Promise<Organization | undefined> {
    return this.db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findBySlug(slug: string): Promise<Organization | undefined> {
    return this.db.selectFrom('organizations').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  list(): Promise<Organization[]> {
    return this.db.selectFrom('organizations').selectAll().orderBy('created_at').execute();
  }

  async insert(org: Organization): Promise<void> {
    await this.db.insertInto('organizations').values(org).execute();
  }
}
