import { createHash } from 'node:crypto';
import {
  buildInsightBundle,
  contributionOf,
  type DayFacts,
  DRIVER_CATEGORIES,
  epochDay,
  INSIGHT_DEDUP_WINDOW_MS,
  type InsightBundle,
  insightEventOf,
  isoDay,
  SEVERITY_WEIGHTS,
  suppressRepeated,
} from '@harrier/detect';
import { type HarrierEvent, pythonFloatRepr, uuidv7 } from '@harrier/schema';
import type { Compilable } from 'kysely';
import type { HarrierDatabase } from '../db/database.ts';
import type { DeviceDayKeysTable, DeviceDayMetricsTable } from '../db/insight-tables.ts';
import { type DayMetricsRow, InsightsRepository } from '../repositories/insights-repository.ts';
import { commitThroughWriter } from './committed-writes.ts';

/** Days of history the engine reads (seed 002: the last 31 days of events). */
export const INSIGHT_HISTORY_DAYS = 30;
/** Rows of one multi-row insert of keys (6 parameters each; well under SQLite's limit). */
const KEY_CHUNK = 500;
/** Device-day rows of one multi-row upsert (17 parameters each). */
const DAY_CHUNK = 500;
/** Device-days whose stored keys are remembered, and keys remembered per device-day. */
const MAX_CACHED_DEVICE_DAYS = 20_000;
const MAX_CACHED_KEYS_PER_DAY = 5_000;

const FIRST_COLUMN = {
  auth: 'first_auth',
  network_exposure: 'first_network_exposure',
  process: 'first_process',
  filewatch: 'first_filewatch',
} as const;
const SCORE_COLUMN = {
  auth: 'score_auth',
  network_exposure: 'score_network_exposure',
  process: 'score_process',
  filewatch: 'score_filewatch',
} as const;

/** Listener and process keys are stored hashed: only set membership matters, and paths can be long. */
function keyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
}

function emptyRow(orgId: string, deviceId: string, day: number, now: number): DeviceDayMetricsTable {
  return {
    org_id: orgId,
    device_id: deviceId,
    day,
    info_count: 0,
    warn_count: 0,
    high_count: 0,
    failed_logins: 0,
    suspicious_execs: 0,
    score_auth: 0,
    score_network_exposure: 0,
    score_process: 0,
    score_filewatch: 0,
    first_auth: null,
    first_network_exposure: null,
    first_process: null,
    first_filewatch: null,
    updated_at: now,
  };
}

const COUNT_COLUMN = { INFO: 'info_count', WARN: 'warn_count', HIGH: 'high_count' } as const;

function factsOf(row: DayMetricsRow): DayFacts {
  const firstSeen: DayFacts['firstSeen'] = {};
  for (const c of DRIVER_CATEGORIES) {
    const v = row[FIRST_COLUMN[c]];
    if (v !== null) firstSeen[c] = Number(v);
  }
  return {
    day: Number(row.day),
    counts: { INFO: Number(row.info_count), WARN: Number(row.warn_count), HIGH: Number(row.high_count) },
    scores: {
      auth: Number(row.score_auth),
      network_exposure: Number(row.score_network_exposure),
      process: Number(row.score_process),
      filewatch: Number(row.score_filewatch),
    },
    firstSeen,
    failedLogins: Number(row.failed_logins),
    suspiciousExecs: Number(row.suspicious_execs),
    newListeners: 0,
    newProcesses: 0,
  };
}

/**
 * Seed 002's insight engine in the platform. Committed events update per device-day
 * aggregates incrementally (one upsert per device-day and the new distinct keys, through the
 * store's writer); a scheduled pass computes the risk, brief and insights of each device
 * whose aggregates changed, from those aggregates alone (never by re-reading events).
 */
export class InsightService {
  readonly repo: InsightsRepository;
  /** Devices whose aggregates changed since the last pass (`org\u0000device`). */
  private readonly dirty = new Set<string>();
  /**
   * Keys known to be stored, per device-day: an agent reports the same processes and
   * listeners over and over, and a key already stored needs neither a hash nor an insert.
   */
  private readonly storedKeys = new Map<string, Set<string>>();

  constructor(private readonly database: HarrierDatabase) {
    this.repo = new InsightsRepository(database.db, database.dialect);
  }

  /** The statements that fold a batch of committed events into the aggregates. */
  aggregateStatements(events: readonly HarrierEvent[], now: number): Compilable[] {
    return this.aggregate(events, now).statements;
  }

  private aggregate(events: readonly HarrierEvent[], now: number) {
    const rows = new Map<string, DeviceDayMetricsTable>();
    const keys = new Map<string, DeviceDayKeysTable>();
    const fresh: Array<[string, string]> = [];
    for (const event of events) {
      if (event.device_id === null) continue;
      const c = contributionOf(insightEventOf(event));
      const id = `${event.org_id}\u0000${event.device_id}\u0000${c.day}`;
      let row = rows.get(id);
      if (!row) {
        row = emptyRow(event.org_id, event.device_id, c.day, now);
        rows.set(id, row);
      }
      row[COUNT_COLUMN[c.severity]]++;
      row[SCORE_COLUMN[c.category]] += SEVERITY_WEIGHTS[c.severity];
      const first = row[FIRST_COLUMN[c.category]];
      if (first === null || c.ts < first) row[FIRST_COLUMN[c.category]] = c.ts;
      if (c.failedLogin) row.failed_logins++;
      if (c.suspiciousExec) row.suspicious_execs++;
      const stored = this.storedKeys.get(id);
      const add = (kind: string, raw: string, key: () => string, title: string | null) => {
        const known = `${kind}\u0000${raw}`;
        if (stored?.has(known)) return;
        const k = `${id}\u0000${known}`;
        if (!keys.has(k)) {
          keys.set(k, {
            org_id: event.org_id,
            device_id: event.device_id!,
            day: c.day,
            kind,
            key: key(),
            title,
          });
          fresh.push([id, known]);
        }
      };
      if (c.listenerKey !== undefined) add('listener', c.listenerKey, () => keyHash(c.listenerKey!), null);
      if (c.processKey !== undefined) add('process', c.processKey, () => keyHash(c.processKey!), null);
      if (c.change) add('change', c.change.fingerprint, () => c.change!.fingerprint, c.change.title);
    }
    const statements: Compilable[] = [];
    const dayRows = [...rows.values()];
    for (let i = 0; i < dayRows.length; i += DAY_CHUNK) {
      statements.push(this.repo.addDayMetrics(dayRows.slice(i, i + DAY_CHUNK)));
    }
    const keyRows = [...keys.values()];
    for (let i = 0; i < keyRows.length; i += KEY_CHUNK) {
      const statement = this.repo.addDayKeys(keyRows.slice(i, i + KEY_CHUNK));
      if (statement) statements.push(statement);
    }
    return { statements, fresh };
  }

  private remember(fresh: ReadonlyArray<[string, string]>): void {
    if (this.storedKeys.size > MAX_CACHED_DEVICE_DAYS) this.storedKeys.clear();
    for (const [id, known] of fresh) {
      let set = this.storedKeys.get(id);
      if (!set) {
        set = new Set();
        this.storedKeys.set(id, set);
      }
      if (set.size < MAX_CACHED_KEYS_PER_DAY) set.add(known);
    }
  }

  /** EventPipeline listener: folds committed events into their device-day aggregates. */
  async onCommitted(events: readonly HarrierEvent[], now = Date.now()): Promise<void> {
    const { statements, fresh } = this.aggregate(events, now);
    await commitThroughWriter(this.database, statements);
    this.remember(fresh);
    for (const e of events) if (e.device_id !== null) this.dirty.add(`${e.org_id}\u0000${e.device_id}`);
  }

  /** Computes the devices changed since the previous call; returns how many were computed. */
  async computeDirty(now = Date.now(), onError?: (error: unknown) => void): Promise<number> {
    const devices = [...this.dirty].map((k) => {
      const [org_id, device_id] = k.split('\u0000') as [string, string];
      return { org_id, device_id };
    });
    this.dirty.clear();
    return this.computeAll(devices, now, onError);
  }

  /** The facts of a device's last 31 days, with new-key counts where the engine needs them. */
  async dayFacts(orgId: string, deviceId: string, now: number): Promise<DayFacts[]> {
    const today = epochDay(now);
    const rows = await this.repo.dayMetrics(orgId, deviceId, today - INSIGHT_HISTORY_DAYS, today);
    const facts = rows.map(factsOf).filter((f) => f.counts.INFO + f.counts.WARN + f.counts.HIGH > 0);
    if (facts.length === 0) return [];
    const target = facts[facts.length - 1]!;
    // Baselines look at the target day and the 14 days with events before it.
    const metricDays = facts.slice(-15).map((f) => f.day);
    const byDay = new Map(facts.map((f) => [f.day, f]));
    for (const { day, kind, n } of await this.repo.newKeyCounts(orgId, deviceId, metricDays)) {
      const f = byDay.get(day);
      if (!f) continue;
      if (kind === 'listener') f.newListeners = n;
      else f.newProcesses = n;
    }
    const changes = await this.repo.changes(orgId, deviceId, [target.day, target.day - 1]);
    for (const day of [target.day, target.day - 1]) {
      const f = byDay.get(day);
      if (f)
        f.changes = new Map(changes.filter((c) => Number(c.day) === day).map((c) => [c.key, c.title ?? '']));
    }
    return facts;
  }

  /**
   * Computes and stores one device's bundle for its latest day with events: the daily risk row
   * is upserted; each insight seen within 30 minutes is folded into its row (count + 1, new
   * last_seen), the others are inserted. Undefined when the device has no recent events.
   */
  async computeDevice(orgId: string, deviceId: string, now = Date.now()): Promise<InsightBundle | undefined> {
    const facts = await this.dayFacts(orgId, deviceId, now);
    if (facts.length === 0) return undefined;
    const bundle = buildInsightBundle(facts, now);
    const fingerprints = [...new Set(bundle.insights.map((i) => i.fingerprint))];
    const recent = await this.repo.recentInsights(
      orgId,
      deviceId,
      fingerprints,
      now - INSIGHT_DEDUP_WINDOW_MS,
    );
    const latest = new Map<string, { id: string; last_seen: number }>();
    for (const r of recent) {
      if (!latest.has(r.fingerprint)) latest.set(r.fingerprint, { id: r.id, last_seen: Number(r.last_seen) });
    }
    const { accepted, suppressed } = suppressRepeated(
      bundle.insights,
      new Map([...latest].map(([fp, r]) => [fp, r.last_seen])),
      now,
    );
    const statements: Compilable[] = [];
    for (const insight of suppressed)
      statements.push(this.repo.bumpInsight(orgId, latest.get(insight.fingerprint)!.id, now));
    for (const insight of accepted) {
      statements.push(
        this.repo.insertInsight({
          id: uuidv7(now),
          org_id: orgId,
          device_id: deviceId,
          day: insight.day,
          ts: insight.ts,
          insight_type: insight.insight_type,
          source: insight.source,
          severity: insight.severity,
          title: insight.title,
          explanation: insight.explanation,
          evidence: JSON.stringify(insight.evidence),
          fingerprint: insight.fingerprint,
          status: insight.status,
          count: 1,
          first_seen: now,
          last_seen: now,
        }),
      );
    }
    statements.push(
      this.repo.upsertRisk({
        org_id: orgId,
        device_id: deviceId,
        day: bundle.day,
        risk_score: bundle.risk_score,
        raw_risk_score: bundle.raw_risk_score,
        failed_logins: bundle.metrics.failed_logins,
        new_listeners: bundle.metrics.new_listeners,
        new_processes: bundle.metrics.new_processes,
        suspicious_execs: bundle.metrics.suspicious_execs,
        counts: JSON.stringify(bundle.counts),
        baseline: JSON.stringify(bundle.baseline),
        drivers: JSON.stringify(bundle.drivers),
        new_changes: JSON.stringify(bundle.new_changes),
        resolved_changes: JSON.stringify(bundle.resolved_changes),
        brief: JSON.stringify({ ...bundle.daily_brief, day: isoDay(bundle.daily_brief.day) }),
        // Seed 002 stores Python's str() of the float: "91.0", "-3.5".
        delta_vs_7d: pythonFloatRepr(bundle.daily_brief.delta_vs_7d_avg),
        top_driver: bundle.daily_brief.top_driver,
        updated_at: now,
      }),
    );
    await commitThroughWriter(this.database, statements);
    return bundle;
  }

  /**
   * Drops aggregates older than the engine ever reads (with a day of margin for late events);
   * returns the rows removed. The computed risk rows and the insights are kept.
   */
  async pruneAggregates(now = Date.now()): Promise<number> {
    this.storedKeys.clear();
    return commitThroughWriter(
      this.database,
      this.repo.pruneAggregates(epochDay(now) - INSIGHT_HISTORY_DAYS - 2),
    );
  }

  /**
   * Computes every device whose aggregates changed at or after `since` (on recent days);
   * returns how many were computed. One failing device does not stop the others.
   */
  async computeChanged(since: number, now = Date.now(), onError?: (error: unknown) => void): Promise<number> {
    const devices = await this.repo.changedDevices(since, epochDay(now) - INSIGHT_HISTORY_DAYS);
    return this.computeAll(devices, now, onError);
  }

  private async computeAll(
    devices: ReadonlyArray<{ org_id: string; device_id: string }>,
    now: number,
    onError?: (error: unknown) => void,
  ): Promise<number> {
    let computed = 0;
    for (const { org_id, device_id } of devices) {
      try {
        if (await this.computeDevice(org_id, device_id, now)) computed++;
      } catch (error) {
        onError?.(error);
      }
    }
    return computed;
  }
}
