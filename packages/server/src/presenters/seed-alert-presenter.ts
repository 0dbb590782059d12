import { readJson } from '../db/json-column.ts';
import type { AlertRow } from '../repositories/alerts-repository.ts';
import type { StoredEventRow } from '../repositories/detection-events-repository.ts';
import { eventTypeOf, SEVERITY_SCORES } from '../services/decision-facts.ts';
import type { AlertWithEvent } from '../services/seed-alert-reader.ts';
import { isoTime } from './time.ts';

/** Seed 003's three statuses over our lifecycle. */
export function seed003Status(status: string): 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED' {
  if (status === 'open') return 'OPEN';
  if (status === 'acknowledged' || status === 'in_progress') return 'ACKNOWLEDGED';
  return 'RESOLVED';
}

/** Our statuses each of seed 003's covers (its filter). */
export const SEED003_STATUS_FILTER: Readonly<Record<string, string[]>> = {
  OPEN: ['open'],
  ACKNOWLEDGED: ['acknowledged', 'in_progress'],
  RESOLVED: ['resolved', 'false_positive', 'closed'],
};

/** Seed 003 has no informational: it reads as LOW. */
export function seed003Severity(severity: string | null | undefined): string {
  const s = (severity ?? 'medium').toUpperCase();
  return s === 'INFORMATIONAL' ? 'LOW' : s;
}

/** Seed 003's SecurityEvent of an alert: the submitted fields, or what our event model knows. */
export function presentSeed003Event(e: StoredEventRow | undefined, alert?: AlertRow) {
  const fields = readJson<Record<string, unknown>>(e?.fields, {});
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    id: e?.id ?? null,
    source: str(fields.source) ?? e?.source ?? 'harrier',
    event_type: str(fields.event_type) ?? e?.category ?? alert?.kind ?? null,
    severity: seed003Severity(e?.severity ?? alert?.severity),
    description: str(fields.description) ?? e?.title ?? alert?.title ?? '',
    timestamp: isoTime(e ? Number(e.ts) : alert ? Number(alert.first_seen) : null),
  };
}

/** Seed 003's Alert: `{id, event, event_details, status, created_at}`. */
export function presentSeed003Alert({ alert, event }: AlertWithEvent) {
  return {
    id: alert.id,
    event: event?.id ?? null,
    event_details: presentSeed003Event(event, alert),
    status: seed003Status(alert.status),
    created_at: isoTime(alert.created_at),
  };
}

/** Seed 000's AlertOut: `{id, event_id, agent_id, event_type, score, severity, source, details, timestamp}`. */
export function presentSeed000Alert({ alert, event }: AlertWithEvent) {
  const details = readJson<Record<string, unknown>>(alert.details, {});
  return {
    id: alert.id,
    event_id: event?.id ?? readJson<string[]>(alert.matched_event_ids, [])[0] ?? null,
    agent_id: alert.device_id,
    event_type: seed000EventType(alert, event),
    score: seed000Score(alert),
    severity: alert.severity,
    source: typeof details.source === 'string' ? details.source : alert.kind,
    details,
    timestamp: isoTime(alert.created_at),
  };
}

export function seed000EventType(alert: AlertRow, event: StoredEventRow | undefined): string {
  const details = readJson<Record<string, unknown>>(alert.details, {});
  return typeof details.event_type === 'string'
    ? details.event_type
    : eventTypeOf(event?.category, alert.kind);
}

export function seed000Score(alert: AlertRow): number {
  const details = readJson<Record<string, unknown>>(alert.details, {});
  return typeof details.score === 'number' ? details.score : (SEVERITY_SCORES[alert.severity] ?? 50);
}

/** Seed 004's statuses: ours collapse to open, in_progress and closed. */
export function seed004Status(status: string): 'open' | 'in_progress' | 'closed' {
  if (status === 'open') return 'open';
  if (status === 'acknowledged' || status === 'in_progress') return 'in_progress';
  return 'closed';
}

/** Seed 004's Alert. `owner_id` stays null: every alert of the organization is visible (the seed hid unowned ones). */
export function presentSeed004Alert({ alert, event }: AlertWithEvent) {
  const details = readJson<Record<string, unknown>>(alert.details, {});
  const fields = readJson<Record<string, unknown>>(event?.fields, {});
  const str = (...vs: unknown[]) => vs.find((v): v is string => typeof v === 'string') ?? null;
  return {
    id: alert.id,
    title: alert.title,
    description: str(details.description, alert.rule_title),
    source: str(details.source, alert.kind === 'rule' ? 'DetectionRule' : alert.kind),
    category: str(details.category, event?.category, 'event'),
    severity: alert.severity === 'informational' ? 'low' : alert.severity,
    status: seed004Status(alert.status),
    url: str(details.url, fields.url),
    sender: str(details.sender, fields.sender),
    username: str(details.username, fields.User, fields.username),
    hostname: str(details.hostname, fields.Computer, fields.hostname),
    created_at: isoTime(alert.created_at),
    updated_at: isoTime(alert.updated_at),
    owner_id: null,
    assigned_to: alert.assignee_user_id,
    conclusion: alert.conclusion,
  };
}
