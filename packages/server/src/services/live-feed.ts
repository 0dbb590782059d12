import type { DomainEvent, DomainEventType } from '../bus/domain-events.ts';
import type { Permission } from './permissions.ts';

/** What the live feed pushes, and the permission a subscriber needs to see each kind. */
const FEED_PERMISSION: Partial<Record<DomainEventType, Permission>> = {
  'alert.created': 'alerts:read',
  'alert.updated': 'alerts:read',
  'alert.escalated': 'alerts:read',
  'alert.assigned': 'alerts:read',
  'alert.deleted': 'alerts:read',
  'case.created': 'cases:read',
  'case.updated': 'cases:read',
  'device.status': 'devices:read',
};

/** One message of the live feed as the client receives it (JSON text frame). */
export interface FeedMessage {
  type: DomainEventType;
  subject_id: string;
  at: string;
  actor_id: string | null;
  data: Record<string, unknown>;
}

/**
 * The feed message for a subscriber of `orgId` holding `permissions`, or
 * undefined when the event is not theirs to see (another organization, or a
 * kind their role cannot read).
 */
export function feedMessageFor(
  event: DomainEvent,
  orgId: string,
  permissions: readonly Permission[],
): FeedMessage | undefined {
  if (event.orgId !== orgId) return undefined;
  const needed = FEED_PERMISSION[event.type];
  if (!needed || !permissions.includes(needed)) return undefined;
  return {
    type: event.type,
    subject_id: event.subjectId,
    at: new Date(event.at).toISOString(),
    actor_id: event.actorId,
    data: event.data,
  };
}
