import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { unprocessable, unsupportedMediaType } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { acceptRawBodies, decodeBody, mediaType, parseJsonBody, parseNdjsonBody } from '../http/raw-body.ts';
import { verifySignedDevice } from '../http/signed-device.ts';
import { validateOrThrow } from '../http/validation.ts';
import { NativeHeartbeat } from '../services/heartbeat-service.ts';

const EnrollBody = Type.Object(
  {
    enrollment_key: Type.String({ minLength: 1, maxLength: 256 }),
    hostname: Type.String({ minLength: 1, maxLength: 255 }),
    os: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 128 })),
          version: Type.Optional(Type.String({ maxLength: 128 })),
          platform: Type.Optional(Type.String({ maxLength: 64 })),
        },
        { additionalProperties: false },
      ),
    ),
    agent_version: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

const EnrollResponse = Type.Object({
  device_id: Type.String(),
  device_secret: Type.String({
    description: 'Shown once; the server stores nothing it could be read back from.',
  }),
  org_id: Type.String(),
});

const IngestResponse = Type.Object({
  batch_id: Type.String(),
  accepted: Type.Integer(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String(), message: Type.String() })),
});

/** Agent enrollment (JSON) and the signed agent routes (raw bodies, verified before parsing). */
export async function agentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post(
    '/api/v1/agents/enroll',
    {
      config: { auth: 'public', audit: { action: 'device.enroll', target: 'device' } },
      schema: {
        tags: ['agents'],
        summary: 'Exchange an enrollment key for device credentials',
        body: EnrollBody,
        response: { 201: EnrollResponse },
      },
    },
    async (request, reply) => {
      const body = request.body as typeof EnrollBody.static;
      const { device, secret } = await ctx.enrollment.enroll(body, request.ip);
      noteAudit(request, {
        actorType: 'device',
        actorId: device.id,
        actorLabel: device.hostname,
        orgId: device.org_id,
        targetId: device.id,
      });
      return reply.status(201).send({ device_id: device.id, device_secret: secret, org_id: device.org_id });
    },
  );

  await app.register(async (signed) => {
    acceptRawBodies(signed, ctx.config.maxBodyBytes);

    const authenticate = (request: FastifyRequest) => verifySignedDevice(ctx, request);

    signed.post(
      '/api/v1/agents/heartbeat',
      {
        config: { auth: 'device', audit: false },
        schema: { tags: ['agents'], summary: 'Signed heartbeat with resource figures' },
      },
      async (request) => {
        const { device, nonce } = await authenticate(request);
        const raw = await decodeBody(
          request.body as Buffer,
          request.headers['content-encoding'],
          ctx.config.maxDecompressedBytes,
        );
        const body = validateOrThrow(NativeHeartbeat, parseJsonBody(raw));
        await ctx.heartbeats.record(device, nonce, body, Date.now());
        return { status: 'ok', device_id: device.id, server_time: new Date().toISOString() };
      },
    );

    signed.post(
      '/api/v1/ingest',
      {
        // Batches are data, not administration: recorded in ingest_batches, not the audit log.
        config: { auth: 'device', audit: false },
        schema: {
          tags: ['ingest'],
          summary: 'Signed batch of events (JSON or NDJSON, optionally gzip)',
          description:
            'JSON `{batch_id, events:[…]}` or NDJSON (one event per line, batch id in `X-Harrier-Batch`). ' +
            'Acknowledged after commit; a repeated batch_id returns the first result.',
          response: { 200: IngestResponse },
        },
      },
      async (request) => {
        const started = process.hrtime.bigint();
        ctx.inFlight.count++;
        try {
          const { device, nonce } = await authenticate(request);
          const raw = await decodeBody(
            request.body as Buffer,
            request.headers['content-encoding'],
            ctx.config.maxDecompressedBytes,
          );
          const type = mediaType(request.headers['content-type']);
          let batchId: unknown;
          let events: unknown;
          if (
            type === 'application/x-ndjson' ||
            type === 'application/ndjson' ||
            type === 'application/jsonl'
          ) {
            batchId = request.headers['x-harrier-batch'];
            events = parseNdjsonBody(raw);
          } else if (type === 'application/json' || type === '') {
            const body = parseJsonBody(raw);
            if (typeof body !== 'object' || body === null || Array.isArray(body)) {
              throw unprocessable('invalid_batch', 'The body must be an object {batch_id, events}.');
            }
            batchId = (body as Record<string, unknown>).batch_id;
            events = (body as Record<string, unknown>).events;
          } else {
            throw unsupportedMediaType(
              'unsupported_media_type',
              `Content-Type ${type} is not accepted; send application/json or application/x-ndjson.`,
            );
          }
          const { result } = await ctx.nativeIngest.ingest(device, nonce, batchId, events, Date.now());
          ctx.metrics.ingestRequests.inc({ route: 'native', outcome: 'accepted' });
          ctx.metrics.ingestEvents.inc({ route: 'native', outcome: 'accepted' }, result.accepted);
          if (result.rejected.length > 0) {
            ctx.metrics.ingestEvents.inc({ route: 'native', outcome: 'rejected' }, result.rejected.length);
          }
          return result;
        } catch (error) {
          const code = (error as { code?: string }).code ?? 'error';
          ctx.metrics.ingestRequests.inc({ route: 'native', outcome: code });
          throw error;
        } finally {
          ctx.inFlight.count--;
          ctx.metrics.batchLatency.observe(
            { route: 'native' },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
        }
      },
    );
  });
}
