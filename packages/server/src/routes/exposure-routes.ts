import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { badRequest, notFound } from '../errors.ts';
import { principalOf } from '../http/authentication.ts';
import { acceptRawBodies, decodeBody, parseJsonBody } from '../http/raw-body.ts';
import { signedDevice } from '../http/signed-device.ts';
import { validateOrThrow } from '../http/validation.ts';
import {
  presentAdvisory,
  presentFinding,
  presentFleetPackage,
  presentSoftware,
} from '../presenters/exposure-presenter.ts';
import { InventorySnapshot } from '../services/software-inventory-service.ts';

const tags = ['exposure'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });
const Severity = Type.Union(['low', 'medium', 'high', 'critical'].map((s) => Type.Literal(s)));
const FindingsQuery = Type.Object({
  device_id: Type.Optional(Type.String({ maxLength: 64 })),
  severity: Type.Optional(Severity),
  kev: Type.Optional(Type.Boolean()),
  package: Type.Optional(Type.String({ maxLength: 256 })),
  advisory: Type.Optional(Type.String({ maxLength: 128 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});
const SoftwareQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 256 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
});
const CSV_TYPES = ['text/csv', 'text/plain', 'application/csv'];

/**
 * Exposure: software inventories (agents send them signed), vulnerability
 * advisories and the KEV catalogue, findings and risk per device and fleet,
 * and seed 004's inventory and vulnerability reads.
 */
export async function exposureRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { inventory, vulnerabilities } = ctx.exposure;
  app.addContentTypeParser(CSV_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  await app.register(async (signed) => {
    acceptRawBodies(signed, ctx.config.maxBodyBytes);
    signed.post(
      '/api/v1/agents/inventory',
      {
        // Telemetry like heartbeats: frequent, signed, and not an administrative change.
        config: { auth: 'device', audit: false },
        schema: {
          tags: ['agents'],
          summary:
            'Signed: the device’s full software inventory and hardware facts (replaces the previous one)',
        },
      },
      async (request: FastifyRequest) => {
        const device = await signedDevice(ctx, request);
        const raw = await decodeBody(
          request.body as Buffer,
          request.headers['content-encoding'],
          ctx.config.maxDecompressedBytes,
        );
        const snapshot = validateOrThrow(InventorySnapshot, parseJsonBody(raw));
        return inventory.submitSnapshot(device, snapshot, Date.now());
      },
    );
  });

  app.get(
    '/api/v1/devices/:id/inventory',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags,
        summary: 'A device’s installed software and hardware facts',
        params: IdParams,
        querystring: SoftwareQuery,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const { q } = request.query as typeof SoftwareQuery.static;
      const orgId = principalOf(request).orgId;
      await ctx.management.fleet.get(orgId, id);
      const [software, hardware] = await Promise.all([
        inventory.software(orgId, id, q),
        inventory.hardware(orgId, id),
      ]);
      return {
        device_id: id,
        hardware: hardware?.facts ?? null,
        hardware_collected_at: hardware ? new Date(hardware.collected_at).toISOString() : null,
        software: software.map(presentSoftware),
      };
    },
  );

  app.get(
    '/api/v1/software',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags,
        summary: 'Packages across the fleet with how many devices carry them',
        querystring: SoftwareQuery,
      },
    },
    async (request) => {
      const q = request.query as typeof SoftwareQuery.static;
      const rows = await inventory.fleetPackages(principalOf(request).orgId, q.q, q.limit ?? 500);
      return { items: rows.map(presentFleetPackage) };
    },
  );

  app.post(
    '/api/v1/vulnerabilities/advisories',
    {
      config: {
        permission: 'vulnerabilities:import',
        audit: { action: 'vulnerabilities.import', target: 'advisory' },
      },
      bodyLimit: 256 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import OSV advisories (one, an array, or `{vulns: [...]}`); devices are rescanned',
        description:
          'Debian, npm and PyPI ecosystems are matched; other ecosystems are stored without matching.',
      },
    },
    async (request) => {
      if (request.body === undefined || request.body === null)
        throw badRequest('empty_body', 'Send an OSV JSON document.');
      return vulnerabilities.importOsv(principalOf(request).orgId, request.body, Date.now());
    },
  );

  app.post(
    '/api/v1/vulnerabilities/kev',
    {
      config: {
        permission: 'vulnerabilities:import',
        audit: { action: 'vulnerabilities.kev_import', target: 'kev' },
      },
      bodyLimit: 64 * 1024 * 1024,
      schema: { tags, summary: 'Import CISA’s Known Exploited Vulnerabilities catalogue (CSV as published)' },
    },
    async (request) => {
      if (typeof request.body !== 'string' || request.body.trim() === '') {
        throw badRequest('empty_body', 'Send the KEV catalogue as text/csv.');
      }
      return vulnerabilities.importKev(principalOf(request).orgId, request.body, Date.now());
    },
  );

  const listFindings = async (request: FastifyRequest) => {
    const q = request.query as typeof FindingsQuery.static;
    const limit = q.limit ?? 100;
    const offset = q.offset ?? 0;
    const rows = await vulnerabilities.listFindings({
      orgId: principalOf(request).orgId,
      deviceId: q.device_id,
      minSeverity: q.severity,
      kev: q.kev,
      packageName: q.package,
      advisoryId: q.advisory,
      limit: limit + 1,
      offset,
    });
    return {
      items: rows.slice(0, limit).map(presentFinding),
      next_offset: rows.length > limit ? offset + limit : null,
    };
  };

  app.get(
    '/api/v1/vulnerabilities',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags,
        summary: 'Vulnerability findings (known-exploited first), filtered',
        querystring: FindingsQuery,
      },
    },
    listFindings,
  );

  app.get(
    '/api/v1/vulnerabilities/summary',
    {
      config: { permission: 'devices:read' },
      schema: { tags, summary: 'Fleet vulnerability risk: totals and devices by risk' },
    },
    async (request) => {
      const r = await vulnerabilities.fleetRisk(principalOf(request).orgId);
      return { totals: r.totals, catalogue: r.catalogue, devices: r.devices.slice(0, 100) };
    },
  );

  app.get(
    '/api/v1/vulnerabilities/advisories/:id',
    {
      config: { permission: 'devices:read' },
      schema: { tags, summary: 'One imported advisory', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const row = await vulnerabilities.getAdvisory(principalOf(request).orgId, id);
      if (!row) throw notFound('advisory_not_found', 'No such advisory.');
      return presentAdvisory(row);
    },
  );

  app.get(
    '/api/v1/devices/:id/vulnerabilities',
    {
      config: { permission: 'devices:read' },
      schema: { tags, summary: 'A device’s vulnerability risk and findings', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const orgId = principalOf(request).orgId;
      await ctx.management.fleet.get(orgId, id);
      const [risk, rows] = await Promise.all([
        vulnerabilities.deviceRisk(orgId, id),
        vulnerabilities.listFindings({ orgId, deviceId: id, limit: 1000, offset: 0 }),
      ]);
      return { device_id: id, risk, findings: rows.map(presentFinding) };
    },
  );

  // Seed 004 (EventSec) reads: the asset inventory with vulnerability risk, and the findings.
  app.get(
    '/api/inventory/assets',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags: ['seed-compat'],
        summary: 'Seed 004: assets with software counts and vulnerability risk',
      },
    },
    async (request) => {
      const orgId = principalOf(request).orgId;
      const [fleet, risk, counts] = await Promise.all([
        ctx.management.fleet.list(orgId, { limit: 500 }),
        vulnerabilities.fleetRisk(orgId),
        inventory.packageCounts(orgId),
      ]);
      const riskOf = new Map(risk.devices.map((d) => [d.device_id, d]));
      const packagesOf = new Map(counts.map((c) => [c.device_id, Number(c.packages)]));
      return fleet.items.map((d) =>
        assetOf(d.row, riskOf.get(d.row.id), packagesOf.get(d.row.id) ?? 0, d.status),
      );
    },
  );

  app.get(
    '/api/inventory/assets/:id',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags: ['seed-compat'],
        summary: 'Seed 004: one asset with its software and findings',
        params: IdParams,
      },
    },
    async (request) => {
      const { id } = request.params as typeof IdParams.static;
      const orgId = principalOf(request).orgId;
      const device = await ctx.management.fleet.get(orgId, id);
      const [software, risk, findings, hardware] = await Promise.all([
        inventory.software(orgId, id),
        vulnerabilities.deviceRisk(orgId, id),
        vulnerabilities.listFindings({ orgId, deviceId: id, limit: 1000, offset: 0 }),
        inventory.hardware(orgId, id),
      ]);
      return {
        ...assetOf(device.row, risk, software.length, device.status),
        hardware: hardware?.facts ?? {},
        software: software.map(presentSoftware),
        vulnerabilities: findings.map(presentFinding),
      };
    },
  );

  app.get(
    '/api/vulnerabilities',
    {
      config: { permission: 'devices:read' },
      schema: {
        tags: ['seed-compat'],
        summary: 'Seed 004: vulnerability findings',
        querystring: FindingsQuery,
      },
    },
    async (request) => (await listFindings(request)).items,
  );
}

function assetOf(
  row: {
    id: string;
    hostname: string;
    os_name: string | null;
    os_version: string | null;
    ip_address: string | null;
    last_seen_at: number | null;
  },
  risk: { score: number; level: string; findings: number; kev: number } | undefined,
  softwareCount: number,
  status: string,
) {
  return {
    id: row.id,
    hostname: row.hostname,
    os: row.os_name,
    os_version: row.os_version,
    ip_address: row.ip_address,
    status,
    last_seen: row.last_seen_at === null ? null : new Date(Number(row.last_seen_at)).toISOString(),
    software_count: softwareCount,
    vulnerability_count: risk?.findings ?? 0,
    known_exploited_count: risk?.kev ?? 0,
    risk_score: risk?.score ?? 0,
    risk_level: risk?.level ?? 'none',
  };
}
