import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database, Dialect } from '../db/tables.ts';

/** Alert statuses that no longer count as open (detection's closed set). */
const CLOSED = ['resolved', 'false_positive', 'closed'];

/** A device row with its management profile, open-alert figures and latest heartbeat time. */
export interface FleetRow {
  id: string;
  org_id: string;
  hostname: string;
  display_name: string | null;
  external_id: string | null;
  os_name: string | null;
  os_version: string | null;
  platform: string | null;
  agent_version: string | null;
  ip_address: string | null;
  tags: unknown;
  metadata: unknown;
  enrolled_at: number | null;
  revoked_at: number | null;
  first_seen_at: number;
  last_seen_at: number | null;
  last_heartbeat_at: number | null;
  created_at: number;
  owner: string | null;
  location: string | null;
  notes: string | null;
  retired_at: number | null;
  open_alerts: number | string | null;
  risk_points: number | string | null;
}

export interface FleetFilter {
  orgId: string;
  /** `online`: last heartbeat at or after `onlineSince`; `offline`: none, or older. */
  status?: 'online' | 'offline' | undefined;
  onlineSince: number;
  /** Case-insensitive prefix of the OS name, or the exact platform. */
  os?: string | undefined;
  /** Every one of these tags. */
  tags?: string[] | undefined;
  /** Members of this static group. */
  staticGroupId?: string | undefined;
  /** Risk points range (see `riskPointsSql`): [min, max). */
  riskMin?: number | undefined;
  riskMax?: number | undefined;
  search?: string | undefined;
  retired: boolean;
  ids?: string[] | undefined;
  sort: 'hostname' | '-hostname';
  /** Keyset: after (hostname, id) in the sort order. */
  after?: { hostname: string; id: string } | undefined;
  limit: number;
}

/** One heartbeat's resource figures. */
export interface HeartbeatPoint {
  ts: number;
  cpu_pct: number | null;
  mem_used_bytes: number | null;
  mem_total_bytes: number | null;
  disk_used_bytes: number | null;
  disk_total_bytes: number | null;
  uptime_s: number | null;
}

export interface LatestHeartbeat extends HeartbeatPoint {
  agent_version: string | null;
  os_version: string | null;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Points of a device's open alerts: critical 40, high 20, medium 8, low 3,
 * informational 1 each (the risk score is this, capped at 100).
 */
export const RISK_WEIGHTS = [1, 3, 8, 20, 40] as const;

type DevicesEb = ExpressionBuilder<Database, 'devices'>;

/** True when the device's `tags` JSON array holds `tag` (jsonb containment, or json_each on SQLite). */
export function hasTag(dialect: Dialect, tag: string): Expression<SqlBool> {
  return dialect === 'postgres'
    ? sql<SqlBool>`devices.tags @> ${JSON.stringify([tag])}::jsonb`
    : sql<SqlBool>`exists (select 1 from json_each(devices.tags) where json_each.value = ${tag})`;
}

/** Queries over `devices` joined with management facts (profiles, groups, open alerts, heartbeats). */
export class FleetRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  private base(orgId: string) {
    return this.db
      .selectFrom('devices')
      .leftJoin('device_profiles', 'device_profiles.device_id', 'devices.id')
      .selectAll('devices')
      .select([
        'device_profiles.owner',
        'device_profiles.location',
        'device_profiles.notes',
        'device_profiles.retired_at',
      ])
      .select((eb) => [this.openAlerts(eb).as('open_alerts'), this.riskPoints(eb).as('risk_points')])
      .where('devices.org_id', '=', orgId);
  }

  private openAlerts(eb: DevicesEb) {
    return eb
      .selectFrom('alerts')
      .select((a) => a.fn.countAll<number>().as('n'))
      .whereRef('alerts.device_id', '=', 'devices.id')
      .where('alerts.status', 'not in', CLOSED);
  }

  private riskPoints(eb: DevicesEb) {
    const [info, low, medium, high, critical] = RISK_WEIGHTS;
    return eb
      .selectFrom('alerts')
      .select(
        sql<number>`coalesce(sum(case alerts.severity_rank when 4 then ${sql.lit(critical)} when 3 then ${sql.lit(high)} when 2 then ${sql.lit(medium)} when 1 then ${sql.lit(low)} else ${sql.lit(info)} end), 0)`.as(
          'p',
        ),
      )
      .whereRef('alerts.device_id', '=', 'devices.id')
      .where('alerts.status', 'not in', CLOSED);
  }

  /** One page of devices; fetches `limit + 1` rows so the caller knows whether more follow. */
  list(f: FleetFilter): Promise<FleetRow[]> {
    let q = this.base(f.orgId);
    q = f.retired
      ? q.where('device_profiles.retired_at', 'is not', null)
      : q.where('device_profiles.retired_at', 'is', null);
    if (f.status === 'online') q = q.where('devices.last_heartbeat_at', '>=', f.onlineSince);
    if (f.status === 'offline')
      q = q.where((eb) =>
        eb.or([
          eb('devices.last_heartbeat_at', 'is', null),
          eb('devices.last_heartbeat_at', '<', f.onlineSince),
        ]),
      );
    if (f.os) {
      const os = f.os.toLowerCase();
      q = q.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['devices.os_name']), 'like', `${escapeLike(os)}%`),
          eb(eb.fn('lower', ['devices.platform']), '=', os),
        ]),
      );
    }
    for (const tag of f.tags ?? []) q = q.where(hasTag(this.dialect, tag));
    if (f.staticGroupId) {
      const groupId = f.staticGroupId;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('device_group_members')
            .select('device_group_members.device_id')
            .whereRef('device_group_members.device_id', '=', 'devices.id')
            .where('device_group_members.group_id', '=', groupId),
        ),
      );
    }
    if (f.riskMin !== undefined) {
      const min = f.riskMin;
      q = q.where((eb) => eb(this.riskPoints(eb), '>=', min));
    }
    if (f.riskMax !== undefined) {
      const max = f.riskMax;
      q = q.where((eb) => eb(this.riskPoints(eb), '<', max));
    }
    if (f.search) {
      const pattern = `%${escapeLike(f.search.toLowerCase())}%`;
      q = q.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['devices.hostname']), 'like', pattern),
          eb(eb.fn('lower', [eb.fn.coalesce('devices.display_name', eb.val(''))]), 'like', pattern),
        ]),
      );
    }
    if (f.ids) q = q.where('devices.id', 'in', f.ids.length > 0 ? f.ids : ['']);
    const desc = f.sort === '-hostname';
    if (f.after) {
      const { hostname, id } = f.after;
      q = q.where((eb) =>
        eb.or([
          eb('devices.hostname', desc ? '<' : '>', hostname),
          eb.and([eb('devices.hostname', '=', hostname), eb('devices.id', desc ? '<' : '>', id)]),
        ]),
      );
    }
    return q
      .orderBy('devices.hostname', desc ? 'desc' : 'asc')
      .orderBy('devices.id', desc ? 'desc' : 'asc')
      .limit(f.limit + 1)
      .execute() as Promise<FleetRow[]>;
  }

  /** One device of the organization with its profile and alert figures. */
  get(orgId: string, id: string): Promise<FleetRow | undefined> {
    return this.base(orgId).where('devices.id', '=', id).executeTakeFirst() as Promise<FleetRow | undefined>;
  }

  /** The newest heartbeat of a device (its resource figures). */
  latestHeartbeat(deviceId: string): Promise<LatestHeartbeat | undefined> {
    return this.db
      .selectFrom('heartbeats')
      .select([
        'ts',
        'agent_version',
        'os_version',
        'uptime_s',
        'cpu_pct',
        'mem_used_bytes',
        'mem_total_bytes',
        'disk_used_bytes',
        'disk_total_bytes',
      ])
      .where('device_id', '=', deviceId)
      .orderBy('ts', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** A device's heartbeats at or after `since`, newest first (the console charts them). */
  heartbeatHistory(orgId: string, deviceId: string, since: number, limit: number): Promise<HeartbeatPoint[]> {
    return this.db
      .selectFrom('heartbeats')
      .select([
        'ts',
        'cpu_pct',
        'mem_used_bytes',
        'mem_total_bytes',
        'disk_used_bytes',
        'disk_total_bytes',
        'uptime_s',
      ])
      .where('org_id', '=', orgId)
      .where('device_id', '=', deviceId)
      .where('ts', '>=', since)
      .orderBy('ts', 'desc')
      .limit(limit)
      .execute();
  }

  /** Creates or changes the management profile of a device. */
  async upsertProfile(
    orgId: string,
    deviceId: string,
    changes: {
      owner?: string | null;
      location?: string | null;
      notes?: string | null;
      retired_at?: number | null;
    },
    now: number,
  ): Promise<void> {
    await this.db
      .insertInto('device_profiles')
      .values({
        device_id: deviceId,
        org_id: orgId,
        owner: changes.owner ?? null,
        location: changes.location ?? null,
        notes: changes.notes ?? null,
        retired_at: changes.retired_at ?? null,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('device_id').doUpdateSet({ ...changes, updated_at: now }))
      .execute();
  }

  /** Changes the fields of `devices` the console may edit. */
  async updateDevice(
    orgId: string,
    id: string,
    changes: {
      display_name?: string | null;
      tags?: string;
      ip_address?: string | null;
      os_name?: string | null;
      metadata?: string;
    },
  ): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await this.db
      .updateTable('devices')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  /** Removes a device that never enrolled (seed 000's endpoint inventory entries). */
  async deleteUnenrolled(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('devices')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('enrolled_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 1) {
      await this.db.deleteFrom('device_profiles').where('device_id', '=', id).execute();
      await this.db.deleteFrom('device_group_members').where('device_id', '=', id).execute();
      return true;
    }
    return false;
  }

  /** Ids of the groups a device belongs to: static memberships plus tag groups it matches. */
  async groupIdsOf(orgId: string, deviceId: string, tags: readonly string[]): Promise<string[]> {
    const groups = await this.db
      .selectFrom('device_groups')
      .leftJoin('device_group_members', (j) =>
        j
          .onRef('device_group_members.group_id', '=', 'device_groups.id')
          .on('device_group_members.device_id', '=', deviceId),
      )
      .select([
        'device_groups.id',
        'device_groups.kind',
        'device_groups.match_tags',
        'device_group_members.device_id',
      ])
      .where('device_groups.org_id', '=', orgId)
      .execute();
    const have = new Set(tags);
    return groups
      .filter((g) => {
        if (g.kind === 'static') return g.device_id !== null;
        const wanted = (
          typeof g.match_tags === 'string' ? JSON.parse(g.match_tags) : g.match_tags
        ) as string[];
        return wanted.length > 0 && wanted.every((t) => have.has(t));
      })
      .map((g) => g.id);
  }
}
