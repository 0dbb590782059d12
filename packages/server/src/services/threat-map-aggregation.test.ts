import assert from 'node:assert/strict';
import { test } from 'node:test';
import { geoLookup, isPrivateAddress } from './geoip.ts';
import { aggregateThreats, attackTypeOf, type ThreatObservation } from './threat-map-aggregation.ts';

const T0 = Date.UTC(2026, 10, 21, 12);
const obs = (srcIp: string, over: Partial<ThreatObservation> = {}): ThreatObservation => ({
  ts: T0,
  srcIp,
  dstIp: '10.0.0.15',
  attackType: 'Scanner',
  severity: 5,
  origin: 'ingest',
  ...over,
});

test('GeoIP comes from the bundled database: the same address, the same place; private addresses none', () => {
  const a = geoLookup('81.2.69.142');
  assert.ok(a);
  assert.equal(a.country, 'GB');
  assert.deepEqual(geoLookup('81.2.69.142'), a);
  for (const ip of [
    '10.1.2.3',
    '192.168.1.1',
    '172.16.5.4',
    '127.0.0.1',
    '100.64.0.1',
    '169.254.1.1',
    'fe80::1',
    'fd00::1',
    '::1',
  ])
    assert.equal(geoLookup(ip), undefined, ip);
  assert.equal(isPrivateAddress('::ffff:10.0.0.1'), true);
  assert.equal(isPrivateAddress('8.8.8.8'), false);
  assert.equal(isPrivateAddress('not an ip'), true);
});

test('aggregation per window: one point per source, private sources excluded, unknown positions never invented', () => {
  const geo = (ip: string) =>
    ip === '203.0.113.5'
      ? undefined
      : { country: ip.startsWith('81.') ? 'GB' : 'US', region: null, city: null, lat: 1, lon: 2 };
  const snapshot = aggregateThreats(
    [
      obs('81.2.69.142', { severity: 9, attackType: 'Web', ts: T0 - 1000 }),
      obs('81.2.69.142'),
      obs('8.8.8.8', { origin: 'alert' }),
      obs('10.0.0.7'),
      obs('203.0.113.5'),
      obs('8.8.4.4', { ts: T0 - 3_600_000 }),
    ],
    { from: T0 - 60_000, to: T0 },
    geo,
    isPrivateAddress,
  );
  assert.equal(snapshot.total, 4);
  assert.equal(snapshot.located, 3);
  assert.equal(snapshot.unlocated, 1);
  assert.equal(snapshot.private_excluded, 1);
  assert.deepEqual(
    snapshot.points.map((p) => [p.src_ip, p.count, p.max_severity]),
    [
      ['81.2.69.142', 2, 9],
      ['8.8.8.8', 1, 5],
    ],
  );
  assert.deepEqual(snapshot.points[0]!.attack_types, { Web: 1, Scanner: 1 });
  assert.equal(snapshot.points[0]!.first_seen, new Date(T0 - 1000).toISOString());
  assert.deepEqual(snapshot.countries, [
    { country: 'GB', count: 2 },
    { country: 'US', count: 1 },
  ]);
  assert.deepEqual(snapshot.attack_types, [
    { attack_type: 'Scanner', count: 3 },
    { attack_type: 'Web', count: 1 },
  ]);
});

test('aggregation is deterministic whatever the order of the observations', () => {
  const list = [obs('8.8.8.8'), obs('81.2.69.142'), obs('1.1.1.1'), obs('81.2.69.142', { ts: T0 - 5 })];
  const window = { from: T0 - 60_000, to: T0 };
  const a = aggregateThreats(list, window, geoLookup, isPrivateAddress);
  const b = aggregateThreats([...list].reverse(), window, geoLookup, isPrivateAddress);
  assert.deepEqual(a, b);
  assert.deepEqual(
    a.points.map((p) => p.src_ip),
    ['81.2.69.142', '1.1.1.1', '8.8.8.8'],
  );
});

test('attack types from sensor categories, alert kinds and titles', () => {
  assert.equal(attackTypeOf({ kind: 'ioc' }), 'Malware');
  assert.equal(attackTypeOf({ text: 'ET SCAN Nmap Scripting Engine' }), 'Scanner');
  assert.equal(attackTypeOf({ category: 'dns', text: 'dns example.org' }), 'DNS');
  assert.equal(attackTypeOf({ category: 'proxy', text: 'GET http://x/' }), 'Web');
  assert.equal(attackTypeOf({ text: 'ET TOR Known Tor Exit Node' }), 'Anonymizer');
  assert.equal(attackTypeOf({ text: 'SSH brute force' }), 'Intrusion');
});
