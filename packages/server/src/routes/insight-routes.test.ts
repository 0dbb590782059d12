import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  buildInsightBundle,
  buildInsightBundleFromEvents,
  epochDay,
  type InsightEvent,
  insightEventOf,
  isoDay,
} from '@harrier/detect';
import {
  type HarrierEvent,
  normalizeSec44Event,
  type Sec44Event,
  signSec44Body,
  uuidv7,
} from '@harrier/schema';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';

const DAY = 86_400_000;

function sec44Event(
  ts: number,
  source: string,
  severity: string,
  title: string,
  details: Record<string, unknown>,
) {
  return {
    ts: new Date(ts).toISOString(),
    source,
    severity,
    platform: 'macos',
    title,
    details_json: details,
  };
}

/** CONTRACTS.md §2.7's worked example as one sec44 batch, "today" being `now`. */
function workedExample(now: number) {
  const events = [];
  const failed = (ts: number) =>
    sec44Event(ts, 'auth', 'WARN', 'macos_failed_login', { event_type: 'failed_login', username: 'alice' });
  for (let d = 14; d >= 1; d--) events.push(failed(now - d * DAY));
  for (let i = 0; i < 8; i++) events.push(failed(now));
  events.push(
    sec44Event(now, 'network', 'HIGH', 'listener_seen_non_local', {
      ip: '0.0.0.0',
      port: 8080,
      non_local_bind: true,
    }),
  );
  events.push(
    sec44Event(now, 'process', 'INFO', 'process_seen', { process_name: 'x', pid: 7, exe: '/tmp/x' }),
  );
  return events;
}

/** Random committed events (sec44-shaped) of a few devices over 31 days. */
function randomEvents(
  orgId: string,
  devices: string[],
  now: number,
  n: number,
  seed: number,
): HarrierEvent[] {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const out: HarrierEvent[] = [];
  for (let i = 0; i < n; i++) {
    const details: Record<string, unknown> = {};
    if (rand() < 0.5) details.process_name = pick(['sh', 'curl', 'nc']);
    if (rand() < 0.5) details.exe = pick(['/usr/bin/x', '/tmp/x', 'C:\\Temp\\y.exe']);
    if (rand() < 0.3) {
      details.ip = pick(['0.0.0.0', '127.0.0.1']);
      details.port = pick([22, 80, 8080]);
    }
    if (rand() < 0.2) details.event_type = 'failed_login';
    const raw = {
      ts: now - Math.floor(rand() * 31 * DAY),
      source: pick(['process', 'auth', 'network', 'filewatch', 'system'] as const),
      severity: pick(['INFO', 'WARN', 'HIGH'] as const),
      platform: 'macos' as const,
      title: pick(['failed_login', 'process_seen', 'listener_seen', 'Failed password']),
      details_json: details,
    } as Sec44Event;
    out.push({
      ...normalizeSec44Event(raw),
      id: uuidv7(),
      org_id: orgId,
      device_id: pick(devices),
      received_at: now,
    });
  }
  return out;
}

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`insights on ${store.name}`, () => {
    let w: IdentityWorld;
    let sec44Key: string;
    let deviceId: string;
    const now = Date.now();

    before(async () => {
      w = await startIdentityWorld(store, {
        EM_METRICS_TOKEN: 'metrics-secret',
        HARRIER_INSIGHTS_INTERVAL: '0',
      });
      sec44Key = (await w.t.runtime.ctx.agentKeys.createSec44Key(w.orgId, { name: 'test' })).key;
      const body = {
        org_id: 'default',
        device_id: 'laptop-9',
        agent_version: '0.2.0',
        sent_at: new Date(now).toISOString(),
        nonce: 'f'.repeat(32),
        events: workedExample(now),
      };
      const raw = JSON.stringify(body);
      const res = await w.t.runtime.app.inject({
        method: 'POST',
        url: '/ingest',
        payload: raw,
        headers: {
          'content-type': 'application/json',
          'x-em-org': 'default',
          'x-em-device': 'laptop-9',
          'x-em-timestamp': String(Math.floor(now / 1000)),
          'x-em-nonce': body.nonce,
          'x-em-signature': signSec44Body(sec44Key, raw),
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      await w.t.runtime.ctx.pipeline.idle();
      deviceId = (await w.t.runtime.ctx.devices.findByExternalId(w.orgId, 'laptop-9'))!.id;
      assert.equal(await w.t.runtime.ctx.insights.computeDirty(now), 1);
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });

    test('GET /v1/metrics: the worked example in seed 002’s shape', async () => {
      const res = await w.request('GET', '/v1/metrics?org_id=default', { token: w.users.read_only.access });
      assert.equal(res.statusCode, 200, res.body);
      const b = res.json();
      assert.equal(b.org_id, 'default');
      assert.equal(b.page, 1);
      assert.equal(b.page_size, 25);
      assert.equal(b.total, 1);
      assert.deepEqual(b.alerts_summary, { INFO: 1, WARN: 2, HIGH: 1 });
      assert.equal(b.items.length, 1);
      const item = b.items[0];
      assert.equal(item.device_id, 'laptop-9');
      assert.equal(item.day, isoDay(epochDay(now)));
      assert.equal(item.risk_score, 100);
      assert.equal(item.delta_vs_7d, '91.0');
      assert.equal(item.top_driver, 'auth');
      assert.deepEqual(item.drivers, [
        { category: 'auth', score: 24, percent: 72.73 },
        { category: 'network_exposure', score: 8, percent: 24.24 },
        { category: 'process', score: 1, percent: 3.03 },
      ]);
      assert.deepEqual(item.anomalies, ['failed_logins is 8.0x above 14-day median']);
      assert.deepEqual(item.trend_7d, [{ day: item.day, risk_score: 100 }]);
      assert.deepEqual(item.trend_30d, [{ day: item.day, risk_score: 100 }]);

      const one = await w.request('GET', '/v1/metrics?org_id=default&device_id=laptop-9&page_size=5', {
        token: w.users.admin.access,
      });
      assert.equal(one.json().items.length, 1);
      const none = await w.request('GET', '/v1/metrics?org_id=default&device_id=nope', {
        token: w.users.admin.access,
      });
      assert.deepEqual(none.json().items, []);
      assert.equal(none.json().total, 0);
    });

    test('seed 002 reads check the organization and the token', async () => {
      const cross = await w.request('GET', '/v1/metrics?org_id=other', { token: w.users.read_only.access });
      assert.equal(cross.statusCode, 403);
      assert.deepEqual(cross.json(), { detail: 'cross-org access denied' });
      const theirs = await w.request('GET', '/v1/fleet/top?org_id=default', { token: w.otherAdmin.access });
      assert.equal(theirs.statusCode, 403);
      const own = await w.request('GET', '/v1/metrics?org_id=other', { token: w.otherAdmin.access });
      assert.equal(own.statusCode, 200);
      assert.deepEqual(own.json().items, []);
      assert.equal((await w.request('GET', '/v1/metrics?org_id=default')).statusCode, 401);
      const bad = await w.request('GET', '/v1/metrics?org_id=default&page_size=500', {
        token: w.users.admin.access,
      });
      assert.equal(bad.statusCode, 422);
      assert.equal((await w.request('GET', '/v1/metrics', { token: w.users.admin.access })).statusCode, 422);
    });

    test('GET /v1/fleet/top: the latest metrics per device', async () => {
      const res = await w.request('GET', '/v1/fleet/top?org_id=default&limit=3', {
        token: w.users.analyst.access,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        org_id: 'default',
        items: [
          {
            org_id: 'default',
            device_id: 'laptop-9',
            platform: 'macos',
            day: isoDay(epochDay(now)),
            risk_score: 100,
            delta_vs_7d: '91.0',
            top_driver: 'auth',
            failed_logins: 8,
            new_listeners: 1,
            new_processes: 1,
            suspicious_execs: 1,
          },
        ],
      });
    });

    test('a recomputation inside 30 minutes bumps the insights instead of adding rows', async () => {
      const ctx = w.t.runtime.ctx;
      const before = await ctx.database.db
        .selectFrom('insights')
        .selectAll()
        .where('org_id', '=', w.orgId)
        .execute();
      assert.equal(before.length, 4);
      await ctx.insights.computeDevice(w.orgId, deviceId, now + 60_000);
      const afterRows = await ctx.database.db
        .selectFrom('insights')
        .selectAll()
        .where('org_id', '=', w.orgId)
        .execute();
      assert.equal(afterRows.length, 4);
      assert.ok(afterRows.every((r) => Number(r.count) === 2));
      // Past the window, the same insights are new rows again.
      await ctx.insights.computeDevice(w.orgId, deviceId, now + 60_000 + 31 * 60_000);
      const later = await ctx.database.db
        .selectFrom('insights')
        .select('id')
        .where('org_id', '=', w.orgId)
        .execute();
      assert.equal(later.length, 8);
    });

    test('GET /api/v1/insights: filters, pagination, organization boundary', async () => {
      const token = w.users.read_only.access;
      const all = await w.request('GET', '/api/v1/insights', { token });
      assert.equal(all.statusCode, 200, all.body);
      assert.equal(all.json().total, 8);
      const high = await w.request('GET', '/api/v1/insights?severity=HIGH', { token });
      assert.ok(high.json().items.every((i: { severity: string }) => i.severity === 'HIGH'));
      assert.equal(high.json().items[0].title, 'failed_logins is 8.0x above 14-day median');
      assert.equal(high.json().items[0].hostname, 'laptop-9');
      assert.equal(high.json().items[0].evidence.classification, 'anomalous');
      const deltas = await w.request('GET', `/api/v1/insights?type=delta&device_id=${deviceId}`, { token });
      assert.equal(deltas.json().total, 2);
      const page1 = await w.request('GET', '/api/v1/insights?limit=3', { token });
      assert.equal(page1.json().items.length, 3);
      assert.ok(page1.json().next_cursor);
      const page2 = await w.request('GET', `/api/v1/insights?limit=10&cursor=${page1.json().next_cursor}`, {
        token,
      });
      assert.equal(page2.json().items.length, 5);
      assert.equal(page2.json().next_cursor, null);
      const ids = new Set([...page1.json().items, ...page2.json().items].map((i: { id: string }) => i.id));
      assert.equal(ids.size, 8);
      const today = isoDay(epochDay(now));
      assert.equal(
        (await w.request('GET', `/api/v1/insights?from=${today}&to=${today}`, { token })).json().total,
        8,
      );
      assert.equal((await w.request('GET', '/api/v1/insights?from=2026-02-30', { token })).statusCode, 400);
      assert.equal((await w.request('GET', '/api/v1/insights?severity=LOW', { token })).statusCode, 400);
      assert.equal((await w.request('GET', '/api/v1/insights?cursor=zzz', { token })).statusCode, 400);
      const other = await w.request('GET', '/api/v1/insights', { token: w.otherAdmin.access });
      assert.equal(other.json().total, 0);
      assert.equal((await w.request('GET', '/api/v1/insights')).statusCode, 401);
    });

    test('GET /api/v1/devices/:id/risk and the fleet brief', async () => {
      const res = await w.request('GET', `/api/v1/devices/${deviceId}/risk?days=7`, {
        token: w.users.read_only.access,
      });
      assert.equal(res.statusCode, 200, res.body);
      const b = res.json();
      assert.equal(b.device.hostname, 'laptop-9');
      assert.equal(b.latest.risk_score, 100);
      assert.equal(b.latest.raw_risk_score, 33);
      assert.equal(b.latest.delta_vs_7d, 91);
      assert.deepEqual(b.latest.metrics, {
        failed_logins: 8,
        new_listeners: 1,
        new_processes: 1,
        suspicious_execs: 1,
      });
      assert.equal(b.latest.baseline.failed_logins.classification, 'anomalous');
      assert.deepEqual(b.latest.new_changes, ['listener_seen_non_local']);
      assert.equal(b.latest.brief.recommended_actions.length, 3);
      assert.equal(b.trend.length, 1);
      assert.equal(b.insights.length, 8);
      const foreign = await w.request('GET', `/api/v1/devices/${deviceId}/risk`, {
        token: w.otherAdmin.access,
      });
      assert.equal(foreign.statusCode, 404);
      const fleet = await w.request('GET', '/api/v1/insights/fleet?limit=5', {
        token: w.users.read_only.access,
      });
      assert.equal(fleet.statusCode, 200);
      assert.equal(fleet.json().items[0].hostname, 'laptop-9');
      assert.equal(fleet.json().items[0].top_driver, 'auth');
      assert.equal(fleet.json().items[0].trend_30d.length, 1);
      assert.deepEqual(fleet.json().summary, { INFO: 2, WARN: 4, HIGH: 2 });
      const otherFleet = await w.request('GET', '/api/v1/insights/fleet', { token: w.otherAdmin.access });
      assert.deepEqual(otherFleet.json().items, []);
    });

    test('POST /v1/admin/users: created once, then 409; admins of the same organization only', async () => {
      const body = {
        org_id: 'default',
        username: 'viewer9',
        password: 'a long enough password',
        role: 'owner',
      };
      const res = await w.request('POST', '/v1/admin/users', { token: w.users.admin.access, body });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        created: true,
        org_id: 'default',
        username: 'viewer9',
        role: 'read_only',
      });
      const again = await w.request('POST', '/v1/admin/users', {
        token: w.users.admin.access,
        body: { ...body, role: 'admin' },
      });
      assert.equal(again.statusCode, 409);
      assert.deepEqual(again.json(), { detail: 'user already exists' });
      const cross = await w.request('POST', '/v1/admin/users', {
        token: w.otherAdmin.access,
        body: { ...body, username: 'x1' },
      });
      assert.equal(cross.statusCode, 403);
      assert.deepEqual(cross.json(), { detail: 'cross-org user create denied' });
      const ro = await w.request('POST', '/v1/admin/users', {
        token: w.users.read_only.access,
        body: { ...body, username: 'x2' },
      });
      assert.equal(ro.statusCode, 403);
      const extra = await w.request('POST', '/v1/admin/users', {
        token: w.users.admin.access,
        body: { ...body, username: 'x3', extra: 1 },
      });
      assert.equal(extra.statusCode, 422);
    });

    test('GET /internal/metrics needs the token; GET /healthz answers', async () => {
      const missing = await w.request('GET', '/internal/metrics');
      assert.equal(missing.statusCode, 401);
      assert.deepEqual(missing.json(), { detail: 'metrics token required' });
      const wrong = await w.request('GET', '/internal/metrics', {
        headers: { 'x-metrics-token': 'metrics-secreT' },
      });
      assert.equal(wrong.statusCode, 401);
      const ok = await w.request('GET', '/internal/metrics', {
        headers: { 'x-metrics-token': 'metrics-secret' },
      });
      assert.equal(ok.statusCode, 200);
      assert.match(ok.body, /# TYPE/);
      const health = await w.request('GET', '/healthz');
      assert.equal(health.statusCode, 200);
      assert.deepEqual(health.json(), { status: 'ok' });
    });

    test('aggregates older than the engine’s window are dropped; risk rows and insights stay', async () => {
      const ctx = w.t.runtime.ctx;
      const old = randomEvents(w.orgId, [deviceId], now - 40 * DAY, 20, 3).map((e) => ({
        ...e,
        ts: now - 40 * DAY,
      }));
      await ctx.insights.onCommitted(old, now);
      const oldDay = epochDay(now - 40 * DAY);
      const count = async (table: 'device_day_metrics' | 'device_day_keys', day: number) =>
        (
          await ctx.database.db
            .selectFrom(table)
            .select('day')
            .where('org_id', '=', w.orgId)
            .where('day', '=', day)
            .execute()
        ).length;
      assert.equal(await count('device_day_metrics', oldDay), 1);
      assert.ok((await ctx.insights.pruneAggregates(now)) > 0);
      assert.equal(await count('device_day_metrics', oldDay), 0);
      assert.equal(await count('device_day_keys', oldDay), 0);
      assert.equal(await count('device_day_metrics', epochDay(now)), 1);
      const risk = await w.request('GET', `/api/v1/devices/${deviceId}/risk`, {
        token: w.users.admin.access,
      });
      assert.equal(risk.json().latest.risk_score, 100);
    });

    test('incremental aggregates in the store equal a full recomputation on random data', async () => {
      const ctx = w.t.runtime.ctx;
      const org = w.otherOrgId;
      const devices = ['d-1', 'd-2', 'd-3'];
      const events = randomEvents(org, devices, now, 600, 7);
      // Random batch sizes, as ingest would commit them.
      for (let i = 0, size = 1; i < events.length; i += size, size = (size * 7) % 53 || 1) {
        await ctx.insights.onCommitted(events.slice(i, i + size), now);
      }
      for (const device of devices) {
        const mine = events.filter((e) => e.device_id === device).map(insightEventOf) as InsightEvent[];
        const full = buildInsightBundleFromEvents(mine, now);
        const incremental = buildInsightBundle(await ctx.insights.dayFacts(org, device, now), now);
        assert.deepEqual(incremental, full, device);
      }
    });
  });
}
