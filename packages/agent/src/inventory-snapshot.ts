import { createHash } from 'node:crypto';
import { readHardwareFacts } from './collectors/hardware-facts.ts';
import { readHostFacts } from './collectors/host-facts.ts';
import type { Package } from './collectors/software-collector.ts';

/** One package of a snapshot, as `POST /api/v1/agents/inventory` takes it. */
export interface SnapshotPackage {
  name: string;
  version: string;
  source: string;
  arch?: string;
  vendor?: string;
  source_package?: string;
}

/** The body of `POST /api/v1/agents/inventory`: the whole inventory, replacing the previous one. */
export interface InventorySnapshot {
  software: SnapshotPackage[];
  hardware: Record<string, unknown>;
}

/** The server's limits: more packages or longer fields are refused with a 400. */
export const SNAPSHOT_LIMITS = {
  packages: 50_000,
  name: 256,
  version: 128,
  arch: 32,
  vendor: 256,
  sourcePackage: 256,
  hardwareKeys: 100,
  hardwareKey: 64,
} as const;

/**
 * Builds a snapshot the server accepts: packages without a name or version are skipped, one
 * entry per manager, name and architecture, sorted (so equal inventories give equal digests),
 * fields cut to the server's lengths, at most 50,000 packages and 100 hardware keys.
 */
export function buildInventorySnapshot(
  packages: readonly Package[],
  hardware: Record<string, unknown>,
): { snapshot: InventorySnapshot; truncated: number } {
  const byKey = new Map<string, SnapshotPackage>();
  for (const p of packages) {
    const name = p.name.slice(0, SNAPSHOT_LIMITS.name);
    const version = p.version.slice(0, SNAPSHOT_LIMITS.version);
    if (!name || !version) continue;
    const entry: SnapshotPackage = { name, version, source: p.manager };
    const arch = p.arch.slice(0, SNAPSHOT_LIMITS.arch);
    if (arch) entry.arch = arch;
    if (p.vendor) entry.vendor = p.vendor.slice(0, SNAPSHOT_LIMITS.vendor);
    if (p.sourcePackage) entry.source_package = p.sourcePackage.slice(0, SNAPSHOT_LIMITS.sourcePackage);
    byKey.set(`${entry.source}\u0000${name}\u0000${arch}`, entry);
  }
  const software = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
  const truncated = Math.max(0, software.length - SNAPSHOT_LIMITS.packages);
  const facts = Object.entries(hardware)
    .filter(([key, value]) => key.length <= SNAPSHOT_LIMITS.hardwareKey && value !== undefined)
    .slice(0, SNAPSHOT_LIMITS.hardwareKeys);
  return {
    snapshot: { software: software.slice(0, SNAPSHOT_LIMITS.packages), hardware: Object.fromEntries(facts) },
    truncated,
  };
}

/** The snapshot of the host below `root`: `packages` (the software collector's list) and its hardware facts now. */
export async function hostInventorySnapshot(
  root: string,
  packages: readonly Package[],
): Promise<{ snapshot: InventorySnapshot; truncated: number }> {
  return buildInventorySnapshot(packages, await readHardwareFacts(root, await readHostFacts(root)));
}

/** SHA-256 of the snapshot's JSON: equal inventories (built by {@link buildInventorySnapshot}) digest equally. */
export function snapshotDigest(snapshot: InventorySnapshot): string {
  return createHash('sha256').update(JSON.stringify(snapshot)).digest('hex');
}
