import type { ResultValue } from '@harrier/query';
import { readJson } from '../db/json-column.ts';
import type { EventRecord } from '../repositories/events-repository.ts';
import { isoTime } from './time.ts';

/** A stored event as the events explorer shows it (the list and the detail share one shape). */
export interface PresentedEvent {
  id: string;
  time: string | null;
  received_at: string | null;
  device_id: string | null;
  source: string | null;
  logsource: { product: string | null; category: string | null; service: string | null };
  event_id: number | null;
  severity: string | null;
  title: string | null;
  computer: string | null;
  user: string | null;
  image: string | null;
  command_line: string | null;
  parent_image: string | null;
  target_filename: string | null;
  source_ip: string | null;
  destination_ip: string | null;
  destination_port: number | null;
  fields: Record<string, unknown>;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : v == null ? null : String(v));
const num = (v: unknown): number | null => (typeof v === 'number' ? v : v == null ? null : Number(v));

/** One row of the explorer page, from the quick filter's columns (catalog names). */
export function presentExplorerEvent(row: Record<string, ResultValue>): PresentedEvent {
  return {
    id: String(row.Id),
    time: isoTime(num(row.Timestamp)),
    received_at: isoTime(num(row.ReceivedAt)),
    device_id: str(row.DeviceId),
    source: str(row.Source),
    logsource: { product: str(row.Product), category: str(row.Category), service: str(row.Service) },
    event_id: num(row.EventID),
    severity: str(row.Severity),
    title: str(row.Title),
    computer: str(row.Computer),
    user: str(row.User),
    image: str(row.Image),
    command_line: str(row.CommandLine),
    parent_image: str(row.ParentImage),
    target_filename: str(row.TargetFilename),
    source_ip: str(row.SourceIp),
    destination_ip: str(row.DestinationIp),
    destination_port: num(row.DestinationPort),
    fields: readJson<Record<string, unknown>>(row.Fields, {}),
  };
}

/** `GET /api/v1/events/{id}`: the explorer shape plus the original record when one was kept. */
export function presentEvent(e: EventRecord): PresentedEvent & { raw: unknown; batch_id: string | null } {
  return {
    id: e.id,
    time: isoTime(e.ts),
    received_at: isoTime(e.received_at),
    device_id: e.device_id,
    source: e.source,
    logsource: { product: e.product, category: e.category, service: e.service },
    event_id: e.event_code,
    severity: e.severity,
    title: e.title,
    computer: e.hostname,
    user: e.user_name,
    image: e.image,
    command_line: e.command_line,
    parent_image: e.parent_image,
    target_filename: e.target_filename,
    source_ip: e.source_ip,
    destination_ip: e.destination_ip,
    destination_port: e.destination_port,
    fields: readJson<Record<string, unknown>>(e.fields, {}),
    raw: e.raw === null ? null : readJson<unknown>(e.raw, e.raw),
    batch_id: e.batch_id,
  };
}
