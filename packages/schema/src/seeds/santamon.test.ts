import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePythonJson } from '../python-canonical-json.ts';
import {
  parseSantamonHeartbeat,
  parseSantamonSignal,
  pythonDumpsLength,
  SANTAMON_MAX_CONTEXT_SIZE,
  santamonContextSize,
} from './santamon.ts';

const signal = {
  signal_id: '0123456789abcdef0123456789abcdef',
  ts: '2025-12-03T10:11:12.123456789+01:00',
  host_id: 'mac-01',
  rule_id: 'SM-001',
  severity: 'high',
  title: 'Unsigned binary executed from /tmp',
  context: { target_path: '/tmp/x', actor_path: '/bin/zsh', decision: 'ALLOW' },
};

test('a signal validates with pydantic defaults; extra fields are dropped', () => {
  const r = parseSantamonSignal({ ...signal, extra: 'ignored' });
  assert.ok(r.ok);
  assert.deepEqual(r.value, { ...signal, rule_description: null, status: 'open', tags: [] });
  assert.ok(!('extra' in r.value));
});

test('signal field rules of CONTRACTS.md §1.3', () => {
  const bad = (patch: Record<string, unknown>): boolean => !parseSantamonSignal({ ...signal, ...patch }).ok;
  assert.ok(bad({ severity: 'info' }));
  assert.ok(bad({ severity: 'HIGH' }));
  assert.ok(!bad({ severity: 'critical' }));
  assert.ok(bad({ status: 'closed' }));
  assert.ok(!bad({ status: 'resolved' }));
  assert.ok(bad({ tags: null }));
  assert.ok(bad({ tags: Array.from({ length: 51 }, () => 't') }));
  assert.ok(!bad({ tags: Array.from({ length: 50 }, () => 't'.repeat(64)) }));
  assert.ok(bad({ tags: ['t'.repeat(65)] }));
  assert.ok(bad({ context: [] }));
  assert.ok(bad({ context: null }));
  assert.ok(bad({ context: undefined }));
  assert.ok(bad({ signal_id: 's'.repeat(257) }));
  assert.ok(!bad({ signal_id: '😀'.repeat(256) }), 'lengths count code points');
  assert.ok(bad({ ts: 't'.repeat(65) }));
  assert.ok(!bad({ ts: 'not-a-date' }), 'ts is free text');
  assert.ok(bad({ host_id: 'h'.repeat(256) }));
  assert.ok(bad({ rule_id: 'r'.repeat(65) }));
  assert.ok(bad({ title: 't'.repeat(513) }));
  assert.ok(bad({ rule_description: 'd'.repeat(2001) }));
  assert.ok(!bad({ rule_description: null }));
  assert.ok(bad({ host_id: 5 }));
  assert.ok(!parseSantamonSignal({ ...signal, title: undefined }).ok);
});

test('heartbeat: required fields, numeric-string uptime coerced', () => {
  const hb = {
    agent_id: 'mac-01',
    timestamp: '2025-12-03T10:11:12+01:00',
    version: '1.2.0',
    os_version: '15.1',
  };
  const r = parseSantamonHeartbeat({ ...hb, extra: 1 });
  assert.ok(r.ok);
  assert.deepEqual(r.value, { ...hb, uptime_seconds: null });
  const up = (u: unknown): number | null | undefined => {
    const res = parseSantamonHeartbeat({ ...hb, uptime_seconds: u });
    return res.ok ? res.value.uptime_seconds : undefined;
  };
  assert.equal(up(12.5), 12.5);
  assert.equal(up('12.5'), 12.5);
  assert.equal(up(' 12.5 '), 12.5);
  assert.equal(up('1_000'), 1000);
  assert.equal(up('1e3'), 1000);
  assert.equal(up('.5'), 0.5);
  assert.equal(up('-inf'), Number.NEGATIVE_INFINITY);
  assert.ok(Number.isNaN(up('NaN')));
  assert.equal(up(true), 1);
  assert.equal(up(null), null);
  assert.equal(up('12.5abc'), undefined);
  assert.equal(up(''), undefined);
  assert.equal(up('0x10'), undefined);
  assert.equal(up('1_'), undefined);
  assert.ok(!parseSantamonHeartbeat({ ...hb, version: undefined }).ok);
  assert.ok(!parseSantamonHeartbeat({ ...hb, os_version: 'x'.repeat(33) }).ok);
  assert.ok(!parseSantamonHeartbeat({ ...hb, agent_id: 'x'.repeat(256) }).ok);
});

test('context size is len(json.dumps(context)) with default separators and ensure_ascii', () => {
  // Figures from CPython: len(json.dumps(...)).
  assert.equal(santamonContextSize({ a: 1, b: [1, 2], c: 'x' }), 31);
  assert.equal(santamonContextSize({ k: 'é' }), 15);
  assert.equal(santamonContextSize({ k: '😀' }), 21);
  assert.equal(santamonContextSize({ 'a:b': 'c,d', q: '"\\' }), 27);
  assert.equal(santamonContextSize({}), 2);
  // Exact from the body text: 1.0 stays a float (Python: len('{"x": 1.0}') == 10).
  const parsed = parsePythonJson('{"context":{"x":1.0},"title":"t"}');
  assert.equal(santamonContextSize(undefined, parsed.members!.get('context')), 10);
  assert.equal(santamonContextSize({ x: 1 }), 8);
  assert.equal(pythonDumpsLength('[1,{"a":"b"}]'), 15);
});

test('the 100000-character boundary', () => {
  // {"k": "<n chars>"} has n + 9 characters.
  assert.equal(
    santamonContextSize({ k: 'x'.repeat(SANTAMON_MAX_CONTEXT_SIZE - 9) }),
    SANTAMON_MAX_CONTEXT_SIZE,
  );
  assert.ok(
    santamonContextSize({ k: 'x'.repeat(SANTAMON_MAX_CONTEXT_SIZE - 8) }) > SANTAMON_MAX_CONTEXT_SIZE,
  );
  // Non-ASCII counts six.
  assert.equal(santamonContextSize({ k: 'é'.repeat(1000) }), 6009);
});
