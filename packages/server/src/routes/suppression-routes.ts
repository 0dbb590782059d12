import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, PageQuery, page } from '../http/pagination.ts';
import { presentSuppression } from '../presenters/suppression-presenter.ts';

const tags = ['rules'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Conditions = Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.Unknown(), {
  maxProperties: 32,
  description: 'Event field → value or list of values (case-insensitive, `*` wildcards); all must hold.',
});
const Expiry = Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()]));

const CreateBody = Type.Object(
  {
    rule_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()])),
    conditions: Type.Optional(Conditions),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    expires_at: Expiry,
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    rule_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()])),
    conditions: Type.Optional(Conditions),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    expires_at: Expiry,
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object({ ...PageQuery, rule_id: Type.Optional(Type.String({ maxLength: 256 })) });

/** Suppressions: exceptions applied before an alert is raised. */
export async function suppressionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const suppressions = ctx.detection.suppressions;

  app.get(
    '/api/v1/suppressions',
    {
      config: { permission: 'rules:read' },
      schema: { tags, summary: 'List suppressions', querystring: ListQuery },
    },
    async (request) => {
      const q = request.query as typeof ListQuery.static;
      const limit = q.limit ?? 50;
      const rows = await suppressions.list(principalOf(request).orgId, {
        ruleUid: q.rule_id,
        after: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      return page(rows, limit, presentSuppression);
    },
  );

  app.post(
    '/api/v1/suppressions',
    {
      config: { permission: 'rules:write', audit: { action: 'suppression.create', target: 'suppression' } },
      schema: { tags, summary: 'Create a suppression', body: CreateBody },
    },
    async (request, reply) => {
      const body = request.body as typeof CreateBody.static;
      const p = principalOf(request);
      const row = await suppressions.create(p.orgId, p.userId, body);
      noteAudit(request, { targetId: row.id });
      return reply.status(201).send(presentSuppression(row));
    },
  );

  app.get(
    '/api/v1/suppressions/:id',
    { config: { permission: 'rules:read' }, schema: { tags, summary: 'A suppression', params: IdParams } },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentSuppression(await suppressions.get(principalOf(request).orgId, id));
    },
  );

  app.patch(
    '/api/v1/suppressions/:id',
    {
      config: { permission: 'rules:write', audit: { action: 'suppression.update', target: 'suppression' } },
      schema: { tags, summary: 'Change a suppression', params: IdParams, body: PatchBody },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const body = request.body as typeof PatchBody.static;
      return presentSuppression(await suppressions.update(principalOf(request).orgId, id, body));
    },
  );

  app.delete(
    '/api/v1/suppressions/:id',
    {
      config: { permission: 'rules:write', audit: { action: 'suppression.delete', target: 'suppression' } },
      schema: { tags, summary: 'Delete a suppression', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      await suppressions.delete(principalOf(request).orgId, id);
      return reply.status(204).send();
    },
  );
}
