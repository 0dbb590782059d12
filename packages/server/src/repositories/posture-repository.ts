import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/tables.ts';

const CLOSED = ['resolved', 'false_positive', 'closed'];

/** A device's latest heartbeat figures. */
export interface DeviceFigures {
  device_id: string;
  hostname: string;
  last_heartbeat_at: number | null;
  ts: number | null;
  cpu_pct: number | null;
  mem_used_bytes: number | null;
  mem_total_bytes: number | null;
  disk_used_bytes: number | null;
  disk_total_bytes: number | null;
  uptime_s: number | null;
}

/** The aggregate queries behind the posture metrics (events, alerts, heartbeats of one organization). */
export class PostureRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async eventsSince(orgId: string, since: number, until: number): Promise<number> {
    const r = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where('ts', '>=', since)
      .where('ts', '<=', until)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Event counts per logsource category since `since`. */
  eventsByCategory(orgId: string, since: number, until: number) {
    return this.db
      .selectFrom('events')
      .select(['category', 'source'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where('ts', '>=', since)
      .where('ts', '<=', until)
      .groupBy(['category', 'source'])
      .execute();
  }

  /** Event counts per bucket of `bucketMs` starting at `start`. */
  eventsPerBucket(orgId: string, start: number, end: number, bucketMs: number) {
    const bucket = sql<number>`(ts - ${sql.lit(Math.trunc(start))}) / ${sql.lit(Math.trunc(bucketMs))}`;
    return this.db
      .selectFrom('events')
      .select([bucket.as('b'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('org_id', '=', orgId)
      .where('ts', '>=', start)
      .where('ts', '<', end)
      .groupBy(bucket)
      .execute();
  }

  /** Open alerts (with device, severity rank, last seen) of the organization. */
  openAlerts(orgId: string) {
    return this.db
      .selectFrom('alerts')
      .select(['device_id', 'severity_rank', 'last_seen'])
      .where('org_id', '=', orgId)
      .where('status', 'not in', CLOSED)
      .execute();
  }

  /** Highest severity rank of alerts seen per bucket (any status: the timeline shows what happened). */
  alertRankPerBucket(orgId: string, start: number, end: number, bucketMs: number) {
    const bucket = sql<number>`(last_seen - ${sql.lit(Math.trunc(start))}) / ${sql.lit(Math.trunc(bucketMs))}`;
    return this.db
      .selectFrom('alerts')
      .select([bucket.as('b'), (eb) => eb.fn.max('severity_rank').as('rank')])
      .where('org_id', '=', orgId)
      .where('last_seen', '>=', start)
      .where('last_seen', '<', end)
      .groupBy(bucket)
      .execute();
  }

  /** Distinct devices that sent a heartbeat, per bucket. */
  heartbeatDevicesPerBucket(orgId: string, start: number, end: number, bucketMs: number) {
    const bucket = sql<number>`(ts - ${sql.lit(Math.trunc(start))}) / ${sql.lit(Math.trunc(bucketMs))}`;
    return this.db
      .selectFrom('heartbeats')
      .select([bucket.as('b'), sql<number>`count(distinct device_id)`.as('n')])
      .where('org_id', '=', orgId)
      .where('ts', '>=', start)
      .where('ts', '<', end)
      .groupBy(bucket)
      .execute();
  }

  /** Live devices (not revoked, not retired) with their latest heartbeat figures. */
  async liveDevices(orgId: string): Promise<DeviceFigures[]> {
    const latest = this.db
      .selectFrom('heartbeats')
      .select(['device_id', (eb) => eb.fn.max('ts').as('ts')])
      .where('org_id', '=', orgId)
      .groupBy('device_id')
      .as('latest');
    return this.db
      .selectFrom('devices')
      .leftJoin('device_profiles', 'device_profiles.device_id', 'devices.id')
      .leftJoin(latest, 'latest.device_id', 'devices.id')
      .leftJoin('heartbeats', (j) =>
        j.onRef('heartbeats.device_id', '=', 'devices.id').onRef('heartbeats.ts', '=', 'latest.ts'),
      )
      .select([
        'devices.id as device_id',
        'devices.hostname',
        'devices.last_heartbeat_at',
        'heartbeats.ts',
        'heartbeats.cpu_pct',
        'heartbeats.mem_used_bytes',
        'heartbeats.mem_total_bytes',
        'heartbeats.disk_used_bytes',
        'heartbeats.disk_total_bytes',
        'heartbeats.uptime_s',
      ])
      .where('devices.org_id', '=', orgId)
      .where('devices.revoked_at', 'is', null)
      .where('device_profiles.retired_at', 'is', null)
      .execute() as Promise<DeviceFigures[]>;
  }
}
