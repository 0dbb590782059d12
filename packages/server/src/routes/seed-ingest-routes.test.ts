import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signSec44Body } from '@harrier/schema';
import { testStores } from '../test-support/databases.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';

const signal = (id: string, over: Record<string, unknown> = {}) => ({
  signal_id: id,
  ts: '2026-11-23T10:00:00.123456789+01:00',
  host_id: 'mac-1',
  rule_id: 'SANTA-001',
  rule_description: 'Unsigned binary executed',
  severity: 'high',
  title: 'Unsigned binary from Downloads',
  tags: ['execution', 'process_creation'],
  context: { target_path: '/Users/bob/Downloads/x', actor_path: '/bin/zsh', decision: 'ALLOW' },
  extra_ignored: true,
  ...over,
});

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`seed-compatible ingest on ${store.name}`, () => {
    let t: TestApp;
    let santamonKey: string;
    let sec44Key: string;
    before(async () => {
      t = await startTestApp(store);
      const org = (await t.runtime.ctx.organizations.findBySlug('default'))!;
      santamonKey = (await t.runtime.ctx.agentKeys.createSantamonKey(org.id, { name: 'test' })).key;
      sec44Key = (await t.runtime.ctx.agentKeys.createSec44Key(org.id, { name: 'test' })).key;
    });
    after(async () => {
      await t.close();
      await store.cleanup();
    });
    const inject = (
      method: 'GET' | 'POST' | 'PATCH',
      url: string,
      payload?: unknown,
      headers: Record<string, string> = {},
    ) =>
      t.runtime.app.inject({
        method,
        url,
        headers: { 'content-type': 'application/json', ...headers },
        ...(payload === undefined
          ? {}
          : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
      });

    test('Santamon: ingest de-duplicates by signal_id; reads require the key', async () => {
      const k = { 'x-api-key': santamonKey };
      const first = await inject('POST', '/ingest', signal('sig-1'), k);
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(first.json(), { status: 'ok', id: 'sig-1', duplicate: false });
      const again = await inject('POST', '/ingest', signal('sig-1', { status: 'resolved' }), k);
      assert.deepEqual(again.json(), { status: 'ok', id: 'sig-1', duplicate: true });
      assert.equal(
        (await inject('POST', '/ingest', signal('sig-2', { severity: 'low', title: 'Other' }), k)).statusCode,
        200,
      );

      assert.equal((await inject('GET', '/signals')).statusCode, 401);
      assert.deepEqual((await inject('GET', '/signals')).json(), { detail: 'Invalid API key' });
      const list = await inject('GET', '/signals', undefined, k);
      assert.equal(list.statusCode, 200);
      assert.equal(list.json().count, 2);
      const s1 = list.json().signals.find((s: { signal_id: string }) => s.signal_id === 'sig-1');
      assert.equal(s1.ts, '2026-11-23T10:00:00.123456789+01:00');
      assert.deepEqual(s1.tags, ['execution', 'process_creation']);
      assert.equal(s1.status, 'open');
      assert.match(s1.received_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
      assert.equal((await inject('GET', '/signals?severity=low', undefined, k)).json().count, 1);
      assert.equal((await inject('GET', '/signals?search=UNSIGNED', undefined, k)).json().count, 1);
      assert.equal((await inject('GET', '/signals?host_id=mac-2', undefined, k)).json().count, 0);
      // Times compare as instants: 09:00Z is before the signal's 09:00:00.123Z.
      assert.equal(
        (await inject('GET', '/signals?since=2026-11-23T09:00:00Z', undefined, k)).json().count,
        2,
      );
      assert.equal(
        (await inject('GET', '/signals?since=2026-11-23T10:30:00%2B01:00', undefined, k)).json().count,
        0,
      );
      const bad = await inject('GET', '/signals?status=bogus', undefined, k);
      assert.equal(bad.statusCode, 400);
      assert.equal(
        bad.json().detail,
        "Invalid status 'bogus'. Allowed: ['acknowledged', 'open', 'resolved'] or 'all'",
      );
      assert.equal((await inject('GET', '/signals?limit=0', undefined, k)).statusCode, 422);

      const patched = await inject('PATCH', '/signals/sig-1/status', { status: 'acknowledged' }, k);
      assert.deepEqual(patched.json(), { signal_id: 'sig-1', status: 'acknowledged' });
      assert.equal((await inject('GET', '/signals', undefined, k)).json().count, 1);
      assert.equal((await inject('GET', '/signals?status=all', undefined, k)).json().count, 2);
      assert.equal((await inject('PATCH', '/signals/nope/status', { status: 'open' }, k)).statusCode, 404);
      assert.equal((await inject('PATCH', '/signals/sig-1/status', { status: 'closed' }, k)).statusCode, 422);
      assert.equal((await inject('PATCH', '/signals/sig-1/status', { status: 'open' })).statusCode, 401);

      const stats = (await inject('GET', '/stats', undefined, k)).json();
      assert.equal(stats.total_signals, 2);
      assert.deepEqual(stats.by_severity, { high: 1, low: 1 });
      assert.deepEqual(stats.by_host, { 'mac-1': 2 });
      assert.equal(stats.top_rules[0].count, 2);
    });

    test('Santamon: errors keep the seed shape', async () => {
      const k = { 'x-api-key': santamonKey };
      assert.deepEqual(
        (await inject('POST', '/ingest', signal('x'), { 'x-api-key': 'wrong-key-but-long-enough' })).json(),
        {
          detail: 'Invalid API key',
        },
      );
      const missing = await inject('POST', '/ingest', { signal_id: 'x' }, k);
      assert.equal(missing.statusCode, 422);
      assert.ok(Array.isArray(missing.json().detail));
      assert.equal((await inject('POST', '/ingest', signal('x', { severity: 'info' }), k)).statusCode, 422);
      assert.equal((await inject('POST', '/ingest', signal('x', { ts: 'not-a-date' }), k)).statusCode, 422);
      assert.equal((await inject('POST', '/ingest', '{nope', k)).statusCode, 422);
      const big = await inject(
        'POST',
        '/ingest',
        signal('big', { context: { blob: 'x'.repeat(100_000) } }),
        k,
      );
      assert.equal(big.statusCode, 413);
      assert.deepEqual(big.json(), { detail: 'Context too large' });
    });

    test('Santamon: heartbeats and the agents list', async () => {
      const k = { 'x-api-key': santamonKey };
      const hb = await inject(
        'POST',
        '/agents/heartbeat',
        {
          agent_id: 'mac-1',
          timestamp: new Date().toISOString(),
          version: '0.1.0',
          os_version: '15.2',
          uptime_seconds: '12.5',
        },
        k,
      );
      assert.deepEqual(hb.json(), { status: 'ok', agent_id: 'mac-1' });
      const agents = (await inject('GET', '/agents', undefined, k)).json();
      assert.equal(agents.count, 1);
      assert.equal(agents.heartbeats[0].agent_id, 'mac-1');
      assert.equal(agents.heartbeats[0].uptime_seconds, 12.5);
      assert.equal((await inject('POST', '/agents/heartbeat', { agent_id: 'mac-1' }, k)).statusCode, 422);
      assert.equal((await inject('GET', '/agents')).statusCode, 401);
    });

    const sec44Body = (over: Record<string, unknown> = {}) => ({
      org_id: 'default',
      device_id: 'laptop-7',
      agent_version: '1.0.0',
      sent_at: new Date().toISOString(),
      nonce: 'a'.repeat(32),
      events: [
        {
          ts: new Date().toISOString(),
          source: 'process',
          severity: 'WARN',
          platform: 'macos',
          title: 'Exécution de /tmp/x — 日本',
          details_json: { exe: '/tmp/x', pid: 42, cpu: 1.0, ratio: 1e16, user: 'bob@example.com' },
        },
      ],
      ...over,
    });
    const sec44Headers = (body: Record<string, unknown>, raw: string, over: Record<string, string> = {}) => ({
      'x-em-org': String(body.org_id),
      'x-em-device': String(body.device_id),
      'x-em-timestamp': String(Math.floor(Date.now() / 1000)),
      'x-em-nonce': String(body.nonce),
      'x-em-signature': signSec44Body(sec44Key, raw),
      ...over,
    });

    test('sec44: a signed batch over floats, non-ASCII text and permuted, pretty-printed keys', async () => {
      const body = sec44Body();
      // Pretty-printed with `1.0` kept as written: the signature is over the canonical form.
      const raw = JSON.stringify(body, null, 2).replace('"cpu": 1', '"cpu": 1.0');
      assert.match(raw, /"cpu": 1\.0/);
      const res = await inject('POST', '/ingest', raw, sec44Headers(body, raw));
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().accepted, 1);
      assert.equal(res.json().rejected, 0);
      const row = await t.runtime.ctx.database.db
        .selectFrom('events')
        .selectAll()
        .where('source', '=', 'sec44')
        .executeTakeFirstOrThrow();
      assert.equal(row.image, '/tmp/x');
      const fields = typeof row.fields === 'string' ? JSON.parse(row.fields) : row.fields;
      assert.equal(fields.user, '[email-redacted]');
      // The same nonce again is a replay.
      const replay = await inject('POST', '/ingest', raw, sec44Headers(body, raw));
      assert.equal(replay.statusCode, 409);
      assert.deepEqual(replay.json(), { detail: 'replay nonce rejected' });
    });

    test('sec44: every refusal in the seed’s order, with its message', async () => {
      const body = sec44Body({ nonce: 'b'.repeat(32) });
      const raw = JSON.stringify(body);
      const h = sec44Headers(body, raw);
      const expect = async (
        headers: Record<string, string>,
        payload: string,
        status: number,
        detail: string,
      ) => {
        const res = await inject('POST', '/ingest', payload, headers);
        assert.equal(res.statusCode, status, `${detail}: ${res.body}`);
        assert.deepEqual(res.json(), { detail });
      };
      const { 'x-em-nonce': _n, ...noNonce } = h;
      await expect(noNonce, raw, 400, 'missing required header: X-EM-Nonce');
      await expect({ ...h, 'x-em-org': 'nope' }, raw, 401, 'unknown or inactive org');
      await expect(h, '', 400, 'empty request body');
      await expect(h, 'x'.repeat(600 * 1024), 413, 'payload too large');
      await expect({ ...h, 'x-em-signature': 'f'.repeat(64) }, raw, 401, 'invalid signature');
      await expect(h, 'not json at all', 400, 'request body is not valid JSON');
      await expect(
        { ...h, 'x-em-signature': signSec44Body(sec44Key, '[1]') },
        '42',
        401,
        'signature error: request body must be a JSON object or list',
      );
      await expect({ ...h, 'x-em-timestamp': 'soon' }, raw, 400, 'invalid timestamp header');
      await expect(
        { ...h, 'x-em-timestamp': String(Math.floor(Date.now() / 1000) - 400) },
        raw,
        401,
        'request timestamp outside allowed window',
      );
      const badSchema = JSON.stringify(sec44Body({ events: [] }));
      await expect(
        { ...h, 'x-em-signature': signSec44Body(sec44Key, badSchema) },
        badSchema,
        422,
        'invalid payload schema',
      );
      const extra = JSON.stringify({ ...body, surprise: 1 });
      await expect(
        { ...h, 'x-em-signature': signSec44Body(sec44Key, extra) },
        extra,
        422,
        'invalid payload schema',
      );
      await expect({ ...h, 'x-em-device': 'other' }, raw, 400, 'device header/body mismatch');
      await expect({ ...h, 'x-em-nonce': 'c'.repeat(32) }, raw, 400, 'nonce header/body mismatch');
      const old = sec44Body({ nonce: 'd'.repeat(32), sent_at: new Date(Date.now() - 400_000).toISOString() });
      const oldRaw = JSON.stringify(old);
      await expect(sec44Headers(old, oldRaw), oldRaw, 401, 'sent_at outside allowed replay window');
    });

    test('POST /ingest without credentials', async () => {
      const res = await inject('POST', '/ingest', '{}');
      assert.equal(res.statusCode, 401);
      assert.ok(typeof res.json().detail === 'string');
    });
  });
}
