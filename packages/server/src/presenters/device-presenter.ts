import { readJson } from '../db/json-column.ts';
import type { DeviceGroupRow } from '../repositories/device-groups-repository.ts';
import type { HeartbeatPoint } from '../repositories/fleet-repository.ts';
import type { FleetDevice } from '../services/fleet-service.ts';
import { isoTime } from './time.ts';

function pct(used: number | null, total: number | null): number | null {
  return used === null || total === null || total <= 0 ? null : Math.round((used / total) * 1000) / 10;
}

/** A device in fleet lists (the console's `Endpoint`). */
export function presentDevice(d: FleetDevice) {
  const r = d.row;
  const lastSeen = Math.max(r.last_seen_at ?? 0, r.last_heartbeat_at ?? 0);
  return {
    id: r.id,
    hostname: r.hostname,
    display_name: r.display_name,
    status: d.status,
    os: { name: r.os_name, version: r.os_version, platform: r.platform },
    agent_version: r.agent_version,
    ip_address: r.ip_address,
    tags: d.tags,
    owner: r.owner,
    location: r.location,
    risk_score: d.risk.score,
    risk_level: d.risk.level,
    open_alerts: d.openAlerts,
    last_seen_at: isoTime(lastSeen > 0 ? lastSeen : null),
    last_heartbeat_at: isoTime(r.last_heartbeat_at),
    enrolled_at: isoTime(r.enrolled_at),
    first_seen_at: isoTime(r.first_seen_at),
    revoked: r.revoked_at !== null,
    retired_at: isoTime(r.retired_at),
  };
}

/** A device with its detail: notes, groups and the resource figures of the latest heartbeat. */
export function presentDeviceDetail(d: FleetDevice) {
  const h = d.heartbeat;
  return {
    ...presentDevice(d),
    notes: d.row.notes,
    external_id: d.row.external_id,
    metadata: readJson<Record<string, unknown>>(d.row.metadata, {}),
    groups: d.groups ?? [],
    resources: h
      ? {
          reported_at: isoTime(h.ts),
          cpu_pct: h.cpu_pct,
          memory_used_bytes: h.mem_used_bytes,
          memory_total_bytes: h.mem_total_bytes,
          memory_pct: pct(h.mem_used_bytes, h.mem_total_bytes),
          disk_used_bytes: h.disk_used_bytes,
          disk_total_bytes: h.disk_total_bytes,
          disk_pct: pct(h.disk_used_bytes, h.disk_total_bytes),
          uptime_s: h.uptime_s,
        }
      : null,
  };
}

/** One heartbeat of a device's history: time and resource use in percent. */
export function presentHeartbeatPoint(h: HeartbeatPoint) {
  return {
    ts: isoTime(h.ts)!,
    cpu_pct: h.cpu_pct,
    memory_pct: pct(h.mem_used_bytes, h.mem_total_bytes),
    disk_pct: pct(h.disk_used_bytes, h.disk_total_bytes),
    uptime_s: h.uptime_s,
  };
}

/** A device group. */
export function presentGroup(g: DeviceGroupRow & { member_count?: number | null }) {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    kind: g.kind,
    match_tags: readJson<string[]>(g.match_tags, []),
    member_count: g.member_count ?? null,
    created_at: isoTime(g.created_at),
    updated_at: isoTime(g.updated_at),
  };
}
