import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DetectionEngine } from './engine.ts';

const base = `title: Failed logon
id: failed-logon
name: failed_logon
logsource:
  product: windows
  service: security
detection:
  s:
    EventID: 4625
  condition: s
---
title: Success logon
id: success-logon
name: success_logon
logsource:
  product: windows
  service: security
detection:
  s:
    EventID: 4624
  condition: s
`;

const sec = { product: 'windows', service: 'security' };
const ev = (EventID: number, ts: number, fields: Record<string, unknown> = {}, id?: string) => ({
  ts,
  logsource: sec,
  fields: { EventID, TargetUserName: 'bob', ...fields },
  ...(id !== undefined ? { id } : {}),
});

function engineWith(correlation: string, limits = {}): DetectionEngine {
  const engine = DetectionEngine.fromSources([{ path: 'c.yml', text: `${base}---\n${correlation}` }], {
    correlation: limits,
  });
  assert.deepEqual(engine.errors, []);
  return engine;
}

function correlationsOf(engine: DetectionEngine, events: ReturnType<typeof ev>[]) {
  return events.flatMap((e) => engine.match(e).filter((m) => m.kind === 'correlation'));
}

describe('event_count', () => {
  const rule = `title: Brute force
id: brute
level: high
correlation:
  type: event_count
  rules:
    - failed_logon
  group-by:
    - TargetUserName
  timespan: 5m
  condition:
    gte: 3
`;
  it('fires when the count is reached inside the window, per group', () => {
    const engine = engineWith(rule);
    const fired = correlationsOf(engine, [
      ev(4625, 0, {}, 'e1'),
      ev(4625, 60_000, { TargetUserName: 'alice' }),
      ev(4625, 120_000, {}, 'e2'),
      ev(4625, 180_000, {}, 'e3'),
    ]);
    assert.equal(fired.length, 1);
    assert.equal(fired[0]?.rule_id, 'brute');
    assert.equal(fired[0]?.level, 'high');
    assert.deepEqual(fired[0]?.correlation?.group, { TargetUserName: 'bob' });
    assert.equal(fired[0]?.correlation?.count, 3);
    assert.deepEqual(fired[0]?.correlation?.event_ids, ['e1', 'e2', 'e3']);
    assert.equal(fired[0]?.ts, 180_000);
  });
  it('does not fire when events are spread beyond the timespan', () => {
    const engine = engineWith(rule);
    assert.equal(correlationsOf(engine, [ev(4625, 0), ev(4625, 200_000), ev(4625, 400_000)]).length, 0);
  });
  it('base rules referenced only with generate: false are not reported themselves', () => {
    const engine = engineWith(rule);
    assert.deepEqual(engine.match(ev(4625, 0)), []);
    assert.equal(engine.match(ev(4624, 0))[0]?.rule_id, 'success-logon');
  });
  it('replay rebuilds state so a window spanning a restart still fires', () => {
    const before = engineWith(rule);
    correlationsOf(before, [ev(4625, 0), ev(4625, 60_000)]);
    const after = engineWith(rule);
    assert.equal(
      after.replay([
        { rule_id: 'failed-logon', ts: 60_000, fields: { TargetUserName: 'bob' } },
        { rule_id: 'failed-logon', ts: 0, fields: { TargetUserName: 'bob' } },
      ]),
      2,
    );
    assert.equal(correlationsOf(after, [ev(4625, 120_000)]).length, 1);
  });
  it('advance keeps events still inside a sliding window and forgets expired groups', () => {
    const engine = engineWith(rule);
    correlationsOf(engine, [ev(4625, 0), ev(4625, 250_000)]);
    assert.deepEqual(engine.advance(310_000), []);
    assert.equal(engine.correlationGroups, 1, 'the event at 250 s is still in the window');
    assert.equal(correlationsOf(engine, [ev(4625, 320_000)]).length, 0);
    assert.equal(
      correlationsOf(engine, [ev(4625, 330_000)]).length,
      1,
      '250 s, 320 s and 330 s are within 5 min',
    );
    correlationsOf(engine, [ev(4625, 400_000, { TargetUserName: 'eve' })]);
    engine.advance(1_000_000);
    assert.equal(engine.correlationGroups, 0);
  });
  it('bounds state per rule and in total', () => {
    const engine = engineWith(rule, { maxGroupsPerRule: 2, maxGroupsTotal: 2 });
    correlationsOf(engine, [
      ev(4625, 0, { TargetUserName: 'a' }),
      ev(4625, 1, { TargetUserName: 'b' }),
      ev(4625, 2, { TargetUserName: 'c' }),
    ]);
    assert.equal(engine.correlationGroups, 2);
  });
});

describe('value_count', () => {
  it('counts distinct values per group', () => {
    const engine = engineWith(`title: Spray
id: spray
correlation:
  type: value_count
  rules: failed-logon
  group-by: [IpAddress]
  timespan: 10m
  condition:
    field: TargetUserName
    gt: 2
`);
    const fired = correlationsOf(engine, [
      ev(4625, 0, { IpAddress: '1.1.1.1', TargetUserName: 'a' }),
      ev(4625, 1, { IpAddress: '1.1.1.1', TargetUserName: 'a' }),
      ev(4625, 2, { IpAddress: '1.1.1.1', TargetUserName: 'b' }),
      ev(4625, 3, { IpAddress: '2.2.2.2', TargetUserName: 'c' }),
      ev(4625, 4, { IpAddress: '1.1.1.1', TargetUserName: 'c' }),
    ]);
    assert.equal(fired.length, 1);
    assert.equal(fired[0]?.correlation?.count, 3);
  });
});

describe('temporal and temporal_ordered', () => {
  const temporal = (type: string) => `title: Fail then success
id: fts
correlation:
  type: ${type}
  rules:
    - failed_logon
    - success_logon
  group-by: [User]
  aliases:
    User:
      failed_logon: TargetUserName
      success_logon: TargetUserName
  timespan: 1m
generate: true
`;
  it('temporal fires when all rules matched in the window, in any order', () => {
    const engine = engineWith(temporal('temporal'));
    assert.equal(correlationsOf(engine, [ev(4624, 0), ev(4625, 30_000)]).length, 1);
    const late = engineWith(temporal('temporal'));
    assert.equal(correlationsOf(late, [ev(4624, 0), ev(4625, 90_000)]).length, 0);
  });
  it('temporal_ordered needs the order', () => {
    const wrong = engineWith(temporal('temporal_ordered'));
    assert.equal(correlationsOf(wrong, [ev(4624, 0), ev(4625, 10_000)]).length, 0);
    const right = engineWith(temporal('temporal_ordered'));
    const fired = correlationsOf(right, [ev(4625, 0), ev(4624, 10_000)]);
    assert.equal(fired.length, 1);
    assert.deepEqual(fired[0]?.correlation?.group, { User: 'bob' });
  });
  it('generate: true keeps base matches', () => {
    const engine = engineWith(temporal('temporal'));
    assert.equal(engine.match(ev(4625, 0))[0]?.rule_id, 'failed-logon');
  });
});

describe('upper-bounded conditions', () => {
  it('lt/range are decided when the window closes (advance or a later event)', () => {
    const engine = engineWith(`title: Few
id: few
correlation:
  type: event_count
  rules: [success_logon]
  group-by: [TargetUserName]
  timespan: 1m
  condition:
    range: 1..2
`);
    assert.equal(correlationsOf(engine, [ev(4624, 0), ev(4624, 1000)]).length, 0);
    const closed = engine.advance(120_000);
    assert.equal(closed.length, 1);
    assert.equal(closed[0]?.correlation?.count, 2);
    assert.equal(closed[0]?.ts, 60_000);
  });
});

describe('correlation errors', () => {
  it('reports unknown rule references with line and column', () => {
    const engine = DetectionEngine.fromSources([
      {
        path: 'c.yml',
        text: 'title: X\nid: x\ncorrelation:\n  type: event_count\n  rules:\n    - nope\n  timespan: 5m\n  condition:\n    gte: 2\n',
      },
    ]);
    assert.equal(engine.errors[0]?.code, 'unknown_rule_reference');
    assert.equal(engine.errors[0]?.line, 6);
    assert.equal(engine.errors[0]?.column, 7);
  });
  it('accepts references to rules defined elsewhere (validating one file)', () => {
    const engine = DetectionEngine.fromSources(
      [
        {
          text: 'title: X\nid: x\ncorrelation:\n  type: event_count\n  rules:\n    - stored_rule\n  timespan: 5m\n  condition:\n    gte: 2\n',
        },
      ],
      { knownRuleRefs: ['stored_rule'] },
    );
    assert.deepEqual(engine.errors, []);
    assert.deepEqual(engine.correlations[0]?.ruleIds, ['stored_rule']);
  });
  it('reports bad types, timespans and conditions', () => {
    const bad = (body: string) =>
      DetectionEngine.fromSources([{ text: `${base}---\ntitle: X\nid: x\ncorrelation:\n${body}` }]).errors[0]
        ?.code;
    assert.equal(bad('  type: nope\n  rules: [failed_logon]\n  timespan: 5m\n'), 'invalid_correlation');
    assert.equal(
      bad('  type: event_count\n  rules: [failed_logon]\n  timespan: soon\n  condition:\n    gte: 2\n'),
      'invalid_correlation',
    );
    assert.equal(
      bad('  type: event_count\n  rules: [failed_logon]\n  timespan: 5m\n'),
      'invalid_correlation',
    );
    assert.equal(
      bad('  type: value_count\n  rules: [failed_logon]\n  timespan: 5m\n  condition:\n    gte: 2\n'),
      'invalid_correlation',
    );
    assert.equal(bad('  type: temporal\n  rules: [failed_logon]\n  timespan: 5m\n'), 'invalid_correlation');
  });
});

describe('chained correlations', () => {
  it('a correlation can reference another correlation', () => {
    const engine = engineWith(`title: Burst
id: burst
name: burst
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [TargetUserName]
  timespan: 1m
  condition:
    gte: 2
generate: true
---
title: Repeated bursts
id: bursts
correlation:
  type: event_count
  rules: [burst]
  group-by: [TargetUserName]
  timespan: 1h
  condition:
    gte: 2
`);
    const fired = correlationsOf(engine, [ev(4625, 0), ev(4625, 1000), ev(4625, 600_000), ev(4625, 601_000)]);
    assert.deepEqual(
      fired.map((m) => m.rule_id),
      ['burst', 'burst', 'bursts'],
    );
  });
});
