import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decisionFacts } from './decision-facts.ts';
import { recommend } from './decision-rules.ts';

const alert = (severity: string, details: Record<string, unknown> = {}, kind = 'rule') => ({
  id: 'a',
  org_id: 'o',
  device_id: 'd',
  kind,
  severity,
  title: 't',
  details: JSON.stringify(details),
  matched_event_ids: '[]',
  created_at: 0,
});

const decide = (a: ReturnType<typeof alert>, event?: { category: string | null; fields: unknown }) =>
  recommend(decisionFacts(a, event));

test('seed 000 rules on fixed alerts, in order, first match wins', () => {
  assert.deepEqual(decide(alert('critical')), {
    action: 'isolate_host',
    priority: 5,
    rule: 'severe-alert',
    boosts: [],
  });
  assert.equal(decide(alert('high')).action, 'isolate_host');
  assert.equal(decide(alert('medium', { score: 85 })).rule, 'high-score');
  assert.deepEqual(decide(alert('medium', { event_type: 'process', features: { vt_positives: 51 } })), {
    action: 'terminate_process',
    priority: 4,
    rule: 'vt-detected-process',
    boosts: [],
  });
  assert.equal(
    decide(alert('medium', { event_type: 'process', features: { vt_positives: 50 } })).action,
    'notify_soc',
  );
  assert.equal(
    decide(alert('low', { event_type: 'process', features: { hash_known_malicious: true } })).action,
    'terminate_process',
  );
  assert.equal(
    decide(alert('low', { event_type: 'network', features: { remote_ip: '8.8.8.8', is_private_ip: false } }))
      .action,
    'block_ip',
  );
  assert.equal(
    decide(alert('low', { event_type: 'network', features: { remote_ip: '10.0.0.1', is_private_ip: true } }))
      .action,
    'notify_soc',
  );
  // Seed 000 never fired this branch (its extractor emits yara_hits); ours reads both.
  assert.equal(
    decide(alert('low', { event_type: 'file', features: { yara_hits: ['Mimikatz'] } })).priority,
    3.5,
  );
  assert.deepEqual(decide(alert('low')), { action: 'notify_soc', priority: 1, rule: 'default', boosts: [] });
});

test('boosts raise the priority to their floor, never lower it', () => {
  const r = decide(alert('low', { reasons: { anomaly: ['iforest'], behavioral: ['hst'] } }));
  assert.equal(r.priority, 2.5);
  assert.deepEqual(r.boosts, ['anomaly-reasons']);
  assert.equal(decide(alert('low', { reasons: { behavioral: ['hst'], anomaly: [] } })).priority, 2);
  assert.equal(decide(alert('critical', { reasons: { anomaly: ['x'] } })).priority, 5);
});

test('features of our own alerts come from the first matched event', () => {
  const fromTmp = decide(alert('medium'), {
    category: 'process_creation',
    fields: { Image: '/tmp/.x/miner', ProcessId: 4242 },
  });
  assert.deepEqual(fromTmp, {
    action: 'quarantine_file',
    priority: 3,
    rule: 'process-from-suspicious-path',
    boosts: [],
  });
  const facts = decisionFacts(alert('medium'), {
    category: 'process_creation',
    fields: { Image: '/tmp/m', ProcessId: '77' },
  });
  assert.equal((facts.features as { pid: number }).pid, 77);
  const outbound = decide(alert('medium'), {
    category: 'network_connection',
    fields: { DestinationIp: '203.0.113.9' },
  });
  assert.equal(outbound.action, 'block_ip');
  const loop = decide(alert('medium'), {
    category: 'network_connection',
    fields: { DestinationIp: '127.0.0.1' },
  });
  assert.equal(loop.action, 'notify_soc');
  const ioc = decide(alert('medium', { indicator: { type: 'sha256' }, event_type: 'process' }, 'ioc'));
  assert.equal(ioc.action, 'terminate_process');
});
