import { decodeRowObjects } from '@harrier/query';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { HarrierError } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { presentExplorerEvent } from '../presenters/event-presenter.ts';
import { presentKqlResult } from '../presenters/hunt-presenter.ts';

const KqlBody = Type.Object({
  query: Type.String({ minLength: 1, maxLength: 5000 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
});

const EventsQuery = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 4000, description: 'Lucene-style quick filter' })),
  severity: Type.Optional(Type.String({ maxLength: 32 })),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

/** A quick-filter value quoted so it matches as one phrase. */
const phrase = (value: string) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/**
 * Seed 004's search routes over the hunting engine instead of OpenSearch.
 *
 * `GET /events?query=&severity=&size=` (the events explorer, CONTRACTS.md §5.6) answers
 * `[IndexedEvent{event_id, agent_id, event_type, severity, category, timestamp, message, details}]`,
 * newest first; a bad filter is a 400 with its position instead of the seed's 500.
 *
 * Seed 004's KQL workbench (`POST /search/kql`, CONTRACTS.md §5.6) over the hunting engine
 * instead of OpenSearch: `{query, index, took_ms, total, hits, fields}`; errors as
 * `{"detail":{"error_type","message"}}` — 404 for an unknown table, 400 for the rest — plus
 * the position the seed never gave. Unlike the seed, the caller's organization scopes it.
 */
export async function seedSearchRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/events',
    {
      config: { permission: 'events:read', errorShape: 'fastapi' },
      schema: { tags: ['seed-compat'], summary: 'EventSec events search', querystring: EventsQuery },
    },
    async (request) => {
      const q = request.query as typeof EventsQuery.static;
      const parts = [
        q.query?.trim() ? `(${q.query})` : '',
        q.severity ? `Severity:${phrase(q.severity)}` : '',
      ]
        .filter(Boolean)
        .join(' AND ');
      const result = await ctx.hunting.hunts.explore(principalOf(request).orgId, {
        filter: parts,
        limit: q.size ?? 100,
      });
      return decodeRowObjects(result.columns, result.rows).map((row) => {
        const e = presentExplorerEvent(row);
        return {
          event_id: e.id,
          agent_id: e.device_id,
          event_type: e.logsource.category ?? e.source,
          severity: e.severity,
          category: e.logsource.category,
          timestamp: e.time,
          message: e.title ?? e.command_line ?? e.image ?? '',
          details: e.fields,
        };
      });
    },
  );

  app.post(
    '/search/kql',
    {
      config: { permission: 'events:read', errorShape: 'fastapi' },
      schema: { tags: ['seed-compat'], summary: 'EventSec KQL workbench query', body: KqlBody },
    },
    async (request, reply) => {
      const body = request.body as typeof KqlBody.static;
      const p = principalOf(request);
      noteAudit(request, { details: { query: body.query.slice(0, 500) } });
      try {
        const result = await ctx.hunting.hunts.hunt(
          { orgId: p.orgId, userId: p.userId },
          // The seed caps a query's own `limit` at 500; the body's limit then trims the hits.
          { query: body.query, limit: 500, histogram: false },
          'kql',
        );
        return presentKqlResult(body.query, { ...result, rows: result.rows.slice(0, body.limit ?? 200) });
      } catch (error) {
        if (!(error instanceof HarrierError) || error.status !== 400) throw error;
        const d = (error.details ?? {}) as { code?: string; line?: number; column?: number; offset?: number };
        const errorType =
          error.code === 'invalid_query' ? (d.code ?? 'SYNTAX_ERROR') : error.code.toUpperCase();
        return reply.status(errorType === 'TABLE_NOT_FOUND' ? 404 : 400).send({
          detail: {
            error_type: errorType,
            message: error.message,
            line: d.line,
            column: d.column,
            offset: d.offset,
          },
        });
      }
    },
  );
}
