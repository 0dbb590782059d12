import { parseInstant } from '@harrier/schema';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { HarrierError } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, PageQuery, page } from '../http/pagination.ts';
import { presentApiToken } from '../presenters/api-token-presenter.ts';
import { can } from '../services/principal.ts';

const tags = ['tokens'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    permissions: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 })),
    expires_at: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object({
  ...PageQuery,
  all: Type.Optional(Type.Boolean({ description: 'Every token of the organization (needs users:manage).' })),
});

/** API tokens for automation: one's own (admins: the organization's). */
export async function tokenRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/tokens',
    {
      config: { permission: 'tokens:manage' },
      schema: { tags, summary: 'List API tokens', querystring: ListQuery },
    },
    async (request) => {
      const q = request.query as typeof ListQuery.static;
      const principal = principalOf(request);
      const limit = q.limit ?? 50;
      const all = q.all === true && can(principal, 'users:manage');
      const rows = await ctx.identity.apiTokens.list(principal, all, decodeCursor(q.cursor), limit + 1);
      return page(rows, limit, presentApiToken);
    },
  );

  app.post(
    '/api/v1/tokens',
    {
      config: { permission: 'tokens:manage', audit: { action: 'token.create', target: 'api_token' } },
      schema: {
        tags,
        summary: 'Create an API token (the secret is shown once)',
        description: 'Permissions default to all of the creator’s; they can never exceed them.',
        body: CreateTokenBody,
      },
    },
    async (request, reply) => {
      const body = request.body as typeof CreateTokenBody.static;
      let expiresAt: number | null = null;
      if (body.expires_in_days !== undefined) expiresAt = Date.now() + body.expires_in_days * 86_400_000;
      else if (body.expires_at) {
        const parsed = parseInstant(body.expires_at);
        if (parsed === undefined)
          throw new HarrierError(422, 'invalid_expiry', 'expires_at is not a timestamp.');
        expiresAt = parsed;
      }
      const { token, record } = await ctx.identity.apiTokens.create(principalOf(request), {
        name: body.name,
        permissions: body.permissions,
        expiresAt,
      });
      noteAudit(request, { targetId: record.id, details: { permissions: body.permissions ?? 'all' } });
      return reply.status(201).send({ ...presentApiToken(record), token });
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { permission: 'tokens:manage', audit: { action: 'token.revoke', target: 'api_token' } },
      schema: { tags, summary: 'Revoke an API token', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const principal = principalOf(request);
      return presentApiToken(
        await ctx.identity.apiTokens.revoke(principal, can(principal, 'users:manage'), id),
      );
    },
  );
}
