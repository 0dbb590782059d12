import { type HarrierEvent, uuidv7 } from '@harrier/schema';
import type { EventRow, IngestWriter, NonceClaim } from '../db/write-jobs.ts';
import { badRequest, conflict, payloadTooLarge } from '../errors.ts';
import type { Device } from '../repositories/devices-repository.ts';
import type { EventPipeline } from './event-pipeline.ts';
import { eventToRow, stableEventId } from './event-rows.ts';
import { normalizeIngestElement } from './ingest-element.ts';
import { submitWrite } from './submit-write.ts';

export interface IngestRejection {
  index: number;
  code: string;
  message: string;
}

export interface IngestResult {
  batch_id: string;
  accepted: number;
  rejected: IngestRejection[];
}

/** Largest serialized field map of one event. */
const MAX_EVENT_BYTES = 256 * 1024;

const BATCH_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function productOf(device: Device): string | undefined {
  const p = (device.platform ?? device.os_name ?? '').toLowerCase();
  if (p.includes('windows')) return 'windows';
  if (p.includes('mac') || p.includes('darwin')) return 'macos';
  if (p.includes('linux')) return 'linux';
  return undefined;
}

/**
 * Harrier's native batch ingest: validates each event on its own (a bad event
 * is rejected with its index, the others are kept), stores the good ones with
 * the batch id and nonce in one transaction, and answers only after commit.
 */
export class NativeIngestService {
  constructor(
    private readonly writer: IngestWriter,
    private readonly pipeline: EventPipeline,
    private readonly maxBatchEvents: number,
  ) {}

  async ingest(
    device: Device,
    nonce: NonceClaim,
    batchId: unknown,
    events: unknown,
    receivedAt: number,
  ): Promise<{ result: IngestResult; stored: number; replayedBatch: boolean }> {
    if (typeof batchId !== 'string' || !BATCH_ID.test(batchId)) {
      throw badRequest(
        'invalid_batch_id',
        'batch_id must be 1–128 characters of letters, digits and . _ : -',
      );
    }
    if (!Array.isArray(events)) throw badRequest('invalid_batch', 'events must be an array.');
    if (events.length === 0) throw badRequest('empty_batch', 'The batch has no events.');
    if (events.length > this.maxBatchEvents) {
      throw payloadTooLarge(
        'too_many_events',
        `A batch holds at most ${this.maxBatchEvents} events; got ${events.length}.`,
        {
          max_events: this.maxBatchEvents,
        },
      );
    }
    const defaults = { product: productOf(device) };
    const rejected: IngestRejection[] = [];
    const accepted: HarrierEvent[] = [];
    const rows: EventRow[] = [];
    // A record sent twice in one batch (same stable id) is stored and evaluated once.
    const ids = new Set<string>();
    let repeated = 0;
    for (let i = 0; i < events.length; i++) {
      const r = normalizeIngestElement(events[i], defaults);
      if (!r.ok) {
        rejected.push({ index: i, code: r.error.code, message: r.error.message });
        continue;
      }
      const e = r.event as HarrierEvent;
      e.id = r.id ? stableEventId(device.id, r.id) : uuidv7(receivedAt);
      e.org_id = device.org_id;
      e.device_id = device.id;
      e.received_at = receivedAt;
      const row = eventToRow(e, batchId);
      if (row.fields.length > MAX_EVENT_BYTES) {
        rejected.push({
          index: i,
          code: 'event_too_large',
          message: `The event's fields serialize to ${row.fields.length} bytes; the limit is ${MAX_EVENT_BYTES}.`,
        });
        continue;
      }
      if (ids.has(e.id)) {
        repeated++;
        continue;
      }
      ids.add(e.id);
      accepted.push(e);
      rows.push(row);
    }
    const result: IngestResult = { batch_id: batchId, accepted: accepted.length + repeated, rejected };
    this.pipeline.admit();
    const outbox = this.pipeline.outbox(accepted);
    const outcome = await submitWrite(this.writer, {
      kind: 'events',
      outbox,
      nonce,
      batch: { deviceId: device.id, batchId, orgId: device.org_id, result: JSON.stringify(result) },
      events: rows,
      deviceSeen: { deviceId: device.id, at: receivedAt },
    });
    if (outcome.status === 'replay')
      throw conflict('nonce_reused', 'This nonce was already used; sign each request with a new one.');
    if (outcome.status === 'duplicate_batch') {
      return { result: JSON.parse(outcome.result) as IngestResult, stored: 0, replayedBatch: true };
    }
    // Events resent under a stable id were stored before (and evaluated then): only new ones go downstream.
    const existing = outcome.existingIds ? new Set(outcome.existingIds) : undefined;
    await this.pipeline.publish(existing ? accepted.filter((e) => !existing.has(e.id)) : accepted, outbox);
    return { result, stored: outcome.inserted, replayedBatch: false };
  }
}
