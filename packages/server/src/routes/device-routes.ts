import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { principalOf } from '../http/authentication.ts';
import { InstantParam, instantParam } from '../http/time-params.ts';
import {
  presentDevice,
  presentDeviceDetail,
  presentGroup,
  presentHeartbeatPoint,
} from '../presenters/device-presenter.ts';
import { RISK_LEVELS } from '../services/fleet-service.ts';

const tags = ['endpoints'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Tag = Type.String({ minLength: 1, maxLength: 64 });
const Text = (max: number) => Type.Union([Type.String({ maxLength: max }), Type.Null()]);

const ListQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('')])),
  os: Type.Optional(Type.String({ maxLength: 128 })),
  tag: Type.Optional(Type.String({ maxLength: 64 })),
  group: Type.Optional(Type.String({ maxLength: 64 })),
  risk: Type.Optional(Type.Union([...RISK_LEVELS.map((l) => Type.Literal(l)), Type.Literal('')])),
  q: Type.Optional(Type.String({ maxLength: 255 })),
  retired: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.String({ maxLength: 32 })),
  cursor: Type.Optional(Type.String({ maxLength: 600 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});

const HeartbeatQuery = Type.Object({
  since: Type.Optional(InstantParam),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, default: 500 })),
});
const DAY_MS = 86_400_000;

const DevicePatch = Type.Object(
  {
    display_name: Type.Optional(Text(255)),
    owner: Type.Optional(Text(255)),
    location: Type.Optional(Text(255)),
    notes: Type.Optional(Text(4000)),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

const GroupCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    description: Type.Optional(Text(1000)),
    kind: Type.Union([Type.Literal('static'), Type.Literal('tags')]),
    match_tags: Type.Optional(Type.Array(Tag, { maxItems: 20 })),
    device_ids: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000 })),
  },
  { additionalProperties: false },
);
const GroupPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    description: Type.Optional(Text(1000)),
    match_tags: Type.Optional(Type.Array(Tag, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
const Members = Type.Object(
  { device_ids: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);

/** The fleet (`/api/v1/devices`) and device groups (`/api/v1/device-groups`). */
export async function deviceRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const fleet = ctx.management.fleet;

  app.get(
    '/api/v1/devices',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags,
        summary: 'List endpoints (filters: status, os, tag, group, risk, q; cursor pagination)',
        querystring: ListQuery,
      },
    },
    async (request) => {
      const q = request.query as typeof ListQuery.static;
      const { orgId } = principalOf(request);
      const page = await fleet.list(orgId, {
        status: q.status || undefined,
        os: q.os || undefined,
        tag: q.tag || undefined,
        group: q.group || undefined,
        risk: q.risk || undefined,
        q: q.q || undefined,
        retired: q.retired,
        sort: q.sort,
        cursor: q.cursor,
        limit: q.limit ?? 50,
      });
      return { items: page.items.map(presentDevice), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/devices/:id',
    {
      config: { permission: 'devices:read' },
      schema: { tags, summary: 'One endpoint with resources, groups and open alerts', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentDeviceDetail(await fleet.get(principalOf(request).orgId, id));
    },
  );

  app.get(
    '/api/v1/devices/:id/heartbeats',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags,
        summary: 'Heartbeats of an endpoint since a time (default 24 h ago), oldest first: CPU, memory, disk',
        params: IdParams,
        querystring: HeartbeatQuery,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const q = request.query as typeof HeartbeatQuery.static;
      const since = instantParam(q.since, 'since') ?? Date.now() - DAY_MS;
      const points = await fleet.heartbeats(principalOf(request).orgId, id, since, q.limit ?? 500);
      return { items: points.map(presentHeartbeatPoint) };
    },
  );

  app.patch(
    '/api/v1/devices/:id',
    {
      config: { permission: 'devices:write', audit: { action: 'device.update', target: 'device' } },
      schema: {
        tags,
        summary: 'Edit display name, owner, location, notes, tags',
        params: IdParams,
        body: DevicePatch,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const body = request.body as typeof DevicePatch.static;
      return presentDeviceDetail(await fleet.update(principalOf(request).orgId, id, body));
    },
  );

  app.post(
    '/api/v1/devices/:id/retire',
    {
      config: { permission: 'devices:write', audit: { action: 'device.retire', target: 'device' } },
      schema: {
        tags,
        summary: 'Retire an endpoint: revoke its credentials, hide it from the fleet',
        params: IdParams,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const orgId = principalOf(request).orgId;
      const device = await fleet.retire(orgId, id);
      await ctx.management.responses.cancelPendingForDevice(orgId, id);
      return presentDeviceDetail(device);
    },
  );

  app.get(
    '/api/v1/device-groups',
    { config: { permission: 'devices:read' }, schema: { tags, summary: 'List device groups' } },
    async (request) => ({ items: (await fleet.listGroups(principalOf(request).orgId)).map(presentGroup) }),
  );

  app.post(
    '/api/v1/device-groups',
    {
      config: {
        permission: 'devices:write',
        audit: { action: 'device_group.create', target: 'device_group' },
      },
      schema: { tags, summary: 'Create a static or tag-rule device group', body: GroupCreate },
    },
    async (request, reply) => {
      const group = await fleet.createGroup(
        principalOf(request).orgId,
        request.body as typeof GroupCreate.static,
      );
      request.auditNote = { ...(request.auditNote ?? {}), targetId: group.id };
      return reply.status(201).send(presentGroup(group));
    },
  );

  app.get(
    '/api/v1/device-groups/:id',
    {
      config: { permission: 'devices:read' },
      schema: { tags, summary: 'One device group', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentGroup(await fleet.getGroup(principalOf(request).orgId, id));
    },
  );

  app.patch(
    '/api/v1/device-groups/:id',
    {
      config: {
        permission: 'devices:write',
        audit: { action: 'device_group.update', target: 'device_group' },
      },
      schema: { tags, summary: 'Rename a group or change its tag rule', params: IdParams, body: GroupPatch },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentGroup(
        await fleet.updateGroup(principalOf(request).orgId, id, request.body as typeof GroupPatch.static),
      );
    },
  );

  app.delete(
    '/api/v1/device-groups/:id',
    {
      config: {
        permission: 'devices:write',
        audit: { action: 'device_group.delete', target: 'device_group' },
      },
      schema: { tags, summary: 'Delete a device group', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      await fleet.deleteGroup(principalOf(request).orgId, id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/device-groups/:id/members',
    {
      config: {
        permission: 'devices:write',
        audit: { action: 'device_group.add_members', target: 'device_group' },
      },
      schema: { tags, summary: 'Add devices to a static group', params: IdParams, body: Members },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const body = request.body as typeof Members.static;
      return presentGroup(await fleet.addMembers(principalOf(request).orgId, id, body.device_ids));
    },
  );

  const MemberParams = Type.Object({
    id: Type.String({ minLength: 1, maxLength: 64 }),
    deviceId: Type.String({ minLength: 1, maxLength: 64 }),
  });
  app.delete(
    '/api/v1/device-groups/:id/members/:deviceId',
    {
      config: {
        permission: 'devices:write',
        audit: { action: 'device_group.remove_member', target: 'device_group' },
      },
      schema: { tags, summary: 'Remove a device from a static group', params: MemberParams },
    },
    async (request, reply) => {
      const { id, deviceId } = request.params as typeof MemberParams.static;
      await fleet.removeMember(principalOf(request).orgId, id, deviceId);
      return reply.status(204).send();
    },
  );
}
