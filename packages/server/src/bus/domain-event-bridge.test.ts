import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { connect, type NatsConnection } from 'nats';
import { testNatsUrl, waitFor } from '../test-support/cluster-fixtures.ts';
import { bridgeDomainEvents } from './domain-event-bridge.ts';
import { type DomainEvent, DomainEventBus } from './domain-events.ts';

const natsUrl = testNatsUrl();

describe('domain events across processes over NATS', { skip: !natsUrl }, () => {
  const connections: NatsConnection[] = [];
  after(async () => {
    for (const nc of connections) await nc.close();
  });

  test('every other process receives an event once, marked remote; nothing is echoed back', async () => {
    const prefix = `harrier.bridge_${process.pid}_${Date.now()}.domain`;
    const processes = await Promise.all(
      [0, 1, 2].map(async () => {
        const nc = await connect({ servers: natsUrl! });
        connections.push(nc);
        const bus = new DomainEventBus();
        const seen: DomainEvent[] = [];
        bus.subscribe((e) => {
          seen.push(e);
        });
        bridgeDomainEvents(nc, prefix, bus, (error) => assert.fail(String(error)));
        await nc.flush();
        return { bus, seen };
      }),
    );
    const event: DomainEvent = {
      type: 'alert.created',
      orgId: 'org-1',
      subjectId: 'alert-1',
      at: Date.now(),
      actorId: null,
      data: { title: 'x' },
    };
    processes[0]!.bus.publish(event);
    await waitFor('the others to receive it', async () =>
      processes.slice(1).every((p) => p.seen.length === 1),
    );
    // Give an echo every chance to arrive before counting.
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(
      processes.map((p) => p.seen.length),
      [1, 1, 1],
    );
    assert.equal(processes[0]!.seen[0]!.remote, undefined);
    for (const p of processes.slice(1)) assert.deepEqual(p.seen[0], { ...event, remote: true });
  });
});
