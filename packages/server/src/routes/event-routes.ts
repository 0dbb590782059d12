import { decodeRowObjects } from '@harrier/query';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { badRequest, notFound } from '../errors.ts';
import { principalOf } from '../http/authentication.ts';
import { InstantParam, timeRangeParams } from '../http/time-params.ts';
import { presentEvent, presentExplorerEvent } from '../presenters/event-presenter.ts';
import { presentHistogram } from '../presenters/hunt-presenter.ts';

const EventsQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 4000,
      description: 'Quick filter: `Computer:WS01 AND CommandLine:"whoami /all" NOT User:svc*`',
    }),
  ),
  from: Type.Optional(InstantParam),
  to: Type.Optional(InstantParam),
  cursor: Type.Optional(
    Type.String({ maxLength: 200, description: 'From `next_cursor` of the previous page' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  histogram: Type.Optional(Type.Boolean({ description: 'Also count matches per time bucket' })),
});

/** The explorer's keyset cursor: the (time, id) of the last event of a page. */
export function encodeEventCursor(ts: number, id: string): string {
  return Buffer.from(`${ts}:${id}`, 'utf8').toString('base64url');
}

/** Decodes an explorer cursor; 400 when it was not made by us. */
export function decodeEventCursor(cursor: string | undefined): { ts: number; id: string } | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const m = /^(\d{1,16}):([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m || !Number.isSafeInteger(Number(m[1])))
    throw badRequest('invalid_cursor', 'The cursor is not valid.');
  return { ts: Number(m[1]), id: m[2]! };
}

/** The events explorer: a quick-filtered, cursor-paginated list, and one event in full. */
export async function eventRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/events',
    {
      config: { permission: 'events:read' },
      schema: {
        tags: ['hunting'],
        summary: 'Stored events matching a quick filter, newest first, with cursor pagination',
        querystring: EventsQuery,
      },
    },
    async (request) => {
      const q = request.query as typeof EventsQuery.static;
      const limit = q.limit ?? 50;
      const range = timeRangeParams(q.from, q.to);
      const before = decodeEventCursor(q.cursor);
      const result = await ctx.hunting.hunts.explore(principalOf(request).orgId, {
        filter: q.q ?? '',
        ...range,
        limit: limit + 1,
        before,
        histogram: q.histogram === true,
      });
      const rows = decodeRowObjects(result.columns, result.rows);
      const items = rows.slice(0, limit).map(presentExplorerEvent);
      const last = rows[limit - 1];
      return {
        items,
        next_cursor:
          rows.length > limit && last ? encodeEventCursor(Number(last.Timestamp), String(last.Id)) : null,
        histogram: presentHistogram(result.histogram),
        time_range: {
          from: result.range.from === undefined ? null : new Date(result.range.from).toISOString(),
          to: result.range.to === undefined ? null : new Date(result.range.to).toISOString(),
        },
        elapsed_ms: Math.round(result.elapsedMs * 10) / 10,
      };
    },
  );

  app.get(
    '/api/v1/events/:id',
    {
      config: { permission: 'events:read' },
      schema: {
        tags: ['hunting'],
        summary: 'One stored event with all its fields',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const event = await ctx.hunting.events.findById(principalOf(request).orgId, id);
      if (!event) throw notFound('event_not_found', 'No such event.');
      return presentEvent(event);
    },
  );
}
