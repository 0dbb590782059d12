import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';
import { insertAlert } from '../test-support/management-fixtures.ts';

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`decision engine on ${store.name}`, () => {
    let w: IdentityWorld;
    let device: { deviceId: string; secret: string };
    before(async () => {
      // At start only, so the test controls the passes.
      w = await startIdentityWorld(store, { HARRIER_DECISION_INTERVAL: '0' });
      device = await w.t.enroll('dec-01');
      const policy = await w.request('POST', '/api/v1/policies', {
        token: w.users.team_lead.access,
        body: { name: 'Isolation allowed', document: { response: { allowed_actions: ['isolate'] } } },
      });
      await w.request('POST', '/api/v1/policy-assignments', {
        token: w.users.team_lead.access,
        body: { policy_id: policy.json().id, target_type: 'device', target_id: device.deviceId },
      });
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });
    const senior = () => w.users.senior_analyst.access;

    test('a pass decides each recent alert once; execute queues the action; dismiss; seed 000 shapes', async () => {
      const db = w.t.runtime.ctx.database;
      const critical = await insertAlert(db, {
        orgId: w.orgId,
        deviceId: device.deviceId,
        severity: 'critical',
      });
      const low = await insertAlert(db, { orgId: w.orgId, deviceId: device.deviceId, severity: 'low' });
      await insertAlert(db, { orgId: w.orgId, severity: 'high', at: Date.now() - 25 * 3600_000 });
      await insertAlert(db, { orgId: w.otherOrgId, severity: 'high' });

      assert.equal((await w.request('POST', '/api/decisions/run')).statusCode, 401, 'no longer open');
      const run = await w.request('POST', '/api/v1/decisions/run', { token: w.users.analyst.access });
      assert.equal(run.statusCode, 200, run.body);
      assert.deepEqual(run.json(), { created: 2 });
      assert.deepEqual((await w.request('POST', '/api/decisions/run', { token: senior() })).json(), {
        created: 0,
      });

      const pending = await w.request('GET', '/api/decisions?status=pending', {
        token: w.users.read_only.access,
      });
      assert.equal(pending.statusCode, 200);
      assert.ok(Array.isArray(pending.json()));
      const byAlert = new Map(pending.json().map((d: { alert_id: string }) => [d.alert_id, d]));
      const dc = byAlert.get(critical) as Record<string, unknown>;
      const dl = byAlert.get(low) as Record<string, unknown>;
      assert.equal(dc.recommended_action, 'isolate_host');
      assert.equal(dc.priority, 5);
      assert.equal(dc.agent_id, device.deviceId);
      assert.equal(dc.status, 'pending');
      assert.equal(dl.recommended_action, 'notify_soc');
      for (const key of [
        'id',
        'alert_id',
        'agent_id',
        'event_type',
        'severity',
        'score',
        'recommended_action',
        'priority',
        'rationale',
        'status',
        'created_at',
        'updated_at',
      ])
        assert.ok(key in dc, key);

      const denied = await w.request('POST', `/api/decisions/${dc.id}/execute`, {
        token: w.users.analyst.access,
      });
      assert.equal(denied.statusCode, 403);
      const executed = await w.request('POST', `/api/decisions/${dc.id}/execute`, { token: senior() });
      assert.equal(executed.statusCode, 200, executed.body);
      assert.equal(executed.json().status, 'executed');
      const actionId = executed.json().action_id;
      const action = await w.request('GET', `/api/v1/response-actions/${actionId}`, { token: senior() });
      assert.equal(action.json().type, 'isolate');
      assert.equal(action.json().decision_id, dc.id);
      const pulled = await w.t.signed(device, 'GET', '/api/v1/agents/actions', '');
      assert.deepEqual(
        pulled.json().actions.map((a: { id: string }) => a.id),
        [actionId],
      );
      assert.equal(
        (await w.request('POST', `/api/decisions/${dc.id}/execute`, { token: senior() })).statusCode,
        409,
      );

      const dismissed = await w.request('POST', `/api/v1/decisions/${dl.id}/dismiss`, {
        token: w.users.analyst.access,
      });
      assert.equal(dismissed.json().status, 'dismissed');
      const missing = await w.request('GET', '/api/decisions/00000000-0000-7000-8000-000000000000', {
        token: senior(),
      });
      assert.equal(missing.statusCode, 404);
      assert.equal(typeof missing.json().detail, 'string');
      const native = await w.request('GET', '/api/v1/decisions?status=executed', { token: senior() });
      assert.equal(native.json().items.length, 1);
      const other = await w.request('GET', `/api/v1/decisions/${dc.id}`, { token: w.otherAdmin.access });
      assert.equal(other.statusCode, 404);
    });
  });
}
