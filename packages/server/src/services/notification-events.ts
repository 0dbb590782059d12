import { parseSeverity, type Severity, severityAtLeast } from '@harrier/schema';
import type { DomainEvent, DomainEventType } from '../bus/domain-events.ts';
import { readJson } from '../db/json-column.ts';
import type { DestinationRow } from '../repositories/notification-destinations-repository.ts';

/** Event types a destination can ask for. */
export const NOTIFIABLE_EVENT_TYPES: readonly DomainEventType[] = [
  'alert.created',
  'alert.updated',
  'alert.escalated',
  'alert.assigned',
  'alert.deleted',
  'case.created',
  'case.updated',
  'device.status',
];

/** What a destination gets when its filter names no types: new alerts, escalations, assignments, cases. */
export const DEFAULT_EVENT_TYPES: readonly DomainEventType[] = [
  'alert.created',
  'alert.escalated',
  'alert.assigned',
  'case.created',
  'case.updated',
];

/** The event type of a "send test" delivery (never published on the bus). */
export const TEST_EVENT_TYPE = 'notification.test';

/** The JSON document a webhook receives (and an e-mail is rendered from). */
export interface NotificationPayload {
  id: string;
  type: string;
  organization_id: string;
  subject_id: string | null;
  occurred_at: string;
  actor_id: string | null;
  severity: Severity | null;
  data: Record<string, unknown>;
}

/** The payload of a domain event; `id` identifies the event across destinations. */
export function payloadOf(id: string, event: DomainEvent, severity: Severity | null): NotificationPayload {
  return {
    id,
    type: event.type,
    organization_id: event.orgId,
    subject_id: event.subjectId,
    occurred_at: new Date(event.at).toISOString(),
    actor_id: event.actorId,
    severity,
    data: event.data,
  };
}

/** The severity an event carries in its data, if any. */
export function severityOfEvent(event: DomainEvent): Severity | undefined {
  return parseSeverity(event.data.severity);
}

/**
 * True when the destination wants the event: its type is in the filter and its
 * severity is at or above the minimum (an event of unknown severity, such as a
 * device status change, passes a minimum only when the destination has none).
 */
export function destinationWants(
  destination: DestinationRow,
  type: string,
  severity: Severity | null | undefined,
): boolean {
  if (destination.enabled !== 1) return false;
  if (!readJson<string[]>(destination.event_types, []).includes(type)) return false;
  const min = parseSeverity(destination.min_severity);
  if (min === undefined) return true;
  return severity != null && severityAtLeast(severity, min);
}

/** Subject line and plain text of the e-mail for a payload; `personal` for the assignee's own mail. */
export function renderEmail(p: NotificationPayload, personal = false): { subject: string; text: string } {
  const title = typeof p.data.title === 'string' ? p.data.title : (p.subject_id ?? '');
  const sev = p.severity ? ` ${p.severity}` : '';
  const what: Record<string, string> = {
    'alert.created': `New${sev} alert`,
    'alert.updated': 'Alert updated',
    'alert.escalated': personal ? 'Alert escalated to you' : 'Alert escalated',
    'alert.assigned': personal ? 'Alert assigned to you' : 'Alert assigned',
    'alert.deleted': 'Alert deleted',
    'case.created': `New${sev} case`,
    'case.updated': 'Case updated',
    'device.status': `Device ${typeof p.data.status === 'string' ? p.data.status : 'status changed'}`,
    [TEST_EVENT_TYPE]: 'Test notification',
  };
  const subject = `[Harrier] ${what[p.type] ?? p.type}${title ? `: ${title}` : ''}`.slice(0, 250);
  const lines = [
    `${what[p.type] ?? p.type}${title ? `: ${title}` : ''}`,
    '',
    `Event:    ${p.type}`,
    `When:     ${p.occurred_at}`,
    ...(p.severity ? [`Severity: ${p.severity}`] : []),
    ...(p.subject_id ? [`Subject:  ${p.subject_id}`] : []),
  ];
  for (const [k, v] of Object.entries(p.data)) {
    if (k === 'title' || v === null || v === undefined || typeof v === 'object') continue;
    lines.push(`${`${k}:`.padEnd(10)}${String(v).slice(0, 500)}`);
  }
  return { subject, text: `${lines.join('\n')}\n` };
}
