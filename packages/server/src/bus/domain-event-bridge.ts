import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import type { DomainEvent, DomainEventBus } from './domain-events.ts';

interface Envelope {
  origin: string;
  event: DomainEvent;
}

/**
 * Fans domain events out to every process: what this process publishes
 * locally goes to `harrier.<ns>.domain.<org>` on NATS core, and what other
 * processes sent is republished here with `remote: true`. Remote events are
 * never sent back out, and a process ignores its own envelopes: no echo.
 * Returns a function that stops the bridge.
 */
export function bridgeDomainEvents(
  nc: NatsConnection,
  subjectPrefix: string,
  bus: DomainEventBus,
  onError: (error: unknown) => void,
): () => void {
  const origin = randomUUID();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const unsubscribe = bus.subscribe((event) => {
    if (event.remote) return;
    const envelope: Envelope = { origin, event };
    try {
      nc.publish(`${subjectPrefix}.${event.orgId}`, encoder.encode(JSON.stringify(envelope)));
    } catch (error) {
      // Live updates are best effort: a NATS outage must not fail the change that was committed.
      onError(error);
    }
  });
  const subscription = nc.subscribe(`${subjectPrefix}.>`, {
    callback: (error, msg) => {
      if (error) return onError(error);
      try {
        const envelope = JSON.parse(decoder.decode(msg.data)) as Envelope;
        if (envelope.origin === origin) return;
        bus.publish({ ...envelope.event, remote: true });
      } catch (e) {
        onError(e);
      }
    },
  });
  return () => {
    unsubscribe();
    subscription.unsubscribe();
  };
}
