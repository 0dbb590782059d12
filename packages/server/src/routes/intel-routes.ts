import {
  type NetworkSensorKind,
  normalizeNetworkRecord,
  parseSeverity,
  type ShipperItemResult,
} from '@harrier/schema';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { badRequest, payloadTooLarge, unauthorized } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { acceptRawBodies, decodeBody, parseJsonBody } from '../http/raw-body.ts';
import { signedDevice } from '../http/signed-device.ts';
import { validateOr422 } from '../http/validation.ts';
import {
  presentAgentIndicator,
  presentIocFeed,
  presentSeedIndicator,
} from '../presenters/intel-presenter.ts';
import type { AgentKey } from '../repositories/agent-keys-repository.ts';
import { IOC_IMPORT_FORMATS } from '../services/ioc-service.ts';

const tags = ['rules'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const FeedFormat = Type.Union(IOC_IMPORT_FORMATS.map((f) => Type.Literal(f)));
const FeedBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    format: FeedFormat,
    severity: Type.Optional(Type.String({ maxLength: 32 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const FeedPatch = Type.Partial(FeedBody, { additionalProperties: false, minProperties: 1 });

const NetworkBulk = Type.Object({
  source: Type.Union([Type.Literal('suricata'), Type.Literal('zeek')]),
  sensor: Type.Optional(
    Type.Object({
      name: Type.String({ minLength: 1, maxLength: 255 }),
      kind: Type.Optional(Type.String({ maxLength: 64 })),
      location: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 255 })])),
    }),
  ),
  events: Type.Array(Type.Unknown()),
});

function severityOf(raw: string | undefined) {
  if (raw === undefined) return undefined;
  const s = parseSeverity(raw);
  if (s === undefined) throw badRequest('invalid_severity', `Unknown severity "${raw}".`);
  return s;
}

/** Seed 004 agent credentials: `X-Agent-Key` (an agent key of the organization), in the seed's words. */
async function seedAgentKey(ctx: AppContext, request: FastifyRequest): Promise<AgentKey> {
  const header = request.headers['x-agent-key'];
  const presented = Array.isArray(header) ? header[0] : header;
  if (presented === undefined)
    throw unauthorized(
      'missing_credentials',
      'Invalid authentication credentials. Provide user JWT, X-Agent-Token, or X-Agent-Key header.',
    );
  const key = await ctx.agentKeys.authenticateSantamon(presented);
  if (!key) throw unauthorized('invalid_agent_key', 'Invalid agent credentials');
  return key;
}

/** The organization of a seed 004 agent route: the signed-in caller's, or the agent key's. */
async function seedOrg(ctx: AppContext, request: FastifyRequest): Promise<string> {
  if (request.principal) return request.principal.orgId;
  return (await seedAgentKey(ctx, request)).org_id;
}

/**
 * Threat intelligence routes: what agents pull (signed `GET /api/v1/agents/iocs`, seed 004's
 * `GET /agent/iocs`), seed 004's network sensor ingest, and the indicator feeds. The feed
 * schedule (HARRIER_IOC_FEED_INTERVAL) runs while the app does.
 */
export async function intelRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const intel = ctx.intel;
  app.addHook('onReady', async () => intel.feedJob.start());
  app.addHook('onClose', async () => intel.feedJob.stop());

  await app.register(async (signed) => {
    acceptRawBodies(signed, ctx.config.maxBodyBytes);
    signed.get(
      '/api/v1/agents/iocs',
      {
        config: { auth: 'device' },
        schema: {
          tags: ['agents'],
          summary: 'Signed: the active network indicators (addresses, ranges, domains, URLs) agents apply',
        },
      },
      async (request) => {
        const device = await signedDevice(ctx, request);
        const rows = await ctx.detection.iocs.networkIndicators(device.org_id);
        return { generated_at: new Date().toISOString(), indicators: rows.map(presentAgentIndicator) };
      },
    );

    signed.post(
      '/ingest/network/bulk',
      {
        config: { auth: 'seed-key', permission: 'ingest:write', errorShape: 'fastapi', audit: false },
        bodyLimit: ctx.config.networkIngestMaxBytes,
        // The seed refuses by Content-Length before reading the body.
        onRequest: async (request) => {
          const declared = Number(request.headers['content-length'] ?? '0');
          if (declared > ctx.config.networkIngestMaxBytes)
            throw payloadTooLarge(
              'payload_too_large',
              `Payload too large: at most ${ctx.config.networkIngestMaxBytes} bytes.`,
            );
        },
        schema: {
          tags: ['ingest'],
          summary: 'Seed 004: Suricata EVE or Zeek JSON records from a network sensor (per-record results)',
          description:
            '`{source: suricata|zeek, sensor: {name, kind, location}, events: [records]}` with a user or API token (`ingest:write`) or `X-Agent-Key`. At most HARRIER_NETWORK_INGEST_MAX_EVENTS records and HARRIER_NETWORK_INGEST_MAX_BYTES bytes (413). Records are filed under the device named after the sensor.',
        },
      },
      async (request) => {
        const orgId = await seedOrg(ctx, request);
        // The seed's Go agent gzips bodies of 512 bytes or more (the seed itself could not read them).
        const raw = await decodeBody(
          (request.body as Buffer | undefined) ?? Buffer.alloc(0),
          request.headers['content-encoding'],
          ctx.config.networkIngestMaxBytes,
        );
        const parsed = parseJsonBody(raw);
        const body = validateOr422(NetworkBulk, parsed);
        if (body.events.length > ctx.config.networkIngestMaxEvents)
          throw payloadTooLarge(
            'too_many_events',
            `Too many events: at most ${ctx.config.networkIngestMaxEvents} in one request.`,
          );
        const result = await ingestNetwork(ctx, orgId, body.source, body.sensor?.name, body.events);
        ctx.metrics.ingestRequests.inc({ route: 'network', outcome: 'accepted' });
        ctx.metrics.ingestEvents.inc({ route: 'network', outcome: 'accepted' }, result.accepted);
        if (result.rejected > 0)
          ctx.metrics.ingestEvents.inc({ route: 'network', outcome: 'rejected' }, result.rejected);
        return result;
      },
    );
  });

  app.get(
    '/agent/iocs',
    {
      config: { auth: 'seed-key', permission: 'rules:read', errorShape: 'fastapi' },
      schema: {
        tags: ['seed-compat'],
        summary: 'Seed 004: active indicators of type ip, domain or url (X-Agent-Key)',
      },
    },
    async (request) => {
      const orgId = await seedOrg(ctx, request);
      const rows = await ctx.detection.iocs.networkIndicators(orgId);
      return rows.map(presentSeedIndicator);
    },
  );

  app.get(
    '/api/v1/intel/feeds',
    {
      config: { permission: 'rules:read' },
      schema: { tags, summary: 'Indicator feeds and their last fetch' },
    },
    async (request) => ({ items: (await intel.feeds.list(principalOf(request).orgId)).map(presentIocFeed) }),
  );

  app.post(
    '/api/v1/intel/feeds',
    {
      config: { permission: 'rules:write', audit: { action: 'ioc_feed.create', target: 'ioc_feed' } },
      schema: {
        tags,
        summary: 'Add an indicator feed (a URL of a CSV, plain, STIX 2.1 or MISP document)',
        body: FeedBody,
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const b = request.body as typeof FeedBody.static;
      const feed = await intel.feeds.create(p.orgId, p.userId, { ...b, severity: severityOf(b.severity) });
      noteAudit(request, { targetId: feed.id });
      return reply.status(201).send(presentIocFeed(feed));
    },
  );

  app.patch(
    '/api/v1/intel/feeds/:id',
    {
      config: { permission: 'rules:write', audit: { action: 'ioc_feed.update', target: 'ioc_feed' } },
      schema: { tags, summary: 'Change a feed', params: IdParams, body: FeedPatch },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const b = request.body as typeof FeedPatch.static;
      const feed = await intel.feeds.update(principalOf(request).orgId, id, {
        ...b,
        severity: severityOf(b.severity),
      });
      noteAudit(request, { targetId: id });
      return presentIocFeed(feed);
    },
  );

  app.delete(
    '/api/v1/intel/feeds/:id',
    {
      config: { permission: 'rules:write', audit: { action: 'ioc_feed.delete', target: 'ioc_feed' } },
      schema: { tags, summary: 'Delete a feed (its indicators stay)', params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as typeof IdParams.static;
      await intel.feeds.delete(principalOf(request).orgId, id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/intel/feeds/:id/fetch',
    {
      config: { permission: 'rules:write', audit: { action: 'ioc_feed.fetch', target: 'ioc_feed' } },
      schema: { tags, summary: 'Fetch and import a feed now (per-item results)', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const { feed, result } = await intel.feeds.fetchNow(principalOf(request).orgId, id);
      noteAudit(request, { targetId: id });
      return { feed: presentIocFeed(feed), result };
    },
  );
}

/** Normalizes sensor records and stores them under the sensor's device; one result per record. */
async function ingestNetwork(
  ctx: AppContext,
  orgId: string,
  source: NetworkSensorKind,
  sensor: string | undefined,
  records: readonly unknown[],
) {
  const now = Date.now();
  const kinds: Array<string | undefined> = [];
  const results: ShipperItemResult[] = records.map((raw, index) => {
    let doc = raw;
    if (typeof raw === 'string') {
      try {
        doc = JSON.parse(raw);
      } catch {
        kinds.push(undefined);
        return { ok: false, code: 'invalid_json', message: `Record ${index} is a string but not JSON.` };
      }
    }
    const r = normalizeNetworkRecord(source, doc, now);
    kinds.push(r.ok ? r.kind : undefined);
    if (!r.ok) return r;
    return {
      ok: true,
      events: [{ event: r.event, host: sensor ?? r.host, key: `${source}:${JSON.stringify(doc)}` }],
    };
  });
  const host = (h: string | undefined) => h ?? sensor ?? `${source}-sensor`;
  const stored = await ctx.shipperIngest.store(results, (h) => ({ orgId, host: host(h) }), now);
  let accepted = 0;
  const items = stored.items.map((item, index) => {
    if (item.ok) {
      accepted++;
      return { index, status: 'accepted' as const, kind: kinds[index], event_id: item.eventIds[0] ?? null };
    }
    return { index, status: 'rejected' as const, error: { code: item.code, message: item.message } };
  });
  return { source, sensor: sensor ?? null, accepted, rejected: items.length - accepted, results: items };
}
