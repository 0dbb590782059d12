import { type HarrierEvent, uuidv7 } from '@harrier/schema';
import type { OutboxEntry } from '../db/write-jobs.ts';
import { serviceUnavailable } from '../errors.ts';

/** Receives events after they are committed (detection, live feed, insights). */
export type CommittedEventsListener = (events: HarrierEvent[]) => void | Promise<void>;

/**
 * Where committed batches go when detection runs in other processes (the NATS
 * JetStream bus). Ingest asks `admit` before committing and publishes after.
 */
export interface EventTransport {
  /** Throws a 503 (`bus_unavailable`, `overloaded`) when no batch should be committed now. */
  admit(): void;
  /** Resolves once the bus holds the batch durably; rejects otherwise (the outbox row stays). */
  publish(outboxId: string, events: HarrierEvent[]): Promise<void>;
  /** Whether the bus answers (readiness). */
  connected(): boolean;
}

/** The error ingest answers when a bounded queue is full: the sender retries after Retry-After. */
export const overloaded = (what: string) =>
  serviceUnavailable('overloaded', `The server is saturated (${what}); retry later.`, 2);

/**
 * The hand-off from ingest to everything downstream. In one process,
 * listeners run after the commit and after the client was answered, so a slow
 * or failing listener never delays or fails an acknowledgement; the events
 * they still hold are bounded (`maxPendingEvents`), beyond which `admit`
 * refuses new batches. With a transport (NATS), batches go to the bus instead,
 * each committed with an outbox row that the relay publishes if this publish fails.
 */
export class EventPipeline {
  private readonly listeners: CommittedEventsListener[] = [];
  private pending = 0;
  private pendingEvents = 0;
  private onIdle: (() => void) | undefined;
  private transport: EventTransport | undefined;

  constructor(
    private readonly onListenerError: (error: unknown) => void,
    private readonly maxPendingEvents = Number.POSITIVE_INFINITY,
  ) {}

  subscribe(listener: CommittedEventsListener): void {
    this.listeners.push(listener);
  }

  /** Sends committed batches to the bus instead of this process's listeners. */
  useTransport(transport: EventTransport): void {
    this.transport = transport;
  }

  /** Throws a 503 when a batch must not be committed now (bus down, queues full). */
  admit(): void {
    if (this.transport) this.transport.admit();
    else if (this.pendingEvents >= this.maxPendingEvents) throw overloaded('detection queue');
  }

  /** The outbox entry to commit with a batch when a transport is in use. */
  outbox(events: readonly HarrierEvent[]): OutboxEntry | undefined {
    return this.transport && events.length > 0 ? { id: uuidv7(), events } : undefined;
  }

  /** False while the bus of a scaled-out process is unreachable (`/ready` then fails). */
  busConnected(): boolean {
    return this.transport?.connected() ?? true;
  }

  /** Events handed to listeners and not yet handled by all of them. */
  backlog(): number {
    return this.pendingEvents;
  }

  /**
   * Hands committed events downstream. With a transport, resolves once the bus
   * acknowledged them, or once the failure is reported (the outbox keeps them).
   */
  async publish(events: HarrierEvent[], outbox?: OutboxEntry): Promise<void> {
    if (events.length === 0) return;
    if (this.transport && outbox) {
      try {
        await this.transport.publish(outbox.id, events);
      } catch (error) {
        this.onListenerError(error);
      }
      return;
    }
    if (this.listeners.length === 0) return;
    this.pendingEvents += events.length;
    let left = this.listeners.length;
    for (const listener of this.listeners) {
      this.pending++;
      Promise.resolve()
        .then(() => listener(events))
        .catch(this.onListenerError)
        .finally(() => {
          if (--left === 0) this.pendingEvents -= events.length;
          this.pending--;
          if (this.pending === 0) this.onIdle?.();
        });
    }
  }

  /**
   * Runs this process's listeners (detection, insights, inventory…) on a batch
   * and resolves when all of them are done; rejects if one failed. A detection
   * worker consuming the bus acknowledges a batch only after this resolves, so
   * every listener sees every committed batch whatever process ingested it.
   */
  async deliverLocally(events: HarrierEvent[]): Promise<void> {
    if (events.length === 0) return;
    const results = await Promise.allSettled(this.listeners.map((listener) => listener(events)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Resolves when every published batch has been handled (used on shutdown and in tests). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.onIdle = resolve;
    });
  }
}
