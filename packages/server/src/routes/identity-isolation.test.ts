import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';

/**
 * Two organizations with data of their own: every list, detail, filter and
 * count route of identity and Santamon answers the other organization's admin
 * as if the data did not exist (404 for ids, nothing in lists, zero in counts).
 */
for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`organization isolation on ${store.name}`, () => {
    let w: IdentityWorld;
    let a: {
      userId: string;
      tokenId: string;
      keyId: string;
      deviceId: string;
      signalId: string;
    };
    before(async () => {
      w = await startIdentityWorld(store);
      const ctx = w.t.runtime.ctx;
      const tokens = await ctx.identity.apiTokens.list(
        { userId: w.users.admin.id, orgId: w.orgId },
        false,
        undefined,
        5,
      );
      const device = await w.t.enroll('org-a-host');
      const keys = await ctx.identity.agentCredentials.listKeys(w.orgId);
      const santamonKey = (await ctx.agentKeys.createSantamonKey(w.orgId, { name: 'a' })).key;
      const ingest = await w.request('POST', '/ingest', {
        headers: { 'x-api-key': santamonKey },
        body: {
          signal_id: 'org-a-signal',
          ts: new Date().toISOString(),
          host_id: 'mac-a',
          rule_id: 'A-1',
          severity: 'critical',
          title: 'Org A only',
          context: {},
        },
      });
      assert.equal(ingest.statusCode, 200);
      const hb = await w.request('POST', '/agents/heartbeat', {
        headers: { 'x-api-key': santamonKey },
        body: { agent_id: 'mac-a', timestamp: new Date().toISOString(), version: '1', os_version: '15' },
      });
      assert.equal(hb.statusCode, 200);
      a = {
        userId: w.users.analyst.id,
        tokenId: tokens[0]!.id,
        keyId: keys[0]!.id,
        deviceId: device.deviceId,
        signalId: 'org-a-signal',
      };
      // Org A's own admin does see all of it (the checks below are not vacuous).
      const own = await w.request('GET', '/signals', { token: w.users.admin.access });
      assert.equal(own.json().count, 1);
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });

    const asB = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
      w.request(method, url, { token: w.otherAdmin.access, ...(body === undefined ? {} : { body }) });

    test('lists show only the caller’s organization', async () => {
      const users = (await asB('GET', '/api/v1/users?limit=500')).json().items;
      assert.deepEqual(
        users.map((u: { email: string }) => u.email),
        ['admin@other.test'],
      );
      assert.equal((await asB('GET', '/api/v1/users?q=example.test')).json().items.length, 0);
      assert.equal((await asB('GET', '/api/v1/users?role=analyst')).json().items.length, 0);
      assert.equal((await asB('GET', '/api/v1/tokens?all=true')).json().items.length, 0);
      assert.equal((await asB('GET', '/api/v1/enrollment-keys')).json().items.length, 0);
      const seed000 = (await asB('GET', '/api/users')).json();
      assert.deepEqual(
        seed000.map((u: { username: string }) => u.username),
        ['admin'],
      );
    });

    test('another organization’s ids are 404, never 403', async () => {
      const cases: Array<['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown?]> = [
        ['GET', `/api/v1/users/${a.userId}`],
        ['PATCH', `/api/v1/users/${a.userId}`, { display_name: 'pwned' }],
        ['POST', `/api/v1/users/${a.userId}/disable`],
        ['POST', `/api/v1/users/${a.userId}/reset-password`, { password: 'attacker chosen password' }],
        ['DELETE', `/api/v1/users/${a.userId}`],
        ['DELETE', `/api/v1/tokens/${a.tokenId}`],
        ['DELETE', `/api/v1/enrollment-keys/${a.keyId}`],
        ['POST', `/api/v1/devices/${a.deviceId}/revoke`],
        ['POST', `/api/v1/devices/${a.deviceId}/rotate-secret`],
        ['PATCH', `/signals/${a.signalId}/status`, { status: 'resolved' }],
        ['GET', `/api/users/${a.userId}`],
        ['PATCH', `/api/users/${a.userId}`, { role: 'viewer' }],
        ['DELETE', `/api/users/${a.userId}`],
      ];
      for (const [method, url, body] of cases) {
        const res = await asB(method, url, body);
        assert.equal(res.statusCode, 404, `${method} ${url}: ${res.statusCode} ${res.body}`);
      }
      // Nothing changed in org A.
      const analyst = await w.request('GET', `/api/v1/users/${a.userId}`, { token: w.users.admin.access });
      assert.equal(analyst.json().display_name, 'analyst.user');
      assert.equal(analyst.json().disabled, false);
      const signal = (await w.request('GET', '/signals', { token: w.users.admin.access })).json().signals[0];
      assert.equal(signal.status, 'open');
    });

    test('counts, filters and the audit log reveal nothing of the other organization', async () => {
      const signals = (await asB('GET', '/signals?status=all')).json();
      assert.deepEqual(signals, { count: 0, signals: [] });
      const stats = (await asB('GET', '/stats')).json();
      assert.equal(stats.total_signals, 0);
      assert.deepEqual(stats.by_host, {});
      assert.equal((await asB('GET', '/agents')).json().count, 0);

      await w.t.runtime.ctx.identity.audit.flush();
      const audit = (await asB('GET', '/api/v1/audit?limit=500')).json().items;
      assert.ok(audit.length > 0, 'org B has audit records of its own (the refusals above)');
      for (const r of audit)
        assert.ok(r.actor.id === w.otherAdmin.id || r.actor.id === null, JSON.stringify(r));
      const filtered = (await asB('GET', `/api/v1/audit?actor_id=${w.users.admin.id}`)).json().items;
      assert.deepEqual(filtered, []);
      const byTarget = (await asB('GET', `/api/v1/audit?target_id=${a.userId}`)).json().items;
      assert.ok(byTarget.every((r: { actor: { id: string } }) => r.actor.id === w.otherAdmin.id));
    });
  });
}
