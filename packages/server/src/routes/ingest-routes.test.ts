import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { testStores } from '../test-support/databases.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';

const processEvent = (i: number, over: Record<string, unknown> = {}) => ({
  ts: new Date(Date.UTC(2026, 10, 23, 12, 0, i % 60)).toISOString().replace('Z', '+02:00'),
  type: 'process_start',
  fields: {
    Image: '/usr/bin/curl',
    CommandLine: `curl http://example.test/${i}`,
    User: 'alice',
    ProcessId: 100 + i,
  },
  ...over,
});

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`native ingest on ${store.name}`, () => {
    let t: TestApp;
    let device: { deviceId: string; secret: string; orgId: string };
    before(async () => {
      t = await startTestApp(store);
      device = await t.enroll();
    });
    after(async () => {
      await t.close();
      await store.cleanup();
    });

    const count = async () =>
      Number(
        (
          await t.runtime.ctx.database.db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('device_id', '=', device.deviceId)
            .executeTakeFirstOrThrow()
        ).n,
      );

    test('enrollment returns credentials once and refuses a bad key', async () => {
      assert.match(device.deviceId, /^[0-9a-f-]{36}$/);
      assert.equal(device.secret.length, 64);
      const bad = await t.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/agents/enroll',
        payload: { enrollment_key: 'hek_nope', hostname: 'x' },
      });
      assert.equal(bad.statusCode, 401);
      assert.equal(bad.json().error.code, 'invalid_enrollment_key');
      const invalid = await t.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/agents/enroll',
        payload: { hostname: 'x' },
      });
      assert.equal(invalid.statusCode, 400);
      assert.equal(invalid.json().error.code, 'validation_failed');
    });

    test('accepts a signed batch after commit, with timestamps stored as UTC instants', async () => {
      const res = await t.signed(device, 'POST', '/api/v1/ingest', {
        batch_id: 'batch-1',
        events: [processEvent(1), processEvent(2)],
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { batch_id: 'batch-1', accepted: 2, rejected: [] });
      const row = await t.runtime.ctx.database.db
        .selectFrom('events')
        .selectAll()
        .where('batch_id', '=', 'batch-1')
        .orderBy('ts')
        .executeTakeFirstOrThrow();
      assert.equal(row.ts, Date.UTC(2026, 10, 23, 10, 0, 1));
      assert.equal(row.image, '/usr/bin/curl');
      assert.equal(row.category, 'process_creation');
      assert.equal(row.product, 'linux');
      assert.equal(row.org_id, device.orgId);
    });

    test('accepts Windows event log records as sent, normalized to Sigma fields', async () => {
      const record = {
        Event: {
          System: {
            Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
            EventID: 1,
            Channel: 'Microsoft-Windows-Sysmon/Operational',
            Computer: 'PC04.example.corp',
            EventRecordID: 4807,
            TimeCreated: { '#attributes': { SystemTime: '2019-03-17 19:37:11.661928' } },
          },
          EventData: {
            Image: 'C:\\Windows\\System32\\cmd.exe',
            CommandLine: 'cmd /c whoami',
            User: 'CORP\\bob',
          },
        },
      };
      const res = await t.signed(device, 'POST', '/api/v1/ingest', {
        batch_id: 'win-1',
        events: [record, record],
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().accepted, 2);
      const rows = await t.runtime.ctx.database.db
        .selectFrom('events')
        .selectAll()
        .where('batch_id', '=', 'win-1')
        .execute();
      // The same record twice is one event: the record id makes it idempotent.
      assert.equal(rows.length, 1);
      // Resent in a later batch, it is neither stored nor handed to detection again.
      const published: string[] = [];
      t.runtime.ctx.pipeline.subscribe((events) => {
        for (const e of events) published.push(e.id);
      });
      const resend = await t.signed(device, 'POST', '/api/v1/ingest', {
        batch_id: 'win-2',
        events: [record],
      });
      assert.equal(resend.statusCode, 200);
      await t.runtime.ctx.pipeline.idle();
      assert.deepEqual(published, []);
      assert.equal(
        (
          await t.runtime.ctx.database.db
            .selectFrom('events')
            .select('id')
            .where('event_code', '=', 1)
            .execute()
        ).length,
        1,
      );
      const row = rows[0]!;
      assert.equal(row.ts, Date.UTC(2019, 2, 17, 19, 37, 11, 661));
      assert.equal(row.event_code, 1);
      assert.equal(row.hostname, 'PC04.example.corp');
      assert.equal(row.category, 'process_creation');
      assert.equal(row.product, 'windows');
      assert.equal(row.command_line, 'cmd /c whoami');
    });

    test('a retried batch returns the first result and stores nothing twice', async () => {
      const body = { batch_id: 'retry-1', events: [processEvent(3), processEvent(4), processEvent(5)] };
      const before = await count();
      const first = await t.signed(device, 'POST', '/api/v1/ingest', body);
      const second = await t.signed(device, 'POST', '/api/v1/ingest', { ...body, events: [processEvent(6)] });
      assert.equal(first.statusCode, 200);
      assert.equal(second.statusCode, 200);
      assert.deepEqual(second.json(), first.json());
      assert.equal((await count()) - before, 3);
    });

    test('partial acceptance: bad events are rejected by index, good ones kept', async () => {
      const res = await t.signed(device, 'POST', '/api/v1/ingest', {
        batch_id: 'partial-1',
        events: [
          processEvent(7),
          { ts: 'not-a-date', type: 'process_start', fields: {} },
          'nope',
          processEvent(8),
        ],
      });
      assert.equal(res.statusCode, 200);
      const b = res.json();
      assert.equal(b.accepted, 2);
      assert.deepEqual(
        b.rejected.map((r: { index: number; code: string }) => [r.index, r.code]),
        [
          [1, 'invalid_timestamp'],
          [2, 'invalid_event'],
        ],
      );
    });

    test('gzip and NDJSON bodies', async () => {
      const gz = await t.signed(
        device,
        'POST',
        '/api/v1/ingest',
        { batch_id: 'gz-1', events: [processEvent(9)] },
        { gzip: true },
      );
      assert.equal(gz.statusCode, 200, gz.body);
      assert.equal(gz.json().accepted, 1);
      const nd = await t.signed(
        device,
        'POST',
        '/api/v1/ingest',
        `${JSON.stringify(processEvent(10))}\n${JSON.stringify(processEvent(11))}\n`,
        { contentType: 'application/x-ndjson', headers: { 'x-harrier-batch': 'nd-1' } },
      );
      assert.equal(nd.statusCode, 200, nd.body);
      assert.equal(nd.json().accepted, 2);
    });

    const expectError = (
      res: { statusCode: number; json(): { error: { code: string } }; body: string },
      status: number,
      code: string,
    ) => {
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.json().error.code, code);
      assert.doesNotMatch(res.body, /at .*\.ts:\d+/);
    };

    test('refuses bad signatures, stale timestamps, reused nonces and unknown devices', async () => {
      const body = { batch_id: 'sec-1', events: [processEvent(1)] };
      expectError(
        await t.signed({ ...device, secret: 'f'.repeat(64) }, 'POST', '/api/v1/ingest', body),
        401,
        'invalid_signature',
      );
      expectError(
        await t.signed(device, 'POST', '/api/v1/ingest', body, { now: Date.now() - 301_000 }),
        401,
        'timestamp_out_of_window',
      );
      expectError(
        await t.signed(
          { ...device, deviceId: '00000000-0000-7000-8000-000000000000' },
          'POST',
          '/api/v1/ingest',
          body,
        ),
        401,
        'unknown_device',
      );
      expectError(
        await t.signed(device, 'POST', '/api/v1/ingest', body, { nonce: 'short' }),
        400,
        'invalid_nonce',
      );
      const nonce = 'n0nce-'.padEnd(32, 'x');
      assert.equal((await t.signed(device, 'POST', '/api/v1/ingest', body, { nonce })).statusCode, 200);
      expectError(
        await t.signed(device, 'POST', '/api/v1/ingest', { ...body, batch_id: 'sec-2' }, { nonce }),
        409,
        'nonce_reused',
      );
      const unsigned = await t.runtime.app.inject({ method: 'POST', url: '/api/v1/ingest', payload: body });
      expectError(unsigned, 401, 'missing_signature');
      // A signature over other bytes than those sent.
      const res = await t.signed(device, 'POST', '/api/v1/ingest', body, {
        headers: { 'x-harrier-timestamp': String(Math.floor(Date.now() / 1000) - 1) },
      });
      expectError(res, 401, 'invalid_signature');
    });

    test('refuses malformed bodies with 4xx codes, never 500', async () => {
      expectError(
        await t.signed(device, 'POST', '/api/v1/ingest', '{"batch_id": "x", "events": ['),
        400,
        'invalid_json',
      );
      expectError(await t.signed(device, 'POST', '/api/v1/ingest', ''), 400, 'empty_body');
      expectError(await t.signed(device, 'POST', '/api/v1/ingest', '[1,2]'), 422, 'invalid_batch');
      expectError(
        await t.signed(device, 'POST', '/api/v1/ingest', { batch_id: 'a b', events: [processEvent(1)] }),
        400,
        'invalid_batch_id',
      );
      expectError(
        await t.signed(device, 'POST', '/api/v1/ingest', { batch_id: 'e', events: [] }),
        400,
        'empty_batch',
      );
      expectError(
        await t.signed(device, 'POST', '/api/v1/ingest', 'x', { contentType: 'text/plain' }),
        415,
        'unsupported_media_type',
      );
      expectError(
        await t.signed(device, 'POST', '/api/v1/ingest', {
          batch_id: 'big',
          events: Array.from({ length: 10_001 }, (_, i) => processEvent(i)),
        }),
        413,
        'too_many_events',
      );
      const longField = await t.signed(device, 'POST', '/api/v1/ingest', {
        batch_id: 'long-1',
        events: [processEvent(1, { fields: { CommandLine: 'x'.repeat(40_000) } })],
      });
      assert.equal(longField.statusCode, 200);
      assert.equal(longField.json().rejected[0].code, 'field_too_long');
      // A gzip bomb: small on the wire, far beyond the cap when inflated.
      const bomb = gzipSync(Buffer.alloc(60 * 1024 * 1024, 0x20));
      const bombRes = await t.signed(device, 'POST', '/api/v1/ingest', bomb, {
        headers: { 'content-encoding': 'gzip' },
      });
      expectError(bombRes, 413, 'decompressed_too_large');
      expectError(
        await t.signed(device, 'POST', '/api/v1/ingest', Buffer.from('not gzip'), {
          headers: { 'content-encoding': 'gzip' },
        }),
        400,
        'invalid_gzip',
      );
      expectError(
        await t.signed(device, 'POST', '/api/v1/ingest', 'x', { headers: { 'content-encoding': 'br' } }),
        415,
        'unsupported_encoding',
      );
    });

    test('oversize bodies are refused with 413', async () => {
      const huge = Buffer.alloc(11 * 1024 * 1024, 0x61);
      const res = await t.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: { 'content-type': 'application/json' },
        payload: huge,
      });
      expectError(res, 413, 'payload_too_large');
    });

    test('heartbeats mark the device online and store resource figures', async () => {
      const res = await t.signed(device, 'POST', '/api/v1/agents/heartbeat', {
        agent_version: '1.2.3',
        hostname: 'host-1',
        os: { name: 'Debian', version: '12', platform: 'linux' },
        uptime_s: 3600,
        cpu_pct: 12.5,
        mem_used_bytes: 1e9,
        mem_total_bytes: 4e9,
        disk_used_bytes: 2e10,
        disk_total_bytes: 1e11,
      });
      assert.equal(res.statusCode, 200, res.body);
      const d = await t.runtime.ctx.devices.findById(device.deviceId);
      assert.ok(d?.last_heartbeat_at && Date.now() - d.last_heartbeat_at < 10_000);
      assert.equal(d?.agent_version, '1.2.3');
      const hb = await t.runtime.ctx.database.db
        .selectFrom('heartbeats')
        .selectAll()
        .where('device_id', '=', device.deviceId)
        .executeTakeFirstOrThrow();
      assert.equal(hb.cpu_pct, 12.5);
      assert.equal(hb.mem_total_bytes, 4e9);
      const bad = await t.signed(device, 'POST', '/api/v1/agents/heartbeat', { cpu_pct: 500 });
      expectError(bad, 400, 'validation_failed');
    });

    test('operations endpoints', async () => {
      const health = await t.runtime.app.inject('/health');
      assert.equal(health.json().status, 'healthy');
      const ready = await t.runtime.app.inject('/ready');
      assert.equal(ready.statusCode, 200);
      const metrics = await t.runtime.app.inject('/metrics');
      assert.match(metrics.body, /harrier_ingest_events_total\{route="native",outcome="accepted"\} \d+/);
      assert.match(metrics.body, /harrier_ingest_batch_seconds_bucket/);
      assert.match(metrics.body, /harrier_writer_queue_depth/);
      const openapi = await t.runtime.app.inject('/openapi.json');
      assert.equal(openapi.statusCode, 200);
      assert.ok(openapi.json().paths['/api/v1/ingest']);
      const docs = await t.runtime.app.inject('/docs/');
      assert.equal(docs.statusCode, 200);
      const missing = await t.runtime.app.inject('/api/v1/nope');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'not_found');
    });
  });
}
