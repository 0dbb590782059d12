import type { LightMyRequestResponse } from 'fastify';
import { ROLES, type Role } from '../services/permissions.ts';
import type { TestStore } from './databases.ts';
import { startTestApp, type TestApp } from './test-app.ts';

export const TEST_PASSWORD = 'a sufficiently long password';

export interface TestUser {
  id: string;
  email: string;
  orgId: string;
  role: Role;
  /** A bearer access token of a fresh session. */
  access: string;
  refresh: string;
  csrf: string;
}

export interface IdentityWorld {
  t: TestApp;
  orgId: string;
  otherOrgId: string;
  /** One user per role in the default organization. */
  users: Record<Role, TestUser>;
  /** An admin of a second organization. */
  otherAdmin: TestUser;
  /** An admin API token carrying only `alerts:read`. */
  narrowToken: string;
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
}

/** Creates a user through the service and opens a session for it (no HTTP login, no throttling). */
export async function makeUser(t: TestApp, orgId: string, role: Role, email: string): Promise<TestUser> {
  const ctx = t.runtime.ctx;
  const user = await ctx.identity.users.create(orgId, { email, password: TEST_PASSWORD, role });
  const s = await ctx.identity.sessions.startSession(user, { ip: '127.0.0.1', userAgent: 'test' });
  return {
    id: user.id,
    email,
    orgId,
    role,
    access: s.accessToken,
    refresh: s.refreshToken,
    csrf: s.csrfToken,
  };
}

/** A test app with a user per role, a second organization with its admin, and a narrow API token. */
export async function startIdentityWorld(
  store: TestStore,
  env: Record<string, string> = {},
): Promise<IdentityWorld> {
  const t = await startTestApp(store, {
    HARRIER_AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    HARRIER_API_RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  const ctx = t.runtime.ctx;
  const org = (await ctx.organizations.findBySlug('default'))!;
  const { org: other } = await ctx.identity.organizations.create({ slug: 'other', name: 'Other org' });
  const users = {} as Record<Role, TestUser>;
  for (const role of ROLES) users[role] = await makeUser(t, org.id, role, `${role}.user@example.test`);
  const otherAdmin = await makeUser(t, other.id, 'admin', 'admin@other.test');
  const admin = (await ctx.identity.users.get(org.id, users.admin.id))!;
  const { token: narrowToken } = await ctx.identity.apiTokens.create(
    { userId: admin.id, orgId: org.id, permissions: ['alerts:read'] },
    { name: 'narrow', permissions: ['alerts:read'] },
  );
  return {
    t,
    orgId: org.id,
    otherOrgId: other.id,
    users,
    otherAdmin,
    narrowToken,
    request(method, url, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      return t.runtime.app.inject({
        method,
        url,
        headers,
        ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
      });
    },
  };
}
