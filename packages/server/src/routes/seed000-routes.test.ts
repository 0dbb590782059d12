import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';
import { insertAlert, insertEvent, sendHeartbeat } from '../test-support/management-fixtures.ts';

const GB = 1024 ** 3;

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`seed 000 (Kestrel) routes and posture metrics on ${store.name}`, () => {
    let w: IdentityWorld;
    before(async () => {
      w = await startIdentityWorld(store);
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });
    const lead = () => w.users.team_lead.access;

    test('seed 000 test_crud_endpoint, with a token (the seed test itself failed on 401)', async () => {
      assert.equal((await w.request('POST', '/api/endpoints/', { body: { hostname: 'x' } })).statusCode, 401);
      const created = await w.request('POST', '/api/endpoints/', {
        token: lead(),
        body: { hostname: 'ep-1', ip: '10.0.0.5', os: 'Windows 11', tags: 'lab, finance' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const ep = created.json();
      assert.deepEqual(ep, {
        id: ep.id,
        hostname: 'ep-1',
        ip: '10.0.0.5',
        os: 'Windows 11',
        status: 'active',
        tags: 'lab,finance',
      });
      assert.equal((await w.request('GET', '/api/endpoints/', { token: lead() })).json().length, 1);
      assert.equal(
        (await w.request('GET', `/api/endpoints/${ep.id}`, { token: lead() })).json().hostname,
        'ep-1',
      );
      const patched = await w.request('PATCH', `/api/endpoints/${ep.id}`, {
        token: lead(),
        body: { status: 'inactive' },
      });
      assert.equal(patched.json().status, 'inactive');
      assert.equal((await w.request('DELETE', `/api/endpoints/${ep.id}`, { token: lead() })).statusCode, 204);
      assert.equal((await w.request('GET', '/api/endpoints', { token: lead() })).json().length, 0);
      const missing = await w.request('GET', `/api/endpoints/${ep.id}`, { token: lead() });
      assert.equal(missing.statusCode, 404);
      assert.equal(typeof missing.json().detail, 'string');
    });

    test('policies (duplicate 409, not 500), rules, assignments, detectors, audit', async () => {
      const p = await w.request('POST', '/api/policies/', {
        token: lead(),
        body: { name: 'Kestrel default', description: 'd' },
      });
      assert.equal(p.statusCode, 201, p.body);
      assert.deepEqual(Object.keys(p.json()).sort(), ['description', 'enabled', 'id', 'name']);
      const dup = await w.request('POST', '/api/policies', {
        token: lead(),
        body: { name: 'Kestrel default' },
      });
      assert.equal(dup.statusCode, 409);
      assert.equal(typeof dup.json().detail, 'string');
      assert.equal((await w.request('POST', '/api/policies', { token: lead(), body: {} })).statusCode, 422);

      const rule = await w.request('POST', '/api/rules', {
        token: lead(),
        body: { name: 'r', type: 'behavioral', definition: '{}', policy_id: p.json().id },
      });
      assert.equal(rule.statusCode, 201, rule.body);
      assert.equal(rule.json().policy_id, p.json().id);
      const off = await w.request('PATCH', `/api/rules/${rule.json().id}`, {
        token: lead(),
        body: { enabled: false },
      });
      assert.equal(off.json().enabled, false);

      const device = await w.t.enroll('kestrel-host');
      const a = await w.request('POST', '/api/assignments', {
        token: lead(),
        body: { endpoint_id: device.deviceId, policy_id: p.json().id },
      });
      assert.equal(a.statusCode, 201, a.body);
      assert.deepEqual(a.json(), {
        id: a.json().id,
        endpoint_id: device.deviceId,
        policy_id: p.json().id,
        status: 'applied',
      });
      const bogus = await w.request('POST', '/api/assignments', {
        token: lead(),
        body: { endpoint_id: 'not-a-device', policy_id: p.json().id },
      });
      assert.equal(bogus.statusCode, 400, 'unlike seed 000 on SQLite, a bogus endpoint is refused');
      const failed = await w.request('PATCH', `/api/assignments/${a.json().id}`, {
        token: lead(),
        body: { status: 'failed' },
      });
      assert.equal(failed.json().status, 'failed');

      const det = await w.request('POST', '/api/detectors', {
        token: lead(),
        body: { detector_name: 'iforest', params: '{"contamination":0.05}', version: '1' },
      });
      assert.equal(det.statusCode, 201, det.body);
      assert.deepEqual(det.json(), {
        id: det.json().id,
        detector_name: 'iforest',
        params: '{"contamination":0.05}',
        version: '1',
      });
      const badParams = await w.request('POST', '/api/detectors', {
        token: lead(),
        body: { detector_name: 'x', params: 'nope' },
      });
      assert.equal(badParams.statusCode, 422);

      const note = await w.request('POST', '/api/audit', {
        token: lead(),
        body: { actor: 'soc-bot', action: 'manual.check', details: 'ok' },
      });
      assert.equal(note.statusCode, 201, note.body);
      assert.deepEqual(note.json(), {
        id: note.json().id,
        actor: 'soc-bot',
        action: 'manual.check',
        details: 'ok',
      });
      await w.t.runtime.ctx.identity.audit.flush();
      const log = await w.request('GET', '/api/audit', { token: lead() });
      assert.ok(log.json().some((r: { action: string }) => r.action === 'manual.check'));
      assert.ok(
        log.json().some((r: { action: string }) => r.action === 'seed000.policies.create'),
        'writes are audited automatically',
      );
      assert.equal((await w.request('GET', '/api/audit', { token: w.users.analyst.access })).statusCode, 403);
    });

    test('posture metrics from alerts, events and heartbeats (seed paths and native)', async () => {
      const ctx = w.t.runtime.ctx;
      // The other organization has no devices, alerts or events: its admin sees the empty figures.
      const token = w.otherAdmin.access;
      const now = Date.now();
      const a = await w.t.enroll('metrics-a');
      const b = await w.t.enroll('metrics-b');
      await sendHeartbeat(w.t, a, {
        cpu_pct: 96,
        mem_used_bytes: 1 * GB,
        mem_total_bytes: 4 * GB,
        disk_used_bytes: 10,
        disk_total_bytes: 100,
        uptime_s: 99_999,
      });
      await sendHeartbeat(w.t, b, {
        cpu_pct: 10,
        mem_used_bytes: 1 * GB,
        mem_total_bytes: 4 * GB,
        disk_used_bytes: 10,
        disk_total_bytes: 100,
        uptime_s: 60,
      });
      await insertAlert(ctx.database, { orgId: w.orgId, deviceId: b.deviceId, severity: 'high' });
      await insertAlert(ctx.database, {
        orgId: w.orgId,
        deviceId: b.deviceId,
        severity: 'low',
        status: 'resolved',
      });
      for (const [category, n] of [
        ['process_creation', 3],
        ['network_connection', 2],
        ['file_event', 1],
        ['authentication', 1],
        [null, 1],
      ] as const)
        for (let i = 0; i < n; i++)
          await insertEvent(ctx.database, {
            orgId: w.orgId,
            deviceId: a.deviceId,
            ts: now - 60_000,
            category,
          });
      await insertEvent(ctx.database, {
        orgId: w.orgId,
        ts: now - 2 * 3600_000,
        category: 'process_creation',
      });
      await insertEvent(ctx.database, {
        orgId: w.orgId,
        ts: now - 30 * 3600_000,
        category: 'process_creation',
      });

      const get = async (path: string) => {
        const res = await w.request('GET', path, { token: lead() });
        assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
        return res.json();
      };
      assert.deepEqual(await get('/api/metrics/security-events-24h'), { value: 9 });
      assert.deepEqual(await get('/api/metrics/current-threat-level'), { value: 4 });
      const active = await get('/api/metrics/active-agents');
      const live = await get('/api/v1/devices?status=online&limit=500');
      assert.equal(active.value, live.items.length);
      assert.ok(active.value >= 2);
      const classes = await get('/api/metrics/event-classification');
      assert.deepEqual(classes.items, [
        { event_type: 'File Events', count: 1 },
        { event_type: 'Network Events', count: 2 },
        { event_type: 'Process Events', count: 3 },
        { event_type: 'Security Events', count: 1 },
        { event_type: 'System Events', count: 1 },
      ]);
      const assessment = await get('/api/metrics/security-assessment');
      const rowA = assessment.rows.find((r: { endpoint: string }) => r.endpoint === 'metrics-a');
      const rowB = assessment.rows.find((r: { endpoint: string }) => r.endpoint === 'metrics-b');
      assert.deepEqual(
        {
          risk: rowA.risk_level,
          score: rowA.security_score,
          cpu: rowA.cpu,
          memory: rowA.memory,
          category: rowA.threat_category,
        },
        { risk: 5, score: 61.7, cpu: 96, memory: 25, category: 'CPU Spike Anomaly' },
      );
      assert.deepEqual(
        { risk: rowB.risk_level, score: rowB.security_score, category: rowB.threat_category },
        { risk: 4, score: 87.5, category: 'Active Threat' },
      );
      assert.equal(assessment.rows[0].risk_level, 5, 'sorted by risk');
      const timeline = await get('/api/metrics/threat-timeline');
      assert.equal(timeline.series.length, 12);
      type Bucket = { threat_level: number; events: number; anomaly_level: number; security_index: number };
      const series = timeline.series as Bucket[];
      assert.equal(
        series.reduce((n, b) => n + b.events, 0),
        9,
        'the 3-hour window holds 9 events',
      );
      assert.equal(Math.max(...series.map((b) => b.threat_level)), 4);
      assert.equal(
        series.find((b) => b.events === 8)?.anomaly_level,
        3,
        '8 events against a median of 0 (counted as 1)',
      );
      assert.ok(series.at(-1)!.security_index > 0, 'heartbeats in the current bucket');
      const score = await get('/api/metrics/security-posture-score');
      const native = await get('/api/v1/posture');
      assert.equal(native.security_posture_score, score.value);
      assert.equal(native.security_events_24h, 9);
      assert.ok(score.value > 0 && score.value < 100);
      const emptyOrg = await w.request('GET', '/api/v1/posture', { token });
      assert.deepEqual(emptyOrg.json(), {
        security_events_24h: 0,
        current_threat_level: 1,
        security_posture_score: 100,
        active_agents: 0,
      });
      assert.equal((await w.request('GET', '/api/metrics/active-agents')).statusCode, 401);
    });
  });
}
