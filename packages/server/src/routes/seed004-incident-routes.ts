import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { conflict } from '../errors.ts';
import { principalOf } from '../http/authentication.ts';
import { presentSeed004Incident } from '../presenters/seed-incident-presenter.ts';
import {
  CASE_STATUSES,
  CASE_TRANSITIONS,
  type CaseStatus,
  canTransition,
} from '../services/case-transitions.ts';

const tags = ['seed-compat'];
const fastapi = { errorShape: 'fastapi' as const };
const Id = Type.String({ minLength: 1, maxLength: 64 });
const IdParams = Type.Object({ id: Id });
const Severity = Type.Union(['low', 'medium', 'high', 'critical'].map((s) => Type.Literal(s)));
const Status = Type.Union(CASE_STATUSES.map((s) => Type.Literal(s)));
const Item = Type.Object({
  kind: Type.Union([Type.Literal('alert'), Type.Literal('event')]),
  ref_id: Type.Union([Id, Type.Integer()]),
});
const IncidentCreate = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 300 }),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()])),
  severity: Type.Optional(Severity),
  status: Type.Optional(Status),
  assigned_to: Type.Optional(Type.Union([Id, Type.Null()])),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 })),
  items: Type.Optional(Type.Array(Item, { maxItems: 500 })),
});
const IncidentPatch = Type.Object({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()])),
  severity: Type.Optional(Severity),
  status: Type.Optional(Status),
  assigned_to: Type.Optional(Type.Union([Id, Type.Null()])),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 })),
});

/**
 * Seed 004's incidents (`/incidents`, items, from an alert) as thin adapters
 * onto cases. Unlike the seed, a status change follows the case lifecycle
 * (409 naming the current status), and assignees must be users of the organization.
 */
export async function seed004IncidentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const cases = ctx.cases.cases;
  const present = async (orgId: string, id: string) =>
    presentSeed004Incident(await cases.get(orgId, id), await cases.items(orgId, id));
  const addItems = async (request: FastifyRequest, id: string, items: ReadonlyArray<typeof Item.static>) => {
    const p = principalOf(request);
    const alerts = items.filter((i) => i.kind === 'alert').map((i) => String(i.ref_id));
    if (alerts.length > 0) await cases.linkAlerts(p.orgId, p.userId, id, alerts);
    for (const i of items)
      if (i.kind === 'event') await cases.linkEvent(p.orgId, p.userId, id, String(i.ref_id));
  };

  app.get(
    '/incidents',
    {
      config: { ...fastapi, permission: 'cases:read' },
      schema: { tags, summary: 'Seed 004: incidents, newest first' },
    },
    async (request) => {
      const orgId = principalOf(request).orgId;
      const rows = await cases.list({ orgId, limit: 500 });
      return Promise.all(rows.map(async (r) => presentSeed004Incident(r, await cases.items(orgId, r.id))));
    },
  );

  app.get(
    '/incidents/:id',
    {
      config: { ...fastapi, permission: 'cases:read' },
      schema: { tags, summary: 'Seed 004: one incident', params: IdParams },
    },
    async (request) => present(principalOf(request).orgId, (request.params as typeof IdParams.static).id),
  );

  app.post(
    '/incidents',
    {
      config: { ...fastapi, permission: 'cases:write', audit: { action: 'case.create', target: 'case' } },
      schema: { tags, summary: 'Seed 004: open an incident (a case)', body: IncidentCreate },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const body = request.body as typeof IncidentCreate.static;
      const status = (body.status ?? 'new') as CaseStatus;
      if (status !== 'new' && !canTransition('new', status))
        throw conflict('invalid_transition', `A new incident cannot start in status "${status}".`, {
          current_status: 'new',
          allowed: CASE_TRANSITIONS.new,
        });
      const row = await cases.create(p.orgId, p.userId, {
        title: body.title,
        description: body.description ?? null,
        severity: body.severity ?? 'medium',
        owner_id: body.assigned_to ?? null,
        tags: body.tags,
      });
      if (body.items) await addItems(request, row.id, body.items);
      if (status !== 'new') await cases.changeStatus(p.orgId, p.userId, row.id, status, undefined);
      return reply.status(201).send(await present(p.orgId, row.id));
    },
  );

  app.patch(
    '/incidents/:id',
    {
      config: { ...fastapi, permission: 'cases:write', audit: { action: 'case.update', target: 'case' } },
      schema: { tags, summary: 'Seed 004: change an incident', params: IdParams, body: IncidentPatch },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const p = principalOf(request);
      const { status, assigned_to, ...rest } = request.body as typeof IncidentPatch.static;
      const current = await cases.update(p.orgId, p.userId, id, {
        ...rest,
        ...(assigned_to !== undefined ? { owner_id: assigned_to } : {}),
      });
      if (status !== undefined && status !== current.status)
        await cases.changeStatus(p.orgId, p.userId, id, status as CaseStatus, undefined);
      return present(p.orgId, id);
    },
  );

  app.post(
    '/incidents/:id/items',
    {
      config: { ...fastapi, permission: 'cases:write', audit: { action: 'case.link', target: 'case' } },
      schema: {
        tags,
        summary: 'Seed 004: add an alert or event to an incident',
        params: IdParams,
        body: Item,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      await addItems(request, id, [request.body as typeof Item.static]);
      return present(principalOf(request).orgId, id);
    },
  );

  const AlertParams = Type.Object({ alert_id: Id });
  app.post(
    '/incidents/from-alert/:alert_id',
    {
      config: { ...fastapi, permission: 'cases:write', audit: { action: 'case.create', target: 'case' } },
      schema: { tags, summary: 'Seed 004: open an incident from an alert', params: AlertParams },
    },
    async (request, reply) => {
      const { alert_id } = request.params as typeof AlertParams.static;
      const p = principalOf(request);
      const row = await cases.create(p.orgId, p.userId, { alert_ids: [alert_id], tags: ['alert'] });
      return reply.status(201).send(await present(p.orgId, row.id));
    },
  );
}
