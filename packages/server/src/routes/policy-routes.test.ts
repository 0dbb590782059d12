import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { byPrecedence } from '../services/policy-service.ts';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';

test('precedence: organization < group < device; higher priority later inside a level', () => {
  const rows = [
    { id: 'd1', target_type: 'device', priority: 100, assigned_at: 1 },
    { id: 'g2', target_type: 'group', priority: 200, assigned_at: 1 },
    { id: 'o1', target_type: 'org', priority: 900, assigned_at: 1 },
    { id: 'g1', target_type: 'group', priority: 100, assigned_at: 2 },
    { id: 'd0', target_type: 'device', priority: 100, assigned_at: 0 },
  ];
  assert.deepEqual(
    byPrecedence(rows).map((r) => r.id),
    ['o1', 'g1', 'g2', 'd0', 'd1'],
  );
});

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`policies, assignments and the agent configuration on ${store.name}`, () => {
    let w: IdentityWorld;
    let device: { deviceId: string; secret: string };
    before(async () => {
      w = await startIdentityWorld(store);
      device = await w.t.enroll('cfg-01');
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });
    const lead = () => w.users.team_lead.access;
    const create = (name: string, document: unknown, token = lead()) =>
      w.request('POST', '/api/v1/policies', { token, body: { name, document } });

    test('CRUD with validation: duplicate names 409, bad documents 400, versions kept', async () => {
      const base = await create('Baseline', { intervals: { heartbeat_s: 60 }, fim_paths: ['/etc/passwd'] });
      assert.equal(base.statusCode, 201, base.body);
      assert.equal(base.json().version, 1);
      assert.equal((await create('Baseline', {})).statusCode, 409);
      assert.equal((await create('Baseline ', {})).statusCode, 409);
      const bad = await create('Bad', { intervals: { heartbeat_s: 1 } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'validation_failed');
      assert.equal((await create('Bad2', { collectors: { keylogger: true } })).statusCode, 400);
      assert.equal((await create('Bad3', { response: { allowed_commands: ['rm'] } })).statusCode, 400);
      assert.equal((await create('Denied', {}, w.users.senior_analyst.access)).statusCode, 403);
      const id = base.json().id;
      const renameOnly = await w.request('PATCH', `/api/v1/policies/${id}`, {
        token: lead(),
        body: { description: 'All hosts' },
      });
      assert.equal(renameOnly.json().version, 1);
      const changed = await w.request('PATCH', `/api/v1/policies/${id}`, {
        token: lead(),
        body: { document: { intervals: { heartbeat_s: 45 } } },
      });
      assert.equal(changed.json().version, 2);
      const versions = await w.request('GET', `/api/v1/policies/${id}/versions`, {
        token: w.users.read_only.access,
      });
      assert.deepEqual(
        versions.json().items.map((v: { version: number }) => v.version),
        [2, 1],
      );
      assert.deepEqual(versions.json().items[1].document.fim_paths, ['/etc/passwd']);
      const other = await w.request('GET', `/api/v1/policies/${id}`, { token: w.otherAdmin.access });
      assert.equal(other.statusCode, 404);
      await w.request('DELETE', `/api/v1/policies/${id}`, { token: lead() });
      assert.equal((await w.request('GET', `/api/v1/policies/${id}`, { token: lead() })).statusCode, 404);
    });

    test('assignments: device beats group beats organization; priority inside a level; ETag and 304', async () => {
      const cfg = () => w.t.signed(device, 'GET', '/api/v1/agents/config', '');
      const first = await cfg();
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(first.json().config.intervals.heartbeat_s, 30);
      assert.deepEqual(first.json().policies, []);
      const etag0 = first.headers.etag as string;
      assert.match(etag0, /^"[\w-]+"$/);

      const org = await create('Org', {
        intervals: { heartbeat_s: 120, process_s: 5 },
        log_sources: ['journald'],
      });
      const grp = await create('Group', { intervals: { heartbeat_s: 90 }, collectors: { software: false } });
      const grpHigh = await create('Group high', { intervals: { heartbeat_s: 75 } });
      const dev = await create('Device', { collect_command_lines: false });
      const group = await w.request('POST', '/api/v1/device-groups', {
        token: lead(),
        body: { name: 'Config group', kind: 'static', device_ids: [device.deviceId] },
      });
      const assign = (policy_id: string, target_type: string, target_id: string | null, priority?: number) =>
        w.request('POST', '/api/v1/policy-assignments', {
          token: lead(),
          body: { policy_id, target_type, target_id, ...(priority !== undefined ? { priority } : {}) },
        });
      assert.equal((await assign(dev.json().id, 'device', device.deviceId)).statusCode, 201);
      assert.equal((await assign(grpHigh.json().id, 'group', group.json().id, 500)).statusCode, 201);
      assert.equal((await assign(grp.json().id, 'group', group.json().id, 10)).statusCode, 201);
      assert.equal((await assign(org.json().id, 'org', null, 1000)).statusCode, 201);
      assert.equal(
        (await assign(org.json().id, 'device', '00000000-0000-7000-8000-000000000000')).statusCode,
        400,
      );
      assert.equal((await assign('00000000-0000-7000-8000-000000000000', 'org', null)).statusCode, 404);
      assert.equal((await assign(org.json().id, 'group', null)).statusCode, 400);

      const second = await w.t.signed(device, 'GET', '/api/v1/agents/config', '', {
        headers: { 'if-none-match': etag0 },
      });
      assert.equal(second.statusCode, 200);
      const c = second.json().config;
      assert.equal(
        c.intervals.heartbeat_s,
        75,
        'group with the higher priority overrides the other group and the org',
      );
      assert.equal(c.intervals.process_s, 5, 'org values stay where nothing overrides them');
      assert.equal(c.collectors.software, false);
      assert.equal(c.collectors.process, true);
      assert.equal(c.collect_command_lines, false);
      assert.deepEqual(c.log_sources, ['journald']);
      assert.deepEqual(
        second.json().policies.map((p: { name: string }) => p.name),
        ['Org', 'Group', 'Group high', 'Device'],
      );
      const etag1 = second.headers.etag as string;
      assert.notEqual(etag1, etag0);

      const unchanged = await w.t.signed(device, 'GET', '/api/v1/agents/config', '', {
        headers: { 'if-none-match': etag1 },
      });
      assert.equal(unchanged.statusCode, 304);
      assert.equal(unchanged.body, '');

      // The console sees what the agent sees.
      const viaApi = await w.request('GET', `/api/v1/devices/${device.deviceId}/config`, {
        token: w.users.analyst.access,
      });
      assert.equal(viaApi.headers.etag, etag1);

      // Disabling the device policy changes the configuration and its ETag.
      await w.request('PATCH', `/api/v1/policies/${dev.json().id}`, {
        token: lead(),
        body: { enabled: false },
      });
      const third = await w.t.signed(device, 'GET', '/api/v1/agents/config', '', {
        headers: { 'if-none-match': etag1 },
      });
      assert.equal(third.statusCode, 200);
      assert.equal(third.json().config.collect_command_lines, true);

      // A signed request cannot be replayed.
      const nonce = 'fixed-nonce-0123456789abcdef';
      const once = await w.t.signed(device, 'GET', '/api/v1/agents/config', '', { nonce });
      assert.equal(once.statusCode, 200);
      const replay = await w.t.signed(device, 'GET', '/api/v1/agents/config', '', { nonce });
      assert.equal(replay.statusCode, 409);
      const unsigned = await w.request('GET', '/api/v1/agents/config');
      assert.equal(unsigned.statusCode, 401);
    });
  });
}
