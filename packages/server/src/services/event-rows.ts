import { createHash } from 'node:crypto';
import type { HarrierEvent } from '@harrier/schema';
import type { EventRow } from '../db/write-jobs.ts';

/** Longest text kept in a filterable column; the full value stays in `fields`. */
const COLUMN_TEXT_MAX = 8192;

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s =
    typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return s.length > COLUMN_TEXT_MAX ? s.slice(0, COLUMN_TEXT_MAX) : s;
}

function int(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? value : null;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
  return null;
}

/**
 * The stored row of a normalized event: Sigma fields that are filtered often
 * become real columns; the whole field map is kept as JSON.
 */
export function eventToRow(event: HarrierEvent, batchId: string | null): EventRow {
  const f = event.fields;
  return {
    id: event.id,
    org_id: event.org_id,
    device_id: event.device_id,
    ts: event.ts,
    received_at: event.received_at,
    source: event.source,
    product: event.logsource.product ?? null,
    category: event.logsource.category ?? null,
    service: event.logsource.service ?? null,
    event_code: int(f.EventID),
    severity: event.severity ?? null,
    title: event.title ?? null,
    hostname: text(f.Computer ?? f.Hostname ?? f.hostname),
    user_name: text(f.User ?? f.TargetUserName ?? f.SubjectUserName),
    image: text(f.Image),
    command_line: text(f.CommandLine),
    parent_image: text(f.ParentImage),
    target_filename: text(f.TargetFilename),
    source_ip: text(f.SourceIp ?? f.src_ip),
    destination_ip: text(f.DestinationIp ?? f.dst_ip),
    destination_port: int(f.DestinationPort ?? f.dst_port),
    fields: JSON.stringify(f),
    raw:
      event.raw === undefined ? null : typeof event.raw === 'string' ? event.raw : JSON.stringify(event.raw),
    batch_id: batchId,
  };
}

/**
 * A stable event id for an event the sender already identified: the same
 * sender id from the same device maps to the same row, so a resend in a
 * different batch is still stored once.
 */
export function stableEventId(deviceId: string, senderId: string): string {
  const h = createHash('sha256').update(deviceId).update('\0').update(senderId).digest('hex');
  // UUID layout with version 8 (custom) so it never collides with our v7 ids.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
