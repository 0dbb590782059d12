import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { presentDetector } from '../presenters/detector-presenter.ts';

const tags = ['policies'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Params = Type.Object({}, { additionalProperties: true, maxProperties: 200 });
const RulePacks = Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 });
const Description = Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]);
const DetectorCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    description: Type.Optional(Description),
    params: Type.Optional(Params),
    rule_packs: Type.Optional(RulePacks),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const DetectorPatch = Type.Partial(DetectorCreate, { additionalProperties: false });

/** Detector configurations (seed 000): named parameter sets with an enabled flag and a version. */
export async function detectorRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const detectors = ctx.management.detectors;

  app.get(
    '/api/v1/detectors',
    { config: { permission: 'policies:read' }, schema: { tags, summary: 'List detector configurations' } },
    async (request) => ({ items: (await detectors.list(principalOf(request).orgId)).map(presentDetector) }),
  );

  app.post(
    '/api/v1/detectors',
    {
      config: { permission: 'policies:write', audit: { action: 'detector.create', target: 'detector' } },
      schema: { tags, summary: 'Create a detector configuration', body: DetectorCreate },
    },
    async (request, reply) => {
      const row = await detectors.create(
        principalOf(request).orgId,
        request.body as typeof DetectorCreate.static,
      );
      noteAudit(request, { targetId: row.id });
      return reply.status(201).send(presentDetector(row));
    },
  );

  app.get(
    '/api/v1/detectors/:id',
    {
      config: { permission: 'policies:read' },
      schema: { tags, summary: 'One detector configuration', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentDetector(await detectors.get(principalOf(request).orgId, id));
    },
  );

  app.patch(
    '/api/v1/detectors/:id',
    {
      config: { permission: 'policies:write', audit: { action: 'detector.update', target: 'detector' } },
      schema: {
        tags,
        summary: 'Change a detector configuration (new params or rule packs: a new version)',
        params: IdParams,
        body: DetectorPatch,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentDetector(
        await detectors.update(principalOf(request).orgId, id, request.body as typeof DetectorPatch.static),
      );
    },
  );

  app.delete(
    '/api/v1/detectors/:id',
    {
      config: { permission: 'policies:write', audit: { action: 'detector.delete', target: 'detector' } },
      schema: { tags, summary: 'Delete a detector configuration', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      await detectors.delete(principalOf(request).orgId, id);
      return reply.status(204).send();
    },
  );
}
