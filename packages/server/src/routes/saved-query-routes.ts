import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, PageQuery, page } from '../http/pagination.ts';
import { InstantParam, timeRangeParams } from '../http/time-params.ts';
import { presentHuntResult } from '../presenters/hunt-presenter.ts';
import { presentSavedQuery } from '../presenters/saved-query-presenter.ts';
import type { SavedQueryInput, ScheduleInput } from '../services/saved-query-service.ts';

const Severity = Type.Union([
  Type.Literal('low'),
  Type.Literal('medium'),
  Type.Literal('high'),
  Type.Literal('critical'),
]);

const Schedule = Type.Object(
  {
    interval_seconds: Type.Integer({ minimum: 60, maximum: 7 * 86_400 }),
    threshold: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Alert when rows > threshold' }),
    severity: Type.Optional(Severity),
    enabled: Type.Optional(Type.Boolean({ description: 'Default true' })),
  },
  { additionalProperties: false },
);

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]),
  query: Type.String({ minLength: 1, maxLength: 20_000 }),
  visibility: Type.Union([Type.Literal('private'), Type.Literal('shared')]),
  lookback_seconds: Type.Union([Type.Integer({ minimum: 60, maximum: 90 * 86_400 }), Type.Null()]),
  schedule: Type.Union([Schedule, Type.Null()]),
};

const CreateBody = Type.Object(
  {
    name: fields.name,
    query: fields.query,
    description: Type.Optional(fields.description),
    visibility: Type.Optional(fields.visibility),
    lookback_seconds: Type.Optional(fields.lookback_seconds),
    schedule: Type.Optional(fields.schedule),
  },
  { additionalProperties: false },
);

const PatchBody = Type.Partial(Type.Object(fields), { additionalProperties: false });

const ListQuery = Type.Object({
  ...PageQuery,
  scope: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('mine'), Type.Literal('shared')])),
  scheduled: Type.Optional(Type.Boolean()),
});

const RunBody = Type.Object(
  {
    from: Type.Optional(InstantParam),
    to: Type.Optional(InstantParam),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

function schedule(s: typeof Schedule.static | null | undefined): ScheduleInput | null | undefined {
  if (s === undefined || s === null) return s;
  return {
    intervalMs: s.interval_seconds * 1000,
    threshold: s.threshold,
    severity: s.severity ?? 'medium',
    enabled: s.enabled ?? true,
  };
}

function input(b: Partial<typeof CreateBody.static>): Partial<SavedQueryInput> {
  const out: Partial<SavedQueryInput> = {};
  if (b.name !== undefined) out.name = b.name;
  if (b.description !== undefined) out.description = b.description;
  if (b.query !== undefined) out.query = b.query;
  if (b.visibility !== undefined) out.visibility = b.visibility;
  if (b.lookback_seconds !== undefined)
    out.lookbackMs = b.lookback_seconds === null ? null : b.lookback_seconds * 1000;
  if (b.schedule !== undefined) out.schedule = schedule(b.schedule);
  return out;
}

/**
 * Saved hunting queries: private or shared with the organization, runnable, and optionally
 * scheduled as detections (rows > threshold raises an alert; scheduling needs rules:write).
 */
export async function savedQueryRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const saved = ctx.hunting.savedQueries;

  app.get(
    '/api/v1/saved-queries',
    {
      config: { permission: 'events:read' },
      schema: {
        tags: ['hunting'],
        summary: "The caller's saved queries and the organization's shared ones",
        querystring: ListQuery,
      },
    },
    async (request) => {
      const q = request.query as typeof ListQuery.static;
      const p = principalOf(request);
      const limit = q.limit ?? 50;
      const rows = await saved.list(p, {
        scope: q.scope ?? 'all',
        scheduled: q.scheduled,
        after: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      return page(rows, limit, (r) => presentSavedQuery(r, p.userId));
    },
  );

  app.post(
    '/api/v1/saved-queries',
    {
      config: { permission: 'queries:write' },
      schema: {
        tags: ['hunting'],
        summary: 'Save a query (optionally shared, optionally scheduled)',
        body: CreateBody,
      },
    },
    async (request, reply) => {
      const b = request.body as typeof CreateBody.static;
      const p = principalOf(request);
      const row = await saved.create(p, {
        ...input(b),
        name: b.name,
        query: b.query,
        visibility: b.visibility ?? 'private',
      });
      reply.status(201);
      return presentSavedQuery(row, p.userId);
    },
  );

  app.get(
    '/api/v1/saved-queries/:id',
    {
      config: { permission: 'events:read' },
      schema: { tags: ['hunting'], summary: 'One saved query', params: IdParams },
    },
    async (request) => {
      const p = principalOf(request);
      return presentSavedQuery(await saved.get(p, (request.params as { id: string }).id), p.userId);
    },
  );

  app.patch(
    '/api/v1/saved-queries/:id',
    {
      config: { permission: 'queries:write' },
      schema: {
        tags: ['hunting'],
        summary: 'Change a saved query (owner only)',
        params: IdParams,
        body: PatchBody,
      },
    },
    async (request) => {
      const p = principalOf(request);
      const row = await saved.update(
        p,
        (request.params as { id: string }).id,
        input(request.body as Partial<typeof CreateBody.static>),
      );
      return presentSavedQuery(row, p.userId);
    },
  );

  app.delete(
    '/api/v1/saved-queries/:id',
    {
      config: { permission: 'queries:write' },
      schema: { tags: ['hunting'], summary: 'Delete a saved query (owner only)', params: IdParams },
    },
    async (request, reply) => {
      await saved.delete(principalOf(request), (request.params as { id: string }).id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/saved-queries/:id/run',
    {
      config: { permission: 'events:read' },
      schema: {
        tags: ['hunting'],
        summary: 'Run a saved query over a time range (default: its look-back)',
        params: IdParams,
        body: Type.Optional(RunBody),
      },
    },
    async (request) => {
      const b = (request.body ?? {}) as typeof RunBody.static;
      const { saved: row, result } = await saved.run(
        principalOf(request),
        (request.params as { id: string }).id,
        {
          ...timeRangeParams(b.from, b.to),
          limit: b.limit,
        },
      );
      return { saved_query: { id: row.id, name: row.name }, ...presentHuntResult(result) };
    },
  );
}
