import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { forbidden, notFound, unauthorized } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf, resolvePrincipal } from '../http/authentication.ts';
import { clearSessionCookies, REFRESH_COOKIE, requestCookie, setSessionCookies } from '../http/cookies.ts';
import { assertCsrf } from '../http/csrf.ts';
import { validateOrThrow } from '../http/validation.ts';
import { presentMe } from '../presenters/user-presenter.ts';
import { permissionMatrix, permissionsFor, type Role } from '../services/permissions.ts';
import type { IssuedSession } from '../services/session-service.ts';

const tags = ['auth'];

const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

const RefreshBody = Type.Object(
  { refresh_token: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })) },
  { additionalProperties: false },
);

const PasswordBody = Type.Object(
  {
    current_password: Type.String({ minLength: 1, maxLength: 1024 }),
    new_password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

/** The optional `{refresh_token}` body of refresh and logout (clients may send none). */
function optionalBody(request: FastifyRequest): typeof RefreshBody.static {
  if (request.body === undefined || request.body === null) return {};
  return validateOrThrow(RefreshBody, request.body);
}

/** The session response of login and refresh (and the cookies that carry the same tokens). */
export function presentSession(s: IssuedSession) {
  return {
    access_token: s.accessToken,
    refresh_token: s.refreshToken,
    token_type: 'bearer' as const,
    expires_in: s.expiresIn,
    csrf_token: s.csrfToken,
    user: presentMe(s.user, s.org, {
      kind: 'user',
      permissions: permissionsFor(s.user.role as Role, s.user.is_instance_admin === 1),
      tokenId: undefined,
      isInstanceAdmin: s.user.is_instance_admin === 1,
    }),
  };
}

/** Client facts for sessions and the audit log. */
export function clientOf(request: FastifyRequest) {
  const ua = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof ua === 'string' ? ua : undefined };
}

/** Notes a login attempt for the audit record (the e-mail tried, never the password). */
export function noteLogin(request: FastifyRequest, label: string, session?: IssuedSession) {
  noteAudit(request, {
    actorType: session ? 'user' : 'anonymous',
    actorLabel: label.slice(0, 320),
    ...(session ? { actorId: session.user.id, orgId: session.user.org_id, targetId: session.user.id } : {}),
  });
}

/**
 * Ends the session of the caller: the access token's session, else the one
 * named by a refresh token (body or cookie). Cookie callers must pass CSRF.
 */
export async function endSession(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  bodyToken?: string,
) {
  const principal = await resolvePrincipal(ctx, request).catch(() => undefined);
  const cookieToken = requestCookie(request, REFRESH_COOKIE);
  if (principal?.via === 'cookie' || (!principal && !bodyToken && cookieToken)) {
    assertCsrf(
      request,
      principal?.sessionId ? ctx.identity.sessions.csrfToken(principal.sessionId) : undefined,
    );
  }
  if (principal?.sessionId) {
    request.principal = principal;
    await ctx.identity.sessions.logout(principal.sessionId);
  } else {
    const token = bodyToken ?? cookieToken;
    const userId = token ? await ctx.identity.sessions.logoutByRefreshToken(token) : undefined;
    if (userId) noteAudit(request, { actorType: 'user', actorId: userId, targetId: userId });
  }
  clearSessionCookies(request, reply);
}

/** Native sessions: login, refresh, logout, me, password change, and the permission matrix. */
export async function authRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post(
    '/api/v1/auth/login',
    {
      config: { auth: 'public', rateLimit: 'auth', audit: { action: 'auth.login', target: 'user' } },
      schema: { tags, summary: 'Sign in with e-mail and password', body: LoginBody },
    },
    async (request, reply) => {
      const body = request.body as typeof LoginBody.static;
      noteLogin(request, body.email);
      const session = await ctx.identity.sessions.login(
        { email: body.email },
        body.password,
        clientOf(request),
      );
      noteLogin(request, body.email, session);
      setSessionCookies(request, reply, session);
      return presentSession(session);
    },
  );

  app.post(
    '/api/v1/auth/refresh',
    {
      config: { auth: 'public', rateLimit: 'auth', audit: { action: 'auth.refresh', target: 'session' } },
      schema: {
        tags,
        summary: 'Rotate a refresh token (body or cookie); reusing one revokes its session',
        description:
          'Body `{refresh_token}` (optional: without it the refresh cookie is used, with X-CSRF-Token).',
      },
    },
    async (request, reply) => {
      const body = optionalBody(request);
      let token = body.refresh_token;
      if (token === undefined) {
        token = requestCookie(request, REFRESH_COOKIE);
        if (token === undefined)
          throw unauthorized('invalid_refresh_token', 'Send refresh_token or the refresh cookie.');
        assertCsrf(request);
      }
      const session = await ctx.identity.sessions.refresh(token);
      noteAudit(request, {
        actorType: 'user',
        actorId: session.user.id,
        actorLabel: session.user.email,
        orgId: session.user.org_id,
        targetId: session.sessionId,
      });
      setSessionCookies(request, reply, session);
      return presentSession(session);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { auth: 'public', rateLimit: 'auth', audit: { action: 'auth.logout', target: 'session' } },
      schema: { tags, summary: 'End the session (access token, refresh token or cookies)' },
    },
    async (request, reply) => {
      const body = optionalBody(request);
      await endSession(ctx, request, reply, body.refresh_token);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'The signed-in user, organization and permissions' },
    },
    async (request) => {
      const principal = principalOf(request);
      const user = await ctx.identity.users.get(principal.orgId, principal.userId);
      const org = await ctx.identity.organizations.findById(principal.orgId);
      if (!org) throw notFound('organization_not_found', 'No such organization.');
      return presentMe(user, org, principal);
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { auth: 'authenticated', audit: { action: 'user.password.change', target: 'user' } },
      schema: { tags, summary: 'Change one’s own password (other sessions end)', body: PasswordBody },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') throw forbidden('forbidden', 'An API token cannot change a password.');
      const body = request.body as typeof PasswordBody.static;
      noteAudit(request, { targetId: principal.userId });
      await ctx.identity.users.changeOwnPassword(
        principal.orgId,
        principal.userId,
        body.current_password,
        body.new_password,
        principal.sessionId,
      );
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/permissions',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Roles and their permissions' } },
    async () => permissionMatrix(),
  );
}
