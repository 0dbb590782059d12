import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  networkSensorOf,
  normalizeNetworkRecord,
  normalizeSuricataEve,
  normalizeZeekLog,
} from './network-sensor.ts';
import { normalizeShipperItems } from './shipper-events.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/network/${name}`, import.meta.url), 'utf8');
const eve = fixture('suricata-eve.jsonl')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Record<string, unknown>);
const zeek = (log: string) => JSON.parse(fixture(`zeek-${log}.json`)) as Record<string, unknown>;
const NOW = Date.UTC(2026, 10, 21);

function ok(r: ReturnType<typeof normalizeSuricataEve>) {
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r;
}

test('Suricata alert: signature, severity 1 → high, endpoints and the HTTP transaction in Sigma names', () => {
  const r = ok(normalizeSuricataEve(eve[0], NOW));
  assert.equal(r.event.source, 'suricata');
  assert.deepEqual(r.event.logsource, { product: 'suricata', service: 'alert', category: 'ids' });
  assert.equal(r.event.severity, 'high');
  assert.equal(r.event.ts, Date.parse('2026-11-20T09:15:02.417Z'));
  assert.equal(r.event.title, 'ET WEB_SERVER Possible CVE-2017-5638 Apache Struts Remote Code Execution');
  const f = r.event.fields;
  assert.equal(f.SourceIp, '203.0.113.77');
  assert.equal(f.DestinationIp, '10.0.0.15');
  assert.equal(f.DestinationPort, 80);
  assert.equal(f.Protocol, 'tcp');
  assert.equal(f.AlertSignatureId, 2024897);
  assert.equal(f.AlertCategory, 'Attempted Administrator Privilege Gain');
  assert.equal(f['cs-host'], 'intranet.example.org');
  assert.equal(f['cs-method'], 'POST');
  assert.equal(f.url, 'http://intranet.example.org/struts2-showcase/index.action');
  assert.equal(r.host, 'sensor-dmz');
});

test('Suricata flow → network_connection with byte and packet counts', () => {
  const r = ok(normalizeSuricataEve(eve[1], NOW));
  assert.equal(r.event.logsource.category, 'network_connection');
  const f = r.event.fields;
  assert.equal(f.DestinationIp, '198.51.100.23');
  assert.equal(f.DestinationPort, 4444);
  assert.equal(f.BytesToServer, 2210);
  assert.equal(f.PacketsToClient, 9);
  assert.equal(f.FlowState, 'closed');
  assert.equal(r.event.severity, undefined);
});

test('Suricata dns: queries (v2 query record) and answers (grouped and detailed)', () => {
  const q = ok(normalizeSuricataEve(eve[2], NOW));
  assert.equal(q.event.logsource.category, 'dns');
  assert.equal(q.event.fields.QueryName, 'c2.badcorp.example');
  assert.equal(q.event.fields.query, 'c2.badcorp.example');
  assert.equal(q.event.fields.record_type, 'A');
  const a = ok(normalizeSuricataEve(eve[3], NOW));
  assert.equal(a.event.fields.QueryName, 'c2.badcorp.example');
  assert.deepEqual(a.event.fields.answer, ['198.51.100.23', '198.51.100.23']);
  assert.equal(a.event.fields.DnsRcode, 'NOERROR');
});

test('Suricata http → proxy: c-uri, stem, query, extension, cs-host, user agent, status, full url', () => {
  const r = ok(normalizeSuricataEve(eve[4], NOW));
  assert.equal(r.event.logsource.category, 'proxy');
  const f = r.event.fields;
  assert.equal(f['c-uri'], '/payload.bin?id=7');
  assert.equal(f['c-uri-stem'], '/payload.bin');
  assert.equal(f['c-uri-query'], 'id=7');
  assert.equal(f['c-uri-extension'], 'bin');
  assert.equal(f['c-useragent'], 'curl/8.4.0');
  assert.equal(f['sc-status'], 200);
  assert.equal(f['cs-referrer'], 'http://portal.example.org/');
  assert.equal(f.url, 'http://dl.badcorp.example:8080/payload.bin?id=7');
});

test('Suricata tls: SNI as ServerName and DestinationHostname, JA3', () => {
  const r = ok(normalizeSuricataEve(eve[5], NOW));
  assert.deepEqual(r.event.logsource, { product: 'suricata', service: 'tls' });
  assert.equal(r.event.fields.ServerName, 'login.phish.example');
  assert.equal(r.event.fields.DestinationHostname, 'login.phish.example');
  assert.equal(r.event.fields.Ja3, 'e7d705a3286e19ea42f587b344ee6865');
  assert.equal(r.event.fields.TlsVersion, 'TLS 1.3');
});

test('Suricata: other event types and non-objects are refused with a reason', () => {
  const r = normalizeSuricataEve({ ...eve[1], event_type: 'stats' }, NOW);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.code, 'unsupported_event_type');
  assert.equal(normalizeSuricataEve('x', NOW).ok, false);
  assert.equal(normalizeSuricataEve({ timestamp: 'x' }, NOW).ok, false);
});

test('Zeek conn → network_connection; Zeek names kept for product: zeek rules', () => {
  const r = ok(normalizeZeekLog(zeek('conn'), NOW));
  assert.deepEqual(r.event.logsource, { product: 'zeek', service: 'conn', category: 'network_connection' });
  assert.equal(r.event.ts, 1763630102512);
  const f = r.event.fields;
  assert.equal(f.SourceIp, '10.0.0.15');
  assert.equal(f.DestinationIp, '198.51.100.23');
  assert.equal(f.DestinationPort, 4444);
  assert.equal(f['id.resp_p'], 4444);
  assert.equal(f.ConnState, 'SF');
  assert.equal(f.ZeekUid, 'CHhAvVGS1DHFjwGM9');
});

test('Zeek dns, http, ssl (nested id) and notice', () => {
  const dns = ok(normalizeZeekLog(zeek('dns'), NOW));
  assert.equal(dns.event.logsource.category, 'dns');
  assert.equal(dns.event.fields.QueryName, 'c2.badcorp.example');
  assert.equal(dns.event.fields.record_type, 'A');
  assert.deepEqual(dns.event.fields.answer, ['198.51.100.23']);
  const http = ok(normalizeZeekLog(zeek('http'), NOW));
  assert.equal(http.event.logsource.category, 'proxy');
  assert.equal(http.event.fields['cs-host'], 'dl.badcorp.example');
  assert.equal(http.event.fields['c-uri'], '/payload.bin?id=7');
  assert.equal(http.event.fields.url, 'http://dl.badcorp.example:8080/payload.bin?id=7');
  assert.equal(http.event.fields['sc-status'], 200);
  assert.equal(http.event.fields.uri, '/payload.bin?id=7');
  const ssl = ok(normalizeZeekLog(zeek('ssl'), NOW));
  assert.equal(ssl.event.logsource.service, 'ssl');
  assert.equal(ssl.event.fields.SourceIp, '10.0.0.15');
  assert.equal(ssl.event.fields['id.resp_h'], '192.0.2.80');
  assert.equal(ssl.event.fields.ServerName, 'login.phish.example');
  const notice = ok(normalizeZeekLog(zeek('notice'), NOW));
  assert.equal(notice.event.logsource.service, 'notice');
  assert.equal(notice.event.severity, 'medium');
  assert.equal(notice.event.fields.Note, 'SSH::Password_Guessing');
  assert.equal(notice.event.fields.SourceIp, '203.0.113.77');
  assert.match(notice.event.title ?? '', /^SSH::Password_Guessing: 203\.0\.113\.77 appears/);
});

test('Zeek: unknown logs are refused', () => {
  const r = normalizeZeekLog({ _path: 'x509', ts: 1 }, NOW);
  assert.equal(!r.ok && r.code, 'unsupported_event_type');
  assert.equal(normalizeZeekLog({ ts: 1 }, NOW).ok, false);
});

test('sensor records are recognized by shape, and the shipper path normalizes them', () => {
  assert.equal(networkSensorOf(eve[0]!), 'suricata');
  for (const log of ['conn', 'dns', 'http', 'ssl', 'notice'])
    assert.equal(networkSensorOf(zeek(log)), 'zeek');
  assert.equal(networkSensorOf({ message: 'x', timestamp: 'y' }), undefined);
  assert.equal(normalizeNetworkRecord('zeek', zeek('dns'), NOW).ok, true);
  const results = normalizeShipperItems(
    [
      { kind: 'document', value: eve[4] },
      { kind: 'document', value: zeek('conn') },
    ],
    NOW,
  );
  const [a, b] = results;
  assert.ok(a?.ok && b?.ok);
  assert.equal(a.events[0]!.event.source, 'suricata');
  assert.equal(a.events[0]!.host, 'sensor-dmz');
  assert.equal(a.events[0]!.event.fields['cs-host'], 'dl.badcorp.example');
  assert.equal(b.events[0]!.event.source, 'zeek');
  assert.equal(b.events[0]!.event.logsource.category, 'network_connection');
});
