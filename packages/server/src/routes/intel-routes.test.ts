import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { ThreatMapItemInput } from '../services/threat-map-service.ts';
import { testStores } from '../test-support/databases.ts';
import { makeUser } from '../test-support/identity-fixtures.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';

const intelFixture = (name: string) =>
  readFileSync(new URL(`../services/fixtures/intel/${name}`, import.meta.url), 'utf8');
const networkFixture = (name: string) =>
  readFileSync(new URL(`../../../schema/src/normalize/fixtures/network/${name}`, import.meta.url), 'utf8');
const EVE = networkFixture('suricata-eve.jsonl')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A network rule in Sigma's generic taxonomy: it applies to Suricata flows and Zeek conn records alike. */
const REVERSE_SHELL_RULE = `title: Connection to a reverse-shell port
id: 2b8f0c43-5d0e-4c4a-9a51-6b7c0f3e9d11
status: test
logsource:
  category: network_connection
detection:
  selection:
    DestinationPort: 4444
  condition: selection
level: high
`;

/** BIOC: a saved Sigma rule on what an indicator match annotated. */
const BIOC_RULE = `title: Indicator seen in DNS
id: 9a7e54d0-3f4a-4f0e-8a0b-1c2d3e4f5a6b
status: test
logsource:
  category: dns
detection:
  selection:
    ioc_match: true
  condition: selection
level: critical
tags:
  - bioc
`;

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`threat intelligence on ${store.name}`, () => {
    let t: TestApp;
    let token: string;
    let otherToken: string;
    let device: { deviceId: string; secret: string; orgId: string };
    let batch = 0;

    before(async () => {
      t = await startTestApp(store, { HARRIER_API_RATE_LIMIT_PER_MINUTE: '100000' });
      const org = (await t.runtime.ctx.organizations.findBySlug('default'))!;
      token = (await makeUser(t, org.id, 'admin', 'intel.admin@example.test')).access;
      const { org: other } = await t.runtime.ctx.identity.organizations.create({
        name: 'Other',
        slug: 'other-intel',
      });
      otherToken = (await makeUser(t, other.id, 'admin', 'intel.other@example.test')).access;
      device = await t.enroll('intel-host');
    });
    after(async () => {
      await t.close();
      await store.cleanup();
    });

    const api = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      body?: unknown,
      type?: string,
      bearer = token,
    ) =>
      t.runtime.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(body !== undefined ? { 'content-type': type ?? 'application/json' } : {}),
        },
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
    const ingest = async (events: unknown[]) => {
      const res = await t.signed(device, 'POST', '/api/v1/ingest', { batch_id: `intel-${++batch}`, events });
      assert.equal(res.statusCode, 200, res.body);
      await t.runtime.ctx.pipeline.idle();
      return res.json() as { accepted: number };
    };
    const alerts = async (query: string) => {
      const res = await api('GET', `/api/v1/alerts?${query}&limit=200`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items as Array<Record<string, unknown>>;
    };

    test('indicators: create, read, change (severity, source, expiry, active), delete; org boundary', async () => {
      const created = await api('POST', '/api/v1/iocs', {
        type: 'email',
        value: 'CEO@Fraud.Example',
        severity: 'medium',
        source: 'analyst',
        expires_at: '2099-01-01T00:00:00Z',
      });
      assert.equal(created.statusCode, 201, created.body);
      const ioc = created.json();
      assert.equal(ioc.value, 'ceo@fraud.example');
      assert.equal(ioc.expires_at, '2099-01-01T00:00:00.000Z');
      assert.equal(
        (await api('POST', '/api/v1/iocs', { type: 'email', value: 'ceo@fraud.example' })).statusCode,
        409,
      );
      const bad = await api('POST', '/api/v1/iocs', { type: 'ip', value: '300.1.1.1' });
      assert.equal(bad.statusCode, 422, bad.body);
      assert.equal(
        (await api('POST', '/api/v1/iocs', { type: 'ip', value: '1.2.3.4', severity: 'huge' })).statusCode,
        400,
      );
      const patched = await api('PATCH', `/api/v1/iocs/${ioc.id}`, {
        severity: 'critical',
        active: false,
        expires_at: null,
        description: 'wire fraud',
      });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.equal(patched.json().severity, 'critical');
      assert.equal(patched.json().active, false);
      assert.equal(patched.json().expires_at, null);
      assert.equal((await api('GET', `/api/v1/iocs/${ioc.id}`)).json().description, 'wire fraud');
      assert.equal(
        (await api('GET', `/api/v1/iocs/${ioc.id}`, undefined, undefined, otherToken)).statusCode,
        404,
      );
      assert.equal(
        (await api('PATCH', `/api/v1/iocs/${ioc.id}`, { active: true }, undefined, otherToken)).statusCode,
        404,
      );
      assert.equal(
        (await api('DELETE', `/api/v1/iocs/${ioc.id}`, undefined, undefined, otherToken)).statusCode,
        404,
      );
      assert.equal((await api('DELETE', `/api/v1/iocs/${ioc.id}`)).statusCode, 204);
      assert.equal((await api('GET', `/api/v1/iocs/${ioc.id}`)).statusCode, 404);
    });

    test('file uploads: STIX bundle, MISP export, CSV and plain lists with per-item results', async () => {
      const stix = await api('POST', '/api/v1/iocs/import', intelFixture('stix-bundle.json'));
      assert.equal(stix.statusCode, 200, stix.body);
      const s = stix.json();
      assert.equal(s.imported, 6);
      assert.equal(s.created, 6);
      assert.equal(s.rejected, 1);
      assert.equal(s.skipped, 2);
      assert.deepEqual(
        s.items.map((i: { line: number; status: string }) => `${i.line}:${i.status}`),
        [
          '2:created',
          '3:created',
          '3:created',
          '4:created',
          '4:created',
          '5:created',
          '6:rejected',
          '7:skipped',
          '8:skipped',
        ],
      );
      const misp = await api('POST', '/api/v1/iocs/import?format=misp', intelFixture('misp-event.json'));
      assert.equal(misp.statusCode, 200, misp.body);
      const m = misp.json();
      // 198.51.100.23, billing@phish.example and the SHA-256 came with the STIX bundle already.
      assert.equal(m.imported, 8);
      assert.equal(m.refreshed, 3);
      assert.equal(m.items.find((i: { line: number }) => i.line === 10).status, 'rejected');
      assert.equal(m.items.find((i: { line: number }) => i.line === 9).status, 'skipped');
      const csv = await api('POST', '/api/v1/iocs/import', intelFixture('indicators.csv'), 'text/csv');
      assert.equal(csv.statusCode, 200, csv.body);
      assert.equal(csv.json().rejected, 1);
      const txt = await api(
        'POST',
        '/api/v1/iocs/import?source=plain',
        intelFixture('indicators.txt'),
        'text/plain',
      );
      assert.equal(txt.statusCode, 200, txt.body);
      assert.equal(txt.json().imported, 6);
      const unreadable = await api('POST', '/api/v1/iocs/import?format=stix', '{"objects": 3}');
      assert.equal(unreadable.statusCode, 400, unreadable.body);
      const hit = (await api('GET', '/api/v1/iocs?type=ip&q=198.51.100.23')).json().items[0];
      // Each import refreshes what it lists: the plain list came last, with its defaults.
      assert.equal(hit.severity, 'high');
      assert.equal(hit.source, 'plain');
      assert.equal(
        (await api('GET', '/api/v1/iocs', undefined, undefined, otherToken)).json().items.length,
        0,
      );
    });

    test('matching at ingest annotates the stored event and raises one alert per indicator per window', async () => {
      await api('POST', '/api/v1/iocs', { type: 'domain', value: 'window.example', severity: 'high' });
      const dns = (i: number) => ({
        ts: new Date(Date.now() - 5000 + i).toISOString(),
        type: 'dns_query',
        fields: { QueryName: `h${i}.window.example` },
        severity: 'low',
      });
      await ingest([dns(1), dns(2)]);
      await ingest([dns(3)]);
      const raised = await alerts('kind=ioc');
      const mine = raised.filter((a) => a.title === 'IOC match: window.example');
      assert.equal(mine.length, 1);
      assert.equal(mine[0]!.count, 3);
      const detail = await api('GET', `/api/v1/alerts/${mine[0]!.id}`);
      const eventId = (detail.json().matched_event_ids as string[])[0];
      const event = (await api('GET', `/api/v1/events/${eventId}`)).json();
      assert.equal(event.fields.ioc_match, true);
      assert.equal(event.fields.ioc_matches[0].value, 'window.example');
      assert.equal(event.fields.ioc_matches[0].field, 'QueryName');
      assert.equal(event.severity, 'high');
    });

    test('seed 004 network ingest: Suricata and Zeek records, per-record results, caps and auth', async () => {
      const org = (await t.runtime.ctx.organizations.findBySlug('default'))!;
      const agentKey = (await t.runtime.ctx.agentKeys.createSantamonKey(org.id, { name: 'sensor-key' })).key;
      assert.equal((await api('POST', '/api/v1/rules', { yaml: REVERSE_SHELL_RULE })).statusCode, 201);
      const post = (body: unknown, headers: Record<string, string>) =>
        t.runtime.app.inject({
          method: 'POST',
          url: '/ingest/network/bulk',
          headers: { 'content-type': 'application/json', ...headers },
          payload: typeof body === 'string' ? body : JSON.stringify(body),
        });
      const suricata = await post(
        {
          source: 'suricata',
          sensor: { name: 'sensor-dmz', kind: 'ids', location: 'DMZ' },
          events: [...EVE, { event_type: 'stats' }],
        },
        { 'x-agent-key': agentKey },
      );
      assert.equal(suricata.statusCode, 200, suricata.body);
      const s = suricata.json();
      assert.equal(s.accepted, 6);
      assert.equal(s.rejected, 1);
      assert.deepEqual(
        s.results.map((r: { kind?: string; status: string }) => r.kind ?? r.status),
        ['alert', 'flow', 'dns', 'dns', 'http', 'tls', 'rejected'],
      );
      assert.equal(s.results[6].error.code, 'unsupported_event_type');
      const zeek = await post(
        {
          source: 'zeek',
          sensor: { name: 'zeek-core', kind: 'nsm', location: null },
          events: ['conn', 'dns', 'http', 'ssl', 'notice'].map((l) =>
            networkFixture(`zeek-${l}.json`).trim(),
          ),
        },
        { authorization: `Bearer ${token}` },
      );
      assert.equal(zeek.statusCode, 200, zeek.body);
      assert.equal(zeek.json().accepted, 5);
      await t.runtime.ctx.pipeline.idle();
      const flow = await api('GET', `/api/v1/events/${s.results[1].event_id}`);
      assert.equal(flow.json().fields.ioc_match, true);
      assert.equal(flow.json().logsource?.product ?? flow.json().product, 'suricata');
      const ruleAlerts = (await alerts('kind=rule')).filter(
        (a) => a.title === 'Connection to a reverse-shell port',
      );
      // One per device and window: the Suricata flow (sensor-dmz) and the Zeek conn (zeek-core).
      assert.equal(ruleAlerts.length, 2);
      const iocAlerts = (await alerts('kind=ioc')).filter((a) => a.title === 'IOC match: 198.51.100.23');
      assert.ok(iocAlerts.length >= 2);
      // Imported earlier by the plain list, with its default severity.
      assert.equal(iocAlerts[0]!.severity, 'high');

      assert.equal((await post({ source: 'zeek', events: [] }, {})).statusCode, 401);
      assert.equal(
        (await post({ source: 'zeek', events: [] }, { 'x-agent-key': 'nope-nope-nope-nope' })).statusCode,
        401,
      );
      const tooMany = await post(
        { source: 'zeek', events: Array.from({ length: 1001 }, () => ({})) },
        { 'x-agent-key': agentKey },
      );
      assert.equal(tooMany.statusCode, 413, tooMany.body);
      const big = await post(
        { source: 'zeek', events: [{ pad: 'x'.repeat(5_000_001) }] },
        { 'x-agent-key': agentKey },
      );
      assert.equal(big.statusCode, 413);
      const gzipped = await t.runtime.app.inject({
        method: 'POST',
        url: '/ingest/network/bulk',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-agent-key': agentKey },
        payload: gzipSync(
          JSON.stringify({ source: 'suricata', sensor: { name: 'sensor-dmz' }, events: [EVE[0]] }),
        ),
      });
      assert.equal(gzipped.statusCode, 200, gzipped.body);
      assert.equal(gzipped.json().accepted, 1);
      const bad = await post({ source: 'snort', events: [] }, { 'x-agent-key': agentKey });
      assert.equal(bad.statusCode, 422, bad.body);
      assert.deepEqual(bad.json().detail[0].loc, ['body', 'source']);
    });

    test('sensor records through the Elasticsearch bulk path; a BIOC rule fires on annotated events', async () => {
      assert.equal((await api('POST', '/api/v1/rules', { yaml: BIOC_RULE })).statusCode, 201);
      await api('POST', '/api/v1/iocs', { type: 'domain', value: 'badcorp.example', severity: 'high' });
      const dns = { ...EVE[2]!, timestamp: new Date().toISOString(), host: 'sensor-bulk' };
      const body = `${JSON.stringify({ index: {} })}\n${JSON.stringify(dns)}\n`;
      const res = await api('POST', '/_bulk', body, 'application/x-ndjson');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().errors, false);
      await t.runtime.ctx.pipeline.idle();
      const bioc = (await alerts('kind=rule')).filter((a) => a.title === 'Indicator seen in DNS');
      assert.equal(bioc.length, 1);
      assert.equal(bioc[0]!.severity, 'critical');
    });

    test('agents pull active network indicators: signed /api/v1/agents/iocs and seed 004 /agent/iocs', async () => {
      const org = (await t.runtime.ctx.organizations.findBySlug('default'))!;
      await api('POST', '/api/v1/iocs', {
        type: 'ip',
        value: '192.0.2.200',
        expires_at: new Date(Date.now() - 1000).toISOString(),
      });
      const signed = await t.signed(device, 'GET', '/api/v1/agents/iocs', '');
      assert.equal(signed.statusCode, 200, signed.body);
      const list = signed.json().indicators as Array<{ type: string; value: string }>;
      assert.ok(list.some((i) => i.type === 'ip' && i.value === '198.51.100.23'));
      assert.ok(list.some((i) => i.type === 'cidr'));
      assert.ok(list.every((i) => ['ip', 'cidr', 'domain', 'url'].includes(i.type)));
      assert.ok(!list.some((i) => i.value === '192.0.2.200'), 'expired indicators are not sent');
      assert.equal(
        (await t.runtime.app.inject({ method: 'GET', url: '/api/v1/agents/iocs' })).statusCode,
        401,
      );
      const agentKey = (await t.runtime.ctx.agentKeys.createSantamonKey(org.id, { name: 'eventsec-agent' }))
        .key;
      const seed = await t.runtime.app.inject({
        method: 'GET',
        url: '/agent/iocs',
        headers: { 'x-agent-key': agentKey },
      });
      assert.equal(seed.statusCode, 200, seed.body);
      const items = seed.json() as Array<{ type: string; status: string }>;
      assert.ok(items.length > 0);
      assert.ok(items.every((i) => ['ip', 'domain', 'url'].includes(i.type) && i.status === 'active'));
      const none = await t.runtime.app.inject({ method: 'GET', url: '/agent/iocs' });
      assert.equal(none.statusCode, 401);
      assert.match(none.json().detail, /X-Agent-Key/);
      const other = await t.runtime.app.inject({
        method: 'GET',
        url: '/agent/iocs',
        headers: { authorization: `Bearer ${otherToken}` },
      });
      assert.deepEqual(other.json(), []);
    });

    test('feeds: a URL fetched on request and by the scheduled pass; failures kept on the feed', async () => {
      let served = 0;
      const server: Server = createServer((req, res) => {
        served++;
        if (req.url === '/stix.json') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(intelFixture('stix-bundle.json'));
        } else {
          res.writeHead(404);
          res.end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const created = await api('POST', '/api/v1/intel/feeds', {
          name: 'acme',
          url: `${base}/stix.json`,
          format: 'stix',
        });
        assert.equal(created.statusCode, 201, created.body);
        const fetched = await api('POST', `/api/v1/intel/feeds/${created.json().id}/fetch`);
        assert.equal(fetched.statusCode, 200, fetched.body);
        assert.equal(fetched.json().result.imported, 6);
        assert.equal(fetched.json().feed.last_status, 'ok');
        const broken = await api('POST', '/api/v1/intel/feeds', {
          name: 'gone',
          url: `${base}/gone`,
          format: 'text',
        });
        assert.equal(broken.statusCode, 201);
        assert.equal(
          (await api('POST', '/api/v1/intel/feeds', { name: 'x', url: 'file:///etc/passwd', format: 'text' }))
            .statusCode,
          422,
        );
        await t.runtime.ctx.intel.feeds.runAll();
        const feeds = (await api('GET', '/api/v1/intel/feeds')).json().items as Array<
          Record<string, unknown>
        >;
        assert.equal(feeds.find((f) => f.name === 'gone')!.last_status, 'error');
        assert.equal(feeds.find((f) => f.name === 'gone')!.last_error, 'HTTP 404');
        assert.equal(served, 3);
        assert.equal(
          (await api('GET', '/api/v1/intel/feeds', undefined, undefined, otherToken)).json().items.length,
          0,
        );
      } finally {
        server.closeAllConnections();
        server.close();
      }
    });

    test('threat map: items on POST /ingest (bearer) and the native route, snapshot with GeoIP, live over WebSocket', async () => {
      const item = (over: Record<string, unknown> = {}) => ({
        ts: new Date().toISOString(),
        src_ip: '81.2.69.142',
        dst_ip: '10.0.0.15',
        attack_type: 'Scanner',
        severity: 7,
        tags: ['ssh'],
        confidence: 0.9,
        ...over,
      });
      const seedPost = (body: unknown, headers: Record<string, string> = {}) =>
        t.runtime.app.inject({
          method: 'POST',
          url: '/ingest',
          headers: { 'content-type': 'application/json', ...headers },
          payload: JSON.stringify(body),
        });
      assert.equal(
        (await seedPost([item()])).statusCode,
        401,
        'the seed took it unauthenticated; Harrier does not',
      );
      const received: Array<Record<string, unknown>> = [];
      const ws = await t.runtime.app.injectWS(
        '/ws/threatmap',
        { headers: { authorization: `Bearer ${token}` } },
        // Listening from the start: the first snapshot may be sent before the socket opens here.
        {
          onInit: (socket) => socket.on('message', (data: Buffer) => received.push(JSON.parse(String(data)))),
        },
      );
      const ok = await seedPost([item(), item({ src_ip: '10.1.2.3' })], { authorization: `Bearer ${token}` });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(ok.json(), { accepted: 2 });
      const single = await api('POST', '/api/v1/threat-map/items', item({ attack_type: 'Web', severity: 3 }));
      assert.deepEqual(single.json(), { accepted: 1 });
      // The same path still takes a Santamon signal by its key.
      const org = (await t.runtime.ctx.organizations.findBySlug('default'))!;
      const santamonKey = (await t.runtime.ctx.agentKeys.createSantamonKey(org.id, { name: 'mac-tm' })).key;
      const signal = await seedPost(
        {
          signal_id: 'sig-threatmap-1',
          ts: new Date().toISOString(),
          host_id: 'mac-tm',
          rule_id: 'SANTA-001',
          severity: 'low',
          title: 'Unsigned binary',
          tags: [],
          context: {},
        },
        { 'x-api-key': santamonKey },
      );
      assert.equal(signal.statusCode, 200, signal.body);
      assert.equal(signal.json().status, 'ok');
      const badSeverity = await seedPost([item({ severity: 11 })], { authorization: `Bearer ${token}` });
      assert.equal(badSeverity.statusCode, 422, badSeverity.body);
      assert.ok(badSeverity.json().detail);
      const badIp = await api('POST', '/api/v1/threat-map/items', item({ src_ip: 'nope' }));
      assert.equal(badIp.statusCode, 422);
      // An outbound connection to an indicator: the alert puts the remote end on the map.
      await api('POST', '/api/v1/iocs', { type: 'ip', value: '8.8.8.8', severity: 'high' });
      await ingest([
        {
          ts: new Date().toISOString(),
          type: 'network_connection',
          fields: { SourceIp: '10.0.0.15', DestinationIp: '8.8.8.8', DestinationPort: 53 },
        },
      ]);
      const snap = await api('GET', '/api/v1/threat-map?window=3600');
      assert.equal(snap.statusCode, 200, snap.body);
      const m = snap.json();
      const point = m.points.find((p: { src_ip: string }) => p.src_ip === '81.2.69.142');
      assert.equal(point.country, 'GB');
      assert.equal(point.count, 2);
      assert.equal(point.max_severity, 7);
      assert.deepEqual(point.attack_types, { Scanner: 1, Web: 1 });
      const again = (await api('GET', '/api/v1/threat-map?window=3600'))
        .json()
        .points.find((p: { src_ip: string }) => p.src_ip === '81.2.69.142');
      assert.deepEqual([again.lat, again.lon], [point.lat, point.lon]);
      assert.ok(!m.points.some((p: { src_ip: string }) => p.src_ip.startsWith('10.')));
      const remote = m.points.find((p: { src_ip: string }) => p.src_ip === '8.8.8.8');
      assert.equal(remote.country, 'US');
      assert.deepEqual(remote.origins, { alert: 1 });
      assert.deepEqual(remote.attack_types, { Malware: 1 });
      assert.ok(m.private_excluded >= 1);
      const other = (await api('GET', '/api/v1/threat-map', undefined, undefined, otherToken)).json();
      assert.equal(other.points.length, 0);
      const settled = () =>
        received.some((r) => r.type === 'snapshot') &&
        received.filter((r) => r.type === 'threat').length >= 2;
      for (let i = 0; i < 250 && !settled(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      ws.terminate();
      assert.ok(received.some((r) => r.type === 'snapshot'));
      const live = received.filter((r) => r.type === 'threat');
      assert.equal(live.length, 2, 'private sources are not pushed');
      assert.equal((live[0]!.geo as { country: string }).country, 'GB');
      await assert.rejects(t.runtime.app.injectWS('/ws/threatmap'));
      // Items expire after a week: an old one is removed with the first ingest an hour later.
      const tm = t.runtime.ctx.intel.threatMap;
      const now = Date.now();
      const week = 7 * 86_400_000;
      const old = item({ ts: new Date(now - week - 60_000).toISOString() }) as ThreatMapItemInput;
      const count = async () =>
        (await tm.snapshot(org.id, week + 120_000, now)).points.find((p) => p.src_ip === '81.2.69.142')!
          .count;
      await tm.ingest(org.id, [old], now + 60_000);
      assert.equal(await count(), 3);
      await tm.ingest(org.id, [item({ src_ip: '8.8.4.4' }) as ThreatMapItemInput], now + 2 * 3_600_000);
      assert.equal(await count(), 2);
    });
  });
}
