/**
 * Routes and shapes of the notifications API (packages/server/src/presenters/
 * notification-presenter.ts). A webhook's secret appears only in the answer
 * that created or rotated it.
 */
export const NOTIFICATION_PATHS = {
  webhooks: '/api/v1/notifications/webhooks',
  email: '/api/v1/notifications/email',
} as const;

export const NOTIFIABLE_EVENTS = [
  'alert.created',
  'alert.updated',
  'alert.escalated',
  'alert.assigned',
  'alert.deleted',
  'case.created',
  'case.updated',
  'device.status',
] as const;

export const DEFAULT_EVENTS = [
  'alert.created',
  'alert.escalated',
  'alert.assigned',
  'case.created',
  'case.updated',
] as const;

interface DestinationFields {
  id: string;
  name: string;
  event_types: string[];
  min_severity: string | null;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface WebhookRecord extends DestinationFields {
  url: string;
}

export interface EmailDestinationRecord extends DestinationFields {
  recipients: string[];
}

export interface DeliveryRecord {
  id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'failed' | string;
  attempts: number;
  response_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
}

/** Recipients typed as one line: commas, semicolons or spaces between addresses. */
export function parseRecipients(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
}
