import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineOf, procEvent, ruleYaml } from './test-helpers.ts';

describe('DetectionEngine', () => {
  const engine = engineOf(
    ruleYaml(
      "  sel:\n    Image|endswith: '\\\\cmd.exe'\n  filter:\n    User: SYSTEM\n  condition: sel and not filter",
    ),
  );
  it('returns matches with rule metadata and the event time and id', () => {
    const [m] = engine.match({ ...procEvent({ Image: 'C:\\cmd.exe', User: 'bob' }, 42), id: 'ev1' });
    assert.deepEqual(m, {
      kind: 'rule',
      rule_id: '00000000-0000-0000-0000-000000000001',
      rule_title: 'Test rule',
      severity: 'high',
      level: 'high',
      ts: 42,
      event_id: 'ev1',
    });
  });
  it('explains which selections were true', () => {
    assert.deepEqual(
      engine.explain(
        '00000000-0000-0000-0000-000000000001',
        procEvent({ Image: 'C:\\cmd.exe', User: 'SYSTEM' }),
      ),
      {
        matched: false,
        selections: { sel: true, filter: true },
      },
    );
    assert.equal(engine.explain('nope', procEvent({})), undefined);
  });
  it('returns the same results on repeated and interleaved events (no state leaks between events)', () => {
    const hit = procEvent({ Image: 'C:\\cmd.exe' });
    const miss = procEvent({ Image: 'C:\\calc.exe' });
    for (let i = 0; i < 3; i++) {
      assert.equal(engine.match(hit).length, 1);
      assert.equal(engine.match(miss).length, 0);
    }
  });
});
