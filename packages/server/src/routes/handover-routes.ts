import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, PageQuery, page } from '../http/pagination.ts';
import { InstantParam, instantParam } from '../http/time-params.ts';
import { presentHandover } from '../presenters/handover-presenter.ts';

const tags = ['cases'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' });
const HandoverCreate = Type.Object(
  {
    notes: Type.String({ minLength: 1, maxLength: 20_000 }),
    recipients: Type.Optional(Type.Array(Email, { maxItems: 50 })),
    shift_start: Type.Optional(InstantParam),
    shift_end: Type.Optional(InstantParam),
  },
  { additionalProperties: false },
);

/** Shift handovers (seed 004): the open work of a shift, e-mailed to the next shift and kept. */
export async function handoverRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const handovers = ctx.cases.handovers;

  app.get(
    '/api/v1/handovers',
    {
      config: { permission: 'cases:read' },
      schema: { tags, summary: 'Handover history, newest first', querystring: Type.Object({ ...PageQuery }) },
    },
    async (request) => {
      const q = request.query as { cursor?: string; limit?: number };
      const limit = q.limit ?? 50;
      const rows = await handovers.list(principalOf(request).orgId, decodeCursor(q.cursor), limit + 1);
      return page(rows, limit, presentHandover);
    },
  );

  app.post(
    '/api/v1/handovers',
    {
      config: { permission: 'cases:write', audit: { action: 'handover.create', target: 'handover' } },
      schema: {
        tags,
        summary: 'Write a handover: the open alerts and cases are taken now; recipients get it by e-mail',
        body: HandoverCreate,
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const body = request.body as typeof HandoverCreate.static;
      const row = await handovers.create(
        p.orgId,
        { id: p.userId, email: p.email },
        {
          notes: body.notes,
          recipients: body.recipients,
          shift_start: instantParam(body.shift_start, 'shift_start'),
          shift_end: instantParam(body.shift_end, 'shift_end'),
        },
      );
      noteAudit(request, { targetId: row.id, details: { delivery: row.delivery_status } });
      return reply.status(201).send(presentHandover(row));
    },
  );

  app.get(
    '/api/v1/handovers/:id',
    { config: { permission: 'cases:read' }, schema: { tags, summary: 'One handover', params: IdParams } },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentHandover(await handovers.get(principalOf(request).orgId, id));
    },
  );

  app.post(
    '/api/v1/handovers/:id/send',
    {
      config: { permission: 'cases:write', audit: { action: 'handover.send', target: 'handover' } },
      schema: { tags, summary: 'Send the handover e-mail again (after a failed delivery)', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const p = principalOf(request);
      return presentHandover(await handovers.send(p.orgId, id, p.email));
    },
  );
}
