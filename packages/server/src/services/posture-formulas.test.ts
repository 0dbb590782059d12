import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  anomalyLevel,
  eventClass,
  hostSecurityScore,
  median,
  postureScore,
  resourceThreatLevel,
  threatCategory,
  threatLevelFromRank,
} from './posture-formulas.ts';

test('threat level from the most severe open alert', () => {
  assert.deepEqual([-1, 0, 1, 2, 3, 4].map(threatLevelFromRank), [1, 2, 2, 3, 4, 5]);
});

test('posture score: alert, coverage and pressure penalties on fixed data', () => {
  assert.equal(
    postureScore({ openAlertRanks: [], liveDevices: 0, onlineDevices: 0, onlineUnderPressure: 0 }),
    100,
  );
  // 1 critical (10) + 2 high (5 each) + 1 low (1) = 21; 1 of 4 offline = 7.5; 1 of 3 online under pressure = 6.67.
  assert.equal(
    postureScore({ openAlertRanks: [4, 3, 3, 1], liveDevices: 4, onlineDevices: 3, onlineUnderPressure: 1 }),
    64.83,
  );
  // The alert penalty is capped at 50; everything offline costs 30.
  assert.equal(
    postureScore({
      openAlertRanks: Array(20).fill(4),
      liveDevices: 2,
      onlineDevices: 0,
      onlineUnderPressure: 0,
    }),
    20,
  );
});

test('resource levels, host score and categories (seed 000 thresholds)', () => {
  assert.equal(resourceThreatLevel(95, 10), 5);
  assert.equal(resourceThreatLevel(50, 86), 4);
  assert.equal(resourceThreatLevel(71, 0), 3);
  assert.equal(resourceThreatLevel(61, 0), 2);
  assert.equal(resourceThreatLevel(10, 10), 1);
  assert.equal(hostSecurityScore(50, 0.5, 50), 60);
  assert.equal(hostSecurityScore(100, 1, 100), 20);
  assert.equal(
    threatCategory({ maxOpenRank: 3, cpu: 0, memPct: 0, diskPct: 0, uptimeS: 1 }),
    'Active Threat',
  );
  assert.equal(
    threatCategory({ maxOpenRank: -1, cpu: 90, memPct: 91, diskPct: 0, uptimeS: null }),
    'Resource Exhaustion',
  );
  assert.equal(
    threatCategory({ maxOpenRank: 2, cpu: 96, memPct: 0, diskPct: 0, uptimeS: null }),
    'CPU Spike Anomaly',
  );
  assert.equal(
    threatCategory({ maxOpenRank: -1, cpu: 0, memPct: 96, diskPct: 0, uptimeS: null }),
    'Memory Pressure',
  );
  assert.equal(
    threatCategory({ maxOpenRank: -1, cpu: 0, memPct: 0, diskPct: 96, uptimeS: null }),
    'Storage Critical',
  );
  assert.equal(
    threatCategory({ maxOpenRank: -1, cpu: 0, memPct: 0, diskPct: 0, uptimeS: 60 }),
    'Recent Restart',
  );
  assert.equal(
    threatCategory({ maxOpenRank: -1, cpu: 0, memPct: 0, diskPct: 0, uptimeS: 7200 }),
    'Normal Operation',
  );
});

test('anomaly level against the median; event classes', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([1, 2, 3, 4]), 2.5);
  assert.equal(anomalyLevel(10, 3), 3);
  assert.equal(anomalyLevel(5, 3), 2);
  assert.equal(anomalyLevel(4, 3), 1);
  assert.equal(anomalyLevel(2, 0), 2, 'an empty window counts as a median of 1');
  assert.equal(eventClass('process_creation', 'agent'), 'Process Events');
  assert.equal(eventClass('network_connection', 'agent'), 'Network Events');
  assert.equal(eventClass('file_event', 'agent'), 'File Events');
  assert.equal(eventClass('authentication', 'syslog'), 'Security Events');
  assert.equal(eventClass(null, 'signal'), 'Security Events');
  assert.equal(eventClass('software', 'agent'), 'System Events');
});
