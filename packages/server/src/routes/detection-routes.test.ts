import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { writeZip } from '../services/zip-reader.ts';
import { corpusEvents, corpusPresent, corpusRule } from '../test-support/corpus.ts';
import { testStores } from '../test-support/databases.ts';
import { makeUser } from '../test-support/identity-fixtures.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';

const CORPUS_RULE = '271de298-cc0e-4842-acd8-079a0a99ea65';
const CORPUS_FILE =
  'events/sigmahq-regression/rules-emerging-threats/2025/Exploits/CVE-2025-55182/proc_creation_win_exploit_cve_2025_55182_susp_nodejs_server_child_process/271de298-cc0e-4842-acd8-079a0a99ea65.jsonl';

/** A small native process rule used where the corpus is not needed. */
const WHOAMI_RULE = `title: Whoami run
id: 6c8f6b1e-0c1a-4a55-9d1e-2f1b7f5e1a01
status: test
logsource:
  product: linux
  category: process_creation
detection:
  selection:
    Image|endswith: /whoami
  condition: selection
level: medium
tags:
  - attack.discovery
  - attack.t1033
`;

function processEvent(i: number, over: Record<string, unknown> = {}) {
  return {
    id: `evt-${i}-${Math.random().toString(36).slice(2)}`,
    ts: new Date(Date.now() - 1000 + i).toISOString(),
    type: 'process_start',
    logsource: { product: 'linux', category: 'process_creation' },
    fields: { Image: '/usr/bin/whoami', CommandLine: 'whoami', User: 'bob', ...over },
  };
}

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`detection on ${store.name}`, () => {
    let t: TestApp;
    let token: string;
    let device: { deviceId: string; secret: string; orgId: string };
    let batch = 0;

    before(async () => {
      t = await startTestApp(store, { HARRIER_API_RATE_LIMIT_PER_MINUTE: '100000' });
      const org = (await t.runtime.ctx.organizations.findBySlug('default'))!;
      token = (await makeUser(t, org.id, 'admin', 'detect.admin@example.test')).access;
      device = await t.enroll('linux-1');
    });
    after(async () => {
      await t.close();
      await store.cleanup();
    });

    const api = (
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      url: string,
      body?: unknown,
      type?: string,
    ) =>
      t.runtime.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': type ?? 'application/json' } : {}),
        },
        ...(body !== undefined
          ? { payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }
          : {}),
      });
    const ingest = async (events: unknown[]) => {
      const res = await t.signed(device, 'POST', '/api/v1/ingest', { batch_id: `b-${++batch}`, events });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().accepted, events.length, res.body);
      await t.runtime.ctx.pipeline.idle();
    };
    const alertsOf = async (query: string) => {
      const res = await api('GET', `/api/v1/alerts?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items as Array<Record<string, unknown>>;
    };

    test('a corpus event ingested as a Windows record raises the rule’s alert', {
      skip: !corpusPresent(),
    }, async () => {
      const created = await api('POST', '/api/v1/rules', { yaml: corpusRule(CORPUS_RULE) });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().rule_id, CORPUS_RULE);
      await ingest(corpusEvents(CORPUS_FILE));
      const alerts = await alertsOf(`rule_id=${CORPUS_RULE}`);
      assert.equal(alerts.length, 1);
      const a = alerts[0]!;
      assert.equal(a.severity, 'high');
      assert.equal(a.status, 'open');
      assert.equal(a.count, 1);
      assert.deepEqual((a.mitre as { techniques: string[] }).techniques, ['T1059', 'T1190']);
      const detail = await api('GET', `/api/v1/alerts/${a.id}`);
      assert.equal(detail.statusCode, 200);
      const d = detail.json();
      assert.equal(d.events.length, 1);
      assert.match(d.events[0].fields.Image, /cmd\.exe$/i);
      assert.equal(d.rule_version.version, 1);
      assert.match(d.rule_version.yaml, /React2Shell/);
    });

    test('repeated matches of one rule and device update one alert', async () => {
      const created = await api('POST', '/api/v1/rules', { yaml: WHOAMI_RULE });
      assert.equal(created.statusCode, 201, created.body);
      const told: Array<{ type: string; subjectId: string; orgId: string }> = [];
      const off = t.runtime.ctx.domainEvents.subscribe((e) => {
        if (e.data.ruleUid === '6c8f6b1e-0c1a-4a55-9d1e-2f1b7f5e1a01' || e.type === 'alert.updated')
          told.push(e);
      });
      await ingest([processEvent(1), processEvent(2)]);
      await ingest([processEvent(3)]);
      await t.runtime.ctx.domainEvents.idle();
      off();
      const alerts = await alertsOf('rule_id=6c8f6b1e-0c1a-4a55-9d1e-2f1b7f5e1a01');
      assert.equal(alerts.length, 1);
      // The live feed and notifications hear of the new alert once, then of its growth.
      assert.deepEqual(
        told.map((e) => [e.type, e.subjectId, e.orgId]),
        [
          ['alert.created', alerts[0]!.id, device.orgId],
          ['alert.updated', alerts[0]!.id, device.orgId],
        ],
      );
      assert.equal(alerts[0]!.count, 3);
      assert.equal((alerts[0]!.matched_event_ids as string[]).length, 3);
      assert.equal(alerts[0]!.severity, 'medium');
      assert.deepEqual((alerts[0]!.mitre as { tactics: string[] }).tactics, ['discovery']);
    });

    test('a suppression holds matches back and counts them', async () => {
      const s = await api('POST', '/api/v1/suppressions', {
        rule_id: '6c8f6b1e-0c1a-4a55-9d1e-2f1b7f5e1a01',
        conditions: { User: 'svc-*' },
        reason: 'service account inventory job',
      });
      assert.equal(s.statusCode, 201, s.body);
      await ingest([processEvent(10, { User: 'svc-backup' }), processEvent(11, { User: 'SVC-scan' })]);
      const alerts = await alertsOf('rule_id=6c8f6b1e-0c1a-4a55-9d1e-2f1b7f5e1a01');
      assert.equal(alerts[0]!.count, 3);
      const after = await api('GET', `/api/v1/suppressions/${s.json().id}`);
      assert.equal(after.json().suppressed_count, 2);
      await ingest([processEvent(12, { User: 'alice' })]);
      assert.equal((await alertsOf('rule_id=6c8f6b1e-0c1a-4a55-9d1e-2f1b7f5e1a01'))[0]!.count, 4);
    });

    test('a disabled rule does not fire; enabling it again does', async () => {
      const yaml = WHOAMI_RULE.replace(
        '6c8f6b1e-0c1a-4a55-9d1e-2f1b7f5e1a01',
        '6c8f6b1e-0c1a-4a55-9d1e-2f1b7f5e1a02',
      )
        .replace('/whoami', '/id')
        .replace('Whoami run', 'Id run');
      const created = await api('POST', '/api/v1/rules', { yaml, enabled: false });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().enabled, false);
      await ingest([processEvent(20, { Image: '/usr/bin/id' })]);
      assert.equal((await alertsOf('rule_id=6c8f6b1e-0c1a-4a55-9d1e-2f1b7f5e1a02')).length, 0);
      const enabled = await api('POST', `/api/v1/rules/${created.json().id}/enable`);
      assert.equal(enabled.json().enabled, true);
      await ingest([processEvent(21, { Image: '/usr/bin/id' })]);
      assert.equal((await alertsOf('rule_id=6c8f6b1e-0c1a-4a55-9d1e-2f1b7f5e1a02')).length, 1);
    });

    test('a rule the engine cannot run is a 422 with line and column, and nothing changes', async () => {
      const before = (await api('GET', '/api/v1/rules?limit=500')).json().items.length;
      const cases: Array<[string, string, number]> = [
        ['invalid YAML', 'title: x\nid: 1\ndetection: [unclosed\n', 4],
        [
          'unknown modifier',
          WHOAMI_RULE.replace('Image|endswith', 'Image|endswithh').replace('2f1b7f5e1a01', '2f1b7f5e1a10'),
          9,
        ],
        [
          'bad regex',
          WHOAMI_RULE.replace('Image|endswith: /whoami', "Image|re: '(unclosed'").replace(
            '2f1b7f5e1a01',
            '2f1b7f5e1a11',
          ),
          9,
        ],
        [
          'missing selection',
          WHOAMI_RULE.replace('condition: selection', 'condition: selection and filter').replace(
            '2f1b7f5e1a01',
            '2f1b7f5e1a12',
          ),
          10,
        ],
      ];
      for (const [what, yaml, line] of cases) {
        const res = await api('POST', '/api/v1/rules', { yaml });
        assert.equal(res.statusCode, 422, `${what}: ${res.body}`);
        const err = res.json().error;
        assert.equal(err.code, 'invalid_rule', what);
        assert.ok(Array.isArray(err.details) && err.details.length > 0, what);
        assert.equal(err.details[0].line, line, `${what}: ${JSON.stringify(err.details)}`);
        assert.ok(err.details[0].column >= 1, what);
        assert.equal(typeof err.details[0].message, 'string');
      }
      const orphan = await api('POST', '/api/v1/rules', {
        yaml: 'title: Orphan correlation\nid: 5e0f0d0c-0b0a-4909-8807-060504030299\ncorrelation:\n  type: event_count\n  rules:\n    - no_such_rule\n  timespan: 5m\n  condition:\n    gte: 2\nlevel: high\n',
      });
      assert.equal(orphan.statusCode, 422, orphan.body);
      assert.equal(orphan.json().error.details[0].code, 'unknown_rule_reference');
      assert.equal(orphan.json().error.details[0].line, 6);
      // An update with a broken rule leaves the stored one as it was.
      const list = (await api('GET', '/api/v1/rules?q=whoami')).json().items;
      const res = await api('PUT', `/api/v1/rules/${list[0].id}`, {
        yaml: cases[1]![1].replace('2f1b7f5e1a10', '2f1b7f5e1a01'),
      });
      assert.equal(res.statusCode, 422);
      const stored = (await api('GET', `/api/v1/rules/${list[0].id}`)).json();
      assert.equal(stored.version, 1);
      assert.equal(stored.yaml, WHOAMI_RULE);
      assert.equal((await api('GET', '/api/v1/rules?limit=500')).json().items.length, before);
    });

    test('updating a rule stores a new version; alerts record the version that fired', async () => {
      const list = (await api('GET', '/api/v1/rules?q=whoami')).json().items;
      const id = list[0].id as string;
      const res = await api('PUT', `/api/v1/rules/${id}`, {
        yaml: WHOAMI_RULE.replace('level: medium', 'level: high'),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().version, 2);
      assert.equal(res.json().severity, 'high');
      const versions = (await api('GET', `/api/v1/rules/${id}/versions`)).json().items;
      assert.deepEqual(
        versions.map((v: { version: number }) => v.version),
        [2, 1],
      );
      const filtered = (
        await api(
          'GET',
          '/api/v1/rules?product=linux&category=process_creation&tag=attack.t1033&enabled=true&q=whoami',
        )
      ).json();
      assert.deepEqual(
        filtered.items.map((r: { rule_id: string }) => r.rule_id),
        ['6c8f6b1e-0c1a-4a55-9d1e-2f1b7f5e1a01'],
      );
      assert.equal(
        (await api('GET', '/api/v1/rules?product=windows&tag=attack.t1033')).json().items.length,
        0,
      );
      const v1 = await api('GET', `/api/v1/rules/${id}/versions/1`);
      assert.equal(v1.json().yaml, WHOAMI_RULE);
      const alerts = await alertsOf('rule_id=6c8f6b1e-0c1a-4a55-9d1e-2f1b7f5e1a01');
      assert.equal(alerts[0]!.rule && (alerts[0]!.rule as { version: number }).version, 1);
    });

    test('the rule test endpoint tells which events match and which selections were true', async () => {
      const yaml = `title: Test
id: 0f0e0d0c-0b0a-4909-8807-060504030201
logsource:
  product: linux
  category: process_creation
detection:
  selection_img:
    Image|endswith: /curl
  selection_cli:
    CommandLine|contains: '| sh'
  filter:
    User: root
  condition: all of selection_* and not filter
level: high
`;
      const res = await api('POST', '/api/v1/rules/test', {
        yaml,
        events: [
          {
            logsource: { product: 'linux', category: 'process_creation' },
            fields: { Image: '/usr/bin/curl', CommandLine: 'curl x | sh', User: 'bob' },
          },
          {
            logsource: { product: 'linux', category: 'process_creation' },
            fields: { Image: '/usr/bin/curl', CommandLine: 'curl x', User: 'bob' },
          },
          {
            logsource: { product: 'linux', category: 'process_creation' },
            fields: { Image: '/usr/bin/curl', CommandLine: 'curl x | sh', User: 'root' },
          },
        ],
      });
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json().results;
      assert.deepEqual(
        r.map((x: { matched: boolean }) => x.matched),
        [true, false, false],
      );
      assert.deepEqual(r[1].rules[0].selections, {
        selection_img: true,
        selection_cli: false,
        filter: false,
      });
      assert.deepEqual(r[2].rules[0].selections, { selection_img: true, selection_cli: true, filter: true });
      const bad = await api('POST', '/api/v1/rules/test', {
        yaml: yaml.replace('all of selection_*', 'sel_missing'),
        events: [{}],
      });
      assert.equal(bad.statusCode, 422);
      assert.equal((await api('GET', '/api/v1/rules?q=0f0e0d0c')).json().items.length, 0);
    });

    test('importing many rules answers a result per rule (YAML, zip, condition maps)', async () => {
      const good = (n: number) =>
        WHOAMI_RULE.replace('2f1b7f5e1a01', `2f1b7f5e1b0${n}`)
          .replace('Whoami run', `Imported ${n}`)
          .replace('/whoami', `/tool${n}`);
      const multi = `${good(1)}---\n${good(2)}---\n${good(3).replace('Image|endswith', 'Image|nope')}`;
      const res = await api('POST', '/api/v1/rules/import', multi, 'application/yaml');
      assert.equal(res.statusCode, 200, res.body);
      const s = res.json();
      assert.equal(s.created, 2);
      assert.equal(s.invalid, 1);
      const invalid = s.results.find((r: { status: string }) => r.status === 'invalid');
      assert.equal(invalid.code, 'unknown_modifier');
      assert.ok(invalid.line > 20, `line ${invalid.line} is inside the third document`);
      const zip = writeZip([
        { path: 'rules/a.yml', data: Buffer.from(good(1)) },
        { path: 'rules/b.yaml', data: Buffer.from(good(2).replace('level: medium', 'level: low')) },
        { path: 'rules/c.yml', data: Buffer.from(good(4)) },
        { path: 'README.md', data: Buffer.from('not a rule') },
      ]);
      const z = await api('POST', '/api/v1/rules/import', zip, 'application/zip');
      assert.equal(z.statusCode, 200, z.body);
      assert.deepEqual(
        z.json().results.map((r: { path: string; status: string }) => [r.path, r.status]),
        [
          ['rules/a.yml', 'unchanged'],
          ['rules/b.yaml', 'updated'],
          ['rules/c.yml', 'created'],
        ],
      );
      const broken = await api(
        'POST',
        '/api/v1/rules/import',
        Buffer.from('PK not a zip'),
        'application/zip',
      );
      assert.equal(broken.statusCode, 422);
      const maps = await api('POST', '/api/v1/rules/import', {
        condition_maps: [
          {
            name: 'Rare destination ports',
            severity: 'medium',
            conditions: { event_type: 'network', 'details.dst_port': [4444, 5555] },
          },
          { name: 'Empty', conditions: {} },
        ],
      });
      assert.equal(maps.statusCode, 200, maps.body);
      assert.equal(maps.json().created, 1);
      assert.equal(maps.json().invalid, 1);
      const exported = await api('GET', '/api/v1/rules/export');
      assert.equal(exported.statusCode, 200);
      assert.match(exported.body, /Rare destination ports/);
      assert.match(exported.body, /\n---\n/);
    });

    test('a condition-map rule fires on matching events', async () => {
      await ingest([
        {
          ts: new Date().toISOString(),
          type: 'network_connection',
          fields: { event_type: 'network', dst_port: 4444 },
        },
        {
          ts: new Date().toISOString(),
          type: 'network_connection',
          fields: { event_type: 'network', dst_port: 443 },
        },
      ]);
      const alerts = await alertsOf('q=Rare%20destination');
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.count, 1);
    });

    test('severity promotion: a high event raises an alert, a low one does not', async () => {
      await ingest([
        {
          ts: new Date().toISOString(),
          type: 'log',
          severity: 'CRITICAL',
          title: 'Ransom note dropped',
          fields: { msg: 'x' },
        },
        {
          ts: new Date().toISOString(),
          type: 'log',
          severity: 'LOW',
          title: 'Minor thing',
          fields: { msg: 'y' },
        },
      ]);
      const alerts = await alertsOf('kind=severity');
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.severity, 'critical');
      assert.equal(alerts[0]!.title, 'Ransom note dropped');
    });

    test('IOC lists (plain text and CSV) match hashes, addresses, ranges, domains and URLs', async () => {
      const text = await api(
        'POST',
        '/api/v1/iocs/import?severity=critical&source=feed-a',
        '# feed\n203.0.113.7\n198.51.100.0/24\nevil.example\nhttp://bad.example.net/payload.bin\nnot an indicator!\n',
        'text/plain',
      );
      assert.equal(text.statusCode, 200, text.body);
      assert.equal(text.json().imported, 4);
      assert.equal(text.json().problems.length, 1);
      const csv = await api(
        'POST',
        '/api/v1/iocs/import',
        'value,type,severity\n44d88612fea8a8f36de82e1278abb02f,md5,high\n',
        'text/csv',
      );
      assert.equal(csv.statusCode, 200, csv.body);
      assert.equal(csv.json().imported, 1);
      await ingest([
        {
          ts: new Date().toISOString(),
          type: 'network_connection',
          fields: { DestinationIp: '198.51.100.23', DestinationPort: 443 },
        },
        { ts: new Date().toISOString(), type: 'dns', fields: { QueryName: 'cdn.evil.example' } },
        {
          ts: new Date().toISOString(),
          type: 'process_start',
          fields: { Image: '/tmp/x', Hashes: 'MD5=44D88612FEA8A8F36DE82E1278ABB02F,SHA256=00' },
        },
        { ts: new Date().toISOString(), type: 'log', fields: { url: 'http://bad.example.net/payload.bin' } },
        { ts: new Date().toISOString(), type: 'network_connection', fields: { DestinationIp: '192.0.2.1' } },
      ]);
      const alerts = await alertsOf('kind=ioc');
      const titles = alerts.map((a) => a.title).sort();
      assert.deepEqual(titles, [
        'IOC match: 198.51.100.0/24',
        'IOC match: 44d88612fea8a8f36de82e1278abb02f',
        'IOC match: evil.example',
        'IOC match: http://bad.example.net/payload.bin',
      ]);
      assert.equal(alerts.find((a) => a.title === 'IOC match: evil.example')!.severity, 'critical');
      const list = (await api('GET', '/api/v1/iocs?type=cidr')).json().items;
      assert.equal(list[0].hit_count, 1);
    });

    test('a Santamon signal becomes an alert as sent', async () => {
      const org = (await t.runtime.ctx.organizations.findBySlug('default'))!;
      const key = (await t.runtime.ctx.agentKeys.createSantamonKey(org.id, { name: 'mac' })).key;
      const res = await t.runtime.app.inject({
        method: 'POST',
        url: '/ingest',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        payload: JSON.stringify({
          signal_id: 'sig-detect-1',
          ts: new Date().toISOString(),
          host_id: 'mac-1',
          rule_id: 'SANTA-007',
          severity: 'critical',
          title: 'Unsigned binary from Downloads',
          tags: ['attack.execution', 'attack.t1204.002'],
          context: { target_path: '/Users/bob/Downloads/x', decision: 'ALLOW' },
        }),
      });
      assert.equal(res.statusCode, 200, res.body);
      await t.runtime.ctx.pipeline.idle();
      const alerts = await alertsOf('rule_id=SANTA-007');
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.title, 'Unsigned binary from Downloads');
      assert.equal(alerts[0]!.severity, 'critical');
      assert.equal(alerts[0]!.kind, 'signal');
      assert.deepEqual((alerts[0]!.mitre as { techniques: string[] }).techniques, ['T1204.002']);
    });

    test('alert listing filters and paginates; other organizations see nothing', async () => {
      const page1 = (await api('GET', '/api/v1/alerts?limit=2')).json();
      assert.equal(page1.items.length, 2);
      assert.ok(page1.next_cursor);
      const page2 = (await api('GET', `/api/v1/alerts?limit=2&cursor=${page1.next_cursor}`)).json();
      assert.notEqual(page2.items[0].id, page1.items[0].id);
      const high = (await api('GET', '/api/v1/alerts?severity=high&limit=500')).json().items;
      assert.ok(high.every((a: { severity: string }) => a.severity === 'high' || a.severity === 'critical'));
      const ctx = t.runtime.ctx;
      const { org: other } = await ctx.identity.organizations.create({ slug: 'detect-other', name: 'Other' });
      const otherToken = (await makeUser(t, other.id, 'admin', 'other.detect@example.test')).access;
      const res = await t.runtime.app.inject({
        method: 'GET',
        url: '/api/v1/alerts',
        headers: { authorization: `Bearer ${otherToken}` },
      });
      assert.equal(res.json().items.length, 0);
      const one = await t.runtime.app.inject({
        method: 'GET',
        url: `/api/v1/alerts/${page1.items[0].id}`,
        headers: { authorization: `Bearer ${otherToken}` },
      });
      assert.equal(one.statusCode, 404);
    });

    test('rule routes need a permission: an analyst reads but cannot write', async () => {
      const org = (await t.runtime.ctx.organizations.findBySlug('default'))!;
      const analyst = (await makeUser(t, org.id, 'analyst', 'analyst.detect@example.test')).access;
      const read = await t.runtime.app.inject({
        method: 'GET',
        url: '/api/v1/rules',
        headers: { authorization: `Bearer ${analyst}` },
      });
      assert.equal(read.statusCode, 200);
      const write = await t.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/rules',
        headers: { authorization: `Bearer ${analyst}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ yaml: WHOAMI_RULE }),
      });
      assert.equal(write.statusCode, 403);
    });
  });
}
