import { parseSeverity, type Severity, uuidv7 } from '@harrier/schema';
import { readJson } from '../db/json-column.ts';
import { badRequest, notFound } from '../errors.ts';
import type {
  DeliveryRow,
  NotificationDeliveriesRepository,
} from '../repositories/notification-deliveries-repository.ts';
import type {
  DestinationKind,
  DestinationRow,
  NotificationDestinationsRepository,
} from '../repositories/notification-destinations-repository.ts';
import type { NotificationDeliveryWorker } from './notification-delivery-worker.ts';
import { DEFAULT_EVENT_TYPES, NOTIFIABLE_EVENT_TYPES, TEST_EVENT_TYPE } from './notification-events.ts';
import { parseWebhookUrl, resolveWebhookHost } from './webhook-address-guard.ts';
import { deriveWebhookSecret } from './webhook-signature.ts';

export interface DestinationInput {
  name?: string | undefined;
  url?: string | undefined;
  recipients?: string[] | undefined;
  event_types?: string[] | undefined;
  min_severity?: string | null | undefined;
  enabled?: boolean | undefined;
}

const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/** Webhook and e-mail destinations of an organization, their delivery log and "send test". */
export class NotificationService {
  constructor(
    private readonly destinations: NotificationDestinationsRepository,
    private readonly deliveries: NotificationDeliveriesRepository,
    private readonly worker: NotificationDeliveryWorker,
    private readonly serverSecret: string,
    private readonly allowPrivate: boolean,
  ) {}

  list(orgId: string, kind: DestinationKind): Promise<DestinationRow[]> {
    return this.destinations.list(orgId, kind);
  }

  async get(orgId: string, kind: DestinationKind, id: string): Promise<DestinationRow> {
    const row = await this.destinations.get(orgId, kind, id);
    if (!row)
      throw notFound(
        'destination_not_found',
        `No such ${kind === 'email' ? 'e-mail' : 'webhook'} destination.`,
      );
    return row;
  }

  /** Creates a destination; a webhook's signing secret is returned here and never again. */
  async create(
    orgId: string,
    userId: string | null,
    kind: DestinationKind,
    input: DestinationInput,
    now = Date.now(),
  ): Promise<{ row: DestinationRow; secret: string | undefined }> {
    const row: DestinationRow = {
      id: uuidv7(now),
      org_id: orgId,
      kind,
      name: (input.name ?? '').trim(),
      url: null,
      secret_generation: 1,
      recipients: '[]',
      event_types: JSON.stringify(eventTypes(input.event_types) ?? DEFAULT_EVENT_TYPES),
      min_severity: minSeverity(input.min_severity) ?? null,
      enabled: input.enabled === false ? 0 : 1,
      created_by: userId,
      created_at: now,
      updated_at: now,
    };
    if (row.name === '') throw badRequest('validation_failed', 'Give the destination a name.');
    if (kind === 'webhook') {
      if (input.url === undefined) throw badRequest('validation_failed', 'A webhook needs a url.');
      row.url = await this.checkedUrl(input.url);
    } else {
      if (input.recipients === undefined)
        throw badRequest('validation_failed', 'An e-mail destination needs recipients.');
      row.recipients = JSON.stringify(recipients(input.recipients));
    }
    await this.destinations.insert(row);
    return { row, secret: kind === 'webhook' ? this.secretOf(row) : undefined };
  }

  async update(
    orgId: string,
    kind: DestinationKind,
    id: string,
    input: DestinationInput,
    now = Date.now(),
  ): Promise<DestinationRow> {
    const current = await this.get(orgId, kind, id);
    const changes: Partial<DestinationRow> = { updated_at: now };
    if (input.name !== undefined) {
      if (input.name.trim() === '') throw badRequest('validation_failed', 'Give the destination a name.');
      changes.name = input.name.trim();
    }
    if (input.url !== undefined) {
      if (kind !== 'webhook') throw badRequest('validation_failed', 'Only webhooks have a url.');
      changes.url = await this.checkedUrl(input.url);
    }
    if (input.recipients !== undefined) {
      if (kind !== 'email')
        throw badRequest('validation_failed', 'Only e-mail destinations have recipients.');
      changes.recipients = JSON.stringify(recipients(input.recipients));
    }
    const types = eventTypes(input.event_types);
    if (types) changes.event_types = JSON.stringify(types);
    if (input.min_severity !== undefined) changes.min_severity = minSeverity(input.min_severity) ?? null;
    if (input.enabled !== undefined) changes.enabled = input.enabled ? 1 : 0;
    await this.destinations.update(orgId, id, changes);
    return { ...current, ...changes };
  }

  async delete(orgId: string, kind: DestinationKind, id: string): Promise<void> {
    await this.get(orgId, kind, id);
    await this.destinations.delete(orgId, id);
  }

  /** A new signing secret for a webhook (the old one stops working at once); returned once. */
  async rotateSecret(
    orgId: string,
    id: string,
    now = Date.now(),
  ): Promise<{ row: DestinationRow; secret: string }> {
    const current = await this.get(orgId, 'webhook', id);
    const row = { ...current, secret_generation: current.secret_generation + 1, updated_at: now };
    await this.destinations.update(orgId, id, {
      secret_generation: row.secret_generation,
      updated_at: now,
    });
    return { row, secret: this.secretOf(row) };
  }

  /** The destination's delivery log, newest first. */
  async log(
    orgId: string,
    kind: DestinationKind,
    id: string,
    f: { status?: string | undefined; before?: string | undefined; limit: number },
  ): Promise<DeliveryRow[]> {
    await this.get(orgId, kind, id);
    return this.deliveries.listForDestination({ orgId, destinationId: id, ...f });
  }

  /** Sends a test notification now (one attempt, kept in the log) and returns its delivery. */
  async sendTest(orgId: string, kind: DestinationKind, id: string, actorId: string | null, now = Date.now()) {
    const destination = await this.get(orgId, kind, id);
    const deliveryId = uuidv7(now);
    const row: DeliveryRow = {
      id: deliveryId,
      org_id: orgId,
      destination_id: destination.id,
      channel: kind,
      event_type: TEST_EVENT_TYPE,
      subject_id: null,
      recipients: JSON.stringify(kind === 'email' ? recipientsOf(destination) : []),
      payload: JSON.stringify({
        id: deliveryId,
        type: TEST_EVENT_TYPE,
        organization_id: orgId,
        subject_id: null,
        occurred_at: new Date(now).toISOString(),
        actor_id: actorId,
        severity: null,
        data: { title: `Test of "${destination.name}"`, destination_id: destination.id },
      }),
      status: 'pending',
      // Not picked up by the worker's queue: this request makes the one attempt itself.
      attempts: 0,
      next_attempt_at: null,
      last_attempt_at: null,
      response_status: null,
      last_error: null,
      created_at: now,
      delivered_at: null,
    };
    await this.deliveries.insertMany([row]);
    return this.worker.attempt(row, now);
  }

  private secretOf(row: DestinationRow): string {
    return deriveWebhookSecret(this.serverSecret, row.id, row.secret_generation);
  }

  /** Checks the URL and where its host resolves now; 400 for a refused address. */
  private async checkedUrl(raw: string): Promise<string> {
    const url = parseWebhookUrl(raw.trim());
    await resolveWebhookHost(url, this.allowPrivate);
    return url.href;
  }
}

function eventTypes(types: string[] | undefined): string[] | undefined {
  if (types === undefined) return undefined;
  const unknown = types.filter((t) => !(NOTIFIABLE_EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0)
    throw badRequest('unknown_event_type', `Unknown event type: ${unknown.join(', ')}.`, {
      allowed: NOTIFIABLE_EVENT_TYPES,
    });
  if (types.length === 0) throw badRequest('validation_failed', 'Name at least one event type.');
  return [...new Set(types)];
}

function minSeverity(value: string | null | undefined): Severity | null | undefined {
  if (value === undefined || value === null) return value;
  const s = parseSeverity(value);
  if (!s)
    throw badRequest(
      'validation_failed',
      'min_severity must be informational, low, medium, high or critical.',
    );
  return s;
}

function recipients(list: string[]): string[] {
  const cleaned = [...new Set(list.map((r) => r.trim().toLowerCase()))];
  if (cleaned.length === 0) throw badRequest('validation_failed', 'Name at least one recipient.');
  const bad = cleaned.filter((r) => !EMAIL.test(r));
  if (bad.length > 0) throw badRequest('invalid_recipient', `Not an e-mail address: ${bad.join(', ')}.`);
  return cleaned;
}

/** Recipients as stored (for presenters). */
export function recipientsOf(row: DestinationRow): string[] {
  return readJson<string[]>(row.recipients, []);
}
