import { type Ecosystem, ecosystemOf } from './ecosystem-versions.ts';

/** One range event of an OSV advisory, as the format states it. */
export type OsvEvent =
  | { introduced: string }
  | { fixed: string }
  | { last_affected: string }
  | { limit: string };

/** An ECOSYSTEM or SEMVER range (GIT ranges need commit history and are left out). */
export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER';
  events: OsvEvent[];
}

/** The affected versions of one package in one ecosystem. */
export interface AffectedPackage {
  ecosystem: Ecosystem;
  /** The ecosystem as the advisory names it (`Debian:12`), kept for display and release matching. */
  ecosystemName: string;
  name: string;
  ranges: OsvRange[];
  versions: string[];
}

/** An OSV advisory reduced to what inventory matching needs. */
export interface Advisory {
  id: string;
  aliases: string[];
  /** CVE ids among the id and aliases (KEV flags them). */
  cves: string[];
  summary: string;
  details: string;
  /** Harrier's severity scale, from the advisory's database_specific or CVSS score when given. */
  severity: 'low' | 'medium' | 'high' | 'critical' | null;
  cvssScore: number | null;
  published: string | null;
  modified: string | null;
  references: string[];
  affected: AffectedPackage[];
}

/** Why an advisory document was not read. */
export interface OsvProblem {
  index: number;
  id: string | null;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : [];

function severityOf(doc: Record<string, unknown>): {
  severity: Advisory['severity'];
  cvssScore: number | null;
} {
  const dbs = isObject(doc.database_specific) ? doc.database_specific : {};
  const word = typeof dbs.severity === 'string' ? dbs.severity.toLowerCase() : '';
  let cvssScore: number | null = null;
  for (const s of Array.isArray(doc.severity) ? doc.severity : []) {
    if (isObject(s) && typeof s.score === 'string') {
      const n = Number(s.score);
      if (Number.isFinite(n)) cvssScore = n;
    }
  }
  if (word === 'critical' || word === 'high' || word === 'low') return { severity: word, cvssScore };
  if (word === 'moderate' || word === 'medium') return { severity: 'medium', cvssScore };
  if (cvssScore !== null) {
    const severity =
      cvssScore >= 9 ? 'critical' : cvssScore >= 7 ? 'high' : cvssScore >= 4 ? 'medium' : 'low';
    return { severity, cvssScore };
  }
  return { severity: null, cvssScore };
}

function rangesOf(v: unknown): OsvRange[] {
  const out: OsvRange[] = [];
  for (const r of Array.isArray(v) ? v : []) {
    if (!isObject(r) || (r.type !== 'ECOSYSTEM' && r.type !== 'SEMVER')) continue;
    const events: OsvEvent[] = [];
    for (const e of Array.isArray(r.events) ? r.events : []) {
      if (!isObject(e)) continue;
      for (const k of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
        if (typeof e[k] === 'string') events.push({ [k]: e[k] } as OsvEvent);
      }
    }
    if (events.length > 0) out.push({ type: r.type, events });
  }
  return out;
}

/** Reads one OSV advisory object; a string names what is wrong with it. */
export function parseOsvAdvisory(doc: unknown): Advisory | string {
  if (!isObject(doc)) return 'an advisory must be a JSON object';
  if (typeof doc.id !== 'string' || doc.id === '') return 'an advisory needs an "id"';
  const affected: AffectedPackage[] = [];
  for (const a of Array.isArray(doc.affected) ? doc.affected : []) {
    if (!isObject(a) || !isObject(a.package)) continue;
    const { name, ecosystem } = a.package;
    if (typeof name !== 'string' || typeof ecosystem !== 'string') continue;
    const eco = ecosystemOf(ecosystem);
    if (eco === null) continue;
    affected.push({
      ecosystem: eco,
      ecosystemName: ecosystem,
      name,
      ranges: rangesOf(a.ranges),
      versions: strings(a.versions),
    });
  }
  const aliases = strings(doc.aliases);
  const cves = [doc.id, ...aliases].filter((s) => /^CVE-\d{4}-\d{4,}$/i.test(s)).map((s) => s.toUpperCase());
  const references = (Array.isArray(doc.references) ? doc.references : [])
    .map((r) => (isObject(r) && typeof r.url === 'string' ? r.url : null))
    .filter((u): u is string => u !== null);
  return {
    id: doc.id,
    aliases,
    cves: [...new Set(cves)],
    summary: typeof doc.summary === 'string' ? doc.summary : '',
    details: typeof doc.details === 'string' ? doc.details : '',
    ...severityOf(doc),
    published: typeof doc.published === 'string' ? doc.published : null,
    modified: typeof doc.modified === 'string' ? doc.modified : null,
    references,
    affected,
  };
}

/**
 * Reads an OSV file: one advisory, an array of them, or `{ "vulns": [...] }`
 * (the osv.dev query answer). Advisories that cannot be read are reported by
 * position; those about other ecosystems are kept with no affected packages.
 */
export function parseOsvDocument(json: unknown): { advisories: Advisory[]; problems: OsvProblem[] } {
  const items = Array.isArray(json)
    ? json
    : isObject(json) && Array.isArray(json.vulns)
      ? json.vulns
      : [json];
  const advisories: Advisory[] = [];
  const problems: OsvProblem[] = [];
  items.forEach((item, index) => {
    const parsed = parseOsvAdvisory(item);
    if (typeof parsed === 'string') {
      const id = isObject(item) && typeof item.id === 'string' ? item.id : null;
      problems.push({ index, id, message: parsed });
    } else advisories.push(parsed);
  });
  return { advisories, problems };
}
