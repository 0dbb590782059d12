import { parseSeverity, type Severity, uuidv7 } from '@harrier/schema';
import type { DomainEvent, DomainEventBus } from '../bus/domain-events.ts';
import { readJson } from '../db/json-column.ts';
import type {
  DeliveryRow,
  NotificationDeliveriesRepository,
} from '../repositories/notification-deliveries-repository.ts';
import type { NotificationDestinationsRepository } from '../repositories/notification-destinations-repository.ts';
import { destinationWants, payloadOf, severityOfEvent } from './notification-events.ts';

export interface DispatcherDeps {
  destinations: NotificationDestinationsRepository;
  deliveries: NotificationDeliveriesRepository;
  /** The severity of an alert when the event does not carry it. */
  alertSeverity(orgId: string, alertId: string): Promise<Severity | undefined>;
  /** The e-mail of an active user of the organization, if any. */
  userEmail(orgId: string, userId: string): Promise<string | undefined>;
  /** The e-mails of the active members of a work group of the organization. */
  groupEmails(orgId: string, groupId: string): Promise<string[]>;
  /** Called after deliveries were queued (the worker sends them now). */
  queued(): void;
}

/**
 * Turns committed domain events into queued deliveries: one per destination
 * whose filter wants the event, and an e-mail to whoever an alert was assigned
 * or escalated to. Events that came from another process through the bus bridge are skipped:
 * the process that published them queued their deliveries already.
 */
export class NotificationDispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  subscribe(bus: DomainEventBus): () => void {
    return bus.subscribe(async (event) => {
      if (!event.remote) await this.dispatch(event);
    });
  }

  /** Queues the deliveries of one event; returns them. */
  async dispatch(event: DomainEvent, now = Date.now()): Promise<DeliveryRow[]> {
    const severity = await this.severityOf(event);
    const payload = payloadOf(uuidv7(now), event, severity ?? null);
    const body = JSON.stringify(payload);
    const rows: DeliveryRow[] = [];
    const row = (channel: string, destinationId: string | null, recipients: string[]): DeliveryRow => ({
      id: uuidv7(now),
      org_id: event.orgId,
      destination_id: destinationId,
      channel,
      event_type: event.type,
      subject_id: event.subjectId,
      recipients: JSON.stringify(recipients),
      payload: body,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      last_attempt_at: null,
      response_status: null,
      last_error: null,
      created_at: now,
      delivered_at: null,
    });
    for (const d of await this.deps.destinations.listEnabled(event.orgId)) {
      if (!destinationWants(d, event.type, severity)) continue;
      rows.push(row(d.kind, d.id, d.kind === 'email' ? readJson<string[]>(d.recipients, []) : []));
    }
    const personal = await this.assigneeEmails(event);
    if (personal.length > 0) rows.push(row('email', null, personal));
    await this.deps.deliveries.insertMany(rows);
    if (rows.length > 0) this.deps.queued();
    return rows;
  }

  /**
   * Who gets a personal e-mail: the user an alert was assigned or escalated to,
   * else the members of the work group it went to; never the person who did it.
   */
  private async assigneeEmails(event: DomainEvent): Promise<string[]> {
    if (event.type !== 'alert.assigned' && event.type !== 'alert.escalated') return [];
    const { assigneeUserId, assigneeGroupId } = event.data;
    let emails: string[] = [];
    if (typeof assigneeUserId === 'string') {
      if (assigneeUserId === event.actorId) return [];
      const email = await this.deps.userEmail(event.orgId, assigneeUserId);
      emails = email ? [email] : [];
    } else if (typeof assigneeGroupId === 'string') {
      emails = await this.deps.groupEmails(event.orgId, assigneeGroupId);
      if (event.actorId) {
        const own = await this.deps.userEmail(event.orgId, event.actorId);
        emails = emails.filter((e) => e !== own);
      }
    }
    return emails;
  }

  private async severityOf(event: DomainEvent): Promise<Severity | undefined> {
    const carried = severityOfEvent(event);
    if (carried) return carried;
    if (event.type.startsWith('alert.') && event.type !== 'alert.deleted')
      return parseSeverity(await this.deps.alertSeverity(event.orgId, event.subjectId));
    return undefined;
  }
}
