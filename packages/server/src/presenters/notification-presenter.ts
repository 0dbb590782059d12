import { readJson } from '../db/json-column.ts';
import type { DeliveryRow } from '../repositories/notification-deliveries-repository.ts';
import type { DestinationRow } from '../repositories/notification-destinations-repository.ts';
import { isoTime } from './time.ts';

/** A webhook destination; its signing secret is never part of it (shown once, at creation or rotation). */
export function presentWebhook(d: DestinationRow) {
  return {
    id: d.id,
    name: d.name,
    url: d.url,
    event_types: readJson<string[]>(d.event_types, []),
    min_severity: d.min_severity,
    enabled: d.enabled === 1,
    created_by: d.created_by,
    created_at: isoTime(d.created_at),
    updated_at: isoTime(d.updated_at),
  };
}

/** An e-mail destination. */
export function presentEmailDestination(d: DestinationRow) {
  return {
    id: d.id,
    name: d.name,
    recipients: readJson<string[]>(d.recipients, []),
    event_types: readJson<string[]>(d.event_types, []),
    min_severity: d.min_severity,
    enabled: d.enabled === 1,
    created_by: d.created_by,
    created_at: isoTime(d.created_at),
    updated_at: isoTime(d.updated_at),
  };
}

/** One delivery of the log: what was sent, and how each attempt went. */
export function presentDelivery(d: DeliveryRow) {
  return {
    id: d.id,
    destination_id: d.destination_id,
    channel: d.channel,
    event_type: d.event_type,
    subject_id: d.subject_id,
    status: d.status,
    attempts: d.attempts,
    response_status: d.response_status,
    last_error: d.last_error,
    next_attempt_at: isoTime(d.next_attempt_at === null ? null : Number(d.next_attempt_at)),
    last_attempt_at: isoTime(d.last_attempt_at === null ? null : Number(d.last_attempt_at)),
    delivered_at: isoTime(d.delivered_at === null ? null : Number(d.delivered_at)),
    created_at: isoTime(Number(d.created_at)),
    payload: readJson<Record<string, unknown>>(d.payload, {}),
  };
}
