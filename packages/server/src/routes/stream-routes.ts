import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Gauge } from 'prom-client';
import type { WebSocket } from 'ws';
import type { AppContext } from '../context.ts';
import { forbidden } from '../errors.ts';
import { presentedCredential, principalOf } from '../http/authentication.ts';
import { feedMessageFor } from '../services/live-feed.ts';

// A subscriber that cannot keep up is dropped rather than buffered without bound.
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * `GET /api/v1/stream`: the live feed over WebSocket. Authentication is the
 * ordinary hook (session cookie or bearer token, refused with 401 before the
 * upgrade); the feed carries the caller's organization's alert, case and
 * device status changes that the caller's role may read.
 */
export async function streamRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // A keepalive every this often: an application `ping` message, a WebSocket ping frame, a credential check.
  const pingMs = ctx.config.streamPingSeconds * 1000;
  const connections = new Gauge({
    name: 'harrier_stream_connections',
    help: 'Open live feed (WebSocket) connections.',
    registers: [ctx.metrics.registry],
  });
  app.get(
    '/api/v1/stream',
    {
      websocket: true,
      config: { permission: 'alerts:read', audit: false },
      // A browser sends the session cookie on a cross-site WebSocket too: check the origin first.
      preValidation: async (request) => assertSameOrigin(request, ctx.config.corsOrigins),
      schema: { tags: ['alerts'], summary: 'Live feed (WebSocket) of alert, case and device status changes' },
    },
    (socket: WebSocket, request) => {
      const principal = principalOf(request);
      const credential = presentedCredential(request);
      const send = (message: unknown) => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, 'subscriber too slow');
          return;
        }
        socket.send(JSON.stringify(message));
      };
      const unsubscribe = ctx.domainEvents.subscribe((event) => {
        const message = feedMessageFor(event, principal.orgId, principal.permissions);
        if (message) send(message);
      });
      let alive = true;
      socket.on('pong', () => {
        alive = true;
      });
      const keepalive = setInterval(() => {
        if (!alive) {
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
        send({ type: 'ping', at: new Date().toISOString() });
        // The connection lives no longer than its credential: an expired token, a logout or a
        // disabled user ends it (the client reconnects with a fresh one).
        if (credential)
          ctx.identity.authenticator
            .fromBearer(credential.value, credential.via)
            .catch(() => socket.close(4401, 'credential expired or revoked'));
      }, pingMs);
      keepalive.unref();
      connections.inc();
      let stopped = false;
      const stop = () => {
        if (stopped) return;
        stopped = true;
        connections.dec();
        clearInterval(keepalive);
        unsubscribe();
      };
      socket.on('close', stop);
      socket.on('error', stop);
      // Clients need not send anything; a text `ping` is answered so they can measure the link.
      socket.on('message', (data) => {
        if (String(data) === 'ping') send({ type: 'pong', at: new Date().toISOString() });
      });
      send({ type: 'hello', organization_id: principal.orgId, ping_interval_ms: pingMs });
    },
  );
}

function assertSameOrigin(request: FastifyRequest, allowed: readonly string[]): void {
  const origin = request.headers.origin;
  if (origin === undefined || request.principal?.via !== 'cookie') return;
  const host = request.headers.host;
  let same = false;
  try {
    same = host !== undefined && new URL(origin).host === host;
  } catch {
    same = false;
  }
  if (!same && !allowed.includes(origin))
    throw forbidden(
      'origin_refused',
      'The live feed refuses cookie-authenticated connections from another origin.',
    );
}
