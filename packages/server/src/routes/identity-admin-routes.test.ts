import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld, TEST_PASSWORD } from '../test-support/identity-fixtures.ts';

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`identity administration on ${store.name}`, () => {
    let w: IdentityWorld;
    before(async () => {
      w = await startIdentityWorld(store);
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });
    const admin = () => w.users.admin.access;

    test('users: create, read, list with filters and cursor, change, reset, delete', async () => {
      const created = await w.request('POST', '/api/v1/users', {
        token: admin(),
        body: {
          email: 'New.Person@Example.test',
          password: TEST_PASSWORD,
          role: 'senior_analyst',
          display_name: 'New Person',
          team: 'Blue',
          manager: 'Boss',
          phone: '+34 600',
          computer: 'LAPTOP-1',
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      const user = created.json();
      assert.equal(user.email, 'new.person@example.test');
      assert.equal(user.username, 'new.person');
      assert.equal(user.team, 'Blue');
      assert.ok(!('password_hash' in user));
      assert.ok(!JSON.stringify(user).includes('argon2'));

      const dup = await w.request('POST', '/api/v1/users', {
        token: admin(),
        body: { email: 'new.person@example.test', password: TEST_PASSWORD, role: 'analyst' },
      });
      assert.equal(dup.statusCode, 409);
      const weak = await w.request('POST', '/api/v1/users', {
        token: admin(),
        body: { email: 'weak@example.test', password: 'weak@example.test', role: 'analyst' },
      });
      assert.equal(weak.statusCode, 422);
      const badRole = await w.request('POST', '/api/v1/users', {
        token: admin(),
        body: { email: 'x@example.test', password: TEST_PASSWORD, role: 'superuser' },
      });
      assert.equal(badRole.statusCode, 400);

      const got = await w.request('GET', `/api/v1/users/${user.id}`, { token: w.users.team_lead.access });
      assert.equal(got.statusCode, 200);
      assert.equal(got.json().display_name, 'New Person');

      const page1 = await w.request('GET', '/api/v1/users?limit=2', { token: admin() });
      assert.equal(page1.json().items.length, 2);
      assert.ok(page1.json().next_cursor);
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const res = await w.request('GET', `/api/v1/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`, {
          token: admin(),
        });
        for (const u of res.json().items) seen.add(u.id);
        cursor = res.json().next_cursor;
      } while (cursor);
      const all = (await w.request('GET', '/api/v1/users?limit=500', { token: admin() })).json().items;
      assert.equal(seen.size, all.length);
      const seniors = (
        await w.request('GET', '/api/v1/users?role=senior_analyst', { token: admin() })
      ).json();
      assert.deepEqual(seniors.items.map((u: { email: string }) => u.email).sort(), [
        'new.person@example.test',
        'senior_analyst.user@example.test',
      ]);
      assert.equal(
        (await w.request('GET', '/api/v1/users?q=NEW.PER', { token: admin() })).json().items.length,
        1,
      );
      assert.equal(
        (await w.request('GET', '/api/v1/users?cursor=garbage', { token: admin() })).statusCode,
        400,
      );

      const patched = await w.request('PATCH', `/api/v1/users/${user.id}`, {
        token: admin(),
        body: { role: 'analyst', team: null, display_name: 'Renamed' },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.equal(patched.json().role, 'analyst');
      assert.equal(patched.json().team, null);

      const reset = await w.request('POST', `/api/v1/users/${user.id}/reset-password`, {
        token: admin(),
        body: {},
      });
      assert.equal(reset.statusCode, 200);
      const generated = reset.json().password;
      assert.ok(typeof generated === 'string' && generated.length >= 12);
      const login = await w.request('POST', '/api/v1/auth/login', {
        body: { email: 'new.person@example.test', password: generated },
      });
      assert.equal(login.statusCode, 200);

      const del = await w.request('DELETE', `/api/v1/users/${user.id}`, { token: admin() });
      assert.equal(del.statusCode, 204);
      assert.equal((await w.request('GET', `/api/v1/users/${user.id}`, { token: admin() })).statusCode, 404);
      assert.equal(
        (await w.request('GET', '/api/v1/auth/me', { token: login.json().access_token })).statusCode,
        401,
      );
    });

    test('admins cannot remove themselves or the last admin', async () => {
      const self = w.users.admin.id;
      assert.equal((await w.request('DELETE', `/api/v1/users/${self}`, { token: admin() })).statusCode, 409);
      assert.equal(
        (await w.request('POST', `/api/v1/users/${self}/disable`, { token: admin() })).statusCode,
        409,
      );
      const demote = await w.request('PATCH', `/api/v1/users/${self}`, {
        token: admin(),
        body: { role: 'analyst' },
      });
      assert.equal(demote.statusCode, 409);
    });

    test('API tokens: shown once, hashed, never more than the creator, revocable, expiring', async () => {
      const analyst = w.users.analyst.access;
      const beyond = await w.request('POST', '/api/v1/tokens', {
        token: analyst,
        body: { name: 'too much', permissions: ['alerts:read', 'users:manage'] },
      });
      assert.equal(beyond.statusCode, 422);
      assert.equal(beyond.json().error.code, 'permission_not_grantable');
      const unknown = await w.request('POST', '/api/v1/tokens', {
        token: analyst,
        body: { name: 'typo', permissions: ['alerts:reed'] },
      });
      assert.equal(unknown.statusCode, 422);

      const created = await w.request('POST', '/api/v1/tokens', {
        token: analyst,
        body: { name: 'soar', permissions: ['alerts:read', 'events:read'], expires_in_days: 30 },
      });
      assert.equal(created.statusCode, 201, created.body);
      const token = created.json();
      assert.match(token.token, /^hat_/);
      assert.equal(token.prefix, token.token.slice(0, 12));
      assert.ok(token.expires_at);

      const me = await w.request('GET', '/api/v1/auth/me', { token: token.token });
      assert.equal(me.statusCode, 200);
      assert.deepEqual(me.json().permissions, ['alerts:read', 'events:read']);
      assert.equal(me.json().auth.kind, 'api_token');
      // The token cannot do what it was not given, nor mint tokens.
      assert.equal((await w.request('GET', '/api/v1/tokens', { token: token.token })).statusCode, 403);

      const list = await w.request('GET', '/api/v1/tokens', { token: analyst });
      const listed = list.json().items.find((t: { id: string }) => t.id === token.id);
      assert.ok(listed);
      assert.ok(!('token' in listed) && !JSON.stringify(list.json()).includes(token.token));
      assert.ok(!JSON.stringify(list.json()).includes('token_hash'));
      await w.t.runtime.ctx.identity.audit.flush();
      const used = (await w.request('GET', '/api/v1/tokens', { token: analyst })).json();
      assert.ok(used.items.find((t: { id: string }) => t.id === token.id).last_used_at);

      // Another analyst neither sees nor revokes it; an admin does.
      const other = await w.request('DELETE', `/api/v1/tokens/${token.id}`, {
        token: w.users.senior_analyst.access,
      });
      assert.equal(other.statusCode, 404);
      const all = await w.request('GET', '/api/v1/tokens?all=true', { token: admin() });
      assert.ok(all.json().items.some((t: { id: string }) => t.id === token.id));
      const revoked = await w.request('DELETE', `/api/v1/tokens/${token.id}`, { token: analyst });
      assert.equal(revoked.statusCode, 200);
      assert.ok(revoked.json().revoked_at);
      const refused = await w.request('GET', '/api/v1/auth/me', { token: token.token });
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json().error.code, 'token_revoked');

      const short = await w.request('POST', '/api/v1/tokens', {
        token: analyst,
        body: { name: 'short', permissions: ['alerts:read'] },
      });
      await w.t.runtime.ctx.database.db
        .updateTable('api_tokens')
        .set({ expires_at: Date.now() - 1 })
        .where('id', '=', short.json().id)
        .execute();
      const expired = await w.request('GET', '/api/v1/auth/me', { token: short.json().token });
      assert.equal(expired.json().error.code, 'token_expired');
      const past = await w.request('POST', '/api/v1/tokens', {
        token: analyst,
        body: { name: 'past', expires_at: '2020-01-01T00:00:00Z' },
      });
      assert.equal(past.statusCode, 422);
    });

    test('a token shrinks with its owner: demoting the owner narrows it at once', async () => {
      const res = await w.request('POST', '/api/v1/users', {
        token: admin(),
        body: { email: 'lead2@example.test', password: TEST_PASSWORD, role: 'team_lead' },
      });
      const lead = res.json();
      const { token } = await w.t.runtime.ctx.identity.apiTokens.create(
        { userId: lead.id, orgId: w.orgId, permissions: ['audit:read', 'alerts:read'] },
        { name: 'lead token' },
      );
      assert.equal((await w.request('GET', '/api/v1/audit', { token })).statusCode, 200);
      await w.request('PATCH', `/api/v1/users/${lead.id}`, { token: admin(), body: { role: 'read_only' } });
      assert.equal((await w.request('GET', '/api/v1/audit', { token })).statusCode, 403);
      assert.equal((await w.request('GET', '/signals', { token })).statusCode, 200);
    });

    test('enrollment keys: created once, listed without secrets, revoked keys enroll nothing', async () => {
      const lead = w.users.team_lead.access;
      const created = await w.request('POST', '/api/v1/enrollment-keys', {
        token: lead,
        body: { name: 'laptops', max_uses: 2, expires_in_hours: 24 },
      });
      assert.equal(created.statusCode, 201, created.body);
      const key = created.json();
      assert.match(key.key, /^hek_/);
      assert.equal(key.state, 'active');
      const list = await w.request('GET', '/api/v1/enrollment-keys', { token: lead });
      assert.ok(list.json().items.some((k: { id: string }) => k.id === key.id));
      assert.ok(!JSON.stringify(list.json()).includes(key.key));
      assert.ok(!JSON.stringify(list.json()).includes('key_hash'));

      const enroll = () =>
        w.request('POST', '/api/v1/agents/enroll', { body: { enrollment_key: key.key, hostname: 'lap-1' } });
      assert.equal((await enroll()).statusCode, 201);
      const del = await w.request('DELETE', `/api/v1/enrollment-keys/${key.id}`, { token: lead });
      assert.equal(del.statusCode, 200);
      assert.equal(del.json().state, 'revoked');
      const refused = await enroll();
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json().error.code, 'enrollment_key_revoked');
    });

    test('devices: rotating the secret stops the old one; revoking refuses the device at once', async () => {
      const device = await w.t.enroll('rotating-host');
      const hb = (secret: string) =>
        w.t.signed({ deviceId: device.deviceId, secret }, 'POST', '/api/v1/agents/heartbeat', {
          ts: new Date().toISOString(),
        });
      assert.equal((await hb(device.secret)).statusCode, 200);
      const rotated = await w.request('POST', `/api/v1/devices/${device.deviceId}/rotate-secret`, {
        token: w.users.team_lead.access,
      });
      assert.equal(rotated.statusCode, 200, rotated.body);
      const fresh = rotated.json().device_secret;
      assert.notEqual(fresh, device.secret);
      assert.equal(rotated.json().secret_generation, 2);
      assert.equal((await hb(device.secret)).statusCode, 401);
      assert.equal((await hb(fresh)).statusCode, 200);

      const revoked = await w.request('POST', `/api/v1/devices/${device.deviceId}/revoke`, {
        token: w.users.team_lead.access,
      });
      assert.equal(revoked.statusCode, 200);
      assert.ok(revoked.json().revoked_at);
      const refused = await hb(fresh);
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json().error.code, 'device_revoked');
      const again = await w.request('POST', `/api/v1/devices/${device.deviceId}/rotate-secret`, {
        token: w.users.team_lead.access,
      });
      assert.equal(again.statusCode, 409);
    });

    test('audit log: filters, cursor pages, and nothing can change or delete a record', async () => {
      await w.t.runtime.ctx.identity.audit.flush();
      const lead = w.users.team_lead.access;
      const all = await w.request('GET', '/api/v1/audit?limit=500', { token: lead });
      assert.equal(all.statusCode, 200);
      const items = all.json().items as Array<{
        id: string;
        action: string;
        actor: { id: string };
        outcome: string;
      }>;
      assert.ok(items.length > 5);
      assert.ok(
        items.every((r, i) => i === 0 || r.id < items[i - 1]!.id),
        'newest first',
      );
      const creates = await w.request('GET', '/api/v1/audit?action=user.create', { token: lead });
      assert.ok(creates.json().items.length >= 2);
      assert.ok(creates.json().items.every((r: { action: string }) => r.action === 'user.create'));
      const byActor = await w.request('GET', `/api/v1/audit?actor_id=${w.users.admin.id}&outcome=success`, {
        token: lead,
      });
      assert.ok(
        byActor.json().items.every((r: { actor: { id: string } }) => r.actor.id === w.users.admin.id),
      );
      const first = items.at(-1)!;
      const withTarget = await w.request('GET', '/api/v1/audit?target_type=user', { token: lead });
      assert.ok(withTarget.json().items.every((r: { target: { type: string } }) => r.target.type === 'user'));
      const future = await w.request('GET', '/api/v1/audit?since=2999-01-01T00:00:00Z', { token: lead });
      assert.equal(future.json().items.length, 0);
      assert.equal(
        (await w.request('GET', '/api/v1/audit?since=yesterday', { token: lead })).statusCode,
        400,
      );

      const pages: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await w.request('GET', `/api/v1/audit?limit=4${cursor ? `&cursor=${cursor}` : ''}`, {
          token: lead,
        });
        pages.push(...res.json().items.map((r: { id: string }) => r.id));
        cursor = res.json().next_cursor;
      } while (cursor && pages.length < 1000);
      assert.ok(pages.includes(first.id));
      assert.equal(new Set(pages).size, pages.length);

      for (const method of ['PATCH', 'DELETE', 'PUT'] as const) {
        const res = await w.request(method, `/api/v1/audit/${first.id}`, { token: admin(), body: {} });
        assert.equal(res.statusCode, 404);
      }
      const db = w.t.runtime.ctx.database.db;
      await assert.rejects(db.updateTable('audit_log').set({ outcome: 'success' }).execute(), /append-only/);
      await assert.rejects(db.deleteFrom('audit_log').execute(), /append-only/);
    });

    test('organizations: an instance administrator creates one with its admin', async () => {
      const ctx = w.t.runtime.ctx;
      const boot = (await ctx.identity.users.list({ orgId: w.orgId, limit: 100 })).find(
        (u) => u.is_instance_admin === 1,
      )!;
      const s = await ctx.identity.sessions.startSession(boot, { ip: '127.0.0.1', userAgent: 't' });
      const created = await w.request('POST', '/api/v1/organizations', {
        token: s.accessToken,
        body: {
          slug: 'acme',
          name: 'ACME',
          admin: { email: 'root@acme.test', password: TEST_PASSWORD },
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().admin.role, 'admin');
      assert.equal(
        (
          await w.request('POST', '/api/v1/organizations', {
            token: s.accessToken,
            body: { slug: 'acme', name: 'x' },
          })
        ).statusCode,
        409,
      );
      const list = await w.request('GET', '/api/v1/organizations', { token: s.accessToken });
      assert.deepEqual(
        list
          .json()
          .items.map((o: { slug: string }) => o.slug)
          .sort(),
        ['acme', 'default', 'other'],
      );
      const login = await w.request('POST', '/api/v1/auth/login', {
        body: { email: 'root@acme.test', password: TEST_PASSWORD },
      });
      assert.equal(login.json().user.org.slug, 'acme');
      const users = await w.request('GET', '/api/v1/users', { token: login.json().access_token });
      assert.deepEqual(
        users.json().items.map((u: { email: string }) => u.email),
        ['root@acme.test'],
      );
    });

    test('GET /api/v1/permissions returns the matrix', async () => {
      const res = await w.request('GET', '/api/v1/permissions', { token: w.users.read_only.access });
      const m = res.json();
      assert.deepEqual(Object.keys(m.roles), [
        'admin',
        'team_lead',
        'senior_analyst',
        'analyst',
        'read_only',
      ]);
      assert.ok(m.roles.admin.includes('users:manage'));
      assert.ok(!m.roles.team_lead.includes('users:manage'));
      assert.ok(!m.roles.admin.includes('organizations:manage'));
      assert.deepEqual(m.instance_admin, ['organizations:manage']);
      assert.equal(m.seed_roles.ANALYST, 'analyst');
      assert.equal(m.seed_roles.viewer, 'read_only');
      assert.ok(m.permissions.every((p: { name: string; description: string }) => p.description.length > 0));
    });
  });
}
