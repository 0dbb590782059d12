import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sqliteStore, testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld, TEST_PASSWORD } from '../test-support/identity-fixtures.ts';
import { startTestApp } from '../test-support/test-app.ts';

const ADMIN_PASSWORD = 'correct horse battery staple';

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`seed-compatible auth on ${store.name}`, () => {
    let w: IdentityWorld;
    before(async () => {
      w = await startIdentityWorld(store, { HARRIER_ALLOW_REGISTRATION: 'true' });
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });

    test('seed 000: username login and the admin-only users resource', async () => {
      const login = await w.request('POST', '/api/auth/login', {
        body: { username: 'admin', password: ADMIN_PASSWORD },
      });
      assert.equal(login.statusCode, 200, login.body);
      assert.deepEqual(Object.keys(login.json()).sort(), ['access_token', 'token_type']);
      assert.equal(login.json().token_type, 'bearer');
      const bad = await w.request('POST', '/api/auth/login', {
        body: { username: 'admin', password: 'nope nope nope' },
      });
      assert.equal(bad.statusCode, 401);
      assert.deepEqual(bad.json(), { detail: 'Invalid username or password' });
      const missing = await w.request('POST', '/api/auth/login', { body: { username: 'admin' } });
      assert.equal(missing.statusCode, 422);
      assert.ok(Array.isArray(missing.json().detail));

      const token = login.json().access_token;
      assert.equal((await w.request('GET', '/api/users')).statusCode, 401);
      const analyst = await w.request('GET', '/api/users', { token: w.users.analyst.access });
      assert.equal(analyst.statusCode, 403);
      assert.equal(typeof analyst.json().detail, 'string');

      const created = await w.request('POST', '/api/users/', {
        token,
        body: { username: 'watcher', password: TEST_PASSWORD },
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.deepEqual(Object.keys(created.json()).sort(), ['id', 'is_active', 'role', 'username']);
      assert.equal(created.json().role, 'viewer');
      const dup = await w.request('POST', '/api/users', {
        token,
        body: { username: 'watcher', password: TEST_PASSWORD },
      });
      assert.equal(dup.statusCode, 409);
      assert.deepEqual(dup.json(), { detail: 'Username already exists' });
      const id = created.json().id;
      const patched = await w.request('PATCH', `/api/users/${id}`, {
        token,
        body: { role: 'analyst', is_active: false },
      });
      assert.deepEqual(patched.json(), { id, username: 'watcher', role: 'analyst', is_active: false });
      const list = await w.request('GET', '/api/users', { token });
      assert.ok(list.json().some((u: { username: string }) => u.username === 'watcher'));
      assert.ok(!JSON.stringify(list.json()).includes('argon2'));
      assert.equal((await w.request('DELETE', `/api/users/${id}`, { token })).statusCode, 204);
      const gone = await w.request('GET', `/api/users/${id}`, { token });
      assert.deepEqual([gone.statusCode, gone.json()], [404, { detail: 'User not found' }]);
    });

    test('seed 002: org + username login, rotating refresh with reuse detection', async () => {
      const login = await w.request('POST', '/auth/api/login', {
        body: { org_id: 'default', username: 'admin', password: ADMIN_PASSWORD },
      });
      assert.equal(login.statusCode, 200, login.body);
      const pair = login.json();
      assert.deepEqual(Object.keys(pair).sort(), [
        'access_token',
        'expires_in',
        'refresh_token',
        'token_type',
      ]);
      assert.equal(pair.expires_in, 900);
      const wrongOrg = await w.request('POST', '/auth/api/login', {
        body: { org_id: 'other', username: 'admin', password: ADMIN_PASSWORD },
      });
      assert.deepEqual([wrongOrg.statusCode, wrongOrg.json()], [401, { detail: 'invalid credentials' }]);
      const extra = await w.request('POST', '/auth/api/login', {
        body: { org_id: 'default', username: 'admin', password: ADMIN_PASSWORD, role: 'admin' },
      });
      assert.equal(extra.statusCode, 422);
      const short = await w.request('POST', '/auth/api/login', {
        body: { org_id: 'default', username: 'admin', password: 'short' },
      });
      assert.equal(short.statusCode, 422);

      const next = await w.request('POST', '/auth/api/refresh', {
        body: { refresh_token: pair.refresh_token },
      });
      assert.equal(next.statusCode, 200);
      assert.notEqual(next.json().refresh_token, pair.refresh_token);
      const reuse = await w.request('POST', '/auth/api/refresh', {
        body: { refresh_token: pair.refresh_token },
      });
      assert.deepEqual(
        [reuse.statusCode, reuse.json()],
        [401, { detail: 'refresh token revoked or expired' }],
      );
      // Unlike the seed, the reuse ended the session: the newest token is dead too.
      const after = await w.request('POST', '/auth/api/refresh', {
        body: { refresh_token: next.json().refresh_token },
      });
      assert.equal(after.statusCode, 401);
    });

    test('seed 003: registration never grants ADMIN; login and refresh in simplejwt’s shapes', async () => {
      const reg = (body: unknown) => w.request('POST', '/api/auth/register/', { body });
      const admin = await reg({ username: 'mallory', password: TEST_PASSWORD, role: 'ADMIN' });
      assert.equal(admin.statusCode, 400);
      assert.ok(Array.isArray(admin.json().role));
      const weak = await reg({ username: 'mallory', password: 'mallory' });
      assert.equal(weak.statusCode, 400);
      assert.ok(Array.isArray(weak.json().password));
      const missing = await reg({ username: 'mallory' });
      assert.deepEqual(missing.json(), { password: ['This field is required.'] });
      const ok = await reg({ username: 'alice', password: TEST_PASSWORD, email: 'alice@example.test' });
      assert.equal(ok.statusCode, 201, ok.body);
      assert.deepEqual(Object.keys(ok.json()).sort(), ['email', 'id', 'role', 'username']);
      assert.equal(ok.json().role, 'ANALYST');
      assert.equal(ok.json().email, 'alice@example.test');
      const dup = await reg({ username: 'alice', password: TEST_PASSWORD });
      assert.deepEqual(dup.json(), { username: ['A user with that username already exists.'] });

      const login = await w.request('POST', '/api/auth/login/', {
        body: { username: 'alice', password: TEST_PASSWORD },
      });
      assert.equal(login.statusCode, 200);
      assert.deepEqual(Object.keys(login.json()).sort(), ['access', 'refresh']);
      const me = await w.request('GET', '/api/v1/auth/me', { token: login.json().access });
      assert.equal(me.json().role, 'analyst');
      assert.ok(!me.json().permissions.includes('users:manage'));
      const bad = await w.request('POST', '/api/auth/login/', {
        body: { username: 'alice', password: 'wrong one!!' },
      });
      assert.deepEqual(
        [bad.statusCode, bad.json()],
        [401, { detail: 'No active account found with the given credentials' }],
      );
      const blank = await w.request('POST', '/api/auth/login/', { body: { username: 'alice' } });
      assert.deepEqual([blank.statusCode, blank.json()], [400, { password: ['This field is required.'] }]);

      const refreshed = await w.request('POST', '/api/auth/refresh/', {
        body: { refresh: login.json().refresh },
      });
      assert.equal(refreshed.statusCode, 200);
      assert.ok(refreshed.json().access);
      const invalid = await w.request('POST', '/api/auth/refresh/', { body: { refresh: 'garbage' } });
      assert.deepEqual(
        [invalid.statusCode, invalid.json()],
        [401, { detail: 'Token is invalid or expired', code: 'token_not_valid' }],
      );
    });

    test('seed 004: e-mail login sets the cookies and returns the profile; logout revokes', async () => {
      const login = await w.request('POST', '/auth/login', {
        body: { email: 'team_lead.user@example.test', password: TEST_PASSWORD },
      });
      assert.equal(login.statusCode, 200, login.body);
      const body = login.json();
      assert.equal(body.token_type, 'bearer');
      assert.deepEqual(Object.keys(body.user).sort(), [
        'avatar_url',
        'computer',
        'email',
        'full_name',
        'id',
        'manager',
        'mobile_phone',
        'role',
        'team',
        'tenant_id',
        'timezone',
      ]);
      assert.equal(body.user.role, 'team_lead');
      const cookies = [login.headers['set-cookie']].flat().map(String);
      assert.ok(cookies.some((c) => c.startsWith('harrier_access=') && c.includes('HttpOnly')));
      const bad = await w.request('POST', '/auth/login', {
        body: { email: 'team_lead.user@example.test', password: 'wrong password' },
      });
      assert.deepEqual([bad.statusCode, bad.json()], [401, { detail: 'Incorrect email or password' }]);

      const out = await w.request('POST', '/auth/logout', { token: body.access_token });
      assert.deepEqual([out.statusCode, out.json()], [200, { detail: 'Logged out' }]);
      assert.equal((await w.request('GET', '/api/v1/auth/me', { token: body.access_token })).statusCode, 401);
    });
  });
}

describe('seed 003 registration is closed by default', () => {
  test('403 without HARRIER_ALLOW_REGISTRATION', async () => {
    const store = sqliteStore();
    const t = await startTestApp(store);
    try {
      const res = await t.runtime.app.inject({
        method: 'POST',
        url: '/api/auth/register/',
        payload: { username: 'eve', password: TEST_PASSWORD },
      });
      assert.equal(res.statusCode, 403);
      assert.deepEqual(res.json(), { detail: 'Registration is closed.' });
    } finally {
      await t.close();
      await store.cleanup();
    }
  });
});
