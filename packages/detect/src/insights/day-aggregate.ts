import { buildFingerprint } from './fingerprint.ts';
import type { InsightEvent, InsightSeverity, InsightSource } from './insight-event.ts';

/** Seed 002's severity weights. */
export const SEVERITY_WEIGHTS: Readonly<Record<InsightSeverity, number>> = { INFO: 1, WARN: 3, HIGH: 8 };

/** Risk driver categories; `system` events count as `process` (seed 002). */
export const DRIVER_CATEGORIES = ['auth', 'network_exposure', 'process', 'filewatch'] as const;
export type DriverCategory = (typeof DRIVER_CATEGORIES)[number];

const MS_PER_DAY = 86_400_000;

/** The UTC calendar day of an instant, as days since 1970-01-01. */
export function epochDay(ts: number): number {
  return Math.floor(ts / MS_PER_DAY);
}

/** `YYYY-MM-DD` of an epoch day. */
export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The epoch day of a `YYYY-MM-DD` string, or undefined when it is not a valid date. */
export function parseIsoDay(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms) || isoDay(ms / MS_PER_DAY) !== text) return undefined;
  return ms / MS_PER_DAY;
}

/** Seed 002's source → driver category. */
export function driverCategoryOf(source: InsightSource): DriverCategory {
  switch (source) {
    case 'network':
      return 'network_exposure';
    case 'auth':
      return 'auth';
    case 'filewatch':
      return 'filewatch';
    default:
      return 'process';
  }
}

const TEMP_MARKERS = ['/tmp/', '/private/tmp/', '\\appdata\\local\\temp\\', '\\temp\\'];

/** Seed 002's failed login: an auth event titled "…failed…", of type failed_login, or at WARN/HIGH. */
export function isFailedLogin(event: InsightEvent): boolean {
  if (event.source !== 'auth') return false;
  if (event.title.toLowerCase().includes('failed')) return true;
  if (String(event.details.event_type ?? '').toLowerCase() === 'failed_login') return true;
  return event.severity === 'WARN' || event.severity === 'HIGH';
}

/** Seed 002's execution from a temporary path: a process event whose `exe` is under a temp directory. */
export function isSuspiciousExec(event: InsightEvent): boolean {
  if (event.source !== 'process') return false;
  const exe = String(event.details.exe ?? '').toLowerCase();
  return TEMP_MARKERS.some((marker) => exe.includes(marker));
}

/** Python's `str()` of a detail value, for the keys seed 002 builds. */
function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Python truthiness of a JSON value. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** `"{ip or laddr_ip}:{port or laddr_port}"` of any event whose details carry a port. */
export function listenerKey(event: InsightEvent): string | undefined {
  const d = event.details;
  const ip = truthy(d.ip) ? pyStr(d.ip) : truthy(d.laddr_ip) ? pyStr(d.laddr_ip) : '';
  const port = truthy(d.port) ? d.port : d.laddr_port;
  if (port === undefined || port === null) return undefined;
  return `${ip}:${pyStr(port)}`;
}

/** `"{process_name or name}|{exe}"` of any event that names a process. */
export function processKey(event: InsightEvent): string | undefined {
  const d = event.details;
  const name = truthy(d.process_name) ? pyStr(d.process_name) : truthy(d.name) ? pyStr(d.name) : '';
  const exe = truthy(d.exe) ? pyStr(d.exe) : '';
  if (!name && !exe) return undefined;
  return `${name}|${exe}`;
}

/** What one event adds to the aggregate of its device and day. */
export interface EventContribution {
  day: number;
  ts: number;
  severity: InsightSeverity;
  category: DriverCategory;
  failedLogin: boolean;
  suspiciousExec: boolean;
  listenerKey: string | undefined;
  processKey: string | undefined;
  /** WARN and HIGH events: the change they stand for, compared with the previous day. */
  change: { fingerprint: string; title: string } | undefined;
}

/** The contribution of one event (pure; the server turns these into upserts). */
export function contributionOf(event: InsightEvent): EventContribution {
  const warnOrHigh = event.severity === 'WARN' || event.severity === 'HIGH';
  return {
    day: epochDay(event.ts),
    ts: event.ts,
    severity: event.severity,
    category: driverCategoryOf(event.source),
    failedLogin: isFailedLogin(event),
    suspiciousExec: isSuspiciousExec(event),
    listenerKey: listenerKey(event),
    processKey: processKey(event),
    change: warnOrHigh
      ? {
          fingerprint: buildFingerprint(event.source, event.title || 'event', event.details),
          title: event.title,
        }
      : undefined,
  };
}

/**
 * Everything the insight engine needs about one device and one UTC day, built incrementally:
 * counters add up, key sets unite, first-seen times take the minimum. Merging is commutative
 * and associative, so any split of the events into batches gives the same aggregate.
 */
export interface DayAggregate {
  day: number;
  counts: Record<InsightSeverity, number>;
  /** Weighted score per driver category. */
  scores: Record<DriverCategory, number>;
  /** Earliest event per category: seed 002 lists tied drivers in the order it met them. */
  firstSeen: Partial<Record<DriverCategory, number>>;
  failedLogins: number;
  suspiciousExecs: number;
  listenerKeys: Set<string>;
  processKeys: Set<string>;
  /** WARN/HIGH change fingerprint → title. */
  changes: Map<string, string>;
}

/** An aggregate with nothing in it. */
export function emptyDayAggregate(day: number): DayAggregate {
  return {
    day,
    counts: { INFO: 0, WARN: 0, HIGH: 0 },
    scores: { auth: 0, network_exposure: 0, process: 0, filewatch: 0 },
    firstSeen: {},
    failedLogins: 0,
    suspiciousExecs: 0,
    listenerKeys: new Set(),
    processKeys: new Set(),
    changes: new Map(),
  };
}

/** Adds one contribution to an aggregate of the same day (in place). */
export function addContribution(aggregate: DayAggregate, c: EventContribution): DayAggregate {
  aggregate.counts[c.severity]++;
  aggregate.scores[c.category] += SEVERITY_WEIGHTS[c.severity];
  const first = aggregate.firstSeen[c.category];
  if (first === undefined || c.ts < first) aggregate.firstSeen[c.category] = c.ts;
  if (c.failedLogin) aggregate.failedLogins++;
  if (c.suspiciousExec) aggregate.suspiciousExecs++;
  if (c.listenerKey !== undefined) aggregate.listenerKeys.add(c.listenerKey);
  if (c.processKey !== undefined) aggregate.processKeys.add(c.processKey);
  if (c.change && !aggregate.changes.has(c.change.fingerprint)) {
    aggregate.changes.set(c.change.fingerprint, c.change.title);
  }
  return aggregate;
}

/** The union of two aggregates of the same day (a new object). */
export function mergeDayAggregates(a: DayAggregate, b: DayAggregate): DayAggregate {
  const out = emptyDayAggregate(a.day);
  for (const s of ['INFO', 'WARN', 'HIGH'] as const) out.counts[s] = a.counts[s] + b.counts[s];
  for (const c of DRIVER_CATEGORIES) {
    out.scores[c] = a.scores[c] + b.scores[c];
    const fa = a.firstSeen[c];
    const fb = b.firstSeen[c];
    const first = fa === undefined ? fb : fb === undefined ? fa : Math.min(fa, fb);
    if (first !== undefined) out.firstSeen[c] = first;
  }
  out.failedLogins = a.failedLogins + b.failedLogins;
  out.suspiciousExecs = a.suspiciousExecs + b.suspiciousExecs;
  out.listenerKeys = new Set([...a.listenerKeys, ...b.listenerKeys]);
  out.processKeys = new Set([...a.processKeys, ...b.processKeys]);
  out.changes = new Map(a.changes);
  for (const [fp, title] of b.changes) if (!out.changes.has(fp)) out.changes.set(fp, title);
  return out;
}

/** Groups events into one aggregate per UTC day. */
export function aggregateEvents(events: Iterable<InsightEvent>): Map<number, DayAggregate> {
  const days = new Map<number, DayAggregate>();
  for (const event of events) {
    const c = contributionOf(event);
    let aggregate = days.get(c.day);
    if (!aggregate) {
      aggregate = emptyDayAggregate(c.day);
      days.set(c.day, aggregate);
    }
    addContribution(aggregate, c);
  }
  return days;
}

/**
 * One day as the bundle builder consumes it: the aggregate's counters, with the key sets
 * already reduced to "new since the previous calendar day" (a server computes these in SQL).
 */
export interface DayFacts {
  day: number;
  counts: Record<InsightSeverity, number>;
  scores: Record<DriverCategory, number>;
  firstSeen: Partial<Record<DriverCategory, number>>;
  failedLogins: number;
  suspiciousExecs: number;
  /** Listener keys of the day absent on the previous calendar day. */
  newListeners: number;
  /** Process keys of the day absent on the previous calendar day. */
  newProcesses: number;
  /** WARN/HIGH changes (fingerprint → title); needed for the target day and the day before. */
  changes?: ReadonlyMap<string, string>;
}

function newKeys(today: ReadonlySet<string>, yesterday: ReadonlySet<string> | undefined): number {
  let n = 0;
  for (const key of today) if (!yesterday?.has(key)) n++;
  return n;
}

/** Reduces per-day aggregates to facts, comparing each day's key sets with the previous calendar day. */
export function dayFactsOf(aggregates: ReadonlyMap<number, DayAggregate>): DayFacts[] {
  return [...aggregates.values()]
    .sort((a, b) => a.day - b.day)
    .map((a) => {
      const previous = aggregates.get(a.day - 1);
      return {
        day: a.day,
        counts: { ...a.counts },
        scores: { ...a.scores },
        firstSeen: { ...a.firstSeen },
        failedLogins: a.failedLogins,
        suspiciousExecs: a.suspiciousExecs,
        newListeners: newKeys(a.listenerKeys, previous?.listenerKeys),
        newProcesses: newKeys(a.processKeys, previous?.processKeys),
        changes: a.changes,
      };
    });
}
