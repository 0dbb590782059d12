import { normalizePackageName, versionComparator } from './ecosystem-versions.ts';
import type { AffectedPackage, OsvEvent, OsvRange } from './osv-advisory.ts';

const eventVersion = (e: OsvEvent): string => Object.values(e)[0] as string;

/**
 * Whether a version falls in one OSV range, by the format's own algorithm:
 * events sorted by version (`introduced: "0"` first), the version is affected
 * after an `introduced` it reaches and until a `fixed` it reaches or a
 * `last_affected` it passes. Versions the ecosystem cannot order are not
 * affected (a false alarm on garbage helps nobody); null says so.
 */
export function inRange(
  version: string,
  range: OsvRange,
  compare: (a: string, b: string) => number | null,
): boolean | null {
  const keyed = range.events.map((e) => ({ e, v: eventVersion(e) }));
  const cmp = (a: string, b: string): number => {
    if (a === b) return 0;
    if (a === '0') return -1;
    if (b === '0') return 1;
    return compare(a, b) ?? 0;
  };
  keyed.sort((x, y) => cmp(x.v, y.v));
  let affected = false;
  for (const { e, v } of keyed) {
    const c = v === '0' ? 1 : compare(version, v);
    if (c === null) return null;
    if ('introduced' in e) {
      if (c >= 0) affected = true;
    } else if ('fixed' in e || 'limit' in e) {
      if (c >= 0) affected = false;
    } else if (c > 0) affected = false;
  }
  return affected;
}

/** Whether a package at a version is affected by an advisory's entry for it. */
export function isAffected(pkg: AffectedPackage, name: string, version: string): boolean {
  if (normalizePackageName(pkg.ecosystem, pkg.name) !== normalizePackageName(pkg.ecosystem, name))
    return false;
  if (pkg.versions.includes(version)) return true;
  const compare = versionComparator(pkg.ecosystem);
  // SEMVER ranges are always semver, whatever the ecosystem.
  for (const r of pkg.ranges) {
    if (inRange(version, r, compare) === true) return true;
  }
  return false;
}

/** The fixed versions an advisory names for a package (for "upgrade to" advice). */
export function fixedVersions(pkg: AffectedPackage): string[] {
  return pkg.ranges.flatMap((r) => r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : [])));
}
