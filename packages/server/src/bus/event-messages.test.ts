import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HarrierEvent } from '@harrier/schema';
import { busNames, decodeEvents, encodeBatch, partitionFilter, partitionOf } from './event-messages.ts';

function event(i: number, org = 'org-a', device: string | null = `dev-${i % 5}`): HarrierEvent {
  return {
    id: `e-${i}`,
    org_id: org,
    device_id: device,
    ts: 1_700_000_000_000 + i,
    received_at: 1_700_000_000_000,
    source: 'agent',
    logsource: { product: 'windows' },
    fields: { CommandLine: 'x'.repeat(200), n: i },
  } as unknown as HarrierEvent;
}

test('a device always maps to the same partition, within range', () => {
  for (let i = 0; i < 100; i++) {
    const p = partitionOf('org', `dev-${i}`, 8);
    assert.ok(p >= 0 && p < 8);
    assert.equal(partitionOf('org', `dev-${i}`, 8), p);
  }
  const used = new Set(Array.from({ length: 200 }, (_, i) => partitionOf('org', `dev-${i}`, 8)));
  assert.equal(used.size, 8, 'devices spread over every partition');
  assert.equal(partitionFilter(busNames('h1').subjectPrefix, 3), 'harrier.h1.events.*.3');
});

test('a batch splits by organization and partition, every event once, bodies under the cap', () => {
  const events = [
    ...Array.from({ length: 300 }, (_, i) => event(i)),
    ...Array.from({ length: 50 }, (_, i) => event(1000 + i, 'org-b')),
  ];
  const messages = encodeBatch('batch-1', events, 4, 'harrier.t.events', 8 * 1024);
  const seen: string[] = [];
  for (const m of messages) {
    assert.ok(m.data.length <= 8 * 1024);
    const decoded = decodeEvents(m.data);
    for (const e of decoded) {
      assert.equal(m.subject, `harrier.t.events.${e.org_id}.${partitionOf(e.org_id, e.device_id, 4)}`);
      seen.push(e.id);
    }
  }
  assert.deepEqual(seen.sort(), events.map((e) => e.id).sort());
  assert.equal(new Set(messages.map((m) => m.msgId)).size, messages.length);
  // Published again (outbox relay): the same message ids, so JetStream drops the copies.
  assert.deepEqual(
    encodeBatch('batch-1', events, 4, 'harrier.t.events', 8 * 1024).map((m) => m.msgId),
    messages.map((m) => m.msgId),
  );
});

test('a body that is not an array of events is refused', () => {
  const enc = new TextEncoder();
  assert.throws(() => decodeEvents(enc.encode('{"id":"x"}')), /not a JSON array/);
  assert.throws(() => decodeEvents(enc.encode('[{"x":1}]')), /without an id/);
  assert.throws(() => decodeEvents(enc.encode('not json')));
});
