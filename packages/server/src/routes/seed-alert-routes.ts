import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../context.ts';
import { HarrierError } from '../errors.ts';
import { principalOf } from '../http/authentication.ts';
import {
  presentSeed000Alert,
  presentSeed004Alert,
  seed000EventType,
  seed000Score,
} from '../presenters/seed-alert-presenter.ts';
import { isoTime } from '../presenters/time.ts';
import type { SettableAlertStatus } from '../services/alert-transitions.ts';
import type { TriageActor } from '../services/alert-triage-service.ts';

const tags = ['seed-compat'];
const fastapi = { errorShape: 'fastapi' as const };
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
/** Seed 000 filters event type and score after reading at most this many newest alerts. */
const SEED000_SCAN = 5000;

const Seed000Query = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  severity: Type.Optional(Type.String({ maxLength: 32 })),
  event_type: Type.Optional(Type.String({ maxLength: 100 })),
  agent_id: Type.Optional(Type.String({ maxLength: 64 })),
  min_score: Type.Optional(Type.Number()),
  since: Type.Optional(Type.String({ maxLength: 64 })),
  until: Type.Optional(Type.String({ maxLength: 64 })),
});

const Seed004Create = Type.Object({
  title: Type.String({ maxLength: 255 }),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 20000 }), Type.Null()])),
  source: Type.String({ maxLength: 255 }),
  category: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  severity: Type.Optional(
    Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high'), Type.Literal('critical')]),
  ),
  url: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  sender: Type.Optional(Type.Union([Type.String({ maxLength: 320 }), Type.Null()])),
  username: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  hostname: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
});

const Seed004Patch = Type.Object({
  status: Type.Optional(
    Type.Union([Type.Literal('open'), Type.Literal('in_progress'), Type.Literal('closed')]),
  ),
  assigned_to: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
  conclusion: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
});
const Seed004Escalate = Type.Object({
  alert_id: Type.Optional(Type.Union([Type.String(), Type.Number()])),
  escalated_to: Type.String({ minLength: 1, maxLength: 64 }),
  reason: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
});

/** Seed 004's status words onto ours (`closed` is resolved). */
const SEED004_STATUS: Record<string, SettableAlertStatus> = {
  open: 'open',
  in_progress: 'in_progress',
  closed: 'resolved',
};

/** Seed 004's simulated containment steps: path, query parameter, and what the answer says. */
const CONTAINMENT = [
  { path: 'block-url', param: 'url', action: 'block_url', done: 'URL blocked' },
  { path: 'unblock-url', param: 'url', action: 'unblock_url', done: 'URL unblocked' },
  { path: 'block-sender', param: 'sender', action: 'block_sender', done: 'Sender blocked' },
  { path: 'unblock-sender', param: 'sender', action: 'unblock_sender', done: 'Sender unblocked' },
  { path: 'revoke-session', param: 'username', action: 'revoke_session', done: 'Session revoked' },
  { path: 'isolate-device', param: 'hostname', action: 'isolate_device', done: 'Device isolation requested' },
] as const;

function seed000Time(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new HarrierError(400, 'invalid_datetime', `Invalid datetime: ${value}`);
  return t;
}

/**
 * Seed 000's alert reads (`GET /api/alerts`, `GET /api/alerts/{id}`, slash-less:
 * the trailing-slash forms are seed 003's) and seed 004's alert routes
 * (`/alerts`, `/alerts/{id}`, escalation, containment steps recorded as actions
 * in the alert's history, deletion by admins). Unlike seed 004, every alert of
 * the organization is visible, not only those the caller owns; unlike seed 000,
 * reading needs a token.
 */
export async function seedAlertRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const reader = ctx.triage.seedAlerts;
  const triage = ctx.triage.alerts;
  const actorOf = (request: Parameters<typeof principalOf>[0]): TriageActor => {
    const p = principalOf(request);
    return { orgId: p.orgId, userId: p.userId };
  };

  app.get(
    '/api/alerts',
    {
      config: { ...fastapi, permission: 'alerts:read' },
      schema: {
        tags,
        summary: 'Seed 000: alerts, newest first, with its filters',
        querystring: Seed000Query,
      },
    },
    async (request) => {
      const q = request.query as typeof Seed000Query.static;
      const filter = {
        orgId: principalOf(request).orgId,
        severities: q.severity !== undefined ? [q.severity.toLowerCase()] : undefined,
        deviceId: q.agent_id,
        createdSince: seed000Time(q.since),
        createdUntil: seed000Time(q.until),
      };
      const limit = q.limit ?? 50;
      const offset = q.offset ?? 0;
      if (q.event_type === undefined && q.min_score === undefined)
        return (await reader.page(filter, 'newest', offset, limit)).map(presentSeed000Alert);
      // Event type and score are derived per alert, so they filter the newest alerts in memory.
      const rows = await reader.page(filter, 'newest', 0, SEED000_SCAN);
      const kept = rows.filter(
        (r) =>
          (q.event_type === undefined || seed000EventType(r.alert, r.event) === q.event_type) &&
          (q.min_score === undefined || seed000Score(r.alert) >= q.min_score),
      );
      return kept.slice(offset, offset + limit).map(presentSeed000Alert);
    },
  );

  app.get(
    '/api/alerts/:id',
    {
      config: { ...fastapi, permission: 'alerts:read' },
      schema: { tags, summary: 'Seed 000: one alert', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const found = await reader.one(principalOf(request).orgId, id);
      if (!found) return reply.status(404).send({ detail: 'Alert not found' });
      return presentSeed000Alert(found);
    },
  );

  // Seed 004 (EventSec).
  const seed004One = async (orgId: string, id: string, reply: FastifyReply) => {
    const found = await reader.one(orgId, id);
    if (!found) {
      reply.status(404).send({ detail: 'Alert not found' });
      return undefined;
    }
    return found;
  };

  app.get(
    '/alerts',
    {
      config: { ...fastapi, permission: 'alerts:read' },
      schema: { tags, summary: 'Seed 004: alerts of the organization, newest first' },
    },
    async (request) => {
      const rows = await reader.page({ orgId: principalOf(request).orgId }, 'newest', 0, 500);
      return rows.map(presentSeed004Alert);
    },
  );

  app.post(
    '/alerts',
    {
      config: { ...fastapi, permission: 'alerts:triage', audit: { action: 'alert.create', target: 'alert' } },
      schema: { tags, summary: 'Seed 004: raise an alert by hand', body: Seed004Create },
    },
    async (request, reply) => {
      const b = request.body as typeof Seed004Create.static;
      if (b.title.trim() === '') return reply.status(400).send({ detail: 'Title is required' });
      if (b.source.trim() === '') return reply.status(400).send({ detail: 'Source is required' });
      const details: Record<string, unknown> = { source: b.source.trim() };
      for (const k of ['description', 'category', 'url', 'sender', 'username', 'hostname'] as const)
        if (typeof b[k] === 'string') details[k] = b[k];
      const row = await triage.createManual(actorOf(request), {
        title: b.title.trim(),
        severity: b.severity ?? 'medium',
        details,
      });
      return presentSeed004Alert({ alert: row, event: undefined });
    },
  );

  app.get(
    '/alerts/:id',
    {
      config: { ...fastapi, permission: 'alerts:read' },
      schema: { tags, summary: 'Seed 004: one alert', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const found = await seed004One(principalOf(request).orgId, id, reply);
      return found ? presentSeed004Alert(found) : reply;
    },
  );

  app.patch(
    '/alerts/:id',
    {
      config: { ...fastapi, permission: 'alerts:triage', audit: { action: 'alert.update', target: 'alert' } },
      schema: {
        tags,
        summary: 'Seed 004: change status (open, in_progress, closed), assignee or conclusion',
        params: IdParams,
        body: Seed004Patch,
      },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const b = request.body as typeof Seed004Patch.static;
      const actor = actorOf(request);
      const found = await seed004One(actor.orgId, id, reply);
      if (!found) return reply;
      if (b.assigned_to !== undefined && b.assigned_to !== found.alert.assignee_user_id) {
        await triage.assign(actor, id, { userId: b.assigned_to, groupId: found.alert.assignee_group_id });
        // As in seed 004, an assigned alert gets its workplan (once).
        if (b.assigned_to !== null)
          await ctx.cases.workplans.ensureForAlert(actor.orgId, actor.userId, id, b.assigned_to);
      }
      if (b.status !== undefined) {
        const to = SEED004_STATUS[b.status]!;
        // Seed 004 lets any status follow any other; its `closed` covers our two closed statuses.
        const same = presentSeed004Alert(found).status === b.status;
        if (!same) await triage.setStatus(actor, id, to, b.conclusion ?? undefined);
      }
      if (b.conclusion !== undefined) await triage.conclude(actor, id, b.conclusion);
      const updated = await seed004One(actor.orgId, id, reply);
      return updated ? presentSeed004Alert(updated) : reply;
    },
  );

  app.delete(
    '/alerts/:id',
    {
      config: { ...fastapi, permission: 'alerts:manage', audit: { action: 'alert.delete', target: 'alert' } },
      schema: { tags, summary: 'Seed 004: delete an alert (admins)', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const actor = actorOf(request);
      if (!(await seed004One(actor.orgId, id, reply))) return reply;
      await triage.delete(actor, id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/alerts/:id/escalate',
    {
      config: {
        ...fastapi,
        permission: 'alerts:triage',
        audit: { action: 'alert.escalate', target: 'alert' },
      },
      schema: {
        tags,
        summary: 'Seed 004: escalate to a user with an optional reason',
        params: IdParams,
        body: Seed004Escalate,
      },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const b = request.body as typeof Seed004Escalate.static;
      const actor = actorOf(request);
      if (!(await seed004One(actor.orgId, id, reply))) return reply;
      const reason = b.reason?.trim() || 'Escalated';
      const alert = await triage.escalate(actor, id, { userId: b.escalated_to, groupId: null }, reason);
      return {
        id: `${alert.id}:${Number(alert.escalation_level)}`,
        alert_id: alert.id,
        escalated_to: b.escalated_to,
        escalated_by: actor.userId,
        reason,
        created_at: isoTime(Number(alert.updated_at)),
      };
    },
  );

  for (const c of CONTAINMENT) {
    app.post(
      `/alerts/:id/${c.path}`,
      {
        config: {
          ...fastapi,
          permission: 'alerts:triage',
          audit: { action: `alert.${c.action}`, target: 'alert' },
        },
        schema: {
          tags,
          summary: `Seed 004: ${c.done.toLowerCase()} (recorded as an action in the alert's history)`,
          params: IdParams,
          querystring: Type.Object({ [c.param]: Type.Optional(Type.String({ maxLength: 2000 })) }),
        },
      },
      async (request, reply) => {
        const { id } = request.params as typeof IdParams.static;
        const target = (request.query as Record<string, string | undefined>)[c.param] ?? null;
        const actor = actorOf(request);
        if (!(await seed004One(actor.orgId, id, reply))) return reply;
        await triage.recordAction(actor, id, c.action, target);
        return { detail: target ? `${c.done}: ${target}` : c.done };
      },
    );
  }
}
