import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { HarrierError, notFound } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { setSessionCookies } from '../http/cookies.ts';
import { presentSeed004Profile } from '../presenters/user-presenter.ts';
import type { User } from '../repositories/users-repository.ts';
import { DEFAULT_ORG_SLUG } from '../services/bootstrap-service.ts';
import { passwordProblem } from '../services/password-policy.ts';
import { isRole, type Role, roleFromSeed, seed003RoleName } from '../services/permissions.ts';
import { clientOf, endSession, noteLogin } from './auth-routes.ts';

const fastapi = { errorShape: 'fastapi' as const };
const tags = ['seed-compat'];

/** Runs a session call and answers its 401s in the seed's words (429s keep ours, with Retry-After). */
async function inSeedWords<T>(work: Promise<T>, message: string, code = 'invalid_credentials'): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof HarrierError && error.status === 401) throw new HarrierError(401, code, message);
    throw error;
  }
}

/** Seed 000 names our read-only role `viewer`. */
function seed000Role(role: string): string {
  return role === 'read_only' ? 'viewer' : role;
}

function presentSeed000User(u: User) {
  return { id: u.id, username: u.username, role: seed000Role(u.role), is_active: u.disabled_at === null };
}

/** A placeholder e-mail for seed accounts that have only a username (e-mail stays unique). */
export function seedEmail(username: string, orgSlug: string): string {
  return username.includes('@') ? username.toLowerCase() : `${username.toLowerCase()}@${orgSlug}.invalid`;
}

/** DRF's 400 body: `{field: [messages]}`. */
function drfError(reply: FastifyReply, errors: Record<string, string[]>) {
  return reply.status(400).send(errors);
}

function drfRequired(body: unknown, fields: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  for (const f of fields) {
    const v = b[f];
    if (v === undefined || v === null) out[f] = ['This field is required.'];
    else if (typeof v !== 'string') out[f] = ['Not a valid string.'];
    else if (v.trim() === '') out[f] = ['This field may not be blank.'];
  }
  return out;
}

const Seed000Login = Type.Object({ username: Type.String(), password: Type.String() });
const Seed000UserCreate = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 150 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  role: Type.Optional(Type.String({ maxLength: 64 })),
});
const Seed000UserUpdate = Type.Object({
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  role: Type.Optional(Type.String({ maxLength: 64 })),
  is_active: Type.Optional(Type.Boolean()),
});
const Seed002Login = Type.Object(
  {
    org_id: Type.String({ minLength: 1, maxLength: 256 }),
    username: Type.String({ minLength: 1, maxLength: 128 }),
    password: Type.String({ minLength: 8, maxLength: 256 }),
  },
  { additionalProperties: false },
);
const Seed002Refresh = Type.Object(
  { refresh_token: Type.String({ minLength: 20, maxLength: 4096 }) },
  { additionalProperties: false },
);
const Seed004Login = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * The seeds' login, refresh, registration and user routes as thin adapters over
 * the same session and user services, answering in each seed's shapes. The
 * seeds' weaknesses are fixed: refresh tokens rotate with reuse detection,
 * logout revokes, registration is closed by default and never grants admin.
 */
export async function seedAuthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const sessions = ctx.identity.sessions;

  // Seed 000 (Kestrel): username login, access token only.
  app.post(
    '/api/auth/login',
    {
      config: {
        ...fastapi,
        auth: 'public',
        rateLimit: 'auth',
        audit: { action: 'auth.login', target: 'user' },
      },
      schema: { tags, summary: 'Seed 000 login', body: Seed000Login },
    },
    async (request) => {
      const body = request.body as typeof Seed000Login.static;
      noteLogin(request, body.username);
      const session = await inSeedWords(
        sessions.login({ username: body.username }, body.password, clientOf(request)),
        'Invalid username or password',
      );
      noteLogin(request, body.username, session);
      return { access_token: session.accessToken, token_type: 'bearer' };
    },
  );

  // Seed 000's users resource, admin on every verb (with and without the trailing slash).
  for (const path of ['/api/users', '/api/users/']) {
    app.get(
      path,
      { config: { ...fastapi, permission: 'users:manage' }, schema: { tags, summary: 'Seed 000 users' } },
      async (request) => {
        const rows = await ctx.identity.users.list({ orgId: principalOf(request).orgId, limit: 1000 });
        return rows.map(presentSeed000User);
      },
    );
    app.post(
      path,
      {
        config: { ...fastapi, permission: 'users:manage', audit: { action: 'user.create', target: 'user' } },
        schema: { tags, summary: 'Seed 000 create user', body: Seed000UserCreate },
      },
      async (request, reply) => {
        const body = request.body as typeof Seed000UserCreate.static;
        const principal = principalOf(request);
        const org = await ctx.identity.organizations.findById(principal.orgId);
        const user = await ctx.identity.users
          .create(principal.orgId, {
            email: seedEmail(body.username, org?.slug ?? DEFAULT_ORG_SLUG),
            username: body.username,
            password: body.password,
            role: isRole(body.role) ? body.role : roleFromSeed(body.role ?? 'viewer'),
          })
          .catch((error: unknown) => {
            if (error instanceof HarrierError && error.status === 409) {
              throw new HarrierError(409, 'user_exists', 'Username already exists');
            }
            throw error;
          });
        noteAudit(request, { targetId: user.id });
        return reply.status(201).send(presentSeed000User(user));
      },
    );
  }
  app.get(
    '/api/users/:id',
    {
      config: { ...fastapi, permission: 'users:manage' },
      schema: { tags, summary: 'Seed 000 user', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentSeed000User(await seed000User(ctx, principalOf(request).orgId, id));
    },
  );
  app.patch(
    '/api/users/:id',
    {
      config: { ...fastapi, permission: 'users:manage', audit: { action: 'user.update', target: 'user' } },
      schema: { tags, summary: 'Seed 000 update user', params: IdParams, body: Seed000UserUpdate },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const body = request.body as typeof Seed000UserUpdate.static;
      const principal = principalOf(request);
      await seed000User(ctx, principal.orgId, id);
      if (body.role !== undefined) {
        const role: Role = isRole(body.role) ? body.role : roleFromSeed(body.role);
        await ctx.identity.users.update(principal.orgId, principal.userId, id, { role });
      }
      if (body.password !== undefined)
        await ctx.identity.users.resetPassword(principal.orgId, id, body.password);
      if (body.is_active !== undefined) {
        await ctx.identity.users.setDisabled(principal.orgId, principal.userId, id, !body.is_active);
      }
      return presentSeed000User(await ctx.identity.users.get(principal.orgId, id));
    },
  );
  app.delete(
    '/api/users/:id',
    {
      config: { ...fastapi, permission: 'users:manage', audit: { action: 'user.delete', target: 'user' } },
      schema: { tags, summary: 'Seed 000 delete user', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const principal = principalOf(request);
      await seed000User(ctx, principal.orgId, id);
      await ctx.identity.users.delete(principal.orgId, principal.userId, id);
      return reply.status(204).send();
    },
  );

  // Seed 002 (sec44): org slug + username login with a refresh token.
  app.post(
    '/auth/api/login',
    {
      config: {
        ...fastapi,
        auth: 'public',
        rateLimit: 'auth',
        audit: { action: 'auth.login', target: 'user' },
      },
      schema: { tags, summary: 'Seed 002 login', body: Seed002Login },
    },
    async (request) => {
      const body = request.body as typeof Seed002Login.static;
      noteLogin(request, `${body.org_id.trim()}/${body.username.trim()}`);
      const session = await inSeedWords(
        sessions.login({ username: body.username, orgSlug: body.org_id }, body.password, clientOf(request)),
        'invalid credentials',
      );
      noteLogin(request, session.user.email, session);
      return {
        access_token: session.accessToken,
        refresh_token: session.refreshToken,
        token_type: 'bearer',
        expires_in: session.expiresIn,
      };
    },
  );
  app.post(
    '/auth/api/refresh',
    {
      config: {
        ...fastapi,
        auth: 'public',
        rateLimit: 'auth',
        audit: { action: 'auth.refresh', target: 'session' },
      },
      schema: {
        tags,
        summary: 'Seed 002 refresh (rotating; reuse revokes the session)',
        body: Seed002Refresh,
      },
    },
    async (request) => {
      const body = request.body as typeof Seed002Refresh.static;
      const session = await inSeedWords(
        sessions.refresh(body.refresh_token),
        'refresh token revoked or expired',
        'invalid_refresh_token',
      );
      noteAudit(request, { actorType: 'user', actorId: session.user.id, orgId: session.user.org_id });
      return {
        access_token: session.accessToken,
        refresh_token: session.refreshToken,
        token_type: 'bearer',
        expires_in: session.expiresIn,
      };
    },
  );

  // Seed 003 (Django/DRF): trailing-slash paths, DRF's error shapes.
  app.post(
    '/api/auth/register/',
    {
      config: {
        ...fastapi,
        auth: 'public',
        rateLimit: 'auth',
        audit: { action: 'user.register', target: 'user' },
      },
      schema: { tags, summary: 'Seed 003 self-registration (closed unless HARRIER_ALLOW_REGISTRATION)' },
    },
    async (request, reply) => {
      if (!ctx.config.allowRegistration) {
        throw new HarrierError(403, 'registration_closed', 'Registration is closed.');
      }
      const body = (request.body ?? {}) as Record<string, unknown>;
      const errors = drfRequired(body, ['username', 'password']);
      if (
        body.email !== undefined &&
        body.email !== null &&
        body.email !== '' &&
        typeof body.email !== 'string'
      ) {
        errors.email = ['Enter a valid email address.'];
      }
      // A registrant never chooses an elevated role (seed 003 let anyone register as ADMIN).
      if (body.role !== undefined && body.role !== null && body.role !== 'ANALYST') {
        errors.role = ['Self-registration always creates an ANALYST account.'];
      }
      if (Object.keys(errors).length > 0) return drfError(reply, errors);
      const username = (body.username as string).trim();
      const password = body.password as string;
      if (!/^[\w.@+-]{1,150}$/.test(username)) {
        return drfError(reply, {
          username: [
            'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
          ],
        });
      }
      const org = await ctx.organizations.findBySlug(DEFAULT_ORG_SLUG);
      if (!org) throw notFound('organization_not_found', 'No default organization.');
      const email =
        typeof body.email === 'string' && body.email !== ''
          ? body.email.trim().toLowerCase()
          : seedEmail(username, org.slug);
      if (!/^[^\s@]+@[^\s@]+$/.test(email))
        return drfError(reply, { email: ['Enter a valid email address.'] });
      const problem = passwordProblem(password, { username, email });
      if (problem) return drfError(reply, { password: [problem] });
      try {
        const user = await ctx.identity.users.create(org.id, { email, username, password, role: 'analyst' });
        noteAudit(request, {
          actorType: 'user',
          actorId: user.id,
          actorLabel: user.email,
          orgId: org.id,
          targetId: user.id,
        });
        return reply.status(201).send({
          id: user.id,
          username: user.username,
          email: typeof body.email === 'string' ? user.email : '',
          role: seed003RoleName(user.role as Role),
        });
      } catch (error) {
        if (error instanceof HarrierError && error.status === 409) {
          return drfError(reply, { username: ['A user with that username already exists.'] });
        }
        throw error;
      }
    },
  );
  app.post(
    '/api/auth/login/',
    {
      config: {
        ...fastapi,
        auth: 'public',
        rateLimit: 'auth',
        audit: { action: 'auth.login', target: 'user' },
      },
      schema: { tags, summary: 'Seed 003 login → {refresh, access}' },
    },
    async (request, reply) => {
      const errors = drfRequired(request.body, ['username', 'password']);
      if (Object.keys(errors).length > 0) return drfError(reply, errors);
      const body = request.body as { username: string; password: string };
      noteLogin(request, body.username);
      const session = await inSeedWords(
        sessions.login({ username: body.username }, body.password, clientOf(request)),
        'No active account found with the given credentials',
      );
      noteLogin(request, body.username, session);
      return { refresh: session.refreshToken, access: session.accessToken };
    },
  );
  app.post(
    '/api/auth/refresh/',
    {
      config: {
        ...fastapi,
        auth: 'public',
        rateLimit: 'auth',
        audit: { action: 'auth.refresh', target: 'session' },
      },
      schema: { tags, summary: 'Seed 003 refresh → {access, refresh} (rotating)' },
    },
    async (request, reply) => {
      const errors = drfRequired(request.body, ['refresh']);
      if (Object.keys(errors).length > 0) return drfError(reply, errors);
      const token = (request.body as { refresh: string }).refresh;
      try {
        const session = await sessions.refresh(token);
        noteAudit(request, { actorType: 'user', actorId: session.user.id, orgId: session.user.org_id });
        return { access: session.accessToken, refresh: session.refreshToken };
      } catch (error) {
        if (error instanceof HarrierError && error.status === 401) {
          return reply.status(401).send({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
        }
        throw error;
      }
    },
  );

  // Seed 004 (EventSec): e-mail login that also sets the browser cookies; logout revokes.
  app.post(
    '/auth/login',
    {
      config: {
        ...fastapi,
        auth: 'public',
        rateLimit: 'auth',
        audit: { action: 'auth.login', target: 'user' },
      },
      schema: { tags, summary: 'Seed 004 login (sets the session cookies)', body: Seed004Login },
    },
    async (request, reply) => {
      const body = request.body as typeof Seed004Login.static;
      noteLogin(request, body.email);
      const session = await inSeedWords(
        sessions.login({ email: body.email }, body.password, clientOf(request)),
        'Incorrect email or password',
      );
      noteLogin(request, body.email, session);
      setSessionCookies(request, reply, session);
      return {
        access_token: session.accessToken,
        token_type: 'bearer',
        user: presentSeed004Profile(session.user, session.org),
      };
    },
  );
  app.post(
    '/auth/logout',
    {
      config: {
        ...fastapi,
        auth: 'public',
        rateLimit: 'auth',
        audit: { action: 'auth.logout', target: 'session' },
      },
      schema: { tags, summary: 'Seed 004 logout (revokes the session)' },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      await endSession(ctx, request, reply);
      return { detail: 'Logged out' };
    },
  );
}

async function seed000User(ctx: AppContext, orgId: string, id: string): Promise<User> {
  try {
    return await ctx.identity.users.get(orgId, id);
  } catch {
    throw notFound('user_not_found', 'User not found');
  }
}
