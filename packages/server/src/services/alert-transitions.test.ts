import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ALERT_STATUSES,
  ALERT_TRANSITIONS,
  CLOSED_STATUSES,
  canTransition,
  SETTABLE_ALERT_STATUSES,
  transitionName,
} from './alert-transitions.ts';
import { CLOSED_ALERT_STATUSES } from './detection-service.ts';

test('every allowed transition, and every other pair refused', () => {
  const allowed: string[] = [];
  for (const from of ALERT_STATUSES)
    for (const to of SETTABLE_ALERT_STATUSES) if (canTransition(from, to)) allowed.push(`${from}>${to}`);
  assert.deepEqual(allowed, [
    'open>acknowledged',
    'open>in_progress',
    'open>resolved',
    'open>false_positive',
    'acknowledged>in_progress',
    'acknowledged>resolved',
    'acknowledged>false_positive',
    'in_progress>resolved',
    'in_progress>false_positive',
    'resolved>open',
    'false_positive>open',
    'closed>open',
  ]);
  for (const s of ALERT_STATUSES) assert.equal(canTransition(s, s), false, `${s} to itself`);
  assert.equal(canTransition('open', 'closed'), false, 'closed is never set');
  assert.equal(canTransition('bogus', 'open'), false);
  assert.equal(canTransition('open', 'bogus'), false);
  assert.ok(Object.keys(ALERT_TRANSITIONS).length === ALERT_STATUSES.length);
});

test('reopen is named; detection treats the same statuses as closed', () => {
  assert.equal(transitionName('resolved', 'open'), 'reopen');
  assert.equal(transitionName('false_positive', 'open'), 'reopen');
  assert.equal(transitionName('open', 'acknowledged'), 'status');
  assert.deepEqual([...CLOSED_ALERT_STATUSES].sort(), [...CLOSED_STATUSES].sort());
});
