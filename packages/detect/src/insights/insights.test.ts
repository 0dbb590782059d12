import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addContribution,
  aggregateEvents,
  contributionOf,
  dayFactsOf,
  emptyDayAggregate,
  epochDay,
  isoDay,
  mergeDayAggregates,
  parseIsoDay,
} from './day-aggregate.ts';
import { buildFingerprint, suppressRepeated } from './fingerprint.ts';
import {
  ACTIONS,
  buildInsightBundle,
  buildInsightBundleFromEvents,
  median,
  NoEventsError,
  riskScore,
} from './insight-bundle.ts';
import type { InsightEvent, InsightSeverity, InsightSource } from './insight-event.ts';
import { PyFloat, pythonJsonDumps } from './python-json.ts';
import { formatFixed, roundHalfEven } from './python-numbers.ts';

const DAY = 86_400_000;
// Noon UTC on a fixed day, so "days ago" never crosses a date line by accident.
const NOW = Date.UTC(2026, 1, 15, 12, 0, 0);

function ev(
  ts: number,
  source: InsightSource,
  severity: InsightSeverity,
  title: string,
  details: Record<string, unknown> = {},
): InsightEvent {
  return { ts, source, severity, title, details };
}

const failedLogin = (ts: number) =>
  ev(ts, 'auth', 'WARN', 'failed_login', { event_type: 'failed_login', username: 'alice' });

/** CONTRACTS.md §2.7's worked example. */
function workedExample(): InsightEvent[] {
  const events: InsightEvent[] = [];
  for (let daysAgo = 14; daysAgo >= 1; daysAgo--) events.push(failedLogin(NOW - daysAgo * DAY));
  for (let i = 0; i < 8; i++) events.push(failedLogin(NOW));
  events.push(
    ev(NOW, 'network', 'HIGH', 'listener_seen_non_local', {
      ip: '0.0.0.0',
      port: 8080,
      non_local_bind: true,
    }),
  );
  events.push(ev(NOW, 'process', 'INFO', 'process_seen', { process_name: 'x', pid: 7, exe: '/tmp/x' }));
  return events;
}

describe('Python number semantics', () => {
  it('rounds half to even on the exact binary value', () => {
    assert.equal(roundHalfEven(2.5), 2);
    assert.equal(roundHalfEven(3.5), 4);
    assert.equal(roundHalfEven(-2.5), -2);
    assert.equal(roundHalfEven(0.125, 2), 0.12);
    assert.equal(roundHalfEven(2.675, 2), 2.67);
    assert.equal(roundHalfEven(1.005, 2), 1);
    assert.equal(roundHalfEven(72.72727272727273, 2), 72.73);
    assert.equal(roundHalfEven(9.5), 10);
    assert.equal(roundHalfEven(0.5), 0);
  });
  it('formats like f"{x:.1f}"', () => {
    assert.equal(formatFixed(8, 1), '8.0');
    assert.equal(formatFixed(0.25, 1), '0.2');
    assert.equal(formatFixed(0.35, 1), '0.3');
    assert.equal(formatFixed(72.73, 1), '72.7');
    assert.equal(formatFixed(99.95, 1), '100.0');
  });
  it('serializes like json.dumps(sort_keys=True, ensure_ascii=True)', () => {
    assert.equal(
      pythonJsonDumps({ b: 1, a: new PyFloat(2), c: 'é', d: 0.5 }),
      '{"a":2.0,"b":1,"c":"\\u00e9","d":0.5}',
    );
  });
  it('takes medians as statistics.median does', () => {
    assert.equal(median([]), 0);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([1, 2, 3, 4]), 2.5);
  });
});

describe('fingerprints', () => {
  // Expected values computed with seed 002's core/dedup.py build_fingerprint.
  it('equal seed 002 for anomaly, driver and delta insights', () => {
    assert.equal(
      buildFingerprint('auth', 'failed_logins is 8.0x above 14-day median', {
        metric: 'failed_logins',
        today: 8,
        baseline: new PyFloat(1),
        ratio: new PyFloat(8),
        classification: 'anomalous',
      }),
      '55dd828960d03fdf2b2f11b82a6a9cae48d256e27161b8df52ac6af623391e6d',
    );
    assert.equal(
      buildFingerprint('system', 'Risk driver: auth (72.7%)', {
        category: 'auth',
        score: new PyFloat(24),
        percent: new PyFloat(72.73),
      }),
      '3bc0ce9909e0f633075b94ad8b7659b66f49446072bcb948c2c21d555afff042',
    );
    assert.equal(
      buildFingerprint('filewatch', 'Caf\u00e9  P\u00e4th\tX', {
        mtime: 1700000000.5,
        kind: 'startup_entry',
        path: '/Library/\u00e9',
      }),
      '8382dc8de7f43a751b9e35a83850f681cb439869ad9a99431c06a0c315be1a58',
    );
  });
  it('suppresses an insight seen 10 minutes ago inside a 30-minute window', () => {
    const now = NOW;
    const recent = new Map([
      ['a', now - 10 * 60_000],
      ['b', now - 31 * 60_000],
    ]);
    const { accepted, suppressed } = suppressRepeated(
      [{ fingerprint: 'a' }, { fingerprint: 'b' }, { fingerprint: 'c' }],
      recent,
      now,
    );
    assert.deepEqual(
      suppressed.map((s) => s.fingerprint),
      ['a'],
    );
    assert.deepEqual(
      accepted.map((s) => s.fingerprint),
      ['b', 'c'],
    );
  });
});

describe('the worked example (CONTRACTS.md §2.7)', () => {
  const bundle = buildInsightBundleFromEvents(workedExample(), NOW);
  it('scores 100 from a raw 33 and a delta of 91.0 against the 7-day average', () => {
    assert.equal(bundle.raw_risk_score, 33);
    assert.equal(bundle.risk_score, 100);
    assert.equal(bundle.daily_brief.delta_vs_7d_avg, 91);
    assert.equal(isoDay(bundle.day), '2026-02-15');
  });
  it('classifies failed logins as anomalous at 8.0x and the rest as normal', () => {
    assert.deepEqual(bundle.baseline.failed_logins, {
      metric: 'failed_logins',
      today: 8,
      baseline: 1,
      ratio: 8,
      classification: 'anomalous',
    });
    assert.equal(bundle.baseline.new_listeners.classification, 'normal');
    assert.equal(bundle.baseline.new_processes.classification, 'normal');
    assert.equal(bundle.baseline.suspicious_execs.classification, 'normal');
    assert.deepEqual(bundle.metrics, {
      failed_logins: 8,
      new_listeners: 1,
      new_processes: 1,
      suspicious_execs: 1,
    });
  });
  it('attributes 72.73 / 24.24 / 3.03 percent to auth, network exposure and process', () => {
    assert.deepEqual(bundle.drivers, [
      { category: 'auth', score: 24, percent: 72.73 },
      { category: 'network_exposure', score: 8, percent: 24.24 },
      { category: 'process', score: 1, percent: 3.03 },
    ]);
    assert.equal(bundle.daily_brief.top_driver, 'auth');
  });
  it('raises the anomaly, two drivers and the new listener delta', () => {
    assert.deepEqual(
      bundle.insights.map((i) => [i.insight_type, i.severity, i.title]),
      [
        ['anomaly', 'HIGH', 'failed_logins is 8.0x above 14-day median'],
        ['driver', 'WARN', 'Risk driver: auth (72.7%)'],
        ['driver', 'INFO', 'Risk driver: network_exposure (24.2%)'],
        ['delta', 'WARN', 'New risk since yesterday: listener_seen_non_local'],
      ],
    );
    assert.deepEqual(
      bundle.insights.map((i) => i.fingerprint),
      [
        '55dd828960d03fdf2b2f11b82a6a9cae48d256e27161b8df52ac6af623391e6d',
        '3bc0ce9909e0f633075b94ad8b7659b66f49446072bcb948c2c21d555afff042',
        '14d02149da1051ad2a96a44fe9c21941029764d76d9fb948ee58b2907a6b7011',
        'eb377f6eadef9d8573084caf98464ceade990865bb4b09eddcd4ed1f638526c5',
      ],
    );
    assert.deepEqual(bundle.new_changes, ['listener_seen_non_local']);
    assert.deepEqual(bundle.resolved_changes, []);
  });
  it('briefs the anomaly and recommends the first three actions', () => {
    assert.deepEqual(bundle.daily_brief.anomalies, ['failed_logins is 8.0x above 14-day median']);
    assert.deepEqual(bundle.daily_brief.recommended_actions, [
      ACTIONS.failedLogins,
      ACTIONS.newListeners,
      ACTIONS.suspiciousExecs,
    ]);
  });
});

describe("seed 002's own engine tests", () => {
  it('build_insight_bundle requires events', () => {
    assert.throws(() => buildInsightBundleFromEvents([], NOW), NoEventsError);
  });
  it('classifies anomalous failed logins (ratio >= 3 and an anomaly insight)', () => {
    const events: InsightEvent[] = [];
    for (let d = 14; d >= 1; d--) events.push(failedLogin(NOW - d * DAY));
    for (let i = 0; i < 8; i++) events.push(failedLogin(NOW));
    const bundle = buildInsightBundleFromEvents(events, NOW);
    assert.equal(bundle.baseline.failed_logins.classification, 'anomalous');
    assert.ok(bundle.baseline.failed_logins.ratio >= 3);
    assert.ok(bundle.insights.some((i) => i.insight_type === 'anomaly'));
  });
  it('the daily brief contains recommendations', () => {
    const events: InsightEvent[] = [];
    for (let d = 3; d >= 1; d--) {
      events.push(
        ev(NOW - d * DAY, 'process', 'INFO', 'process_seen', { process_name: 'app', exe: '/usr/bin/app' }),
      );
    }
    for (let i = 0; i < 3; i++) events.push(failedLogin(NOW));
    const bundle = buildInsightBundleFromEvents(events, NOW);
    assert.ok(bundle.daily_brief.recommended_actions.length > 0);
    assert.equal(bundle.daily_brief.recommended_actions[0], ACTIONS.failedLogins);
  });
  it('driver attribution percentages are bounded', () => {
    const bundle = buildInsightBundleFromEvents(
      [
        ev(NOW, 'auth', 'WARN', 'failed_login', { event_type: 'failed_login' }),
        ev(NOW, 'network', 'HIGH', 'listener_seen_non_local', {
          ip: '0.0.0.0',
          port: 8080,
          non_local_bind: true,
        }),
        ev(NOW, 'process', 'INFO', 'process_seen', { process_name: 'a' }),
      ],
      NOW,
    );
    const total = bundle.drivers.reduce((s, d) => s + d.percent, 0);
    assert.ok(total >= 99 && total <= 101);
    assert.ok(bundle.drivers.every((d) => d.percent >= 0 && d.percent <= 100));
  });
});

describe('edge cases', () => {
  it('without history: baseline 0, denominator 30, the mean is the score itself', () => {
    const bundle = buildInsightBundleFromEvents([ev(NOW, 'system', 'WARN', 'collector_failure', {})], NOW);
    assert.equal(bundle.raw_risk_score, 3);
    assert.equal(bundle.risk_score, 10);
    assert.equal(bundle.daily_brief.delta_vs_7d_avg, 0);
    assert.equal(bundle.baseline.failed_logins.baseline, 0);
    assert.equal(bundle.daily_brief.top_driver, 'process');
    assert.deepEqual(bundle.daily_brief.recommended_actions, [ACTIONS.processDriver, ACTIONS.newChanges]);
  });
  it('a quiet day recommends keeping the baseline', () => {
    const bundle = buildInsightBundleFromEvents(
      [ev(NOW, 'filewatch', 'INFO', 'filewatch_new_path', {})],
      NOW,
    );
    assert.deepEqual(bundle.daily_brief.recommended_actions, [ACTIONS.none]);
  });
  it('rounds the score half to even: 45/60*100 = 75 exactly, 3/40 → 7.5 → 8, 1/40 → 2.5 → 2', () => {
    assert.equal(riskScore(45, 60), 75);
    assert.equal(riskScore(3, 40), 8);
    assert.equal(riskScore(1, 40), 2);
    assert.equal(riskScore(5, 40), 12);
    assert.equal(riskScore(80, 30), 100);
  });
  it('breaks driver ties by the first event met, as seed 002 does', () => {
    const bundle = buildInsightBundleFromEvents(
      [ev(NOW + 1000, 'auth', 'WARN', 'a', {}), ev(NOW, 'filewatch', 'WARN', 'f', {})],
      NOW,
    );
    assert.deepEqual(
      bundle.drivers.map((d) => [d.category, d.percent]),
      [
        ['filewatch', 50],
        ['auth', 50],
      ],
    );
  });
  it('uses the latest day with events, not today, and yesterday by calendar', () => {
    const events = [
      ev(NOW - 5 * DAY, 'network', 'HIGH', 'listener_seen_non_local', { ip: '0.0.0.0', port: 22 }),
      ev(NOW - 3 * DAY, 'network', 'HIGH', 'listener_seen_non_local', { ip: '0.0.0.0', port: 22 }),
    ];
    const bundle = buildInsightBundleFromEvents(events, NOW);
    assert.equal(bundle.day, epochDay(NOW - 3 * DAY));
    // Day −4 has no events, so the listener is new and the change is new again.
    assert.equal(bundle.metrics.new_listeners, 1);
    assert.deepEqual(bundle.new_changes, ['listener_seen_non_local']);
  });
  it('reports changes resolved since yesterday', () => {
    const events = [
      ev(NOW - DAY, 'process', 'HIGH', 'denied_process', { process_name: 'nc', exe: '/usr/bin/nc' }),
      ev(NOW, 'process', 'INFO', 'process_seen', { process_name: 'ls', exe: '/bin/ls' }),
    ];
    const bundle = buildInsightBundleFromEvents(events, NOW);
    assert.deepEqual(bundle.resolved_changes, ['denied_process']);
    const resolved = bundle.insights.find((i) => i.title === 'Resolved since yesterday: denied_process');
    assert.equal(resolved?.status, 'resolved');
    assert.equal(resolved?.severity, 'INFO');
  });
  it('parses ISO days strictly', () => {
    assert.equal(parseIsoDay('2026-02-15'), epochDay(NOW));
    assert.equal(parseIsoDay('2026-02-30'), undefined);
    assert.equal(parseIsoDay('yesterday'), undefined);
  });
});

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomEvents(rand: () => number, n: number): InsightEvent[] {
  const sources: InsightSource[] = ['process', 'auth', 'network', 'filewatch', 'system'];
  const severities: InsightSeverity[] = ['INFO', 'WARN', 'HIGH'];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const out: InsightEvent[] = [];
  for (let i = 0; i < n; i++) {
    const source = pick(sources);
    const details: Record<string, unknown> = {};
    if (rand() < 0.4) details.process_name = pick(['sh', 'curl', 'nc', 'python']);
    if (rand() < 0.4)
      details.exe = pick(['/usr/bin/x', '/tmp/x', 'C:\\Users\\a\\AppData\\Local\\Temp\\x.exe']);
    if (rand() < 0.3) {
      details.ip = pick(['0.0.0.0', '127.0.0.1']);
      details.port = pick([22, 80, 8080]);
    }
    if (rand() < 0.2) details.event_type = 'failed_login';
    out.push(
      ev(
        NOW - Math.floor(rand() * 31 * DAY),
        source,
        pick(severities),
        pick(['failed_login', 'process_seen', 'listener_seen', 'Failed password']),
        details,
      ),
    );
  }
  return out;
}

describe('incremental aggregates', () => {
  it('equal a full recomputation on random data, whatever the batches and their order', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const rand = random(seed);
      const events = randomEvents(rand, 400);
      const full = buildInsightBundleFromEvents(events, NOW);

      // Incremental: random batches, each folded into the running per-day aggregates in arrival order.
      const shuffled = [...events].sort(() => rand() - 0.5);
      const running = new Map<number, ReturnType<typeof emptyDayAggregate>>();
      for (let i = 0; i < shuffled.length; ) {
        const size = 1 + Math.floor(rand() * 40);
        const batch = aggregateEvents(shuffled.slice(i, i + size));
        i += size;
        for (const [day, agg] of batch) {
          const prev = running.get(day);
          running.set(day, prev ? mergeDayAggregates(prev, agg) : agg);
        }
      }
      const incremental = buildInsightBundle(dayFactsOf(running), NOW);
      assert.deepEqual(incremental, full, `seed ${seed}`);

      // And one contribution at a time.
      const single = new Map<number, ReturnType<typeof emptyDayAggregate>>();
      for (const e of shuffled) {
        const c = contributionOf(e);
        const agg = single.get(c.day) ?? emptyDayAggregate(c.day);
        single.set(c.day, addContribution(agg, c));
      }
      assert.deepEqual(buildInsightBundle(dayFactsOf(single), NOW), full, `seed ${seed} (single)`);
    }
  });
});
