import { SEVERITIES } from '@harrier/schema';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { decodeCursor, PageQuery, page } from '../http/pagination.ts';
import {
  presentDelivery,
  presentEmailDestination,
  presentWebhook,
} from '../presenters/notification-presenter.ts';
import type {
  DestinationKind,
  DestinationRow,
} from '../repositories/notification-destinations-repository.ts';
import { NOTIFIABLE_EVENT_TYPES } from '../services/notification-events.ts';

const tags = ['notifications'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Name = Type.String({ minLength: 1, maxLength: 128 });
const EventTypes = Type.Array(Type.Union(NOTIFIABLE_EVENT_TYPES.map((t) => Type.Literal(t))), {
  minItems: 1,
  maxItems: NOTIFIABLE_EVENT_TYPES.length,
});
const MinSeverity = Type.Union([Type.Union(SEVERITIES.map((s) => Type.Literal(s))), Type.Null()]);
const Url = Type.String({ minLength: 1, maxLength: 2048 });
const Recipients = Type.Array(Type.String({ minLength: 3, maxLength: 254 }), { minItems: 1, maxItems: 50 });

const filterFields = {
  event_types: Type.Optional(EventTypes),
  min_severity: Type.Optional(MinSeverity),
  enabled: Type.Optional(Type.Boolean()),
};
const WebhookCreate = Type.Object({ name: Name, url: Url, ...filterFields }, { additionalProperties: false });
const WebhookPatch = Type.Object(
  { name: Type.Optional(Name), url: Type.Optional(Url), ...filterFields },
  { additionalProperties: false },
);
const EmailCreate = Type.Object(
  { name: Name, recipients: Recipients, ...filterFields },
  { additionalProperties: false },
);
const EmailPatch = Type.Object(
  { name: Type.Optional(Name), recipients: Type.Optional(Recipients), ...filterFields },
  { additionalProperties: false },
);
const LogQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(
      Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
    ),
  },
  { additionalProperties: false },
);

const permission = 'notifications:manage' as const;

/**
 * `/api/v1/notifications/webhooks` and `/api/v1/notifications/email`: CRUD of
 * destinations, their delivery log and "send test"; webhooks also rotate their
 * signing secret. Both kinds share one shape of routes.
 */
export async function notificationRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const notifications = ctx.notifications.service;
  const kinds: Array<{
    kind: DestinationKind;
    path: string;
    present: (row: DestinationRow) => Record<string, unknown>;
    create: typeof WebhookCreate | typeof EmailCreate;
    patch: typeof WebhookPatch | typeof EmailPatch;
    label: string;
  }> = [
    {
      kind: 'webhook',
      path: '/api/v1/notifications/webhooks',
      present: presentWebhook,
      create: WebhookCreate,
      patch: WebhookPatch,
      label: 'webhook',
    },
    {
      kind: 'email',
      path: '/api/v1/notifications/email',
      present: presentEmailDestination,
      create: EmailCreate,
      patch: EmailPatch,
      label: 'e-mail destination',
    },
  ];

  for (const { kind, path, present, create, patch, label } of kinds) {
    const target = `notification_${kind}`;

    app.get(
      path,
      { config: { permission }, schema: { tags, summary: `List ${label}s` } },
      async (request) => ({
        items: (await notifications.list(principalOf(request).orgId, kind)).map(present),
      }),
    );

    app.post(
      path,
      {
        config: { permission, audit: { action: `notification.${kind}.create`, target } },
        schema: {
          tags,
          summary:
            kind === 'webhook'
              ? 'Create a webhook; the response carries its signing secret, shown this once'
              : 'Create an e-mail destination',
          body: create,
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const { row, secret } = await notifications.create(
          p.orgId,
          p.userId,
          kind,
          request.body as typeof WebhookCreate.static & typeof EmailCreate.static,
        );
        noteAudit(request, { targetId: row.id });
        return reply.status(201).send(secret === undefined ? present(row) : { ...present(row), secret });
      },
    );

    app.get(
      `${path}/:id`,
      { config: { permission }, schema: { tags, summary: `One ${label}`, params: IdParams } },
      async (request) => {
        const { id } = request.params as typeof IdParams.static;
        return present(await notifications.get(principalOf(request).orgId, kind, id));
      },
    );

    app.patch(
      `${path}/:id`,
      {
        config: { permission, audit: { action: `notification.${kind}.update`, target } },
        schema: { tags, summary: `Change a ${label}`, params: IdParams, body: patch },
      },
      async (request) => {
        const { id } = request.params as typeof IdParams.static;
        return present(
          await notifications.update(
            principalOf(request).orgId,
            kind,
            id,
            request.body as typeof WebhookPatch.static & typeof EmailPatch.static,
          ),
        );
      },
    );

    app.delete(
      `${path}/:id`,
      {
        config: { permission, audit: { action: `notification.${kind}.delete`, target } },
        schema: { tags, summary: `Delete a ${label} and its delivery log`, params: IdParams },
      },
      async (request, reply) => {
        const { id } = request.params as typeof IdParams.static;
        await notifications.delete(principalOf(request).orgId, kind, id);
        return reply.status(204).send();
      },
    );

    app.get(
      `${path}/:id/deliveries`,
      {
        config: { permission },
        schema: {
          tags,
          summary: `Delivery log of a ${label}, newest first`,
          params: IdParams,
          querystring: LogQuery,
        },
      },
      async (request) => {
        const { id } = request.params as typeof IdParams.static;
        const q = request.query as typeof LogQuery.static;
        const limit = q.limit ?? 50;
        const rows = await notifications.log(principalOf(request).orgId, kind, id, {
          status: q.status,
          before: decodeCursor(q.cursor),
          limit,
        });
        return page(rows, limit, presentDelivery);
      },
    );

    app.post(
      `${path}/:id/test`,
      {
        config: { permission, audit: { action: `notification.${kind}.test`, target } },
        schema: {
          tags,
          summary: `Send a test notification now (one attempt, kept in the log)`,
          params: IdParams,
        },
      },
      async (request) => {
        const { id } = request.params as typeof IdParams.static;
        const p = principalOf(request);
        return presentDelivery(await notifications.sendTest(p.orgId, kind, id, p.userId));
      },
    );
  }

  app.post(
    '/api/v1/notifications/webhooks/:id/rotate-secret',
    {
      config: {
        permission,
        audit: { action: 'notification.webhook.rotate_secret', target: 'notification_webhook' },
      },
      schema: {
        tags,
        summary: 'A new signing secret (the old one stops working at once), shown this once',
        params: IdParams,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const { row, secret } = await notifications.rotateSecret(principalOf(request).orgId, id);
      return { ...presentWebhook(row), secret };
    },
  );
}
