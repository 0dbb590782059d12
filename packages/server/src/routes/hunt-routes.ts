import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, PageQuery, page } from '../http/pagination.ts';
import { InstantParam, timeRangeParams } from '../http/time-params.ts';
import { presentHistoryEntry, presentHuntResult } from '../presenters/hunt-presenter.ts';
import { type ExportFormat, exportStream } from '../services/result-export.ts';

const HuntBody = Type.Object(
  {
    query: Type.String({ minLength: 1, maxLength: 20_000, description: 'Hunting query (KQL-style pipes)' }),
    from: Type.Optional(InstantParam),
    to: Type.Optional(InstantParam),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'Most rows returned' })),
    bucket_ms: Type.Optional(Type.Integer({ minimum: 1000, description: 'Histogram bucket size' })),
    histogram: Type.Optional(Type.Boolean({ description: 'Default true' })),
  },
  { additionalProperties: false },
);

const ExportBody = Type.Object(
  {
    query: Type.String({ minLength: 1, maxLength: 20_000 }),
    from: Type.Optional(InstantParam),
    to: Type.Optional(InstantParam),
    format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')])),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100_000, description: 'Row cap of the export' }),
    ),
  },
  { additionalProperties: false },
);

/** Audit details of a hunt: the query (shortened), never its results. */
const auditQuery = (query: string) => ({ details: { query: query.slice(0, 500) } });

/**
 * Hunting: run a query (rows, histogram, statistics), export its results, the caller's
 * history and the schema the console's editor completes from. Every query is scoped to the
 * caller's organization by the service; nothing in the request chooses it.
 */
export async function huntRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const hunts = ctx.hunting.hunts;

  app.post(
    '/api/v1/hunt',
    {
      config: { permission: 'events:read' },
      schema: {
        tags: ['hunting'],
        summary: 'Run a hunting query: columns, rows, a histogram over time, statistics, elapsed ms',
        body: HuntBody,
      },
    },
    async (request) => {
      const body = request.body as typeof HuntBody.static;
      const p = principalOf(request);
      noteAudit(request, auditQuery(body.query));
      const range = timeRangeParams(body.from, body.to);
      const result = await hunts.hunt(
        { orgId: p.orgId, userId: p.userId },
        {
          query: body.query,
          ...range,
          limit: body.limit,
          bucketMs: body.bucket_ms,
          histogram: body.histogram,
        },
      );
      return presentHuntResult(result);
    },
  );

  app.post(
    '/api/v1/hunt/export',
    {
      config: { permission: 'events:read' },
      schema: {
        tags: ['hunting'],
        summary: 'Run a hunting query and stream its rows as CSV or JSON (row cap 100 000)',
        body: ExportBody,
      },
    },
    async (request, reply) => {
      const body = request.body as typeof ExportBody.static;
      const p = principalOf(request);
      noteAudit(request, auditQuery(body.query));
      const range = timeRangeParams(body.from, body.to);
      const result = await hunts.hunt(
        { orgId: p.orgId, userId: p.userId },
        { query: body.query, ...range, limit: body.limit, histogram: false },
        'export',
      );
      const format: ExportFormat = body.format ?? 'csv';
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return reply
        .header(
          'content-type',
          format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        )
        .header('content-disposition', `attachment; filename="hunt-${stamp}.${format}"`)
        .header('x-harrier-row-count', String(result.rows.length))
        .header('x-harrier-truncated', String(result.truncated))
        .send(exportStream(format, result.columns, result.rows));
    },
  );

  app.get(
    '/api/v1/hunt/schema',
    {
      config: { permission: 'events:read' },
      schema: { tags: ['hunting'], summary: 'Tables and columns a hunt may read (for completion)' },
    },
    async () => ({ tables: await hunts.describe() }),
  );

  app.get(
    '/api/v1/hunt/history',
    {
      config: { permission: 'events:read' },
      schema: {
        tags: ['hunting'],
        summary: "The caller's recent queries, newest first",
        querystring: Type.Object(PageQuery),
      },
    },
    async (request) => {
      const q = request.query as { cursor?: string; limit?: number };
      const p = principalOf(request);
      const limit = q.limit ?? 50;
      const rows = await hunts.recent(
        { orgId: p.orgId, userId: p.userId },
        decodeCursor(q.cursor),
        limit + 1,
      );
      return page(rows, limit, presentHistoryEntry);
    },
  );

  app.delete(
    '/api/v1/hunt/history',
    {
      config: { permission: 'events:read' },
      schema: { tags: ['hunting'], summary: "Clear the caller's query history" },
    },
    async (request) => {
      const p = principalOf(request);
      return { deleted: await hunts.clearRecent({ orgId: p.orgId, userId: p.userId }) };
    },
  );
}
