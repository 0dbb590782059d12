import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';

/** Trimmed from osv.dev's DSA record for curl; Debian advisories name source packages. */
const CURL_ADVISORY = {
  id: 'DSA-5587-1',
  aliases: ['CVE-2023-38545'],
  summary: 'curl - security update',
  affected: [
    {
      package: { ecosystem: 'Debian:12', name: 'curl' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '7.88.1-10+deb12u4' }] }],
    },
  ],
};
const LODASH_ADVISORY = {
  id: 'GHSA-p6mc-m468-83gw',
  aliases: ['CVE-2020-8203'],
  summary: 'Prototype Pollution in lodash',
  database_specific: { severity: 'LOW' },
  affected: [
    {
      package: { ecosystem: 'npm', name: 'lodash' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.19' }] }],
    },
  ],
};
const KEV_CSV = [
  'cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes',
  'CVE-2020-8203,lodash,lodash,"Lodash Prototype Pollution",2024-01-01,d,"Apply updates.",2024-01-22,Unknown,,',
].join('\n');

const SNAPSHOT = {
  software: [
    { name: 'libcurl4', version: '7.88.1-10+deb12u3', source: 'dpkg', arch: 'amd64', source_package: 'curl' },
    { name: 'curl', version: '7.88.1-10+deb12u3', source: 'dpkg', arch: 'amd64' },
    { name: 'bash', version: '5.2.15-2+b2', source: 'dpkg', arch: 'amd64' },
    { name: 'lodash', version: '4.17.15', source: 'npm' },
  ],
  hardware: { cpu_model: 'Xeon', memory_bytes: 17179869184, serial: 'ABC123' },
};

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`exposure on ${store.name}`, () => {
    let w: IdentityWorld;
    let device: { deviceId: string; secret: string; orgId: string };
    let other: { deviceId: string; secret: string; orgId: string };
    before(async () => {
      w = await startIdentityWorld(store, { HARRIER_ANALYSIS_MAX_BYTES: '4096' });
      device = await w.t.enroll('web-1');
      other = await w.t.enroll('web-2');
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });
    const get = async (url: string, token = w.users.analyst.access) => {
      const res = await w.request('GET', url, { token });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const raw = (url: string, body: string | Buffer, type: string, token = w.users.admin.access) =>
      w.t.runtime.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
        payload: body,
      });

    test('a signed inventory snapshot replaces the device’s software and hardware', async () => {
      const res = await w.t.signed(device, 'POST', '/api/v1/agents/inventory', SNAPSHOT);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { packages: 4 });
      const inv = await get(`/api/v1/devices/${device.deviceId}/inventory`);
      assert.deepEqual(
        inv.software.map((s: { name: string; ecosystem: string | null }) => [s.name, s.ecosystem]),
        [
          ['bash', 'Debian'],
          ['curl', 'Debian'],
          ['libcurl4', 'Debian'],
          ['lodash', 'npm'],
        ],
      );
      assert.equal(inv.hardware.serial, 'ABC123');
      assert.equal((await get(`/api/v1/devices/${device.deviceId}/inventory?q=curl`)).software.length, 2);
      await w.t.signed(other, 'POST', '/api/v1/agents/inventory', { software: [SNAPSHOT.software[1]] });
      const fleet = await get('/api/v1/software?q=curl');
      assert.deepEqual(
        fleet.items.map((p: { name: string; devices: number }) => [p.name, p.devices]),
        [
          ['curl', 2],
          ['libcurl4', 1],
        ],
      );
      const bad = await w.t.signed(device, 'POST', '/api/v1/agents/inventory', { software: [{ name: 'x' }] });
      assert.equal(bad.statusCode, 400, bad.body);
      const unsigned = await raw('/api/v1/agents/inventory', JSON.stringify(SNAPSHOT), 'application/json');
      assert.equal(unsigned.statusCode, 401, unsigned.body);
    });

    test('importing advisories finds vulnerable packages by each ecosystem’s ordering; KEV raises them', async () => {
      const imported = await w.request('POST', '/api/v1/vulnerabilities/advisories', {
        token: w.users.admin.access,
        body: [CURL_ADVISORY, LODASH_ADVISORY, { nope: true }],
      });
      assert.equal(imported.statusCode, 200, imported.body);
      assert.equal(imported.json().imported, 2);
      assert.equal(imported.json().problems.length, 1);
      assert.equal(imported.json().devices_rescanned, 2);

      const mine = await get(`/api/v1/devices/${device.deviceId}/vulnerabilities`);
      assert.deepEqual(
        mine.findings
          .map((f: { package: string; advisory_id: string; severity: string }) => [
            f.package,
            f.advisory_id,
            f.severity,
          ])
          .sort(),
        [
          ['curl', 'DSA-5587-1', 'medium'],
          ['libcurl4', 'DSA-5587-1', 'medium'],
          ['lodash', 'GHSA-p6mc-m468-83gw', 'low'],
        ],
      );
      assert.deepEqual(mine.findings.find((f: { package: string }) => f.package === 'curl').fixed_versions, [
        '7.88.1-10+deb12u4',
      ]);

      const kev = await raw('/api/v1/vulnerabilities/kev', KEV_CSV, 'text/csv');
      assert.equal(kev.statusCode, 200, kev.body);
      assert.deepEqual(kev.json(), { imported: 1, problems: [], findings_flagged: 1 });
      const exploited = await get('/api/v1/vulnerabilities?kev=true');
      assert.deepEqual(
        exploited.items.map((f: { package: string; severity: string; known_exploited: boolean }) => [
          f.package,
          f.severity,
          f.known_exploited,
        ]),
        [['lodash', 'high', true]],
      );
      const risk = (await get(`/api/v1/devices/${device.deviceId}/vulnerabilities`)).risk;
      // medium 4 + medium 4 + high 10 doubled for KEV = 28.
      assert.deepEqual(
        { score: risk.score, level: risk.level, kev: risk.kev },
        { score: 28, level: 'medium', kev: 1 },
      );
      const summary = await get('/api/v1/vulnerabilities/summary');
      assert.equal(summary.devices[0].device_id, device.deviceId);
      assert.deepEqual(summary.catalogue, { advisories: 2, kev: 1 });

      const assets = await get('/api/inventory/assets');
      const asset = assets.find((a: { id: string }) => a.id === device.deviceId);
      assert.equal(asset.software_count, 4);
      assert.equal(asset.vulnerability_count, 3);
      assert.equal(asset.risk_score, 28);
      const seedVulns = await get(`/api/vulnerabilities?device_id=${device.deviceId}&severity=high`);
      assert.equal(seedVulns.length, 1);
    });

    test('an upgrade reported by the agent’s software events clears the finding', async () => {
      const event = {
        id: `sw-${Date.now()}`,
        ts: new Date().toISOString(),
        type: 'software',
        logsource: { product: 'linux', category: 'software_inventory' },
        fields: {
          Product: 'curl',
          Version: '7.88.1-10+deb12u5',
          Architecture: 'amd64',
          PackageManager: 'dpkg',
          ChangeType: 'upgraded',
        },
      };
      const res = await w.t.signed(device, 'POST', '/api/v1/ingest', {
        batch_id: `sw-${Date.now()}`,
        events: [event],
      });
      assert.equal(res.statusCode, 200, res.body);
      await w.t.runtime.ctx.pipeline.idle();
      const findings = (await get(`/api/v1/devices/${device.deviceId}/vulnerabilities`)).findings;
      assert.deepEqual(findings.map((f: { package: string }) => f.package).sort(), ['libcurl4', 'lodash']);
    });

    test('another organization sees none of it; importing needs the permission', async () => {
      const res = await w.request('GET', `/api/v1/devices/${device.deviceId}/inventory`, {
        token: w.otherAdmin.access,
      });
      assert.equal(res.statusCode, 404);
      assert.deepEqual((await get('/api/v1/vulnerabilities', w.otherAdmin.access)).items, []);
      assert.deepEqual(await get('/api/inventory/assets', w.otherAdmin.access), []);
      const denied = await w.request('POST', '/api/v1/vulnerabilities/advisories', {
        token: w.users.analyst.access,
        body: CURL_ADVISORY,
      });
      assert.equal(denied.statusCode, 403);
    });

    test('file analysis: a verdict with reasons, stored; over the cap is 413; read-only users cannot submit', async () => {
      const eicar = String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`;
      const res = await raw(
        '/api/v1/analysis/files?filename=eicar.com',
        eicar,
        'application/json',
        w.users.analyst.access,
      );
      assert.equal(res.statusCode, 201, res.body);
      const a = res.json();
      assert.equal(a.verdict, 'malicious');
      assert.equal(a.sha256, '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f');
      assert.equal(a.report.ruleMatches[0].rule, 'EICAR_Test_File');
      assert.equal((await get(`/api/v1/analysis/${a.id}`)).name, 'eicar.com');
      assert.equal((await get('/api/v1/analysis?verdict=malicious')).items.length, 1);

      const big = await raw(
        '/api/v1/analysis/files',
        Buffer.alloc(5000, 1),
        'application/octet-stream',
        w.users.analyst.access,
      );
      assert.equal(big.statusCode, 413);
      assert.equal(big.json().error.code, 'payload_too_large');
      const empty = await raw(
        '/api/v1/analysis/files',
        Buffer.alloc(0),
        'application/octet-stream',
        w.users.analyst.access,
      );
      assert.equal(empty.statusCode, 400);
      const ro = await raw('/api/v1/analysis/files', 'x', 'text/plain', w.users.read_only.access);
      assert.equal(ro.statusCode, 403);
      const elsewhere = await w.request('GET', `/api/v1/analysis/${a.id}`, { token: w.otherAdmin.access });
      assert.equal(elsewhere.statusCode, 404);
    });

    test('pattern rules: a bad rule is a 422 naming the line; a good one judges later files', async () => {
      const bad = await w.request('POST', '/api/v1/analysis-rules', {
        token: w.users.senior_analyst.access,
        body: { source: 'rule A {\n strings:\n  $a = { 4D 5 }\n condition: $a }' },
      });
      assert.equal(bad.statusCode, 422, bad.body);
      assert.equal(bad.json().error.code, 'invalid_pattern_rule');
      assert.equal(bad.json().error.details.line, 3);
      const good = await w.request('POST', '/api/v1/analysis-rules', {
        token: w.users.senior_analyst.access,
        body: {
          source:
            'rule Acme_Dropper { meta: severity = "critical" strings: $s = "acme-dropper-v2" nocase condition: $s }',
        },
      });
      assert.equal(good.statusCode, 201, good.body);
      const res = await raw(
        '/api/v1/analysis/files',
        'payload ACME-DROPPER-V2 here',
        'application/octet-stream',
        w.users.analyst.access,
      );
      assert.equal(res.json().verdict, 'malicious');
      assert.match(res.json().report.reasons[0].reason, /Acme_Dropper/);
      const dup = await w.request('POST', '/api/v1/analysis-rules', {
        token: w.users.senior_analyst.access,
        body: { source: 'rule Acme_Dropper { strings: $s = "x" condition: $s }' },
      });
      assert.equal(dup.statusCode, 409);
    });

    test('e-mail analysis of a phishing .eml raises one alert; a clean one none', async () => {
      const eml = [
        'Return-Path: <bounce@paypa1-secure.com>',
        'Authentication-Results: mx.example.com; spf=fail smtp.mailfrom=paypa1-secure.com; dkim=none; dmarc=fail header.from=paypal.com',
        'From: "service@paypal.com" <security@paypa1-secure.com>',
        'Reply-To: collect@mailbox-drop.net',
        'To: victim@example.com',
        'Subject: Your account is limited',
        'MIME-Version: 1.0',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>Verify at <a href="http://198.51.100.9/login">https://www.paypal.com/login</a></p>',
        '',
      ].join('\r\n');
      const res = await raw(
        '/api/v1/analysis/emails?filename=phish.eml',
        eml,
        'message/rfc822',
        w.users.analyst.access,
      );
      assert.equal(res.statusCode, 201, res.body);
      const a = res.json();
      assert.equal(a.verdict, 'malicious');
      assert.deepEqual(a.report.authentication, { spf: 'fail', dkim: 'none', dmarc: 'fail' });
      assert.ok(a.alert_id);
      const again = await raw('/api/v1/analysis/emails', eml, 'message/rfc822', w.users.analyst.access);
      assert.equal(again.json().alert_id, a.alert_id, 'the same message grows the open alert');
      const alert = await get(`/api/v1/alerts/${a.alert_id}`);
      assert.match(alert.title, /Malicious e-mail: Your account is limited/);
      assert.equal(alert.count, 2);

      const clean = [
        'Authentication-Results: mx.example.com; spf=pass; dkim=pass; dmarc=pass',
        'From: Alice <alice@example.org>',
        'Subject: Lunch',
        '',
        'See you at noon.',
        '',
      ].join('\r\n');
      const ok = await raw('/api/v1/analysis/emails', clean, 'message/rfc822', w.users.analyst.access);
      assert.equal(ok.json().verdict, 'clean');
      assert.equal(ok.json().alert_id, null);
      const notMail = await raw(
        '/api/v1/analysis/emails',
        '\u0000\u0001binary',
        'message/rfc822',
        w.users.analyst.access,
      );
      assert.equal(notMail.statusCode, 400, notMail.body);
    });
  });
}
