import {
  type HarrierEvent,
  normalizeShipperItems,
  type ShipperItem,
  type ShipperItemResult,
} from '@harrier/schema';
import type { EventRow, IngestWriter } from '../db/write-jobs.ts';
import { HarrierError, payloadTooLarge, serviceUnavailable } from '../errors.ts';
import type { AgentKeyService } from './agent-key-service.ts';
import type { EventPipeline } from './event-pipeline.ts';
import { eventToRow, stableEventId } from './event-rows.ts';
import { submitWrite } from './submit-write.ts';

/** Where the events of a host go: the organization, and the device name they are filed under. */
export interface ShipperTarget {
  orgId: string;
  host: string;
}

/**
 * Decides the organization and device of each event from the host it names (undefined when
 * the line names none) and the index of the item it came from; undefined drops the event.
 */
export type ShipperRouter = (host: string | undefined, item: number) => ShipperTarget | undefined;

/** The outcome of one item, in the order the items were sent. */
export type ShipperItemOutcome =
  | { ok: true; eventIds: string[] }
  | { ok: false; code: string; message: string };

export interface ShipperIngestResult {
  items: ShipperItemOutcome[];
  /** Events accepted (stored now or already stored by an earlier send). */
  accepted: number;
  /** Rows newly written. */
  stored: number;
}

/** Largest serialized field map of one event (as for native ingest). */
const MAX_EVENT_BYTES = 256 * 1024;
/** Longest host name used as a device name. */
const MAX_HOST_LENGTH = 255;
/** How long a host → device lookup is remembered. */
const DEVICE_CACHE_MS = 60_000;
const DEVICE_CACHE_MAX = 10_000;

/**
 * Ingest for log shippers (HTTP bulk, syslog-ng http(), journal-upload, syslog listeners):
 * normalizes a batch of items, files each event under the device of the host it names
 * (created on first sight), stores the batch in one transaction and answers after the commit.
 * Event ids derive from the record (journal cursor, Windows record id, the line itself), so a
 * shipper that resends a batch after a timeout does not store anything twice.
 */
export class ShipperIngestService {
  private readonly devices = new Map<string, { id: string; until: number }>();

  constructor(
    private readonly writer: IngestWriter,
    private readonly pipeline: EventPipeline,
    private readonly agentKeys: AgentKeyService,
    /** Most records in one batch (HARRIER_MAX_BATCH_EVENTS). */
    readonly maxBatchEvents: number,
  ) {}

  /** Normalizes items without storing them (the syslog listener inspects them first). */
  normalize(items: readonly ShipperItem[], now: number): ShipperItemResult[] {
    if (items.length > this.maxBatchEvents) {
      throw payloadTooLarge(
        'too_many_events',
        `A batch holds at most ${this.maxBatchEvents} records; got ${items.length}.`,
        { max_events: this.maxBatchEvents },
      );
    }
    return normalizeShipperItems(items, now);
  }

  /** Normalizes and stores one batch; see {@link store}. */
  async ingest(
    items: readonly ShipperItem[],
    router: ShipperRouter,
    receivedAt: number,
  ): Promise<ShipperIngestResult> {
    return this.store(this.normalize(items, receivedAt), router, receivedAt);
  }

  /**
   * Stores normalized items. Resolves after the commit; a full or failed store is a 503
   * (nothing acknowledged, the shipper retries).
   */
  async store(
    results: ShipperItemResult[],
    router: ShipperRouter,
    receivedAt: number,
  ): Promise<ShipperIngestResult> {
    const items: ShipperItemOutcome[] = [];
    const rows: EventRow[] = [];
    const events: HarrierEvent[] = [];
    // The same record twice in one batch is two events (two identical lines in one second).
    const seen = new Map<string, number>();
    for (const [index, result] of results.entries()) {
      if (!result.ok) {
        items.push(result);
        continue;
      }
      const ids: string[] = [];
      let failure: ShipperItemOutcome | undefined;
      for (const shipped of result.events) {
        const host = shipped.host?.trim().slice(0, MAX_HOST_LENGTH) || undefined;
        const target = router(host, index);
        if (!target) {
          failure = { ok: false, code: 'unmapped_sender', message: 'No organization accepts this sender.' };
          break;
        }
        const deviceId = await this.deviceId(target.orgId, target.host);
        const scoped = `${target.orgId}\0${deviceId}\0${shipped.key}`;
        const n = seen.get(scoped) ?? 0;
        seen.set(scoped, n + 1);
        const e = shipped.event as HarrierEvent;
        e.id = stableEventId(deviceId, n === 0 ? shipped.key : `${shipped.key}#${n}`);
        e.org_id = target.orgId;
        e.device_id = deviceId;
        e.received_at = receivedAt;
        if (!Number.isFinite(e.ts)) e.ts = receivedAt;
        const row = eventToRow(e, null);
        if (row.fields.length > MAX_EVENT_BYTES) {
          failure = {
            ok: false,
            code: 'event_too_large',
            message: `The event's fields serialize to ${row.fields.length} bytes; the limit is ${MAX_EVENT_BYTES}.`,
          };
          break;
        }
        rows.push(row);
        events.push(e);
        ids.push(e.id);
      }
      if (failure) {
        // An item is stored whole or not at all: drop the rows of its events queued above.
        rows.length -= ids.length;
        events.length -= ids.length;
        items.push(failure);
      } else items.push({ ok: true, eventIds: ids });
    }
    if (rows.length === 0) return { items, accepted: 0, stored: 0 };
    this.pipeline.admit();
    const outbox = this.pipeline.outbox(events);
    const outcome = await submitWrite(this.writer, { kind: 'events', events: rows, outbox });
    const stored = outcome.status === 'ok' ? outcome.inserted : 0;
    // Events a resend brought again are already stored, and detection already saw them.
    const existing =
      outcome.status === 'ok' && outcome.existingIds ? new Set(outcome.existingIds) : undefined;
    const fresh = existing ? events.filter((e) => !existing.has(e.id)) : events;
    if (stored > 0 && fresh.length > 0) await this.pipeline.publish(fresh, outbox);
    return { items, accepted: rows.length, stored };
  }

  private async deviceId(orgId: string, host: string): Promise<string> {
    const key = `${orgId}\0${host}`;
    const now = Date.now();
    const hit = this.devices.get(key);
    if (hit && hit.until > now) return hit.id;
    let device: { id: string };
    try {
      device = await this.agentKeys.deviceForHost(orgId, host);
    } catch (error) {
      if (error instanceof HarrierError) throw error;
      throw serviceUnavailable('storage_unavailable', 'The event store is unavailable; retry later.', 5);
    }
    if (this.devices.size >= DEVICE_CACHE_MAX) this.devices.clear();
    this.devices.set(key, { id: device.id, until: now + DEVICE_CACHE_MS });
    return device.id;
  }
}
