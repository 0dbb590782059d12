import { INSIGHT_METRICS, parseIsoDay } from '@harrier/detect';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { principalOf } from '../http/authentication.ts';
import { PageQuery } from '../http/pagination.ts';

const tags = ['insights'];

const InsightListQuery = Type.Object(
  {
    device_id: Type.Optional(Type.String({ maxLength: 64 })),
    severity: Type.Optional(Type.Union([Type.Literal('INFO'), Type.Literal('WARN'), Type.Literal('HIGH')])),
    source: Type.Optional(
      Type.Union(['process', 'auth', 'network', 'filewatch', 'system'].map((s) => Type.Literal(s))),
    ),
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])),
    type: Type.Optional(Type.Union([Type.Literal('anomaly'), Type.Literal('driver'), Type.Literal('delta')])),
    from: Type.Optional(Type.String({ maxLength: 10, description: 'First day, YYYY-MM-DD (UTC)' })),
    to: Type.Optional(Type.String({ maxLength: 10, description: 'Last day, YYYY-MM-DD (UTC)' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
const FleetQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })) },
  { additionalProperties: false },
);
const RiskQuery = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 30 })) },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

function day(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const d = parseIsoDay(value);
  if (d === undefined) throw badRequest('invalid_day', `${name} must be a date, YYYY-MM-DD.`);
  return d;
}

/** The native insight API: insights with filters, the fleet's risk and one device's risk. */
export async function insightRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/insights',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags,
        summary: 'Insights (anomalies, risk drivers, changes since yesterday), newest first',
        querystring: InsightListQuery,
      },
    },
    async (request) => {
      const q = request.query as typeof InsightListQuery.static;
      return ctx.insightQueries.list(
        {
          orgId: principalOf(request).orgId,
          deviceId: q.device_id,
          severity: q.severity,
          source: q.source,
          status: q.status,
          insightType: q.type,
          fromDay: day(q.from, 'from'),
          toDay: day(q.to, 'to'),
        },
        q.cursor,
        q.limit ?? 50,
      );
    },
  );

  app.get(
    '/api/v1/insights/fleet',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags,
        summary: 'Fleet brief: the latest risk of the riskiest devices, with drivers and 7/30-day trends',
        querystring: FleetQuery,
      },
    },
    async (request) => {
      const q = request.query as typeof FleetQuery.static;
      const fleet = await ctx.insightQueries.fleet(principalOf(request).orgId, q.limit ?? 50, Date.now());
      return { ...fleet, metrics: INSIGHT_METRICS };
    },
  );

  app.get(
    '/api/v1/devices/:id/risk',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags,
        summary: "A device's daily risk: the latest day in full, the trend, recent insights",
        params: IdParams,
        querystring: RiskQuery,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const q = request.query as typeof RiskQuery.static;
      return ctx.insightQueries.deviceRisk(principalOf(request).orgId, id, q.days ?? 30, Date.now());
    },
  );
}
