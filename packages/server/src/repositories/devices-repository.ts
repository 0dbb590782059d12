import type { Kysely, Selectable } from 'kysely';
import type { Database, DevicesTable } from '../db/tables.ts';

export type Device = Selectable<DevicesTable>;

/** Queries on `devices`. */
export class DevicesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findById(id: string): Promise<Device | undefined> {
    return this.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByExternalId(orgId: string, externalId: string): Promise<Device | undefined> {
    return this.db
      .selectFrom('devices')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
  }

  listByOrg(orgId: string, limit: number): Promise<Device[]> {
    return this.db
      .selectFrom('devices')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('hostname')
      .limit(limit)
      .execute();
  }

  async insert(device: Device): Promise<void> {
    await this.db.insertInto('devices').values(device).execute();
  }

  /** Inserts unless a device with the same external id exists; returns the stored one. */
  async insertOrGetByExternalId(device: Device): Promise<Device> {
    await this.db
      .insertInto('devices')
      .values(device)
      .onConflict((oc) => oc.columns(['org_id', 'external_id']).doNothing())
      .execute();
    const stored = await this.findByExternalId(device.org_id, device.external_id ?? '');
    if (!stored) throw new Error('device vanished after insert');
    return stored;
  }

  findInOrg(orgId: string, id: string): Promise<Device | undefined> {
    return this.db
      .selectFrom('devices')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Bumps the credential generation of a live device of `orgId`; returns the new generation. */
  async bumpSecretGeneration(orgId: string, id: string): Promise<number | undefined> {
    const r = await this.db
      .updateTable('devices')
      .set((eb) => ({ secret_generation: eb('secret_generation', '+', 1) }))
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    return (await this.findInOrg(orgId, id))?.secret_generation;
  }

  async revoke(id: string, at: number): Promise<void> {
    await this.db.updateTable('devices').set({ revoked_at: at }).where('id', '=', id).execute();
  }
}
