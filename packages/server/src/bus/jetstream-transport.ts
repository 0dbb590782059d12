import type { HarrierEvent } from '@harrier/schema';
import { serviceUnavailable } from '../errors.ts';
import { type EventTransport, overloaded } from '../services/event-pipeline.ts';
import { encodeBatch } from './event-messages.ts';
import type { NatsBus } from './nats-bus.ts';

/** How long one publish waits for JetStream's acknowledgement. */
const PUBLISH_TIMEOUT_MS = 5_000;

export interface TransportLimits {
  /** Most batches being published at once by this process. */
  maxInFlight: number;
  /** Most outbox rows waiting for the relay before ingest refuses. */
  maxOutboxBacklog: number;
}

/**
 * Ingest's side of the bus: a committed batch is published to the event
 * stream (one message per organization and partition) and the client is
 * answered after JetStream acknowledged it. Refuses new batches while NATS is
 * unreachable (`bus_unavailable`) and while the stream, the publishes in
 * flight or the outbox are full (`overloaded`).
 */
export class JetStreamTransport implements EventTransport {
  private inFlight = 0;
  private fullUntil = 0;
  /** Outbox rows left for the relay, as it last counted them. */
  outboxBacklog = 0;
  /** Called with a batch id once JetStream holds the batch (its outbox row can go). */
  onPublished: (batchId: string) => void = () => {};

  constructor(
    private readonly bus: NatsBus,
    private readonly limits: TransportLimits,
  ) {}

  connected(): boolean {
    return this.bus.connected && !this.bus.nc.isClosed();
  }

  admit(): void {
    if (!this.connected()) {
      throw serviceUnavailable('bus_unavailable', 'The event bus (NATS) is unavailable; retry later.', 2);
    }
    if (this.inFlight >= this.limits.maxInFlight) throw overloaded('bus publishes in flight');
    if (Date.now() < this.fullUntil) throw overloaded('event stream full');
    if (this.outboxBacklog >= this.limits.maxOutboxBacklog) throw overloaded('bus outbox');
  }

  async publish(batchId: string, events: HarrierEvent[]): Promise<void> {
    const messages = encodeBatch(batchId, events, this.bus.options.partitions, this.bus.names.subjectPrefix);
    this.inFlight++;
    try {
      await Promise.all(
        messages.map((m) =>
          this.bus.js.publish(m.subject, m.data, { msgID: m.msgId, timeout: PUBLISH_TIMEOUT_MS }),
        ),
      );
    } catch (error) {
      // The stream refuses beyond its limits (discard new): stop admitting for a moment.
      if (streamFull(error)) {
        this.fullUntil = Date.now() + 1_000;
      }
      throw error;
    } finally {
      this.inFlight--;
    }
    this.onPublished(batchId);
  }
}

/** JetStream's refusals of a stream at its limits (max bytes 10077, max messages 10078, resources 10023). */
function streamFull(error: unknown): boolean {
  const api = (error as { api_error?: { err_code?: number; description?: string } }).api_error;
  if (api?.err_code !== undefined && [10077, 10078, 10023].includes(api.err_code)) return true;
  return /maximum (bytes|messages)|insufficient resources/i.test(
    `${api?.description ?? ''} ${String(error)}`,
  );
}
