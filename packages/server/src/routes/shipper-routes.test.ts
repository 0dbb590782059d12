import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readJson } from '../db/json-column.ts';
import { testStores } from '../test-support/databases.ts';
import {
  basicAuth,
  captureBytes,
  capturedRequests,
  replayHeaders,
  shipperToken,
  storedEvents,
} from '../test-support/shipper-fixtures.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';

const fieldsOf = (e: { fields: unknown }) => readJson<Record<string, unknown>>(e.fields as string, {});

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`log shipper ingest on ${store.name}`, () => {
    let t: TestApp;
    let token: string;
    let orgId: string;

    before(async () => {
      t = await startTestApp(store, { HARRIER_API_RATE_LIMIT_PER_MINUTE: '100000' });
      ({ token, orgId } = await shipperToken(t, ['ingest:write', 'events:read', 'alerts:read']));
    });
    after(async () => {
      await t.close();
      await store.cleanup();
    });

    const send = (
      url: string,
      body: string | Buffer,
      headers: Record<string, string>,
      auth: string | null = `Bearer ${token}`,
    ) =>
      t.runtime.app.inject({
        method: 'POST',
        url,
        headers: { ...headers, ...(auth ? { authorization: auth } : {}) },
        payload: body,
      });
    const events = () => storedEvents(t.runtime.ctx.database.db, orgId);

    test('replays of every captured HTTP request are stored and answered as the shipper expects', async () => {
      for (const req of capturedRequests()) {
        if (req.url === '/test') continue;
        const auth = req.url === '/_bulk' ? basicAuth(token) : `Bearer ${token}`;
        const res = await send(req.url, req.body, replayHeaders(req), auth);
        if (req.url === '/upload') {
          assert.equal(res.statusCode, 202, res.body);
          assert.equal(res.body, 'OK.\n');
          continue;
        }
        assert.equal(res.statusCode, 200, `${req.url}: ${res.body}`);
        if (req.url.endsWith('_bulk')) {
          const b = res.json();
          assert.equal(b.errors, false);
          assert.equal(typeof b.took, 'number');
          assert.equal(b.items.length, 1);
          assert.equal(b.items[0].index.status, 201);
          assert.equal(b.items[0].index.result, 'created');
          assert.match(b.items[0].index._index, /^(sng|rsyslog)-test$/);
          assert.match(b.items[0].index._id, /^[0-9a-f-]{36}$/);
        } else {
          assert.deepEqual(res.json().rejected, []);
        }
      }
      const stored = await events();
      const bySource = (s: string) => stored.filter((e) => e.source === s);
      assert.equal(bySource('windows').length, 2, 'syslog-ng http() array of Windows events');
      assert.equal(bySource('journal').length, 2);
      // syslog-ng sent the same bulk request twice (a retry): stored once.
      const accepted = stored.filter(
        (e) => e.command_line === null && e.service === 'sshd' && e.hostname === 'vm',
      );
      assert.equal(accepted.filter((e) => fieldsOf(e).AuthMethod === 'publickey').length, 1);
      const sudo = stored.find((e) => e.service === 'sudo' && e.hostname === 'vm')!;
      assert.equal(sudo.category, 'authentication');
      assert.equal(sudo.user_name, 'alice');
      assert.equal(fieldsOf(sudo).USER, 'root');
      const journalSudo = stored.find((e) => e.source === 'journal' && e.service === 'sudo')!;
      assert.equal(journalSudo.hostname, 'host1');
      assert.equal(journalSudo.ts, 1700000001000);
      const win = bySource('windows')[0]!;
      assert.equal(win.hostname, 'MSEDGEWIN10');
      assert.equal(win.category, 'process_creation');
    });

    test('a resent batch is stored once; gzip bodies and /{index}/_bulk with ids work', async () => {
      const before = (await events()).length;
      const body = `{"index":{"_id":"r-1"}}\n{"@timestamp":"2026-11-23T08:00:00Z","host":"db1","program":"sshd","message":"Failed password for root from 10.9.9.9 port 2222 ssh2"}\n`;
      for (let i = 0; i < 2; i++) {
        const res = await send('/logs-2026/_bulk', gzipSync(body), {
          'content-type': 'application/x-ndjson',
          'content-encoding': 'gzip',
        });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().items[0].index._id, 'r-1');
        assert.equal(res.json().items[0].index._index, 'logs-2026');
      }
      const after = await events();
      assert.equal(after.length, before + 1);
      assert.equal(after.find((e) => e.hostname === 'db1')!.category, 'authentication');
    });

    test('syslog-ng http() text lines: audit.log with ENRICHED records becomes process events', async () => {
      const audit = captureBytes('auditd_enriched_sample.log');
      const res = await send('/api/v1/ingest/logs', audit, { 'content-type': 'text/plain' });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().rejected, []);
      const procs = (await events()).filter(
        (e) => e.service === 'auditd' && e.category === 'process_creation',
      );
      assert.deepEqual(procs.map((p) => p.command_line).sort(), [
        '/bin/echo hello-audit',
        'auditctl -D',
        'id',
        'sleep 0.5',
        'sleep 1.5',
      ]);
      const echo = procs.find((p) => p.image === '/usr/bin/echo')!;
      assert.equal(echo.user_name, 'root');
      assert.equal(echo.hostname, '127.0.0.1', 'lines naming no host are filed under the sender');
    });

    test('bulk item errors are reported per item, the rest is stored', async () => {
      const res = await send(
        '/_bulk',
        '{"index":{}}\n{not json}\n{"create":{}}\n{"message":"fine","host":"h2"}\n{"delete":{"_id":"x"}}\n{"index":{}}\n42\n',
        { 'content-type': 'application/x-ndjson' },
      );
      assert.equal(res.statusCode, 200, res.body);
      const b = res.json();
      assert.equal(b.errors, true);
      assert.deepEqual(
        b.items.map((i: Record<string, { status: number; error?: { type: string } }>) => {
          const [k, v] = Object.entries(i)[0]!;
          return [k, v.status, v.error?.type];
        }),
        [
          ['index', 400, 'document_parsing_exception'],
          ['create', 201, undefined],
          ['delete', 400, 'action_request_validation_exception'],
          ['index', 400, 'invalid_document'],
        ],
      );
    });

    test('the health probes of Elasticsearch clients answer', async () => {
      const cat = await t.runtime.app.inject({ url: '/_cat/health' });
      assert.equal(cat.statusCode, 200);
      assert.match(cat.body, /green/);
      const cluster = await t.runtime.app.inject({ url: '/_cluster/health' });
      assert.equal(cluster.json().status, 'green');
    });

    test('bad input is a 4xx with a stable code, never a 500', async () => {
      const cases: Array<[string, string | Buffer, Record<string, string>, string | null, number, string]> = [
        [
          '/_bulk',
          '{"index":{}}\n{}\n',
          { 'content-type': 'application/x-ndjson' },
          null,
          401,
          'authentication_required',
        ],
        [
          '/_bulk',
          '{"index":{}}\n{}\n',
          { 'content-type': 'application/x-ndjson' },
          basicAuth('hat_wrong'),
          401,
          'invalid_token',
        ],
        [
          '/_bulk',
          '{"index":{}}\n{}\n',
          { 'content-type': 'application/x-ndjson' },
          'Basic !!!',
          401,
          'authentication_required',
        ],
        [
          '/_bulk',
          'garbage\n',
          { 'content-type': 'application/x-ndjson' },
          undefined as unknown as string,
          400,
          'invalid_bulk',
        ],
        [
          '/_bulk',
          '{"index":{}}\n',
          { 'content-type': 'application/x-ndjson' },
          undefined as unknown as string,
          400,
          'invalid_bulk',
        ],
        [
          '/_bulk',
          '',
          { 'content-type': 'application/x-ndjson' },
          undefined as unknown as string,
          400,
          'empty_body',
        ],
        [
          '/_bulk',
          Buffer.from('nope'),
          { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
          undefined as unknown as string,
          400,
          'invalid_gzip',
        ],
        [
          '/_bulk',
          'x',
          { 'content-type': 'application/x-ndjson', 'content-encoding': 'br' },
          undefined as unknown as string,
          415,
          'unsupported_encoding',
        ],
        [
          '/api/v1/ingest/logs',
          '[1',
          { 'content-type': 'application/json' },
          undefined as unknown as string,
          400,
          'invalid_json',
        ],
        [
          '/api/v1/ingest/logs',
          '{"a":1}\nnope',
          { 'content-type': 'application/x-ndjson' },
          undefined as unknown as string,
          400,
          'invalid_json',
        ],
        [
          '/api/v1/ingest/logs',
          'hello',
          { 'content-type': 'image/png' },
          undefined as unknown as string,
          415,
          'unsupported_media_type',
        ],
        [
          '/api/v1/ingest/logs',
          'just words\nmore words',
          { 'content-type': 'text/plain' },
          undefined as unknown as string,
          422,
          'no_valid_records',
        ],
        [
          '/upload',
          'MESSAGE=x\n\n',
          { 'content-type': 'text/plain' },
          undefined as unknown as string,
          415,
          'unsupported_media_type',
        ],
        [
          '/upload',
          'bad name=x\n\n',
          { 'content-type': 'application/vnd.fdo.journal' },
          undefined as unknown as string,
          400,
          'invalid_journal_export',
        ],
      ];
      for (const [url, body, headers, auth, status, code] of cases) {
        const res = await send(url, body, headers, auth === undefined ? `Bearer ${token}` : auth);
        assert.equal(res.statusCode, status, `${url} ${code}: ${res.body}`);
        assert.equal(res.json().error.code, code, `${url}: ${res.body}`);
      }
      const { token: readOnly } = await shipperToken(t, ['events:read']);
      const forbidden = await send(
        '/api/v1/ingest/logs',
        '<13>Nov 23 07:00:00 h p: x',
        { 'content-type': 'text/plain' },
        basicAuth(readOnly),
      );
      assert.equal(forbidden.statusCode, 403);
      const bearerForbidden = await send(
        '/upload',
        'MESSAGE=x\n\n',
        { 'content-type': 'application/vnd.fdo.journal' },
        `Bearer ${readOnly}`,
      );
      assert.equal(bearerForbidden.statusCode, 403);
    });
  });
}
