import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSeverity, severityAtLeast } from './severity.ts';

test('seed severity vocabularies map onto one scale', () => {
  assert.equal(parseSeverity('INFO'), 'informational');
  assert.equal(parseSeverity('WARN'), 'medium');
  assert.equal(parseSeverity('HIGH'), 'high');
  assert.equal(parseSeverity('CRITICAL'), 'critical');
  assert.equal(parseSeverity('low'), 'low');
  assert.equal(parseSeverity('nonsense'), undefined);
  assert.equal(parseSeverity(3), undefined);
  assert.ok(severityAtLeast('critical', 'high'));
  assert.ok(!severityAtLeast('medium', 'high'));
});
