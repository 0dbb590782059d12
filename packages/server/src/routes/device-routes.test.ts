import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';
import { insertAlert, sendHeartbeat } from '../test-support/management-fixtures.ts';

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`fleet and device groups on ${store.name}`, () => {
    let w: IdentityWorld;
    let web: { deviceId: string; secret: string };
    let db: { deviceId: string; secret: string };
    let idle: { deviceId: string; secret: string };
    before(async () => {
      w = await startIdentityWorld(store);
      web = await w.t.enroll('web-01');
      db = await w.t.enroll('db-01');
      idle = await w.t.enroll('idle-01');
      await sendHeartbeat(w.t, web, {
        cpu_pct: 42.5,
        mem_used_bytes: 3 * 1024 ** 3,
        mem_total_bytes: 4 * 1024 ** 3,
        disk_used_bytes: 50,
        disk_total_bytes: 100,
        uptime_s: 7200,
      });
      await sendHeartbeat(w.t, db);
      // Risk: web has one critical and one high open alert (40 + 20 = 60 → high); a resolved one does not count.
      const database = w.t.runtime.ctx.database;
      await insertAlert(database, { orgId: w.orgId, deviceId: web.deviceId, severity: 'critical' });
      await insertAlert(database, { orgId: w.orgId, deviceId: web.deviceId, severity: 'high' });
      await insertAlert(database, {
        orgId: w.orgId,
        deviceId: web.deviceId,
        severity: 'critical',
        status: 'resolved',
      });
      await insertAlert(database, { orgId: w.orgId, deviceId: db.deviceId, severity: 'low' });
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });
    const admin = () => w.users.admin.access;
    const hostnames = (body: { items: Array<{ hostname: string }> }) => body.items.map((d) => d.hostname);

    test('list: status from heartbeat age, risk, open alerts, filters and cursor pagination', async () => {
      const all = await w.request('GET', '/api/v1/devices', { token: w.users.read_only.access });
      assert.equal(all.statusCode, 200, all.body);
      assert.deepEqual(hostnames(all.json()), ['db-01', 'idle-01', 'web-01']);
      const webRow = all.json().items.find((d: { hostname: string }) => d.hostname === 'web-01');
      assert.equal(webRow.status, 'online');
      assert.equal(webRow.open_alerts, 2);
      assert.equal(webRow.risk_score, 60);
      assert.equal(webRow.risk_level, 'high');
      assert.equal(webRow.agent_version, '1.2.3');
      assert.equal(webRow.os.name, 'Debian');

      const online = await w.request('GET', '/api/v1/devices?status=online', { token: admin() });
      assert.deepEqual(hostnames(online.json()), ['db-01', 'web-01']);
      const offline = await w.request('GET', '/api/v1/devices?status=offline', { token: admin() });
      assert.deepEqual(hostnames(offline.json()), ['idle-01']);
      const high = await w.request('GET', '/api/v1/devices?risk=high', { token: admin() });
      assert.deepEqual(hostnames(high.json()), ['web-01']);
      const low = await w.request('GET', '/api/v1/devices?risk=low', { token: admin() });
      assert.deepEqual(hostnames(low.json()), ['db-01']);
      const none = await w.request('GET', '/api/v1/devices?risk=none', { token: admin() });
      assert.deepEqual(hostnames(none.json()), ['idle-01']);
      const os = await w.request('GET', '/api/v1/devices?os=debian', { token: admin() });
      assert.equal(os.json().items.length, 3);
      const q = await w.request('GET', '/api/v1/devices?q=WEB', { token: admin() });
      assert.deepEqual(hostnames(q.json()), ['web-01']);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await w.request('GET', `/api/v1/devices?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
          token: admin(),
        });
        seen.push(...hostnames(res.json()));
        cursor = res.json().next_cursor;
      } while (cursor);
      assert.deepEqual(seen, ['db-01', 'idle-01', 'web-01']);
      const desc = await w.request('GET', '/api/v1/devices?sort=-hostname&limit=2', { token: admin() });
      assert.deepEqual(hostnames(desc.json()), ['web-01', 'idle-01']);
      const bad = await w.request('GET', '/api/v1/devices?cursor=nope', { token: admin() });
      assert.equal(bad.statusCode, 400);
      const badStatus = await w.request('GET', '/api/v1/devices?status=sideways', { token: admin() });
      assert.equal(badStatus.statusCode, 400);
    });

    test('detail: resources from the latest heartbeat; edit metadata and tags; tag filter', async () => {
      const got = await w.request('GET', `/api/v1/devices/${web.deviceId}`, { token: admin() });
      assert.equal(got.statusCode, 200, got.body);
      const d = got.json();
      assert.equal(d.resources.cpu_pct, 42.5);
      assert.equal(d.resources.memory_pct, 75);
      assert.equal(d.resources.disk_pct, 50);
      assert.equal(d.resources.uptime_s, 7200);
      assert.ok(d.last_heartbeat_at);

      const denied = await w.request('PATCH', `/api/v1/devices/${web.deviceId}`, {
        token: w.users.analyst.access,
        body: { owner: 'x' },
      });
      assert.equal(denied.statusCode, 403);
      const patched = await w.request('PATCH', `/api/v1/devices/${web.deviceId}`, {
        token: admin(),
        body: {
          owner: 'Alice',
          location: 'Madrid DC',
          tags: ['prod', 'web', 'prod', ' '],
          display_name: 'Web 1',
        },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.equal(patched.json().owner, 'Alice');
      assert.equal(patched.json().location, 'Madrid DC');
      assert.deepEqual(patched.json().tags, ['prod', 'web']);
      const invalid = await w.request('PATCH', `/api/v1/devices/${web.deviceId}`, {
        token: admin(),
        body: { tags: [''] },
      });
      assert.equal(invalid.statusCode, 400);
      const tagged = await w.request('GET', '/api/v1/devices?tag=prod', { token: admin() });
      assert.deepEqual(hostnames(tagged.json()), ['web-01']);
      const other = await w.request('GET', `/api/v1/devices/${web.deviceId}`, { token: w.otherAdmin.access });
      assert.equal(other.statusCode, 404);
    });

    test('groups: static and tag rules, duplicates 409, group filter', async () => {
      const staticGroup = await w.request('POST', '/api/v1/device-groups', {
        token: admin(),
        body: { name: 'Databases', kind: 'static', device_ids: [db.deviceId] },
      });
      assert.equal(staticGroup.statusCode, 201, staticGroup.body);
      assert.equal(staticGroup.json().member_count, 1);
      const dup = await w.request('POST', '/api/v1/device-groups', {
        token: admin(),
        body: { name: 'Databases', kind: 'static' },
      });
      assert.equal(dup.statusCode, 409);
      const noTags = await w.request('POST', '/api/v1/device-groups', {
        token: admin(),
        body: { name: 'Empty rule', kind: 'tags' },
      });
      assert.equal(noTags.statusCode, 400);
      const tagGroup = await w.request('POST', '/api/v1/device-groups', {
        token: admin(),
        body: { name: 'Production web', kind: 'tags', match_tags: ['prod', 'web'] },
      });
      assert.equal(tagGroup.statusCode, 201);
      const inStatic = await w.request('GET', `/api/v1/devices?group=${staticGroup.json().id}`, {
        token: admin(),
      });
      assert.deepEqual(hostnames(inStatic.json()), ['db-01']);
      const inTags = await w.request('GET', `/api/v1/devices?group=${tagGroup.json().id}`, {
        token: admin(),
      });
      assert.deepEqual(hostnames(inTags.json()), ['web-01']);
      const add = await w.request('POST', `/api/v1/device-groups/${staticGroup.json().id}/members`, {
        token: admin(),
        body: { device_ids: [idle.deviceId, '00000000-0000-7000-8000-000000000000'] },
      });
      assert.equal(add.statusCode, 400);
      const detail = await w.request('GET', `/api/v1/devices/${web.deviceId}`, { token: admin() });
      assert.deepEqual(detail.json().groups, [tagGroup.json().id]);
      const rename = await w.request('PATCH', `/api/v1/device-groups/${tagGroup.json().id}`, {
        token: admin(),
        body: { name: 'Databases' },
      });
      assert.equal(rename.statusCode, 409);
      const removed = await w.request(
        'DELETE',
        `/api/v1/device-groups/${staticGroup.json().id}/members/${db.deviceId}`,
        {
          token: admin(),
        },
      );
      assert.equal(removed.statusCode, 204);
      const del = await w.request('DELETE', `/api/v1/device-groups/${staticGroup.json().id}`, {
        token: admin(),
      });
      assert.equal(del.statusCode, 204);
      const list = await w.request('GET', '/api/v1/device-groups', { token: admin() });
      assert.deepEqual(
        list.json().items.map((g: { name: string }) => g.name),
        ['Production web'],
      );
    });

    test('retire: credentials stop working, the device leaves the list', async () => {
      const res = await w.request('POST', `/api/v1/devices/${idle.deviceId}/retire`, { token: admin() });
      assert.equal(res.statusCode, 200, res.body);
      assert.ok(res.json().retired_at);
      assert.equal(res.json().revoked, true);
      const hb = await w.t.signed(idle, 'POST', '/api/v1/agents/heartbeat', {});
      assert.equal(hb.statusCode, 401);
      const list = await w.request('GET', '/api/v1/devices', { token: admin() });
      assert.ok(!hostnames(list.json()).includes('idle-01'));
      const retired = await w.request('GET', '/api/v1/devices?retired=true', { token: admin() });
      assert.deepEqual(hostnames(retired.json()), ['idle-01']);
    });
  });
}
