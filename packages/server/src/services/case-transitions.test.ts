import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CASE_STATUSES, CASE_TRANSITIONS, canTransition, isCaseStatus } from './case-transitions.ts';

test('the forward path new → triage → in_progress → contained → resolved → closed is allowed', () => {
  for (let i = 0; i + 1 < CASE_STATUSES.length; i++)
    assert.ok(canTransition(CASE_STATUSES[i]!, CASE_STATUSES[i + 1]!), CASE_STATUSES[i]);
});

test('no status moves to itself, and every target is a status', () => {
  for (const from of CASE_STATUSES) {
    assert.equal(canTransition(from, from), false, from);
    for (const to of CASE_TRANSITIONS[from]) assert.ok(isCaseStatus(to));
  }
});

test('refusals: back to new, skipping from closed, resolving a new case', () => {
  assert.equal(canTransition('triage', 'new'), false);
  assert.equal(canTransition('closed', 'resolved'), false);
  assert.equal(canTransition('new', 'resolved'), false);
  assert.equal(canTransition('closed', 'in_progress'), true, 'reopen');
  assert.equal(isCaseStatus('open'), false);
});
