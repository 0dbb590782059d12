import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeRecord, parseEventText } from './event-records.ts';

describe('parseEventText', () => {
  it('reads arrays, JSON lines, single objects and concatenated objects', () => {
    assert.deepEqual(parseEventText('[{"a":1},{"a":2}]'), [{ a: 1 }, { a: 2 }]);
    assert.deepEqual(parseEventText('{"a":1}\n{"a":2}\n'), [{ a: 1 }, { a: 2 }]);
    assert.deepEqual(parseEventText('{"a":1}'), [{ a: 1 }]);
    assert.deepEqual(parseEventText('{\n "a": "}"\n}\n{\n "a": 2\n}'), [{ a: '}' }, { a: 2 }]);
    assert.deepEqual(parseEventText('  '), []);
    assert.throws(() => parseEventText('{"a":'), SyntaxError);
  });
});

describe('normalizeRecord', () => {
  it('dispatches Windows, auditd and normalized shapes', () => {
    const w = normalizeRecord({
      Event: { System: { EventID: 4624, Channel: 'Security' }, EventData: { A: 1 } },
    });
    assert.equal(w?.logsource.service, 'security');
    const a = normalizeRecord({ type: 'EXECVE', msg: 'audit(1.5:2)', a0: 'ls' });
    assert.equal(a?.logsource.service, 'auditd');
    const n = normalizeRecord({ ts: 5, logsource: { product: 'linux' }, fields: { x: 1 } });
    assert.deepEqual(n, { ts: 5, source: 'bulk', logsource: { product: 'linux' }, fields: { x: 1 } });
    assert.equal(normalizeRecord('x'), undefined);
  });
});
