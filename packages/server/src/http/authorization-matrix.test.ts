import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signedHeaders } from '@harrier/schema';
import { permissionsFor, ROLES, type Role } from '../services/permissions.ts';
import { testStores } from '../test-support/databases.ts';
import {
  type IdentityWorld,
  makeUser,
  startIdentityWorld,
  type TestUser,
} from '../test-support/identity-fixtures.ts';
import { type DeclaredRoute, routeTable } from './route-access.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const MISSING_ID = '00000000-0000-7000-8000-000000000000';

/**
 * What an authorized caller gets from each route of this issue, sent with a
 * body that is harmless (invalid, or naming a missing id) so the matrix has no
 * side effects. A route another issue adds is still checked for every refusal;
 * its authorized status is its own tests' business.
 */
const AUTHORIZED: Record<string, { status: number; body?: unknown }> = {
  'GET /api/v1/auth/me': { status: 200 },
  'POST /api/v1/auth/password': { status: 400, body: {} },
  'GET /api/v1/permissions': { status: 200 },
  'GET /api/v1/users': { status: 200 },
  'POST /api/v1/users': { status: 400, body: {} },
  'GET /api/v1/users/:id': { status: 404 },
  'PATCH /api/v1/users/:id': { status: 404, body: {} },
  'DELETE /api/v1/users/:id': { status: 404 },
  'POST /api/v1/users/:id/disable': { status: 404 },
  'POST /api/v1/users/:id/enable': { status: 404 },
  'POST /api/v1/users/:id/reset-password': { status: 404, body: {} },
  'GET /api/v1/organizations': { status: 200 },
  'POST /api/v1/organizations': { status: 400, body: {} },
  'GET /api/v1/tokens': { status: 200 },
  'POST /api/v1/tokens': { status: 400, body: {} },
  'DELETE /api/v1/tokens/:id': { status: 404 },
  'GET /api/v1/audit': { status: 200 },
  'GET /api/v1/enrollment-keys': { status: 200 },
  'POST /api/v1/enrollment-keys': { status: 400, body: { name: '' } },
  'DELETE /api/v1/enrollment-keys/:id': { status: 404 },
  'POST /api/v1/devices/:id/revoke': { status: 404 },
  'POST /api/v1/devices/:id/rotate-secret': { status: 404 },
  'GET /signals': { status: 200 },
  'PATCH /signals/:signalId/status': { status: 404, body: { status: 'open' } },
  'GET /agents': { status: 200 },
  'GET /stats': { status: 200 },
  'GET /api/users': { status: 200 },
  'GET /api/users/': { status: 200 },
  'POST /api/users': { status: 422, body: {} },
  'POST /api/users/': { status: 422, body: {} },
  'GET /api/users/:id': { status: 404 },
  'PATCH /api/users/:id': { status: 404, body: {} },
  'DELETE /api/users/:id': { status: 404 },
};

/** Public routes are called anonymously with `{}`: they answer, never with a 5xx, and state changes are audited. */
const isProtected = (r: DeclaredRoute) =>
  r.auth === 'authenticated' || (r.auth === 'seed-key' && r.permission);

function fill(url: string, id: string): string {
  return url.replace(/:[A-Za-z]+/g, id).replace(/\*$/, 'x');
}

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`authorization matrix on ${store.name}`, () => {
    let w: IdentityWorld;
    let routes: DeclaredRoute[];
    let instanceAdmin: TestUser;
    let device: { deviceId: string; secret: string };
    let santamonKey: string;
    /** Real ids of the default organization, which the other organization's admin must not reach. */
    let realIds: Record<string, string>;

    before(async () => {
      w = await startIdentityWorld(store);
      const ctx = w.t.runtime.ctx;
      const bootstrapAdmin = (await ctx.identity.users.list({ orgId: w.orgId, limit: 100 })).find(
        (u) => u.is_instance_admin === 1,
      )!;
      const s = await ctx.identity.sessions.startSession(bootstrapAdmin, { ip: '127.0.0.1', userAgent: 't' });
      instanceAdmin = { ...w.users.admin, id: bootstrapAdmin.id, access: s.accessToken };
      device = await w.t.enroll('matrix-host');
      santamonKey = (await ctx.agentKeys.createSantamonKey(w.orgId, { name: 'matrix' })).key;
      const signal = await w.request('POST', '/ingest', {
        headers: { 'x-api-key': santamonKey },
        body: {
          signal_id: 'matrix-signal',
          ts: '2026-11-23T10:00:00Z',
          host_id: 'mac-1',
          rule_id: 'R1',
          severity: 'high',
          title: 'x',
          context: {},
        },
      });
      assert.equal(signal.statusCode, 200, signal.body);
      const tokens = await ctx.identity.apiTokens.list(
        { userId: w.users.admin.id, orgId: w.orgId },
        false,
        undefined,
        10,
      );
      const keys = await ctx.identity.agentCredentials.listKeys(w.orgId);
      realIds = {
        '/api/v1/users/': w.users.read_only.id,
        '/api/users/': w.users.read_only.id,
        '/api/v1/tokens/': tokens[0]!.id,
        '/api/v1/enrollment-keys/': keys[0]!.id,
        '/api/v1/devices/': device.deviceId,
        '/signals/': 'matrix-signal',
      };
      routes = routeTable(w.t.runtime.app).filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });

    const realId = (url: string) =>
      Object.entries(realIds).find(([prefix]) => url.startsWith(prefix))?.[1] ?? MISSING_ID;

    test('the route table is complete and every route declares its access', () => {
      assert.ok(routes.length > 40, `only ${routes.length} routes`);
      for (const key of Object.keys(AUTHORIZED)) {
        const [method, url] = key.split(' ') as [string, string];
        const r = routes.find((x) => x.method === method && x.url === url);
        assert.ok(r, `${key} is not registered`);
        assert.ok(isProtected(r), `${key} should require a permission or a signed-in caller`);
      }
    });

    test('every protected route × every caller gets exactly the expected status', async () => {
      const failures: string[] = [];
      const check = (
        what: string,
        got: number,
        expected: number | ((s: number) => boolean),
        body: string,
      ) => {
        const ok = typeof expected === 'number' ? got === expected : expected(got);
        if (!ok) failures.push(`${what}: got ${got}, expected ${String(expected)} ${body.slice(0, 200)}`);
      };
      for (const route of routes.filter(isProtected)) {
        const method = route.method as Method;
        const key = `${route.method} ${route.url}`;
        const known = AUTHORIZED[key];
        const sample = known?.body ?? (method === 'GET' || method === 'DELETE' ? undefined : {});
        const url = fill(route.url, MISSING_ID);
        const send = (token: string | undefined, headers: Record<string, string> = {}, target = url) =>
          w.request(method, target, { ...(token ? { token } : {}), body: sample, headers });

        // Nobody signed in: 401 (seed routes answer in their own words, still 401).
        const anon = await send(undefined);
        check(`${key} anonymous`, anon.statusCode, 401, anon.body);

        // A device credential is not a user credential.
        const payload = sample === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(sample));
        const signed = signedHeaders({
          method,
          path: url,
          body: payload,
          secret: device.secret,
          deviceId: device.deviceId,
        });
        const dev = await send(undefined, signed);
        check(`${key} device credential`, dev.statusCode, 401, dev.body);

        // A seed agent's key opens only the seed's own routes.
        if (route.auth !== 'seed-key') {
          const agent = await send(undefined, { 'x-api-key': santamonKey });
          check(`${key} santamon key`, agent.statusCode, 401, agent.body);
        }

        const callers: Array<[string, string, readonly string[]]> = [
          ...ROLES.map((role): [string, string, readonly string[]] => [
            role,
            w.users[role].access,
            permissionsOf(role),
          ]),
          ['narrow API token', w.narrowToken, ['alerts:read']],
          ['instance admin', instanceAdmin.access, [...permissionsOf('admin'), 'organizations:manage']],
        ];
        for (const [name, token, permissions] of callers) {
          const res = await send(token);
          const allowed = route.permission === undefined || permissions.includes(route.permission);
          if (!allowed) check(`${key} ${name}`, res.statusCode, 403, res.body);
          else if (known) check(`${key} ${name}`, res.statusCode, known.status, res.body);
          else check(`${key} ${name}`, res.statusCode, (s) => s !== 401 && s !== 403 && s < 500, res.body);
        }

        // An admin of another organization: same permissions, none of this organization's data.
        const other = await send(w.otherAdmin.access, {}, fill(route.url, realId(route.url)));
        if (route.permission === 'organizations:manage')
          check(`${key} other org`, other.statusCode, 403, other.body);
        else if (known) {
          check(
            `${key} other org`,
            other.statusCode,
            route.url.includes(':') ? 404 : known.status,
            other.body,
          );
        } else
          check(`${key} other org`, other.statusCode, (s) => s !== 401 && s !== 403 && s < 500, other.body);
      }
      assert.deepEqual(failures, []);
    });

    test('public routes answer anonymous callers without 401, 403 or 5xx', async () => {
      for (const route of routes.filter((r) => r.auth === 'public')) {
        const method = route.method as Method;
        if (route.url.startsWith('/docs') || route.url.startsWith('/assets')) continue;
        const res = await w.request(method, fill(route.url, MISSING_ID), {
          ...(method === 'GET' ? {} : { body: {} }),
        });
        // Credential routes refuse bad credentials (401) and closed registration (403); nothing else may.
        const refused =
          res.statusCode >= 500 ||
          ((res.statusCode === 401 || res.statusCode === 403) && !/login|refresh|register/.test(route.url));
        assert.ok(!refused, `${route.method} ${route.url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    });

    test('every state-changing route writes audit records, refusals included', async () => {
      await w.t.runtime.ctx.identity.audit.flush();
      const records = await w.t.runtime.ctx.database.db
        .selectFrom('audit_log')
        .select(['method', 'path', 'outcome', 'actor_type', 'org_id'])
        .execute();
      const missing: string[] = [];
      for (const route of routes) {
        if (route.method === 'GET' || route.audit === false) continue;
        if (route.auth === 'public' && (route.url.startsWith('/docs') || route.url.startsWith('/assets')))
          continue;
        const pattern = new RegExp(`^${route.url.replace(/:[A-Za-z]+/g, '[^/]+').replace(/\*$/, '.*')}$`);
        if (!records.some((r) => r.method === route.method && pattern.test(r.path))) {
          missing.push(`${route.method} ${route.url}`);
        }
      }
      assert.deepEqual(missing, []);
      assert.ok(records.some((r) => r.outcome === 'denied' && r.actor_type === 'anonymous'));
      assert.ok(
        records.some((r) => r.outcome === 'denied' && r.actor_type === 'user' && r.org_id === w.orgId),
      );
    });

    test('adding a user of a role the matrix does not know still gets the role’s permissions', async () => {
      const u = await makeUser(w.t, w.orgId, 'analyst', 'late-analyst@example.test');
      const me = await w.request('GET', '/api/v1/auth/me', { token: u.access });
      assert.deepEqual(me.json().permissions, permissionsOf('analyst'));
    });
  });
}

function permissionsOf(role: Role): string[] {
  return permissionsFor(role, false);
}
