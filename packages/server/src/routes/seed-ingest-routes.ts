import { parsePythonJson } from '@harrier/schema';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { HarrierError, unauthorized } from '../errors.ts';
import { acceptRawBodies } from '../http/raw-body.ts';
import { parseSignalOrThrow, santamonKey } from './santamon-routes.ts';
import { threatMapIngestOnSeedPath } from './threat-map-routes.ts';

/**
 * `POST /ingest` is claimed by three seeds; the request's headers tell them
 * apart (DESIGN.md §6): `X-API-Key` is a Santamon signal, `X-EM-*` a signed
 * sec44 batch, `Authorization: Bearer` seed 004's threat-map items (which the
 * seed took unauthenticated). Bodies stay raw because sec44 signs the canonical form of the
 * exact bytes received.
 */
export async function seedIngestRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  acceptRawBodies(app, ctx.config.maxBodyBytes);
  app.post(
    '/ingest',
    {
      config: { errorShape: 'fastapi' },
      schema: {
        tags: ['seed-compat'],
        summary:
          'Santamon signal (X-API-Key), sec44 signed batch (X-EM-* headers) or seed 004 threat-map items (Bearer token with events:ingest)',
      },
    },
    async (request) => {
      const body = (request.body as Buffer | undefined) ?? Buffer.alloc(0);
      if (request.headers['x-api-key'] !== undefined) {
        const key = await santamonKey(ctx, request);
        // Parsed the way Python does, so the 100000-character context cap counts `1.0` as Python prints it.
        let parsed: ReturnType<typeof parsePythonJson>;
        try {
          parsed = parsePythonJson(body);
        } catch (error) {
          throw new HarrierError(422, 'invalid_json', 'JSON decode error', [
            { type: 'json_invalid', loc: ['body', 0], msg: `JSON decode error: ${(error as Error).message}` },
          ]);
        }
        const signal = parseSignalOrThrow(parsed.value);
        return ctx.santamon.ingestSignal(key, signal, Date.now(), parsed.members?.get('context'));
      }
      if (Object.keys(request.headers).some((h) => h.startsWith('x-em-'))) {
        return ctx.sec44.ingest(request.headers, body, Date.now());
      }
      const threatMap = await threatMapIngestOnSeedPath(ctx, request, body);
      if (threatMap !== undefined) return threatMap;
      throw unauthorized(
        'missing_credentials',
        'Send X-API-Key (Santamon signal), the X-EM-* signed headers (sec44 batch) or a bearer token (threat-map items).',
      );
    },
  );
}
