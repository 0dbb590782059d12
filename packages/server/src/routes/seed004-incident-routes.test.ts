import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';
import { insertAlert, insertEvent } from '../test-support/management-fixtures.ts';

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`seed 004 incidents on ${store.name}`, () => {
    let w: IdentityWorld;
    before(async () => {
      w = await startIdentityWorld(store, { HARRIER_DECISION_INTERVAL: '0' });
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });
    const api = (
      method: 'GET' | 'POST' | 'PATCH',
      url: string,
      body?: unknown,
      token: string = w.users.analyst.access,
    ) => w.request(method, url, { token, ...(body !== undefined ? { body } : {}) });

    test('create with items, read, patch along the lifecycle, add items, from an alert', async () => {
      const db = w.t.runtime.ctx.database;
      const alertId = await insertAlert(db, {
        orgId: w.orgId,
        severity: 'high',
        title: 'IOC hit from endpoint',
      });
      await insertEvent(db, { orgId: w.orgId, ts: Date.now(), category: 'network_connection' });
      const eventId = (
        await db.db.selectFrom('events').select('id').where('org_id', '=', w.orgId).executeTakeFirstOrThrow()
      ).id;
      const created = await api('POST', '/incidents', {
        title: 'Phishing campaign',
        severity: 'high',
        status: 'new',
        tags: ['phishing'],
        items: [{ kind: 'alert', ref_id: alertId }],
      });
      assert.equal(created.statusCode, 201, created.body);
      const inc = created.json();
      assert.equal(inc.status, 'new');
      assert.deepEqual(inc.tags, ['phishing']);
      assert.deepEqual(
        inc.items.map((i: { kind: string; ref_id: string }) => [i.kind, i.ref_id]),
        [['alert', alertId]],
      );
      const withEvent = await api('POST', `/incidents/${inc.id}/items`, { kind: 'event', ref_id: eventId });
      assert.equal(withEvent.statusCode, 200, withEvent.body);
      assert.deepEqual(
        withEvent.json().items.map((i: { kind: string }) => i.kind),
        ['alert', 'event'],
      );
      const patched = await api('PATCH', `/incidents/${inc.id}`, {
        status: 'triage',
        assigned_to: w.users.analyst.id,
      });
      assert.equal(patched.json().status, 'triage');
      assert.equal(patched.json().assigned_to, w.users.analyst.id);
      const refused = await api('PATCH', `/incidents/${inc.id}`, { status: 'new' });
      assert.equal(refused.statusCode, 409);
      assert.equal(typeof refused.json().detail, 'string', 'seed 004 error shape');
      const list = await api('GET', '/incidents');
      assert.ok(list.json().some((i: { id: string }) => i.id === inc.id));
      assert.equal((await api('GET', `/incidents/${inc.id}`)).json().title, 'Phishing campaign');

      const fromAlert = await api('POST', `/incidents/from-alert/${alertId}`);
      assert.equal(fromAlert.statusCode, 201, fromAlert.body);
      assert.equal(fromAlert.json().title, 'IOC hit from endpoint');
      assert.equal(fromAlert.json().severity, 'high');
      assert.deepEqual(fromAlert.json().items[0].ref_id, alertId);
      assert.equal((await api('POST', '/incidents', { title: 'x', status: 'contained' })).statusCode, 409);
      assert.equal((await api('POST', '/incidents', { title: 'x', severity: 'dire' })).statusCode, 422);
      assert.equal(
        (await api('POST', '/incidents', { title: 'x' }, w.users.read_only.access)).statusCode,
        403,
      );
      assert.equal((await w.request('GET', '/incidents')).statusCode, 401);
    });

    test('another organization sees and changes none of it', async () => {
      const inc = (await api('POST', '/incidents', { title: 'Ours' })).json();
      const alertId = await insertAlert(w.t.runtime.ctx.database, { orgId: w.orgId });
      const other = w.otherAdmin.access;
      assert.equal((await api('GET', `/incidents/${inc.id}`, undefined, other)).statusCode, 404);
      assert.equal((await api('PATCH', `/incidents/${inc.id}`, { title: 'x' }, other)).statusCode, 404);
      assert.equal(
        (await api('POST', `/incidents/${inc.id}/items`, { kind: 'alert', ref_id: alertId }, other))
          .statusCode,
        404,
      );
      assert.equal((await api('POST', `/incidents/from-alert/${alertId}`, undefined, other)).statusCode, 404);
      assert.deepEqual((await api('GET', '/incidents', undefined, other)).json(), []);
    });
  });
}
