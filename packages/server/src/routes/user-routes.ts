import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, PageQuery, page } from '../http/pagination.ts';
import { presentUser, UserView } from '../presenters/user-presenter.ts';
import { ROLES } from '../services/permissions.ts';

const tags = ['users'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const nullableText = (max: number) =>
  Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));

const Profile = {
  display_name: Type.Optional(Type.String({ maxLength: 200 })),
  team: nullableText(200),
  manager: nullableText(200),
  phone: nullableText(64),
  computer: nullableText(200),
};

const CreateUserBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+$' }),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 150, pattern: '^[^\\s]+$' })),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    role: RoleSchema,
    ...Profile,
  },
  { additionalProperties: false },
);

const UpdateUserBody = Type.Object(
  {
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+$' })),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 150, pattern: '^[^\\s]+$' })),
    role: Type.Optional(RoleSchema),
    ...Profile,
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object({
  ...PageQuery,
  role: Type.Optional(RoleSchema),
  disabled: Type.Optional(Type.Boolean()),
  q: Type.Optional(Type.String({ maxLength: 200 })),
});

const ResetBody = Type.Object(
  { password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })) },
  { additionalProperties: false },
);

/** Users of the caller's organization (admins manage; team leads read). */
export async function userRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const users = ctx.identity.users;

  app.get(
    '/api/v1/users',
    {
      config: { permission: 'users:read' },
      schema: { tags, summary: 'List users', querystring: ListQuery },
    },
    async (request) => {
      const q = request.query as typeof ListQuery.static;
      const limit = q.limit ?? 50;
      const rows = await users.list({
        orgId: principalOf(request).orgId,
        role: q.role,
        disabled: q.disabled,
        search: q.q,
        after: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      return page(rows, limit, presentUser);
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: { permission: 'users:manage', audit: { action: 'user.create', target: 'user' } },
      schema: { tags, summary: 'Create a user', body: CreateUserBody, response: { 201: UserView } },
    },
    async (request, reply) => {
      const body = request.body as typeof CreateUserBody.static;
      const user = await users.create(principalOf(request).orgId, body);
      noteAudit(request, { targetId: user.id, details: { role: user.role } });
      return reply.status(201).send(presentUser(user));
    },
  );

  app.get(
    '/api/v1/users/:id',
    { config: { permission: 'users:read' }, schema: { tags, summary: 'A user', params: IdParams } },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentUser(await users.get(principalOf(request).orgId, id));
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { permission: 'users:manage', audit: { action: 'user.update', target: 'user' } },
      schema: {
        tags,
        summary: 'Change a user’s profile, e-mail or role',
        params: IdParams,
        body: UpdateUserBody,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const body = request.body as typeof UpdateUserBody.static;
      const principal = principalOf(request);
      noteAudit(request, { details: { fields: Object.keys(body) } });
      return presentUser(await users.update(principal.orgId, principal.userId, id, body));
    },
  );

  app.delete(
    '/api/v1/users/:id',
    {
      config: { permission: 'users:manage', audit: { action: 'user.delete', target: 'user' } },
      schema: { tags, summary: 'Delete a user and their API tokens', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const principal = principalOf(request);
      await users.delete(principal.orgId, principal.userId, id);
      return reply.status(204).send();
    },
  );

  for (const [suffix, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/api/v1/users/:id/${suffix}`,
      {
        config: { permission: 'users:manage', audit: { action: `user.${suffix}`, target: 'user' } },
        schema: {
          tags,
          summary: disabled ? 'Disable a user (their sessions end at once)' : 'Re-enable a user',
          params: IdParams,
        },
      },
      async (request) => {
        const { id } = request.params as typeof IdParams.static;
        const principal = principalOf(request);
        return presentUser(await users.setDisabled(principal.orgId, principal.userId, id, disabled));
      },
    );
  }

  app.post(
    '/api/v1/users/:id/reset-password',
    {
      config: { permission: 'users:manage', audit: { action: 'user.password.reset', target: 'user' } },
      schema: {
        tags,
        summary: 'Set a user’s password (generated and shown once when none is given)',
        params: IdParams,
        body: ResetBody,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const body = (request.body ?? {}) as typeof ResetBody.static;
      const { user, password } = await users.resetPassword(principalOf(request).orgId, id, body.password);
      return { user: presentUser(user), ...(password ? { password } : {}) };
    },
  );
}
