import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AppContext } from '../context.ts';
import { forbidden } from '../errors.ts';
import { principalOf, resolvePrincipal } from '../http/authentication.ts';
import { parseJsonBody } from '../http/raw-body.ts';
import { validateOr422 } from '../http/validation.ts';
import { can } from '../services/principal.ts';
import { ATTACK_TYPES } from '../services/threat-map-aggregation.ts';

/** How often a connected map gets a fresh aggregate of its window. */
export const THREAT_MAP_REFRESH_MS = 30_000;
const DEFAULT_WINDOW_SECONDS = 900;
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Seed 004's `IngestEventIn`. */
const ThreatMapItem = Type.Object(
  {
    id: Type.Optional(Type.String({ maxLength: 128 })),
    ts: Type.String({ minLength: 1, maxLength: 64 }),
    src_ip: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 64 })])),
    dst_ip: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 64 })])),
    attack_type: Type.Union(ATTACK_TYPES.map((t) => Type.Literal(t))),
    severity: Type.Integer({ minimum: 1, maximum: 10 }),
    volume: Type.Optional(
      Type.Union([
        Type.Null(),
        Type.Object({
          pps: Type.Optional(Type.Number({ minimum: 0 })),
          bps: Type.Optional(Type.Number({ minimum: 0 })),
        }),
      ]),
    ),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32 })),
    confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    source: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
const ThreatMapBody = Type.Union([ThreatMapItem, Type.Array(ThreatMapItem, { minItems: 1, maxItems: 1000 })]);
const SnapshotQuery = Type.Object({
  window: Type.Optional(
    Type.Integer({ minimum: 60, maximum: 7 * 86_400, description: 'Seconds (default 900).' }),
  ),
});

/** Validates and stores threat-map items of an organization; a bad item is a 422 for the whole request. */
async function ingestItems(ctx: AppContext, orgId: string, body: unknown) {
  const parsed = validateOr422(ThreatMapBody, body);
  return ctx.intel.threatMap.ingest(orgId, Array.isArray(parsed) ? parsed : [parsed]);
}

/**
 * Seed 004's threat-map `POST /ingest`, which shares its path with Santamon and sec44 (see
 * seed-ingest-routes.ts): a request with `Authorization: Bearer` (a user or API token with
 * `events:ingest`) is a threat-map item or list. The seed took it without authentication;
 * Harrier does not.
 */
export async function threatMapIngestOnSeedPath(ctx: AppContext, request: FastifyRequest, body: Buffer) {
  const principal = await resolvePrincipal(ctx, request);
  if (principal?.via !== 'bearer') return undefined;
  if (!can(principal, 'events:ingest'))
    throw forbidden('forbidden', 'This needs the events:ingest permission.');
  return ingestItems(ctx, principal.orgId, parseJsonBody(body));
}

/** The window of a map in milliseconds from its `window` (seconds) parameter. */
function windowMs(seconds: number | undefined): number {
  return (seconds ?? DEFAULT_WINDOW_SECONDS) * 1000;
}

/**
 * The threat map (seed 004): a REST snapshot of the window's attack sources, a native
 * ingest route for threat-map items, and the live map over WebSocket at `/ws/threatmap`
 * (the session cookie or a bearer token; same-origin for cookies).
 */
export async function threatMapRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/threat-map',
    {
      config: { permission: 'alerts:read' },
      schema: {
        tags: ['alerts'],
        summary:
          'Attack sources of the window: points with GeoIP positions, counts by country and attack type',
        querystring: SnapshotQuery,
      },
    },
    async (request) => {
      const q = request.query as typeof SnapshotQuery.static;
      return ctx.intel.threatMap.snapshot(principalOf(request).orgId, windowMs(q.window));
    },
  );

  app.post(
    '/api/v1/threat-map/items',
    {
      config: { permission: 'events:ingest', audit: false },
      schema: {
        tags: ['ingest'],
        summary: 'Threat-map items (seed 004 `IngestEventIn`, one or a list)',
        body: Type.Unknown(),
      },
    },
    async (request) => ingestItems(ctx, principalOf(request).orgId, request.body),
  );

  app.get(
    '/ws/threatmap',
    {
      websocket: true,
      config: { permission: 'alerts:read', audit: false },
      preValidation: async (request) => {
        // A browser sends its cookie on a cross-site WebSocket too.
        const origin = request.headers.origin;
        if (origin === undefined || request.principal?.via !== 'cookie') return;
        let host: string | undefined;
        try {
          host = new URL(origin).host;
        } catch {
          host = undefined;
        }
        if (host !== request.headers.host && !ctx.config.corsOrigins.includes(origin))
          throw forbidden('origin_refused', 'The threat map refuses cookie connections from another origin.');
      },
      schema: {
        tags: ['alerts'],
        summary:
          'Live threat map (WebSocket): a snapshot, then each attack as it arrives, and a fresh snapshot every 30 s',
        querystring: SnapshotQuery,
      },
    },
    (socket: WebSocket, request) => {
      const { orgId } = principalOf(request);
      const window = windowMs((request.query as typeof SnapshotQuery.static).window);
      const send = (message: unknown) => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, 'subscriber too slow');
          return;
        }
        socket.send(JSON.stringify(message));
      };
      const pushSnapshot = () =>
        ctx.intel.threatMap.snapshot(orgId, window).then(
          (snapshot) => send({ type: 'snapshot', snapshot }),
          (error) => request.log.warn({ err: error }, 'threat map snapshot failed'),
        );
      const unsubscribe = ctx.intel.threatMap.subscribe(orgId, send);
      const refresh = setInterval(pushSnapshot, THREAT_MAP_REFRESH_MS);
      refresh.unref();
      const stop = () => {
        clearInterval(refresh);
        unsubscribe();
      };
      socket.on('close', stop);
      socket.on('error', stop);
      socket.on('message', (data) => {
        if (String(data) === 'snapshot') void pushSnapshot();
      });
      void pushSnapshot();
    },
  );
}
