import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';

export interface LatestHeartbeat {
  device_id: string;
  agent_id: string;
  reported_ts: string;
  agent_version: string | null;
  os_version: string | null;
  uptime_s: number | null;
  received_at: number;
}

/** Queries on `heartbeats`. */
export class HeartbeatsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The newest heartbeat of each device of an org received after `since`, newest first. */
  latestPerDevice(
    orgId: string,
    since: number,
    limit: number,
    deviceId?: string,
  ): Promise<LatestHeartbeat[]> {
    let latest = this.db
      .selectFrom('heartbeats')
      .select(['device_id', (eb) => eb.fn.max('received_at').as('max_received')])
      .where('org_id', '=', orgId)
      .where('received_at', '>', since)
      .groupBy('device_id');
    if (deviceId) latest = latest.where('device_id', '=', deviceId);
    return this.db
      .selectFrom('heartbeats as h')
      .innerJoin(latest.as('l'), (j) =>
        j.onRef('l.device_id', '=', 'h.device_id').onRef('l.max_received', '=', 'h.received_at'),
      )
      .innerJoin('devices as d', 'd.id', 'h.device_id')
      .select([
        'h.device_id',
        (eb) => eb.fn.coalesce('d.external_id', 'd.hostname').as('agent_id'),
        'h.reported_ts',
        'h.agent_version',
        'h.os_version',
        'h.uptime_s',
        'h.received_at',
      ])
      .orderBy('h.received_at', 'desc')
      .limit(limit)
      .execute() as Promise<LatestHeartbeat[]>;
  }
}
