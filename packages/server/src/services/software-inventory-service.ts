import type { HarrierEvent } from '@harrier/schema';
import { Type } from '@sinclair/typebox';
import type { HarrierDatabase } from '../db/database.ts';
import { readJson } from '../db/json-column.ts';
import {
  type DeviceSoftwareRow,
  SoftwareInventoryRepository,
} from '../repositories/software-inventory-repository.ts';
import { commitThroughWriter } from './committed-writes.ts';
import type { VulnerabilityService } from './vulnerability-service.ts';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

/** A full inventory snapshot from an agent: every package it has now, and hardware facts. */
export const InventorySnapshot = Type.Object(
  {
    software: Type.Array(
      Type.Object(
        {
          name: Text(256),
          version: Text(128),
          source: Text(32),
          arch: Type.Optional(Type.String({ maxLength: 32 })),
          vendor: Type.Optional(Type.String({ maxLength: 256 })),
          source_package: Type.Optional(Type.String({ maxLength: 256 })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50_000 },
    ),
    hardware: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 100 }),
    ),
  },
  { additionalProperties: false },
);
export type InventorySnapshot = typeof InventorySnapshot.static;

/** Which OSV ecosystem's advisories apply to a package manager's packages. */
export function ecosystemOfSource(source: string): string | null {
  switch (source.toLowerCase()) {
    case 'dpkg':
    case 'apt':
    case 'deb':
      return 'Debian';
    case 'npm':
      return 'npm';
    case 'pip':
    case 'pypi':
      return 'PyPI';
    default:
      return null;
  }
}

/**
 * Keeps each device's software inventory: full snapshots replace it, and the
 * agent's `software_inventory` events (present, installed, upgraded, removed)
 * keep it current between snapshots. Every change rescans the device's
 * vulnerabilities.
 */
export class SoftwareInventoryService {
  private readonly repo: SoftwareInventoryRepository;

  constructor(
    private readonly database: HarrierDatabase,
    private readonly vulnerabilities: VulnerabilityService,
  ) {
    this.repo = new SoftwareInventoryRepository(database.db);
  }

  async submitSnapshot(
    device: { id: string; org_id: string },
    snapshot: InventorySnapshot,
    now: number,
  ): Promise<{ packages: number }> {
    const rows = new Map<string, DeviceSoftwareRow>();
    for (const p of snapshot.software) {
      const row: DeviceSoftwareRow = {
        org_id: device.org_id,
        device_id: device.id,
        source: p.source.toLowerCase(),
        name: p.name,
        arch: p.arch ?? '',
        version: p.version,
        vendor: p.vendor ?? null,
        source_package: p.source_package || null,
        ecosystem: ecosystemOfSource(p.source),
        first_seen: now,
        updated_at: now,
      };
      rows.set(`${row.source}\u0000${row.name}\u0000${row.arch}`, row);
    }
    // Keep first_seen across snapshots: a package present since last week did not appear today.
    for (const old of await this.repo.listForDevice(device.org_id, device.id)) {
      const r = rows.get(`${old.source}\u0000${old.name}\u0000${old.arch}`);
      if (r) r.first_seen = Number(old.first_seen);
    }
    const queries = this.repo.replaceQueries(device.org_id, device.id, [...rows.values()]);
    if (snapshot.hardware) {
      queries.push(
        this.repo.hardwareQuery({
          device_id: device.id,
          org_id: device.org_id,
          facts: JSON.stringify(snapshot.hardware),
          collected_at: now,
        }),
      );
    }
    await commitThroughWriter(this.database, queries);
    await this.vulnerabilities.rescanDevices(device.org_id, [device.id], now);
    return { packages: rows.size };
  }

  /** Applies committed `software_inventory` events (the agent's software collector). */
  async applyEvents(events: readonly HarrierEvent[]): Promise<void> {
    const queries = [];
    const touched = new Map<string, Set<string>>();
    for (const e of events) {
      if (e.logsource.category !== 'software_inventory' || e.device_id === null) continue;
      const f = e.fields;
      const name = typeof f.Product === 'string' ? f.Product : null;
      const source = typeof f.PackageManager === 'string' ? f.PackageManager.toLowerCase() : null;
      if (name === null || source === null) continue;
      const arch = typeof f.Architecture === 'string' ? f.Architecture : '';
      if (f.ChangeType === 'removed') {
        queries.push(this.repo.removeQuery(e.org_id, e.device_id, source, name, arch));
      } else if (typeof f.Version === 'string' && f.Version !== '') {
        queries.push(
          this.repo.upsertQuery({
            org_id: e.org_id,
            device_id: e.device_id,
            source,
            name,
            arch,
            version: f.Version,
            vendor: typeof f.Vendor === 'string' ? f.Vendor : null,
            source_package: typeof f.SourcePackage === 'string' ? f.SourcePackage : null,
            ecosystem: ecosystemOfSource(source),
            first_seen: e.ts,
            updated_at: e.ts,
          }),
        );
      } else continue;
      const set = touched.get(e.org_id) ?? new Set<string>();
      set.add(e.device_id);
      touched.set(e.org_id, set);
    }
    if (queries.length === 0) return;
    await commitThroughWriter(this.database, queries);
    const now = Date.now();
    for (const [orgId, devices] of touched)
      await this.vulnerabilities.rescanDevices(orgId, [...devices], now);
  }

  software(orgId: string, deviceId: string, search?: string) {
    return this.repo.listForDevice(orgId, deviceId, search);
  }

  async hardware(
    orgId: string,
    deviceId: string,
  ): Promise<{ facts: Record<string, unknown>; collected_at: number } | null> {
    const row = await this.repo.hardware(orgId, deviceId);
    return row
      ? { facts: readJson<Record<string, unknown>>(row.facts, {}), collected_at: Number(row.collected_at) }
      : null;
  }

  fleetPackages(orgId: string, search: string | undefined, limit: number) {
    return this.repo.fleetPackages(orgId, search, limit);
  }

  packageCounts(orgId: string) {
    return this.repo.countByDevice(orgId);
  }
}
