import { SEVERITIES } from '@harrier/schema';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { principalOf } from '../http/authentication.ts';
import { PageQuery } from '../http/pagination.ts';
import { presentAlert, presentAlertDetail, presentAlertHistory } from '../presenters/alert-presenter.ts';
import { presentComment } from '../presenters/comment-presenter.ts';
import { SETTABLE_ALERT_STATUSES } from '../services/alert-transitions.ts';
import type { AssigneeRef, BulkChange, TriageActor } from '../services/alert-triage-service.ts';
import {
  AlertFilterObject,
  AlertFilterQuery,
  alertFilterOf,
  decodeAlertCursor,
  encodeAlertCursor,
  SortQuery,
} from './alert-filters.ts';

const tags = ['alerts'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ListQuery = Type.Object({ ...PageQuery, ...AlertFilterQuery, sort: SortQuery });
const Reason = Type.Optional(Type.String({ maxLength: 2000 }));
const NullableId = Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]));
const StatusLiteral = Type.Union(SETTABLE_ALERT_STATUSES.map((s) => Type.Literal(s)));

const StatusBody = Type.Object(
  { status: StatusLiteral, reason: Reason, conclusion: Type.Optional(Type.String({ maxLength: 5000 })) },
  { additionalProperties: false },
);
const AssignBody = Type.Object(
  { user_id: NullableId, group_id: NullableId, reason: Reason },
  { additionalProperties: false },
);
const EscalateBody = Type.Object(
  { user_id: NullableId, group_id: NullableId, reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
const ActionBody = Type.Object(
  {
    action: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_.-]*$' }),
    target: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    reason: Reason,
  },
  { additionalProperties: false },
);
const CommentBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 20000 }) },
  { additionalProperties: false },
);
const CommentsQuery = Type.Object({
  after: Type.Optional(Type.String({ maxLength: 64, description: 'Comments after this comment id.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});
const BulkBody = Type.Object(
  {
    ids: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 1000 }),
    ),
    filter: Type.Optional(AlertFilterObject),
    status: Type.Optional(StatusLiteral),
    assign: Type.Optional(
      Type.Object({ user_id: NullableId, group_id: NullableId }, { additionalProperties: false }),
    ),
    reason: Reason,
    conclusion: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);

const CreateBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' }),
    severity: Type.Union(SEVERITIES.map((s) => Type.Literal(s))),
    description: Type.Optional(Type.String({ maxLength: 20000 })),
    device_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
  },
  { additionalProperties: false },
);

const assigneeOf = (b: {
  user_id?: string | null | undefined;
  group_id?: string | null | undefined;
}): AssigneeRef => ({
  userId: b.user_id ?? null,
  groupId: b.group_id ?? null,
});

/** The native Alerts API: reads with filters, sorting and counts; lifecycle, assignment, escalation, comments. */
export async function alertRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const alerts = ctx.detection.alerts;
  const triage = ctx.triage.alerts;
  const actorOf = (request: Parameters<typeof principalOf>[0]): TriageActor => {
    const p = principalOf(request);
    return { orgId: p.orgId, userId: p.userId };
  };

  app.get(
    '/api/v1/alerts',
    {
      config: { permission: 'alerts:read' },
      schema: { tags, summary: 'List alerts (newest first unless sorted)', querystring: ListQuery },
    },
    async (request) => {
      const q = request.query as typeof ListQuery.static;
      const p = principalOf(request);
      const limit = q.limit ?? 50;
      const sort = q.sort ?? 'newest';
      const rows = await alerts.list({
        ...alertFilterOf(q, p.orgId, p.userId),
        sort,
        after: decodeAlertCursor(q.cursor, sort),
        limit: limit + 1,
      });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map(presentAlert),
        next_cursor: rows.length > limit && last ? encodeAlertCursor(sort, last) : null,
      };
    },
  );

  app.post(
    '/api/v1/alerts',
    {
      config: { permission: 'alerts:triage', audit: { action: 'alert.create', target: 'alert' } },
      schema: { tags, summary: 'Raise an alert by hand (never grouped; kind manual)', body: CreateBody },
    },
    async (request, reply) => {
      const b = request.body as typeof CreateBody.static;
      const row = await triage.createManual(actorOf(request), {
        title: b.title.trim(),
        severity: b.severity,
        deviceId: b.device_id ?? null,
        details: b.description !== undefined ? { description: b.description } : {},
      });
      return reply.status(201).send(presentAlert(row));
    },
  );

  app.get(
    '/api/v1/alerts/counts',
    {
      config: { permission: 'alerts:read' },
      schema: {
        tags,
        summary: 'How many alerts a filter selects, by status and by severity',
        querystring: AlertFilterObject,
      },
    },
    async (request) => {
      const p = principalOf(request);
      const c = await alerts.counts(
        alertFilterOf(request.query as typeof AlertFilterObject.static, p.orgId, p.userId),
      );
      const total = Object.values(c.byStatus).reduce((a, b) => a + b, 0);
      return { total, by_status: c.byStatus, by_severity: c.bySeverity };
    },
  );

  app.get(
    '/api/v1/alerts/assignees',
    {
      config: { permission: 'alerts:triage' },
      schema: { tags, summary: 'Users and work groups an alert can be assigned or escalated to' },
    },
    async (request) => {
      const orgId = principalOf(request).orgId;
      const users = await ctx.identity.users.list({ orgId, disabled: false, limit: 500 });
      const groups = await ctx.triage.workGroups.list(orgId);
      return {
        users: users.map((u) => ({ id: u.id, display_name: u.display_name, email: u.email, role: u.role })),
        groups: groups.map((g) => ({ id: g.row.id, name: g.row.name, lead_user_id: g.row.lead_user_id })),
      };
    },
  );

  app.post(
    '/api/v1/alerts/bulk',
    {
      config: { permission: 'alerts:triage', audit: { action: 'alert.bulk', target: 'alert' } },
      schema: {
        tags,
        summary: 'Change the status or assignee of alerts given by ids or by a filter; one result per alert',
        body: BulkBody,
      },
    },
    async (request) => {
      const b = request.body as typeof BulkBody.static;
      const p = principalOf(request);
      if ((b.ids === undefined) === (b.filter === undefined))
        throw badRequest('selection_required', 'Give either ids or a filter.');
      if ((b.status === undefined) === (b.assign === undefined))
        throw badRequest('change_required', 'Give either a status or an assign change.');
      const change: BulkChange =
        b.status !== undefined
          ? { kind: 'status', status: b.status, reason: b.reason, conclusion: b.conclusion }
          : { kind: 'assign', assignee: assigneeOf(b.assign ?? {}), reason: b.reason };
      const results = await triage.bulk(
        actorOf(request),
        { ids: b.ids, filter: b.filter ? alertFilterOf(b.filter, p.orgId, p.userId) : undefined },
        change,
      );
      const succeeded = results.filter((r) => r.ok).length;
      return { succeeded, failed: results.length - succeeded, results };
    },
  );

  app.get(
    '/api/v1/alerts/:id',
    {
      config: { permission: 'alerts:read' },
      schema: {
        tags,
        summary:
          'An alert with its matched events, the rule version that fired, the device, history and comments',
        params: IdParams,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentAlertDetail(await alerts.get(principalOf(request).orgId, id));
    },
  );

  app.post(
    '/api/v1/alerts/:id/status',
    {
      config: { permission: 'alerts:triage', audit: { action: 'alert.status', target: 'alert' } },
      schema: {
        tags,
        summary: 'Move an alert along its lifecycle (409 invalid_transition names the current status)',
        params: IdParams,
        body: StatusBody,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const b = request.body as typeof StatusBody.static;
      return presentAlert(await triage.changeStatus(actorOf(request), id, b.status, b));
    },
  );

  app.post(
    '/api/v1/alerts/:id/assign',
    {
      config: { permission: 'alerts:triage', audit: { action: 'alert.assign', target: 'alert' } },
      schema: {
        tags,
        summary: 'Assign to a user and/or a work group (nulls unassign)',
        params: IdParams,
        body: AssignBody,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const b = request.body as typeof AssignBody.static;
      return presentAlert(await triage.assign(actorOf(request), id, assigneeOf(b), b.reason));
    },
  );

  app.post(
    '/api/v1/alerts/:id/escalate',
    {
      config: { permission: 'alerts:triage', audit: { action: 'alert.escalate', target: 'alert' } },
      schema: {
        tags,
        summary: 'Escalate to a user or a work group with a reason',
        params: IdParams,
        body: EscalateBody,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const b = request.body as typeof EscalateBody.static;
      return presentAlert(await triage.escalate(actorOf(request), id, assigneeOf(b), b.reason));
    },
  );

  app.post(
    '/api/v1/alerts/:id/actions',
    {
      config: { permission: 'alerts:triage', audit: { action: 'alert.action', target: 'alert' } },
      schema: {
        tags,
        summary: 'Record a containment or response step taken for an alert (kept in its history)',
        params: IdParams,
        body: ActionBody,
      },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const b = request.body as typeof ActionBody.static;
      const row = await triage.recordAction(actorOf(request), id, b.action, b.target ?? null, b.reason);
      return reply.status(201).send(presentAlertHistory(row));
    },
  );

  app.get(
    '/api/v1/alerts/:id/history',
    {
      config: { permission: 'alerts:read' },
      schema: {
        tags,
        summary: 'Status changes, assignments, escalations and actions, oldest first',
        params: IdParams,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const rows = await triage.historyOf(principalOf(request).orgId, id);
      return { items: rows.map(presentAlertHistory) };
    },
  );

  app.get(
    '/api/v1/alerts/:id/comments',
    {
      config: { permission: 'alerts:read' },
      schema: {
        tags,
        summary: 'Comments on an alert, oldest first',
        params: IdParams,
        querystring: CommentsQuery,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const q = request.query as typeof CommentsQuery.static;
      const limit = q.limit ?? 100;
      const rows = await triage.commentsOf(principalOf(request).orgId, id, q.after, limit + 1);
      const items = rows.slice(0, limit);
      return {
        items: items.map(presentComment),
        next_after: rows.length > limit ? (items.at(-1)?.id ?? null) : null,
      };
    },
  );

  app.post(
    '/api/v1/alerts/:id/comments',
    {
      config: { permission: 'alerts:triage', audit: { action: 'alert.comment', target: 'alert' } },
      schema: {
        tags,
        summary: 'Comment on an alert (Markdown, stored as text)',
        params: IdParams,
        body: CommentBody,
      },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      const { body } = request.body as typeof CommentBody.static;
      return reply.status(201).send(presentComment(await triage.addComment(actorOf(request), id, body)));
    },
  );

  app.delete(
    '/api/v1/alerts/:id',
    {
      config: { permission: 'alerts:manage', audit: { action: 'alert.delete', target: 'alert' } },
      schema: { tags, summary: 'Delete an alert with its history and comments', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      await triage.delete(actorOf(request), id);
      return reply.status(204).send();
    },
  );
}
