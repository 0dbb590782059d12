/**
 * What happened to the things analysts watch, told after it is committed.
 *
 * Detection, triage, cases and the fleet publish here; the live feed
 * (`/api/v1/stream`), notifications (webhooks, e-mail) and the automatic case
 * rule subscribe. In one process this is the whole bus; when roles run in
 * separate processes a NATS bridge republishes each event to every API process
 * (so subscribers never need to know where an event came from).
 */
export type DomainEventType =
  | 'alert.created'
  | 'alert.updated'
  | 'alert.escalated'
  | 'alert.assigned'
  | 'alert.deleted'
  | 'case.created'
  | 'case.updated'
  | 'device.status';

export interface DomainEvent {
  type: DomainEventType;
  /** Every event belongs to one organization; subscribers never see another's. */
  orgId: string;
  /** The id of the alert, case or device the event is about. */
  subjectId: string;
  /** Epoch milliseconds of the change. */
  at: number;
  /** User id that made the change, when a person did (null for detection and agents). */
  actorId: string | null;
  /** A small presentable summary (never internal columns); subscribers fetch more if needed. */
  data: Record<string, unknown>;
  /** Set when the event arrived from another process through the bus bridge. */
  remote?: boolean;
}

export type DomainEventListener = (event: DomainEvent) => void | Promise<void>;

/**
 * An in-process publish/subscribe hub. Listeners run after the publisher's
 * commit, asynchronously, and their failures are reported, never thrown back
 * at the publisher: a broken webhook must not fail an alert's status change.
 */
export class DomainEventBus {
  private readonly listeners = new Set<DomainEventListener>();
  private pending = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /** Adds a listener; the returned function removes it (a closed WebSocket, a stopped job). */
  subscribe(listener: DomainEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(event: DomainEvent): void {
    for (const listener of this.listeners) {
      this.pending++;
      Promise.resolve()
        .then(() => listener(event))
        .catch(this.onListenerError)
        .finally(() => {
          this.pending--;
          if (this.pending === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const w of waiters) w();
          }
        });
    }
  }

  publishAll(events: readonly DomainEvent[]): void {
    for (const e of events) this.publish(e);
  }

  /** Resolves when every listener call started so far has finished (shutdown and tests). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
