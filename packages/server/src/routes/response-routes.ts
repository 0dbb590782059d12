import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, encodeCursor } from '../http/pagination.ts';
import { presentAction } from '../presenters/response-action-presenter.ts';
import { RESPONSE_ACTION_TYPES } from '../services/policy-document.ts';
import { MAX_ACTION_TTL_S } from '../services/response-service.ts';

const tags = ['response'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const QueueBody = Type.Object(
  {
    type: Type.Union(RESPONSE_ACTION_TYPES.map((t) => Type.Literal(t))),
    params: Type.Optional(Type.Object({}, { additionalProperties: true, maxProperties: 32 })),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    expires_in_s: Type.Optional(Type.Integer({ minimum: 10, maximum: MAX_ACTION_TTL_S })),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object({
  device_id: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(Type.String({ maxLength: 32 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});
const Settings = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });

/** Response actions (seed 004): queue per device, list, cancel; the organization's response switch. */
export async function responseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const responses = ctx.management.responses;

  app.post(
    '/api/v1/devices/:id/actions',
    {
      config: { permission: 'response:execute', audit: { action: 'response.queue', target: 'device' } },
      schema: {
        tags,
        summary: 'Queue a response action for a device',
        description:
          'Allowed when response is on for the organization and the device’s effective policy allows the type; ' +
          '`run_command` only for programs on the policy’s approved list.',
        params: IdParams,
        body: QueueBody,
      },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const p = principalOf(request);
      const body = request.body as typeof QueueBody.static;
      const row = await responses.queue(p.orgId, p.userId, id, body);
      noteAudit(request, { details: { action_id: row.id, type: row.type } });
      return reply.status(201).send(presentAction(row));
    },
  );

  const list = async (orgId: string, q: typeof ListQuery.static, deviceId?: string) => {
    const limit = q.limit ?? 50;
    const rows = await responses.list(orgId, {
      deviceId: deviceId ?? q.device_id,
      status: q.status,
      before: decodeCursor(q.cursor),
      limit,
    });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(presentAction),
      next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
    };
  };

  app.get(
    '/api/v1/devices/:id/actions',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags,
        summary: 'Response actions of a device, newest first',
        params: IdParams,
        querystring: ListQuery,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const orgId = principalOf(request).orgId;
      await ctx.management.fleet.get(orgId, id);
      return list(orgId, request.query as typeof ListQuery.static, id);
    },
  );

  app.get(
    '/api/v1/response-actions',
    {
      config: { permission: 'devices:read' },
      schema: { tags, summary: 'Response actions, newest first', querystring: ListQuery },
    },
    async (request) => list(principalOf(request).orgId, request.query as typeof ListQuery.static),
  );

  app.get(
    '/api/v1/response-actions/:id',
    {
      config: { permission: 'devices:read' },
      schema: { tags, summary: 'One response action', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentAction(await responses.get(principalOf(request).orgId, id));
    },
  );

  app.post(
    '/api/v1/response-actions/:id/cancel',
    {
      config: {
        permission: 'response:execute',
        audit: { action: 'response.cancel', target: 'response_action' },
      },
      schema: { tags, summary: 'Cancel an action its agent has not completed', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentAction(await responses.cancel(principalOf(request).orgId, id));
    },
  );

  app.get(
    '/api/v1/response/settings',
    {
      config: { permission: 'devices:read' },
      schema: { tags, summary: 'Whether response actions are on for the organization' },
    },
    async (request) => ({ enabled: await responses.responseEnabled(principalOf(request).orgId) }),
  );

  app.put(
    '/api/v1/response/settings',
    {
      config: {
        permission: 'response:manage',
        audit: { action: 'response.settings', target: 'organization' },
      },
      schema: {
        tags,
        summary: 'Turn response actions on or off (off cancels every open action)',
        body: Settings,
      },
    },
    async (request) => {
      const orgId = principalOf(request).orgId;
      const { enabled } = request.body as typeof Settings.static;
      const { cancelled } = await responses.setResponseEnabled(orgId, enabled);
      noteAudit(request, { targetId: orgId, details: { enabled, cancelled } });
      return { enabled, cancelled };
    },
  );
}
