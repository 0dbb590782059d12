import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { signJwt } from '../services/jwt.ts';
import { testStores } from '../test-support/databases.ts';
import {
  type IdentityWorld,
  makeUser,
  startIdentityWorld,
  TEST_PASSWORD,
} from '../test-support/identity-fixtures.ts';

/** The cookies a response sets, by name, with their attributes. */
function setCookies(res: LightMyRequestResponse): Map<string, { value: string; attrs: string[] }> {
  const raw = res.headers['set-cookie'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return new Map(
    list.map((c) => {
      const [pair, ...attrs] = c.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      return [pair!.slice(0, eq), { value: decodeURIComponent(pair!.slice(eq + 1)), attrs }];
    }),
  );
}

const cookieHeader = (cookies: Map<string, { value: string }>) =>
  [...cookies].map(([k, v]) => `${k}=${encodeURIComponent(v.value)}`).join('; ');

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`sessions on ${store.name}`, () => {
    let w: IdentityWorld;
    before(async () => {
      w = await startIdentityWorld(store);
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });

    const login = (email: string, password: string, remoteAddress = '127.0.0.1') =>
      w.t.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
        remoteAddress,
      });

    test('login returns the tokens, the user and the browser cookies', async () => {
      const res = await login('analyst.user@example.test', TEST_PASSWORD);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.token_type, 'bearer');
      assert.equal(body.expires_in, 900);
      assert.match(body.access_token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.match(body.refresh_token, /^hrt_/);
      assert.equal(body.user.email, 'analyst.user@example.test');
      assert.equal(body.user.role, 'analyst');
      assert.equal(body.user.org.slug, 'default');
      assert.ok(body.user.permissions.includes('alerts:triage'));
      assert.ok(!JSON.stringify(body).includes('argon2'));

      const cookies = setCookies(res);
      assert.equal([res.headers['set-cookie']].flat().length, 3, 'each cookie is set once');
      const access = cookies.get('harrier_access')!;
      const refresh = cookies.get('harrier_refresh')!;
      const csrf = cookies.get('harrier_csrf')!;
      assert.equal(access.value, body.access_token);
      assert.deepEqual(
        [
          access.attrs.includes('HttpOnly'),
          access.attrs.includes('SameSite=Strict'),
          access.attrs.includes('Path=/'),
        ],
        [true, true, true],
      );
      assert.ok(refresh.attrs.includes('HttpOnly') && refresh.attrs.includes('Path=/api/v1/auth'));
      assert.ok(!csrf.attrs.includes('HttpOnly') && csrf.attrs.includes('SameSite=Strict'));
      assert.equal(csrf.value, body.csrf_token);
      // Plain HTTP: no Secure attribute (it would make the browser drop the cookie).
      assert.ok(!access.attrs.includes('Secure'));

      const me = await w.request('GET', '/api/v1/auth/me', { token: body.access_token });
      assert.equal(me.statusCode, 200);
      assert.deepEqual(Object.keys(me.json()).sort(), [
        'auth',
        'display_name',
        'email',
        'id',
        'is_instance_admin',
        'org',
        'permissions',
        'role',
        'username',
      ]);
      const viaCookie = await w.t.runtime.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { cookie: cookieHeader(cookies) },
      });
      assert.equal(viaCookie.statusCode, 200);
      assert.equal(viaCookie.json().email, 'analyst.user@example.test');
    });

    test('unknown user and wrong password get the same answer', async () => {
      // Both paths verify an argon2id hash (a dummy one for unknown accounts), so they also take
      // similar time; timings are not asserted here (see the benchmarks).
      const unknown = await login('nobody@example.test', 'not the password at all', '10.9.9.9');
      const wrong = await login('read_only.user@example.test', 'not the password at all', '10.9.9.9');
      assert.equal(unknown.statusCode, 401);
      assert.equal(wrong.statusCode, 401);
      assert.deepEqual(unknown.json(), wrong.json());
      assert.equal(unknown.json().error.code, 'invalid_credentials');
      assert.deepEqual(Object.keys(unknown.headers).sort(), Object.keys(wrong.headers).sort());
    });

    test('cookie requests that change state need the CSRF header; bearer requests do not', async () => {
      const res = await login('senior_analyst.user@example.test', TEST_PASSWORD);
      const cookies = setCookies(res);
      const csrf = cookies.get('harrier_csrf')!.value;
      const post = (headers: Record<string, string>) =>
        w.t.runtime.app.inject({
          method: 'POST',
          url: '/api/v1/tokens',
          headers: { 'content-type': 'application/json', ...headers },
          payload: JSON.stringify({ name: 'csrf', permissions: ['alerts:read'] }),
        });
      const missing = await post({ cookie: cookieHeader(cookies) });
      assert.equal(missing.statusCode, 403);
      assert.equal(missing.json().error.code, 'csrf_failed');
      const wrong = await post({ cookie: cookieHeader(cookies), 'x-csrf-token': 'guess' });
      assert.equal(wrong.statusCode, 403);
      // A token planted in both places fails too: it must be the session's.
      const planted = new Map(cookies);
      planted.set('harrier_csrf', { value: 'planted', attrs: [] });
      const forged = await post({ cookie: cookieHeader(planted), 'x-csrf-token': 'planted' });
      assert.equal(forged.statusCode, 403);
      const ok = await post({ cookie: cookieHeader(cookies), 'x-csrf-token': csrf });
      assert.equal(ok.statusCode, 201, ok.body);
      const bearer = await post({ authorization: `Bearer ${res.json().access_token}` });
      assert.equal(bearer.statusCode, 201);
      const read = await w.t.runtime.app.inject({
        method: 'GET',
        url: '/api/v1/tokens',
        headers: { cookie: cookieHeader(cookies) },
      });
      assert.equal(read.statusCode, 200);
    });

    test('refresh rotates; reusing a used refresh token revokes the whole session', async () => {
      const first = (await login('team_lead.user@example.test', TEST_PASSWORD)).json();
      const refresh = (token: string) =>
        w.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: token } });
      const second = await refresh(first.refresh_token);
      assert.equal(second.statusCode, 200, second.body);
      const s2 = second.json();
      assert.notEqual(s2.refresh_token, first.refresh_token);
      assert.notEqual(s2.access_token, first.access_token);
      assert.equal(s2.csrf_token, first.csrf_token, 'the CSRF token belongs to the session');
      assert.equal((await w.request('GET', '/api/v1/auth/me', { token: s2.access_token })).statusCode, 200);

      const reuse = await refresh(first.refresh_token);
      assert.equal(reuse.statusCode, 401);
      assert.equal(reuse.json().error.code, 'refresh_token_reused');
      // The thief's copy and the client's current token are both dead, and so are their access tokens.
      assert.equal((await refresh(s2.refresh_token)).statusCode, 401);
      assert.equal((await w.request('GET', '/api/v1/auth/me', { token: s2.access_token })).statusCode, 401);
      assert.equal(
        (await w.request('GET', '/api/v1/auth/me', { token: first.access_token })).statusCode,
        401,
      );
      assert.equal((await refresh('hrt_not-a-token')).statusCode, 401);
    });

    test('refresh from the cookie needs the CSRF header', async () => {
      const res = await login('team_lead.user@example.test', TEST_PASSWORD);
      const cookies = setCookies(res);
      const refresh = (headers: Record<string, string>) =>
        w.t.runtime.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', headers });
      assert.equal((await refresh({ cookie: cookieHeader(cookies) })).statusCode, 403);
      const ok = await refresh({
        cookie: cookieHeader(cookies),
        'x-csrf-token': cookies.get('harrier_csrf')!.value,
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.ok(setCookies(ok).get('harrier_refresh')!.value !== cookies.get('harrier_refresh')!.value);
    });

    test('logout revokes the session: access and refresh tokens stop working at once', async () => {
      const s = (await login('read_only.user@example.test', TEST_PASSWORD)).json();
      const out = await w.request('POST', '/api/v1/auth/logout', { token: s.access_token });
      assert.equal(out.statusCode, 204);
      const cleared = setCookies(out);
      assert.ok(cleared.get('harrier_access')!.attrs.includes('Max-Age=0'));
      assert.equal((await w.request('GET', '/api/v1/auth/me', { token: s.access_token })).statusCode, 401);
      const again = await w.request('POST', '/api/v1/auth/refresh', {
        body: { refresh_token: s.refresh_token },
      });
      assert.equal(again.statusCode, 401);

      // Cookie logout: CSRF required.
      const res = await login('read_only.user@example.test', TEST_PASSWORD);
      const cookies = setCookies(res);
      const noCsrf = await w.t.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie: cookieHeader(cookies) },
      });
      assert.equal(noCsrf.statusCode, 403);
      const ok = await w.t.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie: cookieHeader(cookies), 'x-csrf-token': cookies.get('harrier_csrf')!.value },
      });
      assert.equal(ok.statusCode, 204);
      assert.equal(
        (await w.request('GET', '/api/v1/auth/me', { token: res.json().access_token })).statusCode,
        401,
      );
    });

    test('expired, forged and tampered tokens are refused', async () => {
      const ctx = w.t.runtime.ctx;
      const s = (await login('analyst.user@example.test', TEST_PASSWORD)).json();
      const [, payload] = s.access_token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const now = Math.floor(Date.now() / 1000);
      const expired = signJwt({ ...claims, iat: now - 1000, exp: now - 100 }, ctx.identity.sessions.jwtKey);
      assert.equal((await w.request('GET', '/api/v1/auth/me', { token: expired })).statusCode, 401);
      const elevated = `${s.access_token.split('.')[0]}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${s.access_token.split('.')[2]}`;
      assert.equal((await w.request('GET', '/api/v1/auth/me', { token: elevated })).statusCode, 401);
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
      assert.equal((await w.request('GET', '/api/v1/auth/me', { token: none })).statusCode, 401);
      const otherKey = signJwt(claims, Buffer.alloc(32, 7));
      assert.equal((await w.request('GET', '/api/v1/auth/me', { token: otherKey })).statusCode, 401);

      // A refresh token past its expiry.
      await ctx.database.db
        .updateTable('refresh_tokens')
        .set({ expires_at: Date.now() - 1 })
        .execute();
      const late = await w.request('POST', '/api/v1/auth/refresh', {
        body: { refresh_token: s.refresh_token },
      });
      assert.equal(late.statusCode, 401);
      assert.equal(late.json().error.code, 'refresh_token_expired');
    });

    test('throttling: growing delays per account and per address, 429 with Retry-After', async () => {
      const email = 'throttled@example.test';
      await makeUser(w.t, w.orgId, 'analyst', email);
      // The e-mail and the username (seed 000's login) share the account's budget.
      for (let i = 0; i < 3; i++) {
        assert.equal((await login(email, 'wrong password!!', '10.1.1.1')).statusCode, 401);
      }
      for (let i = 0; i < 2; i++) {
        const viaUsername = await w.t.runtime.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'throttled', password: 'wrong password!!' },
          remoteAddress: '10.1.1.3',
        });
        assert.equal(viaUsername.statusCode, 401);
      }
      const locked = await login(email, TEST_PASSWORD, '10.1.1.2');
      assert.equal(locked.statusCode, 429, 'the right password does not help while locked');
      assert.equal(locked.headers['retry-after'], '1');
      assert.equal(locked.json().error.code, 'too_many_attempts');
      // Another account from the same addresses is not affected.
      assert.equal((await login('analyst.user@example.test', TEST_PASSWORD, '10.1.1.1')).statusCode, 200);

      // One address spraying many accounts is locked too.
      for (let i = 0; i < 20; i++) await login(`spray-${i}@example.test`, 'wrong password!!', '10.2.2.2');
      const sprayed = await login('analyst.user@example.test', TEST_PASSWORD, '10.2.2.2');
      assert.equal(sprayed.statusCode, 429);
      assert.ok(Number(sprayed.headers['retry-after']) >= 1);
      assert.equal((await login('analyst.user@example.test', TEST_PASSWORD, '10.3.3.3')).statusCode, 200);
    });

    test('disabled users cannot log in, and their sessions and tokens stop at once', async () => {
      const u = await makeUser(w.t, w.orgId, 'analyst', 'to-disable@example.test');
      const { token } = await w.t.runtime.ctx.identity.apiTokens.create(
        { userId: u.id, orgId: w.orgId, permissions: ['alerts:read'] },
        { name: 't' },
      );
      assert.equal((await w.request('GET', '/api/v1/auth/me', { token })).statusCode, 200);
      const disable = await w.request('POST', `/api/v1/users/${u.id}/disable`, {
        token: w.users.admin.access,
      });
      assert.equal(disable.statusCode, 200);
      assert.equal(disable.json().disabled, true);
      assert.equal((await w.request('GET', '/api/v1/auth/me', { token: u.access })).statusCode, 401);
      assert.equal((await w.request('GET', '/api/v1/auth/me', { token })).statusCode, 401);
      const refused = await login('to-disable@example.test', TEST_PASSWORD, '10.4.4.4');
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json().error.code, 'invalid_credentials');
      const enable = await w.request('POST', `/api/v1/users/${u.id}/enable`, { token: w.users.admin.access });
      assert.equal(enable.json().disabled, false);
      assert.equal((await login('to-disable@example.test', TEST_PASSWORD, '10.4.4.4')).statusCode, 200);
    });

    test('own password change: rules, current password, other sessions end', async () => {
      const u = await makeUser(w.t, w.orgId, 'analyst', 'changer@example.test');
      const other = (await login('changer@example.test', TEST_PASSWORD, '10.5.5.5')).json();
      const change = (body: unknown) => w.request('POST', '/api/v1/auth/password', { token: u.access, body });
      const wrong = await change({
        current_password: 'not it at all',
        new_password: 'another long password',
      });
      assert.equal(wrong.statusCode, 401);
      const short = await change({ current_password: TEST_PASSWORD, new_password: 'short' });
      assert.equal(short.statusCode, 422);
      assert.equal(short.json().error.code, 'weak_password');
      const asEmail = await change({ current_password: TEST_PASSWORD, new_password: 'Changer@Example.test' });
      assert.equal(asEmail.statusCode, 422);
      const ok = await change({ current_password: TEST_PASSWORD, new_password: 'a brand new passphrase' });
      assert.equal(ok.statusCode, 204, ok.body);
      assert.equal((await w.request('GET', '/api/v1/auth/me', { token: u.access })).statusCode, 200);
      assert.equal(
        (await w.request('GET', '/api/v1/auth/me', { token: other.access_token })).statusCode,
        401,
      );
      assert.equal(
        (await login('changer@example.test', 'a brand new passphrase', '10.5.5.6')).statusCode,
        200,
      );
      // An API token cannot change its owner's password.
      const { token } = await w.t.runtime.ctx.identity.apiTokens.create(
        { userId: u.id, orgId: w.orgId, permissions: ['alerts:read'] },
        { name: 't' },
      );
      const viaToken = await w.request('POST', '/api/v1/auth/password', {
        token,
        body: { current_password: 'a brand new passphrase', new_password: 'yet another passphrase' },
      });
      assert.equal(viaToken.statusCode, 403);
    });

    test('login attempts are audited: success and failure, never the password', async () => {
      await login('analyst.user@example.test', 'definitely wrong', '10.6.6.6');
      await login('analyst.user@example.test', TEST_PASSWORD, '10.6.6.7');
      await w.t.runtime.ctx.identity.audit.flush();
      const rows = await w.t.runtime.ctx.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'auth.login')
        .where('ip', 'in', ['10.6.6.6', '10.6.6.7'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.outcome, r.actor_label, r.ip]),
        [
          ['denied', 'analyst.user@example.test', '10.6.6.6'],
          ['success', 'analyst.user@example.test', '10.6.6.7'],
        ],
      );
      assert.equal(rows[1]!.actor_id, w.users.analyst.id);
      assert.equal(rows[1]!.org_id, w.orgId);
      assert.ok(!JSON.stringify(rows).includes('definitely wrong'));
      assert.ok(!JSON.stringify(rows).includes(TEST_PASSWORD));
    });
  });
}
