import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DomainEvent, DomainEventBus } from './domain-events.ts';

const event = (subjectId: string): DomainEvent => ({
  type: 'alert.created',
  orgId: 'org-1',
  subjectId,
  at: 1,
  actorId: null,
  data: {},
});

test('every subscriber receives each published event, after the publisher returns', async () => {
  const bus = new DomainEventBus();
  const seen: string[] = [];
  bus.subscribe((e) => {
    seen.push(`a:${e.subjectId}`);
  });
  bus.subscribe((e) => {
    seen.push(`b:${e.subjectId}`);
  });
  bus.publishAll([event('1'), event('2')]);
  assert.deepEqual(seen, []);
  await bus.idle();
  assert.deepEqual(seen.sort(), ['a:1', 'a:2', 'b:1', 'b:2']);
});

test('a failing listener is reported and does not stop the others; unsubscribe stops delivery', async () => {
  const errors: unknown[] = [];
  const bus = new DomainEventBus((e) => errors.push(e));
  const seen: string[] = [];
  bus.subscribe(() => {
    throw new Error('webhook down');
  });
  const off = bus.subscribe((e) => {
    seen.push(e.subjectId);
  });
  bus.publish(event('1'));
  await bus.idle();
  off();
  bus.publish(event('2'));
  await bus.idle();
  assert.deepEqual(seen, ['1']);
  assert.equal(errors.length, 2);
});
