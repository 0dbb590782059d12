import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSec44IngestRequest, type Sec44Event } from '../seeds/sec44.ts';
import { normalizeSec44Event, sec44Logsource } from './sec44-event.ts';

const ts = Date.parse('2026-02-15T09:59:58Z');

test('process_seen → process_creation with Sigma aliases, originals kept', () => {
  const event: Sec44Event = {
    ts,
    source: 'process',
    severity: 'HIGH',
    platform: 'macos',
    title: 'process_seen',
    details_json: { process_name: 'nc', pid: 412, exe: '/usr/bin/nc', username: 'bob' },
  };
  assert.deepEqual(normalizeSec44Event(event), {
    ts,
    source: 'sec44',
    logsource: { product: 'macos', category: 'process_creation' },
    fields: {
      process_name: 'nc',
      pid: 412,
      exe: '/usr/bin/nc',
      username: 'bob',
      Image: '/usr/bin/nc',
      ProcessId: 412,
      User: 'bob',
    },
    title: 'process_seen',
    severity: 'high',
    raw: event,
  });
  assert.deepEqual(event.details_json, { process_name: 'nc', pid: 412, exe: '/usr/bin/nc', username: 'bob' });
});

test('logsource per source and platform', () => {
  assert.deepEqual(sec44Logsource('auth', 'macos'), { product: 'macos', category: 'authentication' });
  assert.deepEqual(sec44Logsource('auth', 'windows'), {
    product: 'windows',
    category: 'authentication',
    service: 'security',
  });
  assert.deepEqual(sec44Logsource('network', 'windows'), {
    product: 'windows',
    category: 'network_connection',
  });
  assert.deepEqual(sec44Logsource('filewatch', 'macos'), { product: 'macos', category: 'file_event' });
  assert.deepEqual(sec44Logsource('system', 'macos'), { product: 'macos' });
});

test('auth, network, filewatch and severity mapping', () => {
  const base = { ts, platform: 'windows' as const, title: 't' };
  const auth = normalizeSec44Event({
    ...base,
    source: 'auth',
    severity: 'WARN',
    details_json: { event_type: 'failed_login', event_id: 4625, username: 'admin' },
  });
  assert.equal(auth.severity, 'medium');
  assert.equal(auth.fields.EventID, 4625);
  assert.equal(auth.fields.TargetUserName, 'admin');
  assert.equal(auth.fields.User, 'admin');

  const net = normalizeSec44Event({
    ...base,
    source: 'network',
    severity: 'INFO',
    details_json: { ip: '0.0.0.0', port: 4444, pid: 9, process_name: 'nc', non_local_bind: true },
  });
  assert.equal(net.severity, 'informational');
  assert.equal(net.fields.DestinationIp, '0.0.0.0');
  assert.equal(net.fields.DestinationPort, 4444);
  assert.equal(net.fields.ProcessId, 9);

  const file = normalizeSec44Event({
    ...base,
    source: 'filewatch',
    severity: 'INFO',
    details_json: { path: 'C:\\Users\\a\\Downloads\\x.exe', Image: 'kept' },
  });
  assert.equal(file.fields.TargetFilename, 'C:\\Users\\a\\Downloads\\x.exe');
  assert.equal(file.fields.Image, 'kept');
});

test('end to end from a parsed batch (sanitized fields)', () => {
  const parsed = parseSec44IngestRequest({
    org_id: 'acme',
    device_id: 'dev-1',
    agent_version: '0.2.0',
    nonce: '00112233445566778899aabbccddeeff',
    events: [
      {
        ts: '2026-02-15T10:59:58+01:00',
        source: 'auth',
        severity: 'WARN',
        platform: 'macos',
        title: 'macos_failed_login',
        details_json: { username: 'bob@example.com', message: 'failed' },
      },
    ],
  });
  assert.ok(parsed.ok);
  const e = normalizeSec44Event(parsed.value.events[0]!);
  assert.equal(e.ts, ts);
  assert.equal(e.fields.User, '[email-redacted]');
  assert.deepEqual(e.logsource, { product: 'macos', category: 'authentication' });
});
