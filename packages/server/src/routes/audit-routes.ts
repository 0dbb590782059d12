import { parseInstant } from '@harrier/schema';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, PageQuery, page } from '../http/pagination.ts';
import { presentAuditRecord } from '../presenters/audit-presenter.ts';

const AuditQuery = Type.Object({
  ...PageQuery,
  actor_id: Type.Optional(Type.String({ maxLength: 64 })),
  action: Type.Optional(Type.String({ maxLength: 200 })),
  target_type: Type.Optional(Type.String({ maxLength: 64 })),
  target_id: Type.Optional(Type.String({ maxLength: 256 })),
  outcome: Type.Optional(
    Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')]),
  ),
  since: Type.Optional(Type.String({ maxLength: 64 })),
  until: Type.Optional(Type.String({ maxLength: 64 })),
});

function instant(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = parseInstant(value);
  if (ms === undefined) throw badRequest('invalid_time', `${name} is not a timestamp.`);
  return ms;
}

/** The audit log of the caller's organization, newest first. Read-only: no route changes a record. */
export async function auditRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit records with filters and cursor pagination',
        querystring: AuditQuery,
      },
    },
    async (request) => {
      const q = request.query as typeof AuditQuery.static;
      const limit = q.limit ?? 50;
      const rows = await ctx.identity.audit.list({
        orgId: principalOf(request).orgId,
        actorId: q.actor_id,
        action: q.action,
        targetType: q.target_type,
        targetId: q.target_id,
        outcome: q.outcome,
        since: instant(q.since, 'since'),
        until: instant(q.until, 'until'),
        before: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      return page(rows, limit, presentAuditRecord);
    },
  );
}
