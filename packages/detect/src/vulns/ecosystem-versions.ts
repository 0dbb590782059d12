import { compareDebianVersions } from './debian-version.ts';
import { comparePep440 } from './pep440-version.ts';
import { compareSemver } from './semver-version.ts';

/** The package ecosystems whose version ordering Harrier implements. */
export type Ecosystem = 'Debian' | 'npm' | 'PyPI';

/** A version comparator: negative, zero or positive, or null when a version is not valid for it. */
export type VersionComparator = (a: string, b: string) => number | null;

const COMPARATORS: Record<Ecosystem, VersionComparator> = {
  Debian: compareDebianVersions,
  npm: compareSemver,
  PyPI: comparePep440,
};

/**
 * The ecosystem an OSV `package.ecosystem` names (`Debian:12` is Debian; names
 * are matched case-insensitively); null for ecosystems Harrier cannot order.
 */
export function ecosystemOf(name: string): Ecosystem | null {
  const base = name.split(':')[0]!.trim().toLowerCase();
  if (base === 'debian') return 'Debian';
  if (base === 'npm') return 'npm';
  if (base === 'pypi') return 'PyPI';
  return null;
}

/** The ordering of versions in an ecosystem. */
export function versionComparator(ecosystem: Ecosystem): VersionComparator {
  return COMPARATORS[ecosystem];
}

/**
 * How package names compare within an ecosystem: PyPI names are normalized
 * (PEP 503: case and runs of `-_.` do not matter), npm and Debian are exact.
 */
export function normalizePackageName(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}
