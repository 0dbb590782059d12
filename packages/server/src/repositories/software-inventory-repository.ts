import { type Compilable, type Kysely, type Selectable, sql } from 'kysely';
import type { DeviceHardwareTable, DeviceSoftwareTable } from '../db/exposure-tables.ts';
import type { Database } from '../db/tables.ts';
import { containsPattern, likeEscaped } from './like-pattern.ts';

export type DeviceSoftwareRow = Selectable<DeviceSoftwareTable>;
export type DeviceHardwareRow = Selectable<DeviceHardwareTable>;

/** A package as a fleet-wide list shows it: how many devices carry which versions. */
export interface FleetPackageRow {
  name: string;
  source: string;
  ecosystem: string | null;
  devices: number;
  versions: number;
}

/** Queries on `device_software` and `device_hardware`. */
export class SoftwareInventoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  listForDevice(orgId: string, deviceId: string, search?: string): Promise<DeviceSoftwareRow[]> {
    let q = this.db
      .selectFrom('device_software')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('device_id', '=', deviceId);
    if (search) q = q.where(likeEscaped(sql.ref('name'), containsPattern(search)));
    return q.orderBy('name').orderBy('source').orderBy('arch').execute();
  }

  /** Software with an ecosystem whose advisories apply, for several devices at once. */
  matchableForDevices(orgId: string, deviceIds: readonly string[]): Promise<DeviceSoftwareRow[]> {
    if (deviceIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('device_software')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('device_id', 'in', deviceIds)
      .where('ecosystem', 'is not', null)
      .execute();
  }

  /** Devices carrying any of the named packages of an ecosystem (binary or source name). */
  async devicesWithPackages(orgId: string, ecosystem: string, names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const rows = await this.db
      .selectFrom('device_software')
      .select('device_id')
      .distinct()
      .where('org_id', '=', orgId)
      .where('ecosystem', '=', ecosystem)
      .where((eb) => eb.or([eb('name', 'in', names), eb('source_package', 'in', names)]))
      .execute();
    return rows.map((r) => r.device_id);
  }

  fleetPackages(orgId: string, search: string | undefined, limit: number): Promise<FleetPackageRow[]> {
    let q = this.db
      .selectFrom('device_software')
      .select((eb) => [
        'name',
        'source',
        'ecosystem',
        eb.fn.count<number>('device_id').distinct().as('devices'),
        eb.fn.count<number>('version').distinct().as('versions'),
      ])
      .where('org_id', '=', orgId);
    if (search) q = q.where(likeEscaped(sql.ref('name'), containsPattern(search)));
    return q.groupBy(['name', 'source', 'ecosystem']).orderBy('name').limit(limit).execute();
  }

  countByDevice(orgId: string): Promise<Array<{ device_id: string; packages: number }>> {
    return this.db
      .selectFrom('device_software')
      .select((eb) => ['device_id', eb.fn.countAll<number>().as('packages')])
      .where('org_id', '=', orgId)
      .groupBy('device_id')
      .execute();
  }

  hardware(orgId: string, deviceId: string): Promise<DeviceHardwareRow | undefined> {
    return this.db
      .selectFrom('device_hardware')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('device_id', '=', deviceId)
      .executeTakeFirst();
  }

  /** Replaces a device's whole package list (a full snapshot from its agent). */
  replaceQueries(orgId: string, deviceId: string, rows: DeviceSoftwareRow[]): Compilable[] {
    const out: Compilable[] = [
      this.db.deleteFrom('device_software').where('org_id', '=', orgId).where('device_id', '=', deviceId),
    ];
    for (let i = 0; i < rows.length; i += 500) {
      out.push(this.db.insertInto('device_software').values(rows.slice(i, i + 500)));
    }
    return out;
  }

  /** Installs or upgrades one package, keeping when it was first seen. */
  upsertQuery(row: DeviceSoftwareRow): Compilable {
    return this.db
      .insertInto('device_software')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['device_id', 'source', 'name', 'arch']).doUpdateSet({
          version: row.version,
          vendor: row.vendor,
          source_package: row.source_package,
          ecosystem: row.ecosystem,
          updated_at: row.updated_at,
        }),
      );
  }

  removeQuery(orgId: string, deviceId: string, source: string, name: string, arch: string): Compilable {
    return this.db
      .deleteFrom('device_software')
      .where('org_id', '=', orgId)
      .where('device_id', '=', deviceId)
      .where('source', '=', source)
      .where('name', '=', name)
      .where('arch', '=', arch);
  }

  hardwareQuery(row: DeviceHardwareRow): Compilable {
    return this.db
      .insertInto('device_hardware')
      .values(row)
      .onConflict((oc) =>
        oc.column('device_id').doUpdateSet({ facts: row.facts, collected_at: row.collected_at }),
      );
  }
}
