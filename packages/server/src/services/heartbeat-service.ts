import { uuidv7 } from '@harrier/schema';
import { type Static, Type } from '@sinclair/typebox';
import type { IngestWriter, NonceClaim } from '../db/write-jobs.ts';
import { conflict } from '../errors.ts';
import type { Device } from '../repositories/devices-repository.ts';
import { submitWrite } from './submit-write.ts';

const Str = (max: number) => Type.String({ maxLength: max });
const Num = Type.Number({ minimum: 0 });

/** The native heartbeat body. */
export const NativeHeartbeat = Type.Object(
  {
    agent_version: Type.Optional(Str(64)),
    hostname: Type.Optional(Str(255)),
    os: Type.Optional(
      Type.Object({
        name: Type.Optional(Str(128)),
        version: Type.Optional(Str(128)),
        platform: Type.Optional(Str(64)),
      }),
    ),
    uptime_s: Type.Optional(Num),
    cpu_pct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    mem_used_bytes: Type.Optional(Num),
    mem_total_bytes: Type.Optional(Num),
    disk_used_bytes: Type.Optional(Num),
    disk_total_bytes: Type.Optional(Num),
    spool_dropped: Type.Optional(Num),
    ts: Type.Optional(Str(64)),
  },
  { additionalProperties: true, maxProperties: 64 },
);
export type NativeHeartbeat = Static<typeof NativeHeartbeat>;

/** A device is online while its last heartbeat is younger than the offline threshold. */
export function deviceStatus(
  lastHeartbeatAt: number | null,
  now: number,
  offlineAfterSeconds: number,
): 'online' | 'offline' {
  return lastHeartbeatAt !== null && now - lastHeartbeatAt <= offlineAfterSeconds * 1000
    ? 'online'
    : 'offline';
}

/** Stores heartbeats and keeps the device's last-heartbeat time and inventory facts current. */
export class HeartbeatService {
  constructor(private readonly writer: IngestWriter) {}

  async record(
    device: Device,
    nonce: NonceClaim | undefined,
    body: NativeHeartbeat,
    receivedAt: number,
  ): Promise<void> {
    const reported = new Date(receivedAt).toISOString();
    const outcome = await submitWrite(this.writer, {
      kind: 'heartbeat',
      ...(nonce ? { nonce } : {}),
      row: {
        id: uuidv7(receivedAt),
        org_id: device.org_id,
        device_id: device.id,
        ts: receivedAt,
        received_at: receivedAt,
        reported_ts: reported,
        agent_version: body.agent_version ?? null,
        os_version: body.os?.version ?? null,
        uptime_s: body.uptime_s ?? null,
        cpu_pct: body.cpu_pct ?? null,
        mem_used_bytes: body.mem_used_bytes ?? null,
        mem_total_bytes: body.mem_total_bytes ?? null,
        disk_used_bytes: body.disk_used_bytes ?? null,
        disk_total_bytes: body.disk_total_bytes ?? null,
        data: JSON.stringify(body),
      },
      device: {
        id: device.id,
        agentVersion: body.agent_version ?? null,
        osName: body.os?.name ?? null,
        osVersion: body.os?.version ?? null,
        platform: body.os?.platform ?? null,
      },
    });
    if (outcome.status === 'replay')
      throw conflict('nonce_reused', 'This nonce was already used; sign each request with a new one.');
  }
}
