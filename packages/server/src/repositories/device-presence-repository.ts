import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';

export interface DevicePresence {
  id: string;
  org_id: string;
  hostname: string;
  last_heartbeat_at: number | null;
}

/** The one query of the device status job. */
export class DevicePresenceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Active devices with a heartbeat at or after `since` (the devices that are or just were online). */
  async heardSince(since: number): Promise<DevicePresence[]> {
    const rows = await this.db
      .selectFrom('devices')
      .select(['id', 'org_id', 'hostname', 'last_heartbeat_at'])
      .where('revoked_at', 'is', null)
      .where('last_heartbeat_at', '>=', since)
      .execute();
    return rows.map((r) => ({
      ...r,
      last_heartbeat_at: r.last_heartbeat_at === null ? null : Number(r.last_heartbeat_at),
    }));
  }
}
