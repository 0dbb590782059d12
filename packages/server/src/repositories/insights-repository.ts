import type { Compilable, Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type {
  DeviceDayKeysTable,
  DeviceDayMetricsTable,
  DeviceRiskScoresTable,
  InsightsTable,
} from '../db/insight-tables.ts';
import type { Database, Dialect } from '../db/tables.ts';

export type DayMetricsRow = Selectable<DeviceDayMetricsTable>;
export type DayKeyRow = Selectable<DeviceDayKeysTable>;
export type RiskRow = Selectable<DeviceRiskScoresTable>;
export type InsightRow = Selectable<InsightsTable>;

const COUNTERS = [
  'info_count',
  'warn_count',
  'high_count',
  'failed_logins',
  'suspicious_execs',
  'score_auth',
  'score_network_exposure',
  'score_process',
  'score_filewatch',
] as const;
const FIRSTS = ['first_auth', 'first_network_exposure', 'first_process', 'first_filewatch'] as const;

/** A risk row joined with its device's names. */
export type RiskWithDevice = RiskRow & {
  hostname: string;
  external_id: string | null;
  platform: string | null;
};

export interface InsightFilter {
  orgId: string;
  deviceId?: string | undefined;
  severity?: string | undefined;
  source?: string | undefined;
  status?: string | undefined;
  insightType?: string | undefined;
  fromDay?: number | undefined;
  toDay?: number | undefined;
}

/** Queries on the insight tables (migration 0009); every read is scoped to an organization. */
export class InsightsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Adds device-days' counters to their rows (created on first use): counters add up, first-seen
   * times take the minimum. One multi-row statement; the rows must be distinct device-days.
   */
  addDayMetrics(rows: DeviceDayMetricsTable[]): Compilable {
    const least = this.dialect === 'postgres' ? 'least' : 'min';
    const set: Record<string, unknown> = { updated_at: sql`excluded.updated_at` };
    // PostgreSQL finds an unqualified column ambiguous next to `excluded`: name the table.
    const current = (c: string) => sql.raw(`device_day_metrics.${c}`);
    for (const c of COUNTERS) set[c] = sql`${current(c)} + excluded.${sql.raw(c)}`;
    for (const c of FIRSTS) {
      // SQLite's min() of a NULL is NULL; coalesce keeps whichever side is known.
      set[c] =
        sql`${sql.raw(least)}(coalesce(${current(c)}, excluded.${sql.raw(c)}), coalesce(excluded.${sql.raw(c)}, ${current(c)}))`;
    }
    return this.db
      .insertInto('device_day_metrics')
      .values(rows)
      .onConflict((oc) => oc.columns(['org_id', 'device_id', 'day']).doUpdateSet(set as never));
  }

  /** Records distinct keys of device-days; a key already there stays as it is. */
  addDayKeys(rows: DeviceDayKeysTable[]): Compilable | undefined {
    if (rows.length === 0) return undefined;
    return this.db
      .insertInto('device_day_keys')
      .values(rows)
      .onConflict((oc) => oc.columns(['org_id', 'device_id', 'day', 'kind', 'key']).doNothing());
  }

  /** Devices whose aggregates changed since `since` (on days from `fromDay`). */
  changedDevices(since: number, fromDay: number): Promise<Array<{ org_id: string; device_id: string }>> {
    return this.db
      .selectFrom('device_day_metrics')
      .select(['org_id', 'device_id'])
      .where('updated_at', '>=', since)
      .where('day', '>=', fromDay)
      .groupBy(['org_id', 'device_id'])
      .execute();
  }

  /** A device's day aggregates in a window of days. */
  dayMetrics(orgId: string, deviceId: string, fromDay: number, toDay: number): Promise<DayMetricsRow[]> {
    return this.db
      .selectFrom('device_day_metrics')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('device_id', '=', deviceId)
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .orderBy('day')
      .execute();
  }

  /**
   * Per day and kind (`listener`, `process`), the keys absent on the previous calendar day:
   * the "new listeners/processes" of seed 002, without reading a key set into memory.
   */
  async newKeyCounts(
    orgId: string,
    deviceId: string,
    days: readonly number[],
  ): Promise<Array<{ day: number; kind: string; n: number }>> {
    if (days.length === 0) return [];
    const rows = await this.db
      .selectFrom('device_day_keys as k')
      .select(['k.day', 'k.kind', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('k.org_id', '=', orgId)
      .where('k.device_id', '=', deviceId)
      .where('k.kind', 'in', ['listener', 'process'])
      .where('k.day', 'in', [...days])
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('device_day_keys as p')
              .select(sql.lit(1).as('one'))
              .whereRef('p.org_id', '=', 'k.org_id')
              .whereRef('p.device_id', '=', 'k.device_id')
              .whereRef('p.kind', '=', 'k.kind')
              .whereRef('p.key', '=', 'k.key')
              .where('p.day', '=', sql<number>`k.day - 1`),
          ),
        ),
      )
      .groupBy(['k.day', 'k.kind'])
      .execute();
    return rows.map((r) => ({ day: Number(r.day), kind: r.kind, n: Number(r.n) }));
  }

  /** WARN/HIGH changes (fingerprint → title) of the given days. */
  changes(orgId: string, deviceId: string, days: readonly number[]): Promise<DayKeyRow[]> {
    if (days.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('device_day_keys')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('device_id', '=', deviceId)
      .where('kind', '=', 'change')
      .where('day', 'in', [...days])
      .execute();
  }

  /** Last sighting of each fingerprint of a device since `since` (de-dup window). */
  recentInsights(
    orgId: string,
    deviceId: string,
    fingerprints: readonly string[],
    since: number,
  ): Promise<Array<Pick<InsightRow, 'id' | 'fingerprint' | 'last_seen'>>> {
    if (fingerprints.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('insights')
      .select(['id', 'fingerprint', 'last_seen'])
      .where('org_id', '=', orgId)
      .where('device_id', '=', deviceId)
      .where('fingerprint', 'in', [...fingerprints])
      .where('last_seen', '>=', since)
      .orderBy('last_seen', 'desc')
      .execute();
  }

  /** Drops aggregates of days before `beforeDay` (the engine reads 31 days; risk rows and insights stay). */
  pruneAggregates(beforeDay: number): Compilable[] {
    return [
      this.db.deleteFrom('device_day_keys').where('day', '<', beforeDay),
      this.db.deleteFrom('device_day_metrics').where('day', '<', beforeDay),
    ];
  }

  insertInsight(row: InsightsTable): Compilable {
    return this.db.insertInto('insights').values(row);
  }

  bumpInsight(orgId: string, id: string, now: number): Compilable {
    return this.db
      .updateTable('insights')
      .set({ count: sql`count + 1`, last_seen: now })
      .where('org_id', '=', orgId)
      .where('id', '=', id);
  }

  upsertRisk(row: DeviceRiskScoresTable): Compilable {
    const { org_id: _o, device_id: _d, day: _day, ...changes } = row;
    return this.db
      .insertInto('device_risk_scores')
      .values(row)
      .onConflict((oc) => oc.columns(['org_id', 'device_id', 'day']).doUpdateSet(changes));
  }

  /** The latest computed day of each device of the organization, riskiest first. */
  latestRisks(
    orgId: string,
    options: { deviceId?: string | undefined; limit: number; offset: number },
  ): Promise<RiskWithDevice[]> {
    let q = this.db
      .selectFrom('device_risk_scores as r')
      .innerJoin('devices as d', (j) =>
        j.onRef('d.id', '=', 'r.device_id').onRef('d.org_id', '=', 'r.org_id'),
      )
      .selectAll('r')
      .select(['d.hostname', 'd.external_id', 'd.platform'])
      .where('r.org_id', '=', orgId)
      .where(({ eb, selectFrom }) =>
        eb(
          'r.day',
          '=',
          selectFrom('device_risk_scores as l')
            .select((s) => s.fn.max('l.day').as('max_day'))
            .whereRef('l.org_id', '=', 'r.org_id')
            .whereRef('l.device_id', '=', 'r.device_id'),
        ),
      );
    if (options.deviceId !== undefined) q = q.where('r.device_id', '=', options.deviceId);
    return q
      .orderBy('r.risk_score', 'desc')
      .orderBy('r.device_id')
      .limit(options.limit)
      .offset(options.offset)
      .execute() as Promise<RiskWithDevice[]>;
  }

  /** Number of computed device-days of the organization (seed 002's `total`). */
  async countRiskRows(orgId: string, deviceId?: string): Promise<number> {
    let q = this.db
      .selectFrom('device_risk_scores')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('org_id', '=', orgId);
    if (deviceId !== undefined) q = q.where('device_id', '=', deviceId);
    return Number((await q.executeTakeFirst())?.n ?? 0);
  }

  /** Daily risk of devices from `fromDay`, oldest first. */
  trends(
    orgId: string,
    deviceIds: readonly string[],
    fromDay: number,
  ): Promise<Array<Pick<RiskRow, 'device_id' | 'day' | 'risk_score'>>> {
    if (deviceIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('device_risk_scores')
      .select(['device_id', 'day', 'risk_score'])
      .where('org_id', '=', orgId)
      .where('device_id', 'in', [...deviceIds])
      .where('day', '>=', fromDay)
      .orderBy('day')
      .execute();
  }

  /** A device's computed days in a window, oldest first. */
  deviceRisks(orgId: string, deviceId: string, fromDay: number): Promise<RiskRow[]> {
    return this.db
      .selectFrom('device_risk_scores')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('device_id', '=', deviceId)
      .where('day', '>=', fromDay)
      .orderBy('day')
      .execute();
  }

  /** Insights per severity (seed 002's `alerts_summary`). */
  async countBySeverity(orgId: string, deviceId?: string): Promise<Record<string, number>> {
    let q = this.db
      .selectFrom('insights')
      .select(['severity', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('org_id', '=', orgId);
    if (deviceId !== undefined) q = q.where('device_id', '=', deviceId);
    const rows = await q.groupBy('severity').execute();
    return Object.fromEntries(rows.map((r) => [r.severity, Number(r.n)]));
  }

  private filtered(f: InsightFilter) {
    let q = this.db.selectFrom('insights').where('org_id', '=', f.orgId);
    if (f.deviceId !== undefined) q = q.where('device_id', '=', f.deviceId);
    if (f.severity !== undefined) q = q.where('severity', '=', f.severity);
    if (f.source !== undefined) q = q.where('source', '=', f.source);
    if (f.status !== undefined) q = q.where('status', '=', f.status);
    if (f.insightType !== undefined) q = q.where('insight_type', '=', f.insightType);
    if (f.fromDay !== undefined) q = q.where('day', '>=', f.fromDay);
    if (f.toDay !== undefined) q = q.where('day', '<=', f.toDay);
    return q;
  }

  /** Insights matching the filter, newest first, after the cursor's id. */
  listInsights(f: InsightFilter, options: { beforeId?: string | undefined; limit: number; offset?: number }) {
    let q = this.filtered(f).selectAll();
    if (options.beforeId !== undefined) q = q.where('id', '<', options.beforeId);
    return q
      .orderBy('id', 'desc')
      .limit(options.limit)
      .offset(options.offset ?? 0)
      .execute();
  }

  async countInsights(f: InsightFilter): Promise<number> {
    const row = await this.filtered(f)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
