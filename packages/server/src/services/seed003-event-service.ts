import { type HarrierEvent, type Severity, uuidv7 } from '@harrier/schema';
import type { IngestWriter } from '../db/write-jobs.ts';
import type { EventPipeline } from './event-pipeline.ts';
import { eventToRow } from './event-rows.ts';
import { submitWrite } from './submit-write.ts';

/** Seed 003's SecurityEvent as submitted by an authenticated user. */
export interface Seed003EventInput {
  source: string;
  event_type: string;
  severity: Severity;
  description: string;
}

/**
 * Seed 003's `POST /api/events/`: an event an analyst submits. It is stored
 * through the writer and handed to detection like any ingested event, so an
 * event at or above HARRIER_ALERT_MIN_EVENT_SEVERITY raises an alert (the
 * seed's auto-alert for HIGH and CRITICAL) and rules see it too.
 */
export class Seed003EventService {
  constructor(
    private readonly writer: IngestWriter,
    private readonly pipeline: EventPipeline,
  ) {}

  async submit(orgId: string, input: Seed003EventInput, now: number): Promise<HarrierEvent> {
    const event: HarrierEvent = {
      id: uuidv7(now),
      org_id: orgId,
      device_id: null,
      ts: now,
      received_at: now,
      source: 'seed003',
      logsource: { product: 'seed003', category: input.event_type },
      fields: { source: input.source, event_type: input.event_type, description: input.description },
      severity: input.severity,
      title: input.description.slice(0, 200) || input.event_type,
    };
    this.pipeline.admit();
    const outbox = this.pipeline.outbox([event]);
    await submitWrite(this.writer, { kind: 'events', events: [eventToRow(event, null)], outbox });
    await this.pipeline.publish([event], outbox);
    return event;
  }
}
