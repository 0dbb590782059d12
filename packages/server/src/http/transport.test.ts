import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { sqliteStore, type TestStore } from '../test-support/databases.ts';
import { makeUser, TEST_PASSWORD } from '../test-support/identity-fixtures.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';
import { assertRoutesDeclared, enforceRouteDeclarations, registerWithAccess } from './route-access.ts';

// Transport policy is storage-independent: these run on SQLite only.

describe('route declarations', () => {
  test('a route that declares no access fails the build', async () => {
    const app = Fastify();
    enforceRouteDeclarations(app);
    app.get('/declared', { config: { permission: 'alerts:read' } }, async () => 'ok');
    app.get('/undeclared', async () => 'oops');
    assert.throws(() => assertRoutesDeclared(app), /GET \/undeclared declares no access/);
    await assert.rejects(async () => {
      await app.ready();
    }, /declares no access/);
  });

  test('an unknown permission or a public route with a permission fails the build', () => {
    const a = Fastify();
    enforceRouteDeclarations(a);
    a.get('/x', { config: { permission: 'alerts:everything' as 'alerts:read' } }, async () => 'x');
    assert.throws(() => assertRoutesDeclared(a), /unknown permission/);
    const b = Fastify();
    enforceRouteDeclarations(b);
    b.get('/y', { config: { auth: 'public', permission: 'alerts:read' } }, async () => 'y');
    assert.throws(() => assertRoutesDeclared(b), /cannot also require a permission/);
  });

  test('third-party plugins are declared from outside', async () => {
    const app = Fastify();
    enforceRouteDeclarations(app);
    await registerWithAccess(app, { auth: 'public' }, async (scope) => {
      scope.get('/plugin-route', async () => 'ok');
    });
    assert.doesNotThrow(() => assertRoutesDeclared(app));
    await app.close();
  });
});

describe('transport policy', () => {
  let store: TestStore;
  let t: TestApp;
  before(async () => {
    store = sqliteStore();
    t = await startTestApp(store, { HARRIER_CORS_ORIGINS: 'https://console.example.com' });
  });
  after(async () => {
    await t.close();
    await store.cleanup();
  });

  test('security headers on every response: API, error, unknown path, health', async () => {
    for (const url of ['/health', '/api/v1/auth/me', '/no/such/path', '/openapi.json']) {
      const res = await t.runtime.app.inject({ method: 'GET', url });
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/, url);
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/, url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
      assert.equal(res.headers['cache-control'], 'no-store', url);
      // Plain HTTP: no HSTS (it would be ignored, and it is wrong to promise TLS we do not serve).
      assert.equal(res.headers['strict-transport-security'], undefined, url);
    }
  });

  test('CORS answers listed origins only', async () => {
    const preflight = (origin: string) =>
      t.runtime.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/users',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const ok = await preflight('https://console.example.com');
    assert.equal(ok.statusCode, 204);
    assert.equal(ok.headers['access-control-allow-origin'], 'https://console.example.com');
    assert.equal(ok.headers['access-control-allow-credentials'], 'true');
    const evil = await preflight('https://evil.example');
    assert.equal(evil.statusCode, 403);
    assert.equal(evil.headers['access-control-allow-origin'], undefined);
    const get = await t.runtime.app.inject({
      method: 'GET',
      url: '/health',
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(get.headers['access-control-allow-origin'], undefined);
  });
});

describe('HTTPS requirement, trusted proxies and rate limits', () => {
  let store: TestStore;
  let t: TestApp;
  before(async () => {
    store = sqliteStore();
    t = await startTestApp(store, {
      HARRIER_REQUIRE_HTTPS: 'true',
      HARRIER_TRUSTED_PROXIES: '10.0.0.1',
      HARRIER_AUTH_RATE_LIMIT_PER_MINUTE: '3',
      HARRIER_API_RATE_LIMIT_PER_MINUTE: '5',
    });
  });
  after(async () => {
    await t.close();
    await store.cleanup();
  });

  const viaProxy = (remoteAddress: string, proto: string, extra: Record<string, unknown> = {}) =>
    t.runtime.app.inject({
      method: 'GET',
      url: '/api/v1/permissions',
      remoteAddress,
      headers: { 'x-forwarded-proto': proto, 'x-forwarded-for': '203.0.113.9' },
      ...extra,
    });

  test('plain HTTP is refused; X-Forwarded-Proto counts only from a trusted proxy', async () => {
    const plain = await t.runtime.app.inject({ method: 'GET', url: '/api/v1/permissions' });
    assert.equal(plain.statusCode, 403);
    assert.equal(plain.json().error.code, 'https_required');
    const spoofed = await viaProxy('198.51.100.7', 'https');
    assert.equal(spoofed.statusCode, 403, 'an untrusted client cannot claim HTTPS');
    const proxied = await viaProxy('10.0.0.1', 'https');
    assert.equal(proxied.statusCode, 401, 'through the proxy the request gets as far as authentication');
    assert.equal(proxied.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    // Liveness probes stay reachable.
    assert.equal((await t.runtime.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  });

  test('behind the proxy: Secure cookies, and the client address from X-Forwarded-For', async () => {
    const org = (await t.runtime.ctx.organizations.findBySlug('default'))!;
    await makeUser(t, org.id, 'analyst', 'proxied@example.test');
    const res = await t.runtime.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '10.0.0.1',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
      payload: { email: 'proxied@example.test', password: TEST_PASSWORD },
    });
    assert.equal(res.statusCode, 200, res.body);
    const cookies = [res.headers['set-cookie']].flat().map(String);
    assert.ok(cookies.length === 3 && cookies.every((c) => c.includes('Secure')), cookies.join('\n'));
    await t.runtime.ctx.identity.audit.flush();
    const row = await t.runtime.ctx.database.db
      .selectFrom('audit_log')
      .select('ip')
      .where('action', '=', 'auth.login')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(row.ip, '203.0.113.9');
  });

  test('per-route rate limits answer 429 with Retry-After', async () => {
    const login = () =>
      t.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.0.0.1',
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.50' },
        payload: { email: 'nobody@example.test', password: 'whatever-it-is' },
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login()).statusCode);
    assert.deepEqual(statuses, [401, 401, 401, 429]);
    const limited = await login();
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.equal(limited.json().error.code, 'rate_limited');

    // Enrollment is not a credential route: a fleet behind one address enrolls at once.
    const enrolls = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/agents/enroll',
        remoteAddress: '10.0.0.1',
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.50' },
        payload: { enrollment_key: t.enrollmentKey, hostname: `fleet-${i}` },
      });
      enrolls.push(res.statusCode);
    }
    assert.deepEqual(enrolls, [201, 201, 201, 201, 201]);

    const org = (await t.runtime.ctx.organizations.findBySlug('default'))!;
    const u = await makeUser(t, org.id, 'read_only', 'busy@example.test');
    const api = () =>
      viaProxy('10.0.0.1', 'https', {
        headers: { authorization: `Bearer ${u.access}`, 'x-forwarded-proto': 'https' },
      });
    const apiStatuses = [];
    for (let i = 0; i < 6; i++) apiStatuses.push((await api()).statusCode);
    assert.deepEqual(apiStatuses, [200, 200, 200, 200, 200, 429]);
  });
});
