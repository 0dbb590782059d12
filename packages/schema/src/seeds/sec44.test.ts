import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePythonJson } from '../python-canonical-json.ts';
import { validate } from '../validate.ts';
import {
  parseSec44IngestRequest,
  SEC44_MAX_EVENTS_PER_BATCH,
  SEC44_MAX_PAYLOAD_BYTES,
  SEC44_NONCE_MAX_LENGTH,
  SEC44_NONCE_MIN_LENGTH,
  Sec44IngestRequest,
} from './sec44.ts';

const ev = {
  ts: '2026-02-15T09:59:58+00:00',
  source: 'process',
  severity: 'INFO',
  platform: 'macos',
  title: 'process_seen',
  details_json: { username: 'bob@example.com', exe: '/bin/x\u0000y' },
};
const base = {
  org_id: 'acme',
  device_id: 'dev-1',
  agent_version: '0.2.0',
  sent_at: '2026-02-15T10:00:00Z',
  nonce: '00112233445566778899aabbccddeeff',
  events: [ev],
};

type Patch = (b: Record<string, unknown> & { events: Record<string, unknown>[] }) => void;
function body(patch?: Patch): unknown {
  const b = structuredClone(base) as Record<string, unknown> & { events: Record<string, unknown>[] };
  patch?.(b);
  return b;
}

/** Accept (true) or reject (false) as sec44's own pydantic models decided (pydantic 2.13, CPython 3.11). */
const PYDANTIC_OUTCOMES: [string, Patch | undefined, boolean][] = [
  ['ok', undefined, true],
  ['extra_top', (b) => (b.extra = 1), false],
  ['extra_event', (b) => (b.events[0]!.extra = 1), false],
  ['no_sent_at', (b) => delete b.sent_at, true],
  ['no_ts', (b) => delete b.events[0]!.ts, true],
  ['no_details', (b) => delete b.events[0]!.details_json, true],
  ['details_list', (b) => (b.events[0]!.details_json = []), false],
  ['details_null', (b) => (b.events[0]!.details_json = null), false],
  ['bad_source', (b) => (b.events[0]!.source = 'registry'), false],
  ['lower_sev', (b) => (b.events[0]!.severity = 'info'), false],
  ['bad_platform', (b) => (b.events[0]!.platform = 'linux'), false],
  ['title_empty', (b) => (b.events[0]!.title = ''), false],
  ['title_ctrl_only', (b) => (b.events[0]!.title = '\u0001\u0002'), false],
  ['title_4096', (b) => (b.events[0]!.title = 't'.repeat(4096)), true],
  ['title_4097', (b) => (b.events[0]!.title = 't'.repeat(4097)), false],
  ['title_emoji_4096', (b) => (b.events[0]!.title = '😀'.repeat(4096)), true],
  ['nonce_15', (b) => (b.nonce = 'n'.repeat(15)), false],
  ['nonce_128', (b) => (b.nonce = 'n'.repeat(128)), true],
  ['nonce_129', (b) => (b.nonce = 'n'.repeat(129)), false],
  ['nonce_ctrl', (b) => (b.nonce = '\u0001'.repeat(16)), false],
  ['org_257', (b) => (b.org_id = 'o'.repeat(257)), false],
  ['agent_65', (b) => (b.agent_version = 'a'.repeat(65)), false],
  ['events_empty', (b) => (b.events = []), false],
  ['events_200', (b) => (b.events = Array.from({ length: 200 }, () => structuredClone(ev))), true],
  ['events_201', (b) => (b.events = Array.from({ length: 201 }, () => structuredClone(ev))), false],
  ['bad_ts', (b) => (b.events[0]!.ts = 'not-a-date'), false],
  ['epoch_ts', (b) => (b.events[0]!.ts = 1771149598), true],
  ['naive_sent_at', (b) => (b.sent_at = '2026-02-15T10:00:00'), true],
  ['org_int', (b) => (b.org_id = 5), false],
];

test('accepts and rejects exactly what sec44 (pydantic) does', () => {
  for (const [name, patch, expected] of PYDANTIC_OUTCOMES) {
    assert.equal(parseSec44IngestRequest(body(patch)).ok, expected, name);
  }
});

test('the parsed batch is sanitized, with instants parsed and defaults applied', () => {
  const r = parseSec44IngestRequest(body(), 42);
  assert.ok(r.ok);
  assert.equal(r.value.sent_at, Date.parse('2026-02-15T10:00:00Z'));
  assert.equal(r.value.events[0]!.ts, Date.parse('2026-02-15T09:59:58Z'));
  assert.deepEqual(r.value.events[0]!.details_json, { username: '[email-redacted]', exe: '/bin/xy' });
  const d = parseSec44IngestRequest(
    body((b) => {
      delete b.sent_at;
      delete b.events[0]!.ts;
      delete b.events[0]!.details_json;
      b.events[0]!.title = 'a\u0000b';
    }),
    42,
  );
  assert.ok(d.ok);
  assert.equal(d.value.sent_at, 42);
  assert.equal(d.value.events[0]!.ts, 42);
  assert.deepEqual(d.value.events[0]!.details_json, {});
  assert.equal(d.value.events[0]!.title, 'ab');
  const naive = parseSec44IngestRequest(body((b) => (b.sent_at = '2026-02-15T10:00:00')));
  assert.ok(naive.ok && naive.value.sent_at === Date.parse('2026-02-15T10:00:00Z'));
});

test('problems carry JSON-pointer paths', () => {
  const r = parseSec44IngestRequest(body((b) => (b.events[0]!.title = '\u0001')));
  assert.ok(!r.ok);
  assert.deepEqual(r.errors, [
    { path: '/events/0/title', message: 'field cannot be empty after sanitization' },
  ]);
  const s = validate(
    Sec44IngestRequest,
    body((b) => (b.events[0]!.severity = 'LOW')),
  );
  assert.ok(!s.ok);
  assert.ok(s.errors.some((e) => e.path === '/events/0/severity'));
});

test('works on bodies parsed with the Python-compatible parser (NaN in details)', () => {
  const raw = JSON.stringify(base).replace('"exe":"/bin/x\\u0000y"', '"exe":NaN');
  const r = parseSec44IngestRequest(parsePythonJson(raw).value);
  assert.ok(r.ok);
  assert.ok(Number.isNaN(r.value.events[0]!.details_json.exe));
});

test('constants of CONTRACTS.md §2.2', () => {
  assert.equal(SEC44_MAX_EVENTS_PER_BATCH, 200);
  assert.equal(SEC44_MAX_PAYLOAD_BYTES, 524288);
  assert.equal(SEC44_NONCE_MIN_LENGTH, 16);
  assert.equal(SEC44_NONCE_MAX_LENGTH, 128);
});
