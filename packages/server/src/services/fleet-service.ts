import { uuidv7 } from '@harrier/schema';
import { readJson } from '../db/json-column.ts';
import { badRequest, notFound } from '../errors.ts';
import type { DeviceGroupRow, DeviceGroupsRepository } from '../repositories/device-groups-repository.ts';
import type { Device, DevicesRepository } from '../repositories/devices-repository.ts';
import type {
  FleetFilter,
  FleetRepository,
  FleetRow,
  HeartbeatPoint,
  LatestHeartbeat,
} from '../repositories/fleet-repository.ts';
import { deviceStatus } from './heartbeat-service.ts';
import { uniqueOr409 } from './unique-violation.ts';

export const RISK_LEVELS = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Risk points ranges [min, max) of each level. */
const RISK_RANGES: Record<RiskLevel, [number, number | undefined]> = {
  none: [0, 1],
  low: [1, 20],
  medium: [20, 50],
  high: [50, 80],
  critical: [80, undefined],
};

/** The risk score (0–100) and level of a device from its open-alert points. */
export function riskOf(points: number): { score: number; level: RiskLevel } {
  const score = Math.min(100, Math.max(0, Math.round(points)));
  const level = (Object.keys(RISK_RANGES) as RiskLevel[]).find((l) => {
    const [min, max] = RISK_RANGES[l];
    return score >= min && (max === undefined || score < max);
  });
  return { score, level: level ?? 'none' };
}

/** A device as the service hands it to presenters. */
export interface FleetDevice {
  row: FleetRow;
  tags: string[];
  status: 'online' | 'offline';
  openAlerts: number;
  risk: { score: number; level: RiskLevel };
  groups?: string[];
  heartbeat?: LatestHeartbeat | undefined;
}

export interface FleetQuery {
  status?: 'online' | 'offline' | undefined;
  os?: string | undefined;
  tag?: string | undefined;
  group?: string | undefined;
  risk?: RiskLevel | undefined;
  q?: string | undefined;
  retired?: boolean | undefined;
  sort?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface DeviceChanges {
  display_name?: string | null | undefined;
  owner?: string | null | undefined;
  location?: string | null | undefined;
  notes?: string | null | undefined;
  tags?: string[] | undefined;
}

export interface GroupInput {
  name: string;
  description?: string | null | undefined;
  kind: 'static' | 'tags';
  match_tags?: string[] | undefined;
  device_ids?: string[] | undefined;
}

function cursorOf(row: FleetRow): string {
  return Buffer.from(JSON.stringify([row.hostname, row.id]), 'utf8').toString('base64url');
}

function parseCursor(cursor: string | undefined): { hostname: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string')
      return { hostname: v[0], id: v[1] };
  } catch {
    // fall through
  }
  throw badRequest('invalid_cursor', 'The cursor is not valid.');
}

/** Normalizes tags: trimmed, non-empty, unique, in the order given. */
export function cleanTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t.length > 0))];
}

/** The fleet: listing with filters, detail, metadata edits, retirement, and device groups. */
export class FleetService {
  constructor(
    private readonly fleet: FleetRepository,
    private readonly groups: DeviceGroupsRepository,
    private readonly devices: DevicesRepository,
    private readonly offlineAfterSeconds: number,
  ) {}

  private view(row: FleetRow, now: number): FleetDevice {
    return {
      row,
      tags: readJson<string[]>(row.tags, []),
      status: deviceStatus(row.last_heartbeat_at, now, this.offlineAfterSeconds),
      openAlerts: Number(row.open_alerts ?? 0),
      risk: riskOf(Number(row.risk_points ?? 0)),
    };
  }

  /** One page of the fleet; `status` is derived from the heartbeat age at `now`. */
  async list(orgId: string, query: FleetQuery, now = Date.now()) {
    const filter: FleetFilter = {
      orgId,
      status: query.status,
      onlineSince: now - this.offlineAfterSeconds * 1000,
      os: query.os,
      tags: query.tag ? [query.tag] : [],
      search: query.q,
      retired: query.retired ?? false,
      sort: query.sort === '-hostname' ? '-hostname' : 'hostname',
      after: parseCursor(query.cursor),
      limit: query.limit,
    };
    if (query.group) {
      const group = await this.groups.get(orgId, query.group);
      if (!group) throw notFound('group_not_found', 'Device group not found.');
      if (group.kind === 'static') filter.staticGroupId = group.id;
      else filter.tags = [...(filter.tags ?? []), ...readJson<string[]>(group.match_tags, [])];
    }
    if (query.risk) {
      const [min, max] = RISK_RANGES[query.risk];
      filter.riskMin = min === 0 ? undefined : min;
      filter.riskMax = max;
    }
    const rows = await this.fleet.list(filter);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((r) => this.view(r, now)),
      nextCursor: rows.length > query.limit && last ? cursorOf(last) : null,
    };
  }

  /** A device with its groups and latest heartbeat figures; 404 outside the organization. */
  async get(orgId: string, id: string, now = Date.now()): Promise<FleetDevice> {
    const row = await this.fleet.get(orgId, id);
    if (!row) throw notFound('device_not_found', 'Device not found.');
    const view = this.view(row, now);
    view.groups = await this.fleet.groupIdsOf(orgId, id, view.tags);
    view.heartbeat = await this.fleet.latestHeartbeat(id);
    return view;
  }

  /** A device's heartbeats since `since`, oldest first; 404 for a device of another organization. */
  async heartbeats(orgId: string, id: string, since: number, limit: number): Promise<HeartbeatPoint[]> {
    const row = await this.fleet.get(orgId, id);
    if (!row) throw notFound('device_not_found', 'Device not found.');
    return (await this.fleet.heartbeatHistory(orgId, id, since, limit)).reverse();
  }

  /** Changes display name, owner, location, notes and tags. */
  async update(orgId: string, id: string, changes: DeviceChanges, now = Date.now()): Promise<FleetDevice> {
    await this.get(orgId, id, now);
    const deviceChanges: { display_name?: string | null; tags?: string } = {};
    if (changes.display_name !== undefined) deviceChanges.display_name = changes.display_name?.trim() || null;
    if (changes.tags !== undefined) deviceChanges.tags = JSON.stringify(cleanTags(changes.tags));
    await this.fleet.updateDevice(orgId, id, deviceChanges);
    const profile: { owner?: string | null; location?: string | null; notes?: string | null } = {};
    if (changes.owner !== undefined) profile.owner = changes.owner?.trim() || null;
    if (changes.location !== undefined) profile.location = changes.location?.trim() || null;
    if (changes.notes !== undefined) profile.notes = changes.notes?.trim() || null;
    if (Object.keys(profile).length > 0) await this.fleet.upsertProfile(orgId, id, profile, now);
    return this.get(orgId, id, now);
  }

  /**
   * Retires a device: it leaves the fleet lists (`?retired=true` shows it), its
   * credentials stop working at once, and nothing more is queued for it.
   */
  async retire(orgId: string, id: string, now = Date.now()): Promise<FleetDevice> {
    const device = await this.get(orgId, id, now);
    if (device.row.retired_at === null) {
      await this.fleet.upsertProfile(orgId, id, { retired_at: now }, now);
      if (device.row.revoked_at === null) await this.devices.revoke(id, now);
    }
    return this.get(orgId, id, now);
  }

  /** Adds an inventory entry for a host without an agent (seed 000's `POST /api/endpoints`). */
  async createInventoryEntry(
    orgId: string,
    input: { hostname: string; ip?: string | null; os?: string | null; tags?: string[] },
    now = Date.now(),
  ): Promise<FleetDevice> {
    const id = uuidv7(now);
    const device: Device = {
      id,
      org_id: orgId,
      hostname: input.hostname.trim(),
      external_id: null,
      display_name: null,
      os_name: input.os?.trim() || null,
      os_version: null,
      platform: null,
      agent_version: null,
      ip_address: input.ip?.trim() || null,
      tags: JSON.stringify(cleanTags(input.tags ?? [])),
      metadata: '{}',
      secret_version: 0,
      secret_generation: 0,
      enrollment_key_id: null,
      enrolled_at: null,
      revoked_at: null,
      first_seen_at: now,
      last_seen_at: null,
      last_heartbeat_at: null,
      created_at: now,
    };
    await this.devices.insert(device);
    return this.get(orgId, id, now);
  }

  /** Changes what seed 000 can change on an endpoint (hostname-independent fields). */
  async updateInventoryFields(
    orgId: string,
    id: string,
    input: { ip?: string | null; os?: string | null },
  ): Promise<void> {
    const changes: { ip_address?: string | null; os_name?: string | null } = {};
    if (input.ip !== undefined) changes.ip_address = input.ip?.trim() || null;
    if (input.os !== undefined) changes.os_name = input.os?.trim() || null;
    await this.fleet.updateDevice(orgId, id, changes);
  }

  /** Replaces the free-form metadata of a device (seed 000's endpoint status lives there). */
  async setMetadata(orgId: string, id: string, metadata: Record<string, unknown>): Promise<void> {
    await this.fleet.updateDevice(orgId, id, { metadata: JSON.stringify(metadata) });
  }

  /** Deletes an inventory entry; an enrolled device is retired instead (its history stays). */
  async remove(orgId: string, id: string, now = Date.now()): Promise<void> {
    await this.get(orgId, id, now);
    if (!(await this.fleet.deleteUnenrolled(orgId, id))) await this.retire(orgId, id, now);
  }

  // ---- groups ----

  listGroups(orgId: string): Promise<DeviceGroupRow[]> {
    return this.groups.list(orgId);
  }

  async getGroup(orgId: string, id: string): Promise<DeviceGroupRow & { member_count: number | null }> {
    const g = await this.groups.get(orgId, id);
    if (!g) throw notFound('group_not_found', 'Device group not found.');
    return { ...g, member_count: g.kind === 'static' ? await this.groups.memberCount(g.id) : null };
  }

  async createGroup(orgId: string, input: GroupInput, now = Date.now()) {
    const matchTags = cleanTags(input.match_tags ?? []);
    if (input.kind === 'tags' && matchTags.length === 0)
      throw badRequest('match_tags_required', 'A tag group needs at least one tag in match_tags.');
    const row: DeviceGroupRow = {
      id: uuidv7(now),
      org_id: orgId,
      name: input.name.trim(),
      description: input.description?.trim() || null,
      kind: input.kind,
      match_tags: JSON.stringify(input.kind === 'tags' ? matchTags : []),
      created_at: now,
      updated_at: now,
    };
    await uniqueOr409(() => this.groups.insert(row), 'group_exists', 'A device group with this name exists.');
    if (input.kind === 'static' && input.device_ids)
      await this.addMembers(orgId, row.id, input.device_ids, now);
    return this.getGroup(orgId, row.id);
  }

  async updateGroup(
    orgId: string,
    id: string,
    input: {
      name?: string | undefined;
      description?: string | null | undefined;
      match_tags?: string[] | undefined;
    },
    now = Date.now(),
  ) {
    const g = await this.getGroup(orgId, id);
    const changes: Partial<DeviceGroupRow> = { updated_at: now };
    if (input.name !== undefined) changes.name = input.name.trim();
    if (input.description !== undefined) changes.description = input.description?.trim() || null;
    if (input.match_tags !== undefined) {
      if (g.kind !== 'tags') throw badRequest('not_a_tag_group', 'Only a tag group has match_tags.');
      const tags = cleanTags(input.match_tags);
      if (tags.length === 0) throw badRequest('match_tags_required', 'A tag group needs at least one tag.');
      changes.match_tags = JSON.stringify(tags);
    }
    await uniqueOr409(
      () => this.groups.update(orgId, id, changes),
      'group_exists',
      'A device group with this name exists.',
    );
    return this.getGroup(orgId, id);
  }

  async deleteGroup(orgId: string, id: string): Promise<void> {
    if (!(await this.groups.delete(orgId, id))) throw notFound('group_not_found', 'Device group not found.');
  }

  async addMembers(orgId: string, groupId: string, deviceIds: readonly string[], now = Date.now()) {
    const g = await this.getGroup(orgId, groupId);
    if (g.kind !== 'static')
      throw badRequest('not_a_static_group', 'Members are added to static groups only.');
    const found = await this.groups.existingDevices(orgId, deviceIds);
    const missing = deviceIds.filter((d) => !found.includes(d));
    if (missing.length > 0) throw badRequest('unknown_devices', 'Some devices do not exist.', { missing });
    await this.groups.addMembers(orgId, groupId, found, now);
    return this.getGroup(orgId, groupId);
  }

  async removeMember(orgId: string, groupId: string, deviceId: string): Promise<void> {
    await this.getGroup(orgId, groupId);
    if (!(await this.groups.removeMember(orgId, groupId, deviceId)))
      throw notFound('member_not_found', 'The device is not a member of this group.');
  }
}
