import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertGroupKey, extendAlertWindow, fallsInAlertWindow } from './alert-grouping.ts';

describe('alertGroupKey', () => {
  it('defaults to rule id + device id', () => {
    assert.equal(
      alertGroupKey('r1', { device_id: 'd1', fields: {} }),
      alertGroupKey('r1', { device_id: 'd1', fields: { x: 1 } }),
    );
    assert.notEqual(
      alertGroupKey('r1', { device_id: 'd1', fields: {} }),
      alertGroupKey('r1', { device_id: 'd2', fields: {} }),
    );
    assert.notEqual(
      alertGroupKey('r1', { device_id: 'd1', fields: {} }),
      alertGroupKey('r2', { device_id: 'd1', fields: {} }),
    );
  });
  it('uses the rule group fields, case-insensitively, without separator collisions', () => {
    const k = (fields: Record<string, unknown>) =>
      alertGroupKey('r', { device_id: 'd', fields }, ['User', 'Host']);
    assert.equal(k({ User: 'BOB', Host: 'h' }), k({ User: 'bob', Host: 'h' }));
    assert.notEqual(k({ User: 'a|b', Host: 'c' }), k({ User: 'a', Host: 'b|c' }));
    assert.equal(k({ User: 'bob' }), k({ User: 'bob', Host: null }));
  });
});

describe('fallsInAlertWindow', () => {
  const alert = { group_key: 'k', first_seen: 1000, last_seen: 5000, count: 2 };
  const w = { idleMs: 10_000, maxSpanMs: 60_000 };
  it('joins matches of the same key within the idle and total windows', () => {
    assert.ok(fallsInAlertWindow(alert, 'k', 14_000, w));
    assert.ok(!fallsInAlertWindow(alert, 'k', 16_000, w), 'idle too long');
    assert.ok(!fallsInAlertWindow(alert, 'other', 6000, w));
    assert.ok(!fallsInAlertWindow({ ...alert, last_seen: 58_000 }, 'k', 62_000, w), 'beyond max span');
    assert.ok(fallsInAlertWindow(alert, 'k', 500, w), 'slightly late events join');
  });
  it('extends first/last seen and the count', () => {
    assert.deepEqual(extendAlertWindow(alert, 500), {
      group_key: 'k',
      first_seen: 500,
      last_seen: 5000,
      count: 3,
    });
    assert.deepEqual(extendAlertWindow(alert, 9000), {
      group_key: 'k',
      first_seen: 1000,
      last_seen: 9000,
      count: 3,
    });
  });
});
