import { parseInstant } from '@harrier/schema';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { HarrierError } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { presentEnrollmentKey } from '../presenters/enrollment-key-presenter.ts';
import { isoTime } from '../presenters/time.ts';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const CreateKeyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    expires_at: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    expires_in_hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 3650 })),
    max_uses: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1_000_000 }), Type.Null()])),
  },
  { additionalProperties: false },
);

/** Enrollment keys of the caller's organization, and revoking or rotating one device's credentials. */
export async function agentCredentialRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const credentials = ctx.identity.agentCredentials;

  app.get(
    '/api/v1/enrollment-keys',
    {
      config: { permission: 'enrollment:read' },
      schema: { tags: ['agents'], summary: 'List enrollment keys' },
    },
    async (request) => ({
      items: (await credentials.listKeys(principalOf(request).orgId)).map((k) => presentEnrollmentKey(k)),
    }),
  );

  app.post(
    '/api/v1/enrollment-keys',
    {
      config: {
        permission: 'enrollment:manage',
        audit: { action: 'enrollment_key.create', target: 'enrollment_key' },
      },
      schema: { tags: ['agents'], summary: 'Create an enrollment key (shown once)', body: CreateKeyBody },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as typeof CreateKeyBody.static;
      const principal = principalOf(request);
      let expiresAt: number | null = null;
      if (body.expires_in_hours !== undefined) expiresAt = Date.now() + body.expires_in_hours * 3_600_000;
      else if (body.expires_at) {
        const parsed = parseInstant(body.expires_at);
        if (parsed === undefined || parsed <= Date.now()) {
          throw new HarrierError(422, 'invalid_expiry', 'expires_at must be a future timestamp.');
        }
        expiresAt = parsed;
      }
      const { key, record } = await ctx.enrollment.createKey(principal.orgId, {
        name: body.name ?? 'enrollment key',
        expiresAt,
        maxUses: body.max_uses ?? null,
        createdBy: principal.userId,
      });
      noteAudit(request, { targetId: record.id });
      return reply.status(201).send({ ...presentEnrollmentKey(record), key });
    },
  );

  app.delete(
    '/api/v1/enrollment-keys/:id',
    {
      config: {
        permission: 'enrollment:manage',
        audit: { action: 'enrollment_key.revoke', target: 'enrollment_key' },
      },
      schema: { tags: ['agents'], summary: 'Revoke an enrollment key', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      return presentEnrollmentKey(await credentials.revokeKey(principalOf(request).orgId, id));
    },
  );

  app.post(
    '/api/v1/devices/:id/revoke',
    {
      config: { permission: 'devices:manage', audit: { action: 'device.revoke', target: 'device' } },
      schema: {
        tags: ['agents'],
        summary: 'Revoke a device’s credentials (refused at once)',
        params: IdParams,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const device = await credentials.revokeDevice(principalOf(request).orgId, id);
      return { id: device.id, hostname: device.hostname, revoked_at: isoTime(device.revoked_at) };
    },
  );

  app.post(
    '/api/v1/devices/:id/rotate-secret',
    {
      config: { permission: 'devices:manage', audit: { action: 'device.rotate_secret', target: 'device' } },
      schema: {
        tags: ['agents'],
        summary: 'Give a device a new secret (shown once); the old one stops working',
        params: IdParams,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const { device, generation, secret } = await credentials.rotateDeviceSecret(
        principalOf(request).orgId,
        id,
      );
      return { device_id: device.id, device_secret: secret, secret_generation: generation };
    },
  );
}
