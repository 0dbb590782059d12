import type { GeoLookup } from './geoip.ts';

/** Seed 004's attack types of a threat-map item. */
export const ATTACK_TYPES = [
  'Web',
  'DDoS',
  'Intrusion',
  'Scanner',
  'Anonymizer',
  'Bot',
  'Malware',
  'Phishing',
  'DNS',
  'Email',
] as const;
export type AttackType = (typeof ATTACK_TYPES)[number];

/** One attack seen from a source address: an ingested item, an alert's event, a sensor record. */
export interface ThreatObservation {
  ts: number;
  srcIp: string;
  dstIp: string | null;
  attackType: AttackType;
  /** 1..10, as the threat map rates it. */
  severity: number;
  origin: 'ingest' | 'alert' | 'network';
}

/** A source address on the map, with what it did in the window. */
export interface ThreatPoint {
  src_ip: string;
  country: string;
  region: string | null;
  city: string | null;
  lat: number;
  lon: number;
  count: number;
  max_severity: number;
  attack_types: Partial<Record<AttackType, number>>;
  origins: Partial<Record<ThreatObservation['origin'], number>>;
  first_seen: string;
  last_seen: string;
}

export interface ThreatMapSnapshot {
  window: { from: string; to: string };
  /** Observations with a public source address. */
  total: number;
  /** Of those, the ones the GeoIP database places (the others have no position, never a made-up one). */
  located: number;
  unlocated: number;
  /** Observations left out because their source is a private or reserved address. */
  private_excluded: number;
  points: ThreatPoint[];
  countries: Array<{ country: string; count: number }>;
  attack_types: Array<{ attack_type: AttackType; count: number }>;
}

/** Alert severities on the map's 1..10 scale. */
export const SEVERITY_SCALE: Readonly<Record<string, number>> = {
  informational: 1,
  low: 3,
  medium: 5,
  high: 8,
  critical: 10,
};

/**
 * Folds observations into one snapshot of the window: one point per public source address
 * with its GeoIP position, counts by country and attack type. Pure and deterministic: the
 * same observations give the same snapshot (points by count, then severity, then address).
 */
export function aggregateThreats(
  observations: readonly ThreatObservation[],
  window: { from: number; to: number },
  geo: GeoLookup,
  isPrivate: (ip: string) => boolean,
  maxPoints = 500,
): ThreatMapSnapshot {
  const points = new Map<string, ThreatPoint & { first: number; last: number }>();
  const countries = new Map<string, number>();
  const types = new Map<AttackType, number>();
  let total = 0;
  let located = 0;
  let privateExcluded = 0;
  for (const o of observations) {
    if (o.ts < window.from || o.ts > window.to) continue;
    if (isPrivate(o.srcIp)) {
      privateExcluded++;
      continue;
    }
    total++;
    types.set(o.attackType, (types.get(o.attackType) ?? 0) + 1);
    const where = geo(o.srcIp);
    if (where === undefined) continue;
    located++;
    countries.set(where.country, (countries.get(where.country) ?? 0) + 1);
    let p = points.get(o.srcIp);
    if (p === undefined) {
      p = {
        src_ip: o.srcIp,
        country: where.country,
        region: where.region,
        city: where.city,
        lat: where.lat,
        lon: where.lon,
        count: 0,
        max_severity: 0,
        attack_types: {},
        origins: {},
        first_seen: '',
        last_seen: '',
        first: o.ts,
        last: o.ts,
      };
      points.set(o.srcIp, p);
    }
    p.count++;
    p.max_severity = Math.max(p.max_severity, o.severity);
    p.attack_types[o.attackType] = (p.attack_types[o.attackType] ?? 0) + 1;
    p.origins[o.origin] = (p.origins[o.origin] ?? 0) + 1;
    p.first = Math.min(p.first, o.ts);
    p.last = Math.max(p.last, o.ts);
  }
  const ordered = [...points.values()]
    .sort(
      (a, b) =>
        b.count - a.count ||
        b.max_severity - a.max_severity ||
        (a.src_ip < b.src_ip ? -1 : a.src_ip > b.src_ip ? 1 : 0),
    )
    .slice(0, maxPoints)
    .map(({ first, last, ...p }) => ({
      ...p,
      first_seen: new Date(first).toISOString(),
      last_seen: new Date(last).toISOString(),
    }));
  const byCount = <K extends string>(m: Map<K, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return {
    window: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() },
    total,
    located,
    unlocated: total - located,
    private_excluded: privateExcluded,
    points: ordered,
    countries: byCount(countries).map(([country, count]) => ({ country, count })),
    attack_types: byCount(types).map(([attack_type, count]) => ({ attack_type, count })),
  };
}

/**
 * The attack type of a network sensor record or an alert, from its Sigma category, the
 * sensor's alert category and the rule title (seed 004's vocabulary).
 */
export function attackTypeOf(hint: {
  category?: string | null;
  text?: string | null;
  kind?: string | null;
}): AttackType {
  const text = `${hint.text ?? ''}`.toLowerCase();
  if (hint.kind === 'ioc') return 'Malware';
  if (/\bscan|recon/.test(text)) return 'Scanner';
  if (/phish/.test(text)) return 'Phishing';
  if (/trojan|malware|ransom|botnet|\bc2\b|command and control/.test(text)) return 'Malware';
  if (/\bdos\b|ddos|flood/.test(text)) return 'DDoS';
  if (/\btor\b|proxy|anonymi/.test(text)) return 'Anonymizer';
  if (/\bbot\b|crawler/.test(text)) return 'Bot';
  if (hint.category === 'dns') return 'DNS';
  if (hint.category === 'proxy' || hint.category === 'webserver' || /web|http|sql injection|xss/.test(text))
    return 'Web';
  if (/smtp|mail/.test(text)) return 'Email';
  return 'Intrusion';
}
