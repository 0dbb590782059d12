import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uuidv7 } from '@harrier/schema';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';

const HOUR = 3_600_000;

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`device heartbeat history on ${store.name}`, () => {
    let w: IdentityWorld;
    let web: { deviceId: string; secret: string };
    const now = Date.now();
    before(async () => {
      w = await startIdentityWorld(store);
      web = await w.t.enroll('web-01');
      const db = w.t.runtime.ctx.database.db;
      // Three heartbeats: 30 h, 2 h and 1 h ago.
      for (const [i, age] of [30, 2, 1].entries()) {
        const ts = now - age * HOUR;
        await db
          .insertInto('heartbeats')
          .values({
            id: uuidv7(ts),
            org_id: w.orgId,
            device_id: web.deviceId,
            ts,
            received_at: ts,
            reported_ts: new Date(ts).toISOString(),
            agent_version: '1.0.0',
            os_version: null,
            uptime_s: 100 * (i + 1),
            cpu_pct: 10 * (i + 1),
            mem_used_bytes: i + 1,
            mem_total_bytes: 4,
            disk_used_bytes: null,
            disk_total_bytes: null,
            data: '{}',
          })
          .execute();
      }
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });

    test('the last 24 h by default, oldest first, with resource use in percent', async () => {
      const res = await w.request('GET', `/api/v1/devices/${web.deviceId}/heartbeats`, {
        token: w.users.read_only.access,
      });
      assert.equal(res.statusCode, 200, res.body);
      const items = res.json().items;
      assert.deepEqual(
        items.map((h: { cpu_pct: number }) => h.cpu_pct),
        [20, 30],
      );
      assert.equal(items[0].memory_pct, 50);
      assert.equal(items[0].disk_pct, null);
      assert.equal(items[0].ts, new Date(now - 2 * HOUR).toISOString());
    });

    test('since and limit choose the window; a limit keeps the newest', async () => {
      const since = new Date(now - 48 * HOUR).toISOString();
      const all = await w.request('GET', `/api/v1/devices/${web.deviceId}/heartbeats?since=${since}`, {
        token: w.users.analyst.access,
      });
      assert.equal(all.json().items.length, 3);
      const one = await w.request(
        'GET',
        `/api/v1/devices/${web.deviceId}/heartbeats?since=${since}&limit=1`,
        { token: w.users.analyst.access },
      );
      assert.deepEqual(
        one.json().items.map((h: { cpu_pct: number }) => h.cpu_pct),
        [30],
      );
      const bad = await w.request('GET', `/api/v1/devices/${web.deviceId}/heartbeats?since=yesterday`, {
        token: w.users.analyst.access,
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'invalid_time');
    });

    test('another organization sees no such device; unknown devices are 404', async () => {
      const other = await w.request('GET', `/api/v1/devices/${web.deviceId}/heartbeats`, {
        token: w.otherAdmin.access,
      });
      assert.equal(other.statusCode, 404);
      const missing = await w.request('GET', '/api/v1/devices/no-such-device/heartbeats', {
        token: w.users.admin.access,
      });
      assert.equal(missing.statusCode, 404);
    });
  });
}
