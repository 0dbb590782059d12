import { readJson } from '../db/json-column.ts';
import type { HandoverItem, HandoverRow } from '../repositories/handovers-repository.ts';
import { isoTime } from './time.ts';

/** A handover with the open work it passed on and how its e-mail went. */
export function presentHandover(h: HandoverRow) {
  return {
    id: h.id,
    author_id: h.author_id,
    shift_start: isoTime(h.shift_start),
    shift_end: isoTime(h.shift_end),
    notes: h.notes,
    recipients: readJson<string[]>(h.recipients, []),
    open_alerts: readJson<HandoverItem[]>(h.open_alerts, []),
    open_cases: readJson<HandoverItem[]>(h.open_cases, []),
    delivery: { status: h.delivery_status, error: h.delivery_error, sent_at: isoTime(h.sent_at) },
    created_at: isoTime(h.created_at),
  };
}
