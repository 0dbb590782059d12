import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completeAt } from './completion.ts';

const labels = (text: string, offset = text.length) => completeAt(text, offset).items.map((i) => i.label);

test('completes tables, operators, fields, comparisons and aggregations', () => {
  assert.deepEqual(labels(''), ['Events', 'Alerts', 'Devices', 'Heartbeats']);
  assert.deepEqual(labels('Ev'), ['Events']);
  assert.ok(labels('Events | ').includes('where'));
  assert.deepEqual(labels('Events | su'), ['summarize']);
  assert.ok(labels('Events | where Comm').includes('CommandLine'));
  assert.ok(labels('Events | where Image ').includes('contains'));
  assert.ok(labels('Events | summarize dc').includes('dcount'));
  assert.ok(labels('Events | summarize count() by Comp').includes('Computer'));
  assert.ok(labels('Devices | where ').includes('Hostname'));
  const c = completeAt('Events | where Ima == "x"', 17);
  assert.equal(c.from, 15);
  assert.equal(c.to, 18);
  assert.deepEqual(labels('Events | where Image == "unfinished'), []);
  assert.deepEqual(labels('Events | where x == "a" | ; '), []);
});
