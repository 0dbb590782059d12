import type { HarrierEvent } from '@harrier/schema';

/** Receives events after they are committed (detection, live feed, insights). */
export type CommittedEventsListener = (events: HarrierEvent[]) => void | Promise<void>;

/**
 * The hand-off from ingest to everything downstream. Listeners run after the
 * commit and after the client was answered, so a slow or failing listener
 * never delays or fails an acknowledgement.
 */
export class EventPipeline {
  private readonly listeners: CommittedEventsListener[] = [];
  private pending = 0;
  private onIdle: (() => void) | undefined;

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  subscribe(listener: CommittedEventsListener): void {
    this.listeners.push(listener);
  }

  publish(events: HarrierEvent[]): void {
    if (events.length === 0 || this.listeners.length === 0) return;
    for (const listener of this.listeners) {
      this.pending++;
      Promise.resolve()
        .then(() => listener(events))
        .catch(this.onListenerError)
        .finally(() => {
          this.pending--;
          if (this.pending === 0) this.onIdle?.();
        });
    }
  }

  /** Resolves when every published batch has been handled (used on shutdown and in tests). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.onIdle = resolve;
    });
  }
}
