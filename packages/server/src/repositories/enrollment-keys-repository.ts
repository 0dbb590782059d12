import type { Kysely, Selectable } from 'kysely';
import type { Database, EnrollmentKeysTable } from '../db/tables.ts';

export type EnrollmentKey = Selectable<EnrollmentKeysTable>;

/** Queries on `enrollment_keys`. */
export class EnrollmentKeysRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findByHash(keyHash: string): Promise<EnrollmentKey | undefined> {
    return this.db
      .selectFrom('enrollment_keys')
      .selectAll()
      .where('key_hash', '=', keyHash)
      .executeTakeFirst();
  }

  listByOrg(orgId: string): Promise<EnrollmentKey[]> {
    return this.db
      .selectFrom('enrollment_keys')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('created_at')
      .execute();
  }

  findInOrg(orgId: string, id: string): Promise<EnrollmentKey | undefined> {
    return this.db
      .selectFrom('enrollment_keys')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Revokes a key of `orgId`; false when there is no such key. Revoking twice keeps the first time. */
  async revoke(orgId: string, id: string, at: number): Promise<boolean> {
    const key = await this.findInOrg(orgId, id);
    if (!key) return false;
    if (key.revoked_at === null) {
      await this.db.updateTable('enrollment_keys').set({ revoked_at: at }).where('id', '=', id).execute();
    }
    return true;
  }

  async insert(key: EnrollmentKey): Promise<void> {
    await this.db.insertInto('enrollment_keys').values(key).execute();
  }

  /**
   * Counts one use, atomically refusing a key that is revoked, expired or used up;
   * returns false when the key may not be used.
   */
  async consume(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('enrollment_keys')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .where((eb) => eb.or([eb('max_uses', 'is', null), eb('uses', '<', eb.ref('max_uses'))]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
