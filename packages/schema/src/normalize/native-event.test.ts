import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  NATIVE_EVENT_LIMITS,
  NativeEvent,
  nativeTypeCategory,
  normalizeNativeEvent,
} from './native-event.ts';

const base = {
  id: '01890f6e-0000-7000-8000-000000000001',
  ts: '2025-11-02T14:03:07.123456789+01:00',
  type: 'process_start',
  fields: { Image: '/usr/bin/curl', CommandLine: 'curl http://x', User: 'root', ProcessId: 42 },
};

function errorCode(input: unknown): string | undefined {
  const r = normalizeNativeEvent(input);
  return r.ok ? undefined : r.error.code;
}

test('a process_start event normalizes with a default Sigma category and the device product', () => {
  const r = normalizeNativeEvent(base, { product: 'linux' });
  assert.ok(r.ok);
  assert.equal(r.id, base.id);
  assert.deepEqual(r.event, {
    ts: Date.parse('2025-11-02T13:03:07.123Z'),
    source: 'native',
    logsource: { product: 'linux', category: 'process_creation' },
    fields: base.fields,
  });
  // fields are handed over, not copied (hot path)
  assert.equal(r.event.fields, base.fields);
});

test('type → category defaults, and logsource given by the event wins part by part', () => {
  assert.equal(nativeTypeCategory('process_start'), 'process_creation');
  assert.equal(nativeTypeCategory('process_end'), 'process_termination');
  assert.equal(nativeTypeCategory('network_listen'), 'network_connection');
  assert.equal(nativeTypeCategory('network_connection'), 'network_connection');
  assert.equal(nativeTypeCategory('file_change'), 'file_event');
  assert.equal(nativeTypeCategory('auth'), 'authentication');
  assert.equal(nativeTypeCategory('log'), undefined);
  assert.equal(nativeTypeCategory('dns_query'), 'dns_query');
  assert.equal(nativeTypeCategory('toString'), 'toString');

  const r = normalizeNativeEvent(
    { ...base, type: 'log', logsource: { product: 'linux', service: 'sshd' } },
    { product: 'windows' },
  );
  assert.ok(r.ok);
  assert.deepEqual(r.event.logsource, { product: 'linux', service: 'sshd' });

  const r2 = normalizeNativeEvent({ ...base, logsource: { category: 'image_load', product: null } });
  assert.ok(r2.ok);
  assert.deepEqual(r2.event.logsource, { category: 'image_load' });
});

test('severity and title', () => {
  const r = normalizeNativeEvent({ ...base, severity: 'HIGH', title: 'curl from root' });
  assert.ok(r.ok);
  assert.equal(r.event.severity, 'high');
  assert.equal(r.event.title, 'curl from root');
  const r2 = normalizeNativeEvent({ ...base, severity: 'informational' });
  assert.ok(r2.ok);
  assert.equal(r2.event.severity, 'informational');
  assert.equal(errorCode({ ...base, severity: 'urgent' }), 'invalid_severity');
  assert.equal(errorCode({ ...base, severity: 3 }), 'invalid_severity');
  assert.equal(
    errorCode({ ...base, title: 'x'.repeat(NATIVE_EVENT_LIMITS.titleMaxLength + 1) }),
    'title_too_long',
  );
  assert.equal(errorCode({ ...base, title: 5 }), 'invalid_event');
});

test('timestamps: RFC 3339 with any offset, epoch ms, and precise errors', () => {
  const ms = Date.parse('2025-11-02T13:03:07.123Z');
  const a = normalizeNativeEvent({ ...base, ts: ms });
  assert.ok(a.ok && a.event.ts === ms);
  const b = normalizeNativeEvent({ ...base, ts: '2025-11-02T13:03:07.123Z' });
  assert.ok(b.ok && b.event.ts === ms);
  assert.equal(errorCode({ ...base, ts: 'not-a-date' }), 'invalid_timestamp');
  assert.equal(errorCode({ ...base, ts: '2025-02-30T00:00:00Z' }), 'invalid_timestamp');
  assert.equal(errorCode({ ...base, ts: undefined }), 'invalid_timestamp');
  assert.equal(errorCode({ ...base, ts: null }), 'invalid_timestamp');
  assert.equal(errorCode({ ...base, ts: true }), 'invalid_timestamp');
});

test('shape errors', () => {
  assert.equal(errorCode(null), 'invalid_event');
  assert.equal(errorCode([]), 'invalid_event');
  assert.equal(errorCode('x'), 'invalid_event');
  assert.equal(errorCode({ ...base, id: '' }), 'invalid_id');
  assert.equal(errorCode({ ...base, id: 7 }), 'invalid_id');
  assert.equal(errorCode({ ...base, id: 'x'.repeat(129) }), 'invalid_id');
  assert.ok(normalizeNativeEvent({ ...base, id: 'x'.repeat(128) }).ok);
  const noId = normalizeNativeEvent({ ...base, id: undefined });
  assert.ok(noId.ok && noId.id === undefined);
  assert.equal(errorCode({ ...base, type: '' }), 'invalid_type');
  assert.equal(errorCode({ ...base, type: 1 }), 'invalid_type');
  assert.equal(errorCode({ ...base, type: 'x'.repeat(65) }), 'invalid_type');
  assert.equal(errorCode({ ...base, logsource: 'windows' }), 'invalid_logsource');
  assert.equal(errorCode({ ...base, logsource: { product: 1 } }), 'invalid_logsource');
  assert.equal(errorCode({ ...base, logsource: { service: 'x'.repeat(129) } }), 'invalid_logsource');
  assert.equal(errorCode({ ...base, fields: undefined }), 'invalid_fields');
  assert.equal(errorCode({ ...base, fields: [] }), 'invalid_fields');
  assert.equal(errorCode({ ...base, fields: { '': 1 } }), 'invalid_fields');
  assert.ok(normalizeNativeEvent({ ...base, extra: 'ignored' }).ok);
});

test('field limits: count, name length, value bytes, depth', () => {
  const many: Record<string, number> = {};
  for (let i = 0; i < 256; i++) many[`f${i}`] = i;
  assert.ok(normalizeNativeEvent({ ...base, fields: many }).ok);
  many.f256 = 1;
  const r = normalizeNativeEvent({ ...base, fields: many });
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'too_many_fields');
  assert.match(r.error.message, /256/);

  assert.ok(normalizeNativeEvent({ ...base, fields: { ['N'.repeat(128)]: 1 } }).ok);
  assert.equal(errorCode({ ...base, fields: { ['N'.repeat(129)]: 1 } }), 'field_name_too_long');

  const max = NATIVE_EVENT_LIMITS.fieldValueMaxBytes;
  assert.ok(normalizeNativeEvent({ ...base, fields: { CommandLine: 'a'.repeat(max) } }).ok);
  const long = normalizeNativeEvent({ ...base, fields: { CommandLine: 'a'.repeat(max + 1) } });
  assert.ok(!long.ok);
  assert.equal(long.error.code, 'field_too_long');
  assert.match(long.error.message, /CommandLine/);
  // UTF-8 bytes, not UTF-16 units: 'é' is 2 bytes, '😀' 4 bytes.
  assert.ok(normalizeNativeEvent({ ...base, fields: { x: 'é'.repeat(max / 2) } }).ok);
  assert.equal(errorCode({ ...base, fields: { x: `${'é'.repeat(max / 2)}a` } }), 'field_too_long');
  assert.ok(normalizeNativeEvent({ ...base, fields: { x: '😀'.repeat(max / 4) } }).ok);
  assert.equal(errorCode({ ...base, fields: { x: `${'😀'.repeat(max / 4)}a` } }), 'field_too_long');
  assert.equal(errorCode({ ...base, fields: { args: ['ok', 'a'.repeat(max + 1)] } }), 'field_too_long');
  assert.equal(errorCode({ ...base, fields: { o: { deep: 'a'.repeat(max + 1) } } }), 'field_too_long');

  let nested: unknown = 'x';
  for (let i = 0; i < 8; i++) nested = [nested];
  assert.ok(normalizeNativeEvent({ ...base, fields: { n: nested } }).ok);
  assert.equal(errorCode({ ...base, fields: { n: [nested] } }), 'field_too_deep');
});

test('fields keep any JSON value type', () => {
  const fields = { a: 1, b: true, c: null, d: [1, 'x'], e: { f: 'g' } };
  const r = normalizeNativeEvent({ ...base, fields });
  assert.ok(r.ok);
  assert.deepEqual(r.event.fields, fields);
});

test('the TypeBox schema agrees with the normalizer on valid and invalid shapes', () => {
  const check = TypeCompiler.Compile(NativeEvent);
  assert.ok(check.Check(base));
  assert.ok(check.Check({ ...base, ts: 1762092187123, logsource: { product: 'windows' }, severity: 'high' }));
  assert.ok(!check.Check({ ...base, type: '' }));
  assert.ok(!check.Check({ ...base, fields: [] }));
  assert.ok(!check.Check({ ...base, id: 'x'.repeat(129) }));
});

// Speed is measured by `npm run bench:ingest`, never asserted here.
test('normalizes a large batch without failures', () => {
  const events = Array.from({ length: 1000 }, (_, i) => ({
    ...base,
    id: `e${i}`,
    fields: { ...base.fields, ProcessId: i },
  }));
  let ok = 0;
  for (let round = 0; round < 100; round++) {
    for (const e of events) if (normalizeNativeEvent(e).ok) ok++;
  }
  assert.equal(ok, 100_000);
});
