import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { presentAssignment, presentPolicy, presentPolicyVersion } from '../presenters/policy-presenter.ts';
import { TARGET_TYPES } from '../services/policy-service.ts';

const tags = ['policies'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Description = Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]);
// The document is validated by the service against PolicyDocument (one schema, one error shape).
const Document = Type.Object({}, { additionalProperties: true });

const PolicyCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean()),
    document: Type.Optional(Document),
  },
  { additionalProperties: false },
);
const PolicyPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean()),
    document: Type.Optional(Document),
  },
  { additionalProperties: false },
);
const AssignmentCreate = Type.Object(
  {
    policy_id: Type.String({ minLength: 1, maxLength: 64 }),
    target_type: Type.Union(TARGET_TYPES.map((t) => Type.Literal(t))),
    target_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
const AssignmentPatch = Type.Object(
  {
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    status: Type.Optional(
      Type.Union([Type.Literal('applied'), Type.Literal('pending'), Type.Literal('failed')]),
    ),
  },
  { additionalProperties: false },
);

/** Versioned agent policies, assignments, and a device's effective configuration (as its agent gets it). */
export async function policyRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const policies = ctx.management.policies;

  app.get(
    '/api/v1/policies',
    { config: { permission: 'policies:read' }, schema: { tags, summary: 'List policies' } },
    async (request) => ({
      items: (await policies.list(principalOf(request).orgId)).map(presentPolicy),
    }),
  );

  app.post(
    '/api/v1/policies',
    {
      config: { permission: 'policies:write', audit: { action: 'policy.create', target: 'policy' } },
      schema: { tags, summary: 'Create a policy (version 1)', body: PolicyCreate },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const row = await policies.create(p.orgId, p.userId, request.body as typeof PolicyCreate.static);
      noteAudit(request, { targetId: row.id });
      return reply.status(201).send(presentPolicy(row));
    },
  );

  app.get(
    '/api/v1/policies/:id',
    { config: { permission: 'policies:read' }, schema: { tags, summary: 'One policy', params: IdParams } },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentPolicy(await policies.get(principalOf(request).orgId, id));
    },
  );

  app.patch(
    '/api/v1/policies/:id',
    {
      config: { permission: 'policies:write', audit: { action: 'policy.update', target: 'policy' } },
      schema: {
        tags,
        summary: 'Change a policy; a new document is a new version',
        params: IdParams,
        body: PolicyPatch,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const p = principalOf(request);
      return presentPolicy(
        await policies.update(p.orgId, p.userId, id, request.body as typeof PolicyPatch.static),
      );
    },
  );

  app.delete(
    '/api/v1/policies/:id',
    {
      config: { permission: 'policies:write', audit: { action: 'policy.delete', target: 'policy' } },
      schema: { tags, summary: 'Delete a policy and its assignments', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      await policies.delete(principalOf(request).orgId, id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/policies/:id/versions',
    {
      config: { permission: 'policies:read' },
      schema: { tags, summary: 'Every version of a policy', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return { items: (await policies.versions(principalOf(request).orgId, id)).map(presentPolicyVersion) };
    },
  );

  const AssignmentQuery = Type.Object({ policy_id: Type.Optional(Type.String({ maxLength: 64 })) });
  app.get(
    '/api/v1/policy-assignments',
    {
      config: { permission: 'policies:read' },
      schema: { tags, summary: 'List assignments', querystring: AssignmentQuery },
    },
    async (request) => {
      const q = request.query as typeof AssignmentQuery.static;
      return {
        items: (await policies.listAssignments(principalOf(request).orgId, q.policy_id)).map(
          presentAssignment,
        ),
      };
    },
  );

  app.post(
    '/api/v1/policy-assignments',
    {
      config: {
        permission: 'policies:write',
        audit: { action: 'policy.assign', target: 'policy_assignment' },
      },
      schema: {
        tags,
        summary: 'Assign a policy to the organization, a device group or a device',
        description:
          'Precedence: organization < group < device; inside a level a higher priority wins (default 100).',
        body: AssignmentCreate,
      },
    },
    async (request, reply) => {
      const row = await policies.assign(
        principalOf(request).orgId,
        request.body as typeof AssignmentCreate.static,
      );
      noteAudit(request, { targetId: row.id });
      return reply.status(201).send(presentAssignment(row));
    },
  );

  app.patch(
    '/api/v1/policy-assignments/:id',
    {
      config: {
        permission: 'policies:write',
        audit: { action: 'policy.assignment_update', target: 'policy_assignment' },
      },
      schema: { tags, summary: 'Change priority or status', params: IdParams, body: AssignmentPatch },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentAssignment(
        await policies.updateAssignment(
          principalOf(request).orgId,
          id,
          request.body as typeof AssignmentPatch.static,
        ),
      );
    },
  );

  app.delete(
    '/api/v1/policy-assignments/:id',
    {
      config: {
        permission: 'policies:write',
        audit: { action: 'policy.unassign', target: 'policy_assignment' },
      },
      schema: { tags, summary: 'Remove an assignment', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      await policies.unassign(principalOf(request).orgId, id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/devices/:id/config',
    {
      config: { permission: 'policies:read' },
      schema: {
        tags,
        summary: 'The effective configuration of a device, as its agent receives it',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const effective = await policies.effective(principalOf(request).orgId, id);
      reply.header('etag', effective.etag);
      return effective.body;
    },
  );
}
