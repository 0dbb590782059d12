import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`response actions on ${store.name}`, () => {
    let w: IdentityWorld;
    let device: { deviceId: string; secret: string };
    let other: { deviceId: string; secret: string };
    before(async () => {
      w = await startIdentityWorld(store);
      device = await w.t.enroll('resp-01');
      other = await w.t.enroll('resp-02');
      const policy = await w.request('POST', '/api/v1/policies', {
        token: w.users.team_lead.access,
        body: {
          name: 'Responders',
          document: {
            response: {
              allowed_actions: ['kill_process', 'collect_triage', 'run_command', 'isolate'],
              allowed_commands: ['/usr/bin/uptime'],
            },
          },
        },
      });
      await w.request('POST', '/api/v1/policy-assignments', {
        token: w.users.team_lead.access,
        body: { policy_id: policy.json().id, target_type: 'org' },
      });
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });
    const senior = () => w.users.senior_analyst.access;
    const queue = (body: unknown, deviceId = device.deviceId, token = senior()) =>
      w.request('POST', `/api/v1/devices/${deviceId}/actions`, { token, body });
    const pull = (d = device) => w.t.signed(d, 'GET', '/api/v1/agents/actions', '');
    const setEnabled = (enabled: boolean, token = w.users.admin.access) =>
      w.request('PUT', '/api/v1/response/settings', { token, body: { enabled } });

    test('the switch: only admins turn it, off refuses to queue and makes agents monitoring-only', async () => {
      assert.equal((await setEnabled(false, w.users.team_lead.access)).statusCode, 403);
      assert.equal((await setEnabled(false)).statusCode, 200);
      const state = await w.request('GET', '/api/v1/response/settings', { token: senior() });
      assert.equal(state.json().enabled, false);
      const refused = await queue({ type: 'collect_triage' });
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().error.code, 'response_disabled');
      const cfg = await w.t.signed(device, 'GET', '/api/v1/agents/config', '');
      assert.deepEqual(cfg.json().config.response.allowed_actions, [], 'monitoring-only while off');
      assert.equal((await setEnabled(true, w.users.team_lead.access)).statusCode, 403);
      assert.equal((await setEnabled(true)).statusCode, 200);
      const on = await w.t.signed(device, 'GET', '/api/v1/agents/config', '');
      assert.deepEqual(on.json().config.response.allowed_actions, [
        'kill_process',
        'collect_triage',
        'run_command',
        'isolate',
      ]);
    });

    test('round trip: queue, signed pull (delivered once), signed result, audit', async () => {
      const queued = await queue({ type: 'kill_process', params: { pid: 4242 }, reason: 'miner' });
      assert.equal(queued.statusCode, 201, queued.body);
      assert.equal(queued.json().status, 'pending');
      const id = queued.json().id;
      assert.equal((await queue({ type: 'kill_process', params: { pid: 1 } })).statusCode, 400);
      assert.equal((await queue({ type: 'release' })).statusCode, 422, 'not allowed by the policy');
      assert.equal(
        (await queue({ type: 'run_command', params: { command: '/bin/rm -rf /' } })).statusCode,
        422,
      );
      assert.equal((await queue({ type: 'reboot' })).statusCode, 400);
      assert.equal(
        (await queue({ type: 'collect_triage' }, device.deviceId, w.users.analyst.access)).statusCode,
        403,
      );
      const cmd = await queue({ type: 'run_command', params: { command: '/usr/bin/uptime -p' } });
      assert.equal(cmd.statusCode, 201);

      const pulled = await pull();
      assert.equal(pulled.statusCode, 200, pulled.body);
      const actions = pulled.json().actions;
      assert.deepEqual(
        actions.map((a: { id: string; type: string }) => a.type),
        ['kill_process', 'run_command'],
      );
      assert.deepEqual(actions[0].params, { pid: 4242 });
      assert.equal(actions[0].id, id);
      assert.deepEqual((await pull()).json().actions, [], 'delivered once');
      assert.deepEqual((await pull(other)).json().actions, [], 'another device sees none');

      const foreign = await w.t.signed(other, 'POST', `/api/v1/agents/actions/${id}/result`, {
        status: 'succeeded',
        finished_at: new Date().toISOString(),
      });
      assert.equal(foreign.statusCode, 404);
      const badResult = await w.t.signed(device, 'POST', `/api/v1/agents/actions/${id}/result`, {
        status: 'maybe',
      });
      assert.equal(badResult.statusCode, 400);
      const done = await w.t.signed(device, 'POST', `/api/v1/agents/actions/${id}/result`, {
        status: 'succeeded',
        output: { pid: 4242 },
        finished_at: new Date().toISOString(),
      });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().status, 'succeeded');
      const again = await w.t.signed(device, 'POST', `/api/v1/agents/actions/${id}/result`, {
        status: 'failed',
      });
      assert.equal(again.statusCode, 409);

      const got = await w.request('GET', `/api/v1/response-actions/${id}`, {
        token: w.users.read_only.access,
      });
      assert.equal(got.json().status, 'succeeded');
      assert.deepEqual(got.json().result, { pid: 4242 });
      assert.ok(got.json().delivered_at && got.json().completed_at);
      const listed = await w.request('GET', `/api/v1/devices/${device.deviceId}/actions`, {
        token: senior(),
      });
      assert.equal(listed.json().items.length, 2);

      await w.t.runtime.ctx.identity.audit.flush();
      const audit = await w.t.runtime.ctx.database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_type', 'outcome'])
        .where('action', 'in', ['response.queue', 'response.result'])
        .execute();
      assert.ok(
        audit.some(
          (a) => a.action === 'response.queue' && a.actor_type === 'user' && a.outcome === 'success',
        ),
      );
      assert.ok(
        audit.some(
          (a) => a.action === 'response.result' && a.actor_type === 'device' && a.outcome === 'success',
        ),
      );
    });

    test('expiry and cancel; turning response off cancels open actions', async () => {
      const short = await queue({ type: 'isolate', expires_in_s: 10 });
      assert.equal(short.statusCode, 201);
      const cancelled = await queue({ type: 'collect_triage' });
      const c = await w.request('POST', `/api/v1/response-actions/${cancelled.json().id}/cancel`, {
        token: senior(),
      });
      assert.equal(c.json().status, 'cancelled');
      const responses = w.t.runtime.ctx.management.responses;
      const later = Date.now() + 11_000;
      const row = await responses.get(w.orgId, short.json().id, later);
      assert.equal(row.status, 'expired');
      const late = await responses
        .complete(
          (await w.t.runtime.ctx.devices.findById(device.deviceId))!,
          short.json().id,
          { status: 'succeeded' },
          later,
        )
        .catch((e: { status?: number }) => e.status);
      assert.equal(late, 410);

      const open = await queue({ type: 'collect_triage' });
      const off = await setEnabled(false);
      assert.equal(off.json().cancelled, 2, 'the open triage and the isolate not yet expired in real time');
      assert.equal(
        (await w.request('GET', `/api/v1/response-actions/${open.json().id}`, { token: senior() })).json()
          .status,
        'cancelled',
      );
      assert.deepEqual((await pull()).json().actions, []);
    });
  });
}
