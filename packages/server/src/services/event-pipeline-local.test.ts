import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HarrierEvent } from '@harrier/schema';
import { EventPipeline } from './event-pipeline.ts';

const event = {
  id: 'e1',
  org_id: 'o',
  device_id: null,
  ts: 1,
  received_at: 1,
  source: 'native',
  logsource: {},
  fields: {},
} as HarrierEvent;

test('a consumed bus batch reaches every local listener; the worker hears of a failure', async () => {
  const pipeline = new EventPipeline(() => undefined);
  const seen: string[] = [];
  pipeline.subscribe(async (events) => {
    seen.push(`detection:${events.length}`);
  });
  pipeline.subscribe(async (events) => {
    seen.push(`insights:${events.length}`);
  });
  await pipeline.deliverLocally([event]);
  assert.deepEqual(seen.sort(), ['detection:1', 'insights:1']);

  pipeline.subscribe(async () => {
    throw new Error('store down');
  });
  await assert.rejects(pipeline.deliverLocally([event]), /store down/);
  assert.equal(seen.length, 4, 'the other listeners still ran');
});
