import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { principalOf } from '../http/authentication.ts';
import { presentWorkGroup } from '../presenters/work-group-presenter.ts';

const tags = ['work-groups'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Members = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 500 });
const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' }),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    lead_user_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
    member_ids: Type.Optional(Members),
  },
  { additionalProperties: false },
);
const UpdateBody = Type.Partial(CreateBody, { additionalProperties: false });

/** `/api/v1/work-groups`: teams alerts are assigned and escalated to (name, members, lead). */
export async function workGroupRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const groups = ctx.triage.workGroups;
  const input = (b: typeof UpdateBody.static) => ({
    name: b.name,
    description: b.description,
    leadUserId: b.lead_user_id,
    memberIds: b.member_ids,
  });

  app.get(
    '/api/v1/work-groups',
    { config: { permission: 'alerts:read' }, schema: { tags, summary: 'Work groups with members and lead' } },
    async (request) => ({ items: (await groups.list(principalOf(request).orgId)).map(presentWorkGroup) }),
  );

  app.post(
    '/api/v1/work-groups',
    {
      config: {
        permission: 'workgroups:manage',
        audit: { action: 'workgroup.create', target: 'work_group' },
      },
      schema: { tags, summary: 'Create a work group', body: CreateBody },
    },
    async (request, reply) => {
      const b = request.body as typeof CreateBody.static;
      const g = await groups.create(principalOf(request).orgId, { ...input(b), name: b.name });
      return reply.status(201).send(presentWorkGroup(g));
    },
  );

  app.get(
    '/api/v1/work-groups/:id',
    { config: { permission: 'alerts:read' }, schema: { tags, summary: 'A work group', params: IdParams } },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentWorkGroup(await groups.get(principalOf(request).orgId, id));
    },
  );

  app.patch(
    '/api/v1/work-groups/:id',
    {
      config: {
        permission: 'workgroups:manage',
        audit: { action: 'workgroup.update', target: 'work_group' },
      },
      schema: {
        tags,
        summary: 'Rename, describe, change the lead or replace the members of a work group',
        params: IdParams,
        body: UpdateBody,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const b = request.body as typeof UpdateBody.static;
      return presentWorkGroup(await groups.update(principalOf(request).orgId, id, input(b)));
    },
  );

  app.delete(
    '/api/v1/work-groups/:id',
    {
      config: {
        permission: 'workgroups:manage',
        audit: { action: 'workgroup.delete', target: 'work_group' },
      },
      schema: { tags, summary: 'Delete a work group', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      await groups.delete(principalOf(request).orgId, id);
      return reply.status(204).send();
    },
  );
}
