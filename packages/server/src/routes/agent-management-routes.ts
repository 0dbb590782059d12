import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { acceptRawBodies, decodeBody, parseJsonBody } from '../http/raw-body.ts';
import { signedDevice } from '../http/signed-device.ts';
import { validateOrThrow } from '../http/validation.ts';
import { presentAgentAction } from '../presenters/response-action-presenter.ts';
import { ActionResultBody } from '../services/response-service.ts';

/** True when `If-None-Match` names the current ETag (a list, `*`, or weak forms count). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

/**
 * What the agent pulls (signed requests, packages/agent/src/delivery/management.ts):
 * its effective configuration with an ETag, its pending response actions, and
 * where it reports their results.
 */
export async function agentManagementRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  acceptRawBodies(app, ctx.config.maxBodyBytes);
  const authenticate = (request: FastifyRequest) => signedDevice(ctx, request);

  app.get(
    '/api/v1/agents/config',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['agents'],
        summary: 'Signed: the device’s effective configuration (ETag; If-None-Match → 304)',
      },
    },
    async (request, reply) => {
      const device = await authenticate(request);
      const effective = await ctx.management.policies.effective(device.org_id, device.id);
      reply.header('etag', effective.etag);
      reply.header('cache-control', 'no-cache');
      const inm = request.headers['if-none-match'];
      if (matches(Array.isArray(inm) ? inm.join(',') : inm, effective.etag)) return reply.status(304).send();
      return effective.body;
    },
  );

  app.get(
    '/api/v1/agents/actions',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['agents'],
        summary: 'Signed: pending response actions of the device (marked delivered)',
      },
    },
    async (request) => {
      const device = await authenticate(request);
      const actions = await ctx.management.responses.pull(device);
      return { actions: actions.map(presentAgentAction) };
    },
  );

  app.post(
    '/api/v1/agents/actions/:id/result',
    {
      // Audited below, once the device is known: the hook's coverage check drives user routes only.
      config: { auth: 'device', audit: false },
      schema: { tags: ['agents'], summary: 'Signed: the result of a response action' },
    },
    async (request) => {
      const device = await authenticate(request);
      const raw = await decodeBody(
        request.body as Buffer,
        request.headers['content-encoding'],
        ctx.config.maxDecompressedBytes,
      );
      const body = validateOrThrow(ActionResultBody, parseJsonBody(raw));
      const { id } = request.params as { id: string };
      const row = await ctx.management.responses.complete(device, String(id).slice(0, 64), body);
      ctx.identity.audit.record({
        orgId: device.org_id,
        actorType: 'device',
        actorId: device.id,
        actorLabel: device.hostname,
        action: 'response.result',
        targetType: 'response_action',
        targetId: row.id,
        outcome: 'success',
        statusCode: 200,
        method: request.method,
        path: request.url.split('?')[0] ?? request.url,
        ip: request.ip,
        userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null,
        details: { status: row.status, type: row.type },
      });
      return { id: row.id, status: row.status };
    },
  );
}
