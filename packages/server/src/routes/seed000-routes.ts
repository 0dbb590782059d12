import { uuidv7 } from '@harrier/schema';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { readJson } from '../db/json-column.ts';
import { unprocessable } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import { principalOf } from '../http/authentication.ts';
import { AuditLogRepository } from '../repositories/audit-log-repository.ts';
import type { DetectorConfigRow, PolicyRuleRow } from '../repositories/detector-configs-repository.ts';
import type { AssignmentRow, PolicyRow } from '../repositories/policies-repository.ts';
import { cleanTags, type FleetDevice } from '../services/fleet-service.ts';
import type { Permission } from '../services/permissions.ts';
import { posturePaths } from './posture-routes.ts';

const tags = ['seed-compat'];
const fastapi = { errorShape: 'fastapi' as const };
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Str = (max: number) => Type.Union([Type.String({ maxLength: max }), Type.Null()]);

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** Seed 000's endpoint: tags as one comma-separated string, its free `status` kept in metadata. */
function presentEndpoint(d: FleetDevice) {
  const meta = readJson<Record<string, unknown>>(d.row.metadata, {});
  return {
    id: d.row.id,
    hostname: d.row.hostname,
    ip: d.row.ip_address,
    os: d.row.os_name,
    status:
      typeof meta.seed_status === 'string'
        ? meta.seed_status
        : d.row.retired_at !== null
          ? 'inactive'
          : 'active',
    tags: d.tags.join(','),
  };
}
const presentPolicy = (p: PolicyRow) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  enabled: p.enabled === 1,
});
const presentRule = (r: PolicyRuleRow) => ({
  id: r.id,
  name: r.name,
  type: r.type,
  definition: r.definition,
  enabled: r.enabled === 1,
  policy_id: r.policy_id,
});
const presentAssignment = (a: AssignmentRow) => ({
  id: a.id,
  endpoint_id: a.target_type === 'device' ? a.target_id : null,
  policy_id: a.policy_id,
  status: a.status,
});
const presentDetector = (d: DetectorConfigRow) => ({
  id: d.id,
  detector_name: d.name,
  params: JSON.stringify(readJson(d.params, {})),
  version: String(d.version),
});

function splitTags(tags: string | null | undefined): string[] {
  return cleanTags((tags ?? '').split(','));
}

function paramsObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw unprocessable('invalid_params', 'params must be a JSON object in a string.');
}

/**
 * Seed 000's CRUD resources (`/api/endpoints`, `/api/policies`, `/api/rules`,
 * `/api/assignments`, `/api/detectors`, `/api/audit`) in its shapes, as thin
 * adapters over the fleet, policy and detector services. Both path forms are
 * served (the seed redirected the slash-less one). Reads need a token as well
 * (the seed left them open), and a duplicate policy name is a 409, not a 500.
 */
export async function seed000Routes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const m = ctx.management;

  const resource = (
    name: string,
    perms: { read: Permission; write: Permission },
    h: {
      list: Handler;
      create: Handler;
      get: Handler;
      update: Handler;
      remove: Handler;
      createBody: TSchema;
      updateBody: TSchema;
    },
  ) => {
    for (const path of [`/api/${name}`, `/api/${name}/`]) {
      const hide = path.endsWith('/');
      app.get(
        path,
        {
          config: { ...fastapi, permission: perms.read },
          schema: { tags, summary: `Seed 000: list ${name}`, hide },
        },
        h.list,
      );
      app.post(
        path,
        {
          config: {
            ...fastapi,
            permission: perms.write,
            audit: { action: `seed000.${name}.create`, target: name },
          },
          schema: { tags, summary: `Seed 000: create one of ${name}`, body: h.createBody, hide },
        },
        h.create,
      );
    }
    const one = `/api/${name}/:id`;
    app.get(
      one,
      { config: { ...fastapi, permission: perms.read }, schema: { tags, params: IdParams } },
      h.get,
    );
    app.patch(
      one,
      {
        config: {
          ...fastapi,
          permission: perms.write,
          audit: { action: `seed000.${name}.update`, target: name },
        },
        schema: { tags, params: IdParams, body: h.updateBody },
      },
      h.update,
    );
    app.delete(
      one,
      {
        config: {
          ...fastapi,
          permission: perms.write,
          audit: { action: `seed000.${name}.delete`, target: name },
        },
        schema: { tags, params: IdParams },
      },
      h.remove,
    );
  };
  const org = (r: FastifyRequest) => principalOf(r).orgId;
  const id = (r: FastifyRequest) => (r.params as { id: string }).id;

  // ---- endpoints ----
  const EndpointCreate = Type.Object({
    hostname: Type.String({ minLength: 1, maxLength: 255 }),
    ip: Type.Optional(Str(64)),
    os: Type.Optional(Str(128)),
    status: Type.Optional(Type.String({ maxLength: 32 })),
    tags: Type.Optional(Str(1000)),
  });
  const EndpointUpdate = Type.Partial(EndpointCreate);
  const setSeedStatus = async (orgId: string, deviceId: string, status: string | undefined) => {
    if (status === undefined) return;
    const d = await m.fleet.get(orgId, deviceId);
    const meta = { ...readJson<Record<string, unknown>>(d.row.metadata, {}), seed_status: status };
    await m.fleet.setMetadata(orgId, deviceId, meta);
  };
  resource(
    'endpoints',
    { read: 'devices:read', write: 'devices:write' },
    {
      createBody: EndpointCreate,
      updateBody: EndpointUpdate,
      list: async (r) =>
        (await m.fleet.list(org(r), { limit: 500, retired: false })).items.map(presentEndpoint),
      create: async (r, reply) => {
        const b = r.body as typeof EndpointCreate.static;
        const d = await m.fleet.createInventoryEntry(org(r), {
          hostname: b.hostname,
          ip: b.ip,
          os: b.os,
          tags: splitTags(b.tags),
        });
        await setSeedStatus(org(r), d.row.id, b.status ?? 'active');
        noteAudit(r, { targetId: d.row.id });
        return reply.status(201).send(presentEndpoint(await m.fleet.get(org(r), d.row.id)));
      },
      get: async (r) => presentEndpoint(await m.fleet.get(org(r), id(r))),
      update: async (r) => {
        const b = r.body as typeof EndpointUpdate.static;
        await m.fleet.get(org(r), id(r));
        if (b.tags !== undefined) await m.fleet.update(org(r), id(r), { tags: splitTags(b.tags) });
        await m.fleet.updateInventoryFields(org(r), id(r), { ip: b.ip, os: b.os });
        await setSeedStatus(org(r), id(r), b.status);
        return presentEndpoint(await m.fleet.get(org(r), id(r)));
      },
      remove: async (r, reply) => {
        await m.fleet.remove(org(r), id(r));
        return reply.status(204).send();
      },
    },
  );

  // ---- policies ----
  const PolicyCreate = Type.Object({
    name: Type.String({ minLength: 1, maxLength: 128 }),
    description: Type.Optional(Str(2000)),
    enabled: Type.Optional(Type.Boolean()),
  });
  const PolicyUpdate = Type.Partial(PolicyCreate);
  resource(
    'policies',
    { read: 'policies:read', write: 'policies:write' },
    {
      createBody: PolicyCreate,
      updateBody: PolicyUpdate,
      list: async (r) => (await m.policies.list(org(r))).map(presentPolicy),
      create: async (r, reply) => {
        const p = await m.policies.create(
          org(r),
          principalOf(r).userId,
          r.body as typeof PolicyCreate.static,
        );
        noteAudit(r, { targetId: p.id });
        return reply.status(201).send(presentPolicy(p));
      },
      get: async (r) => presentPolicy(await m.policies.get(org(r), id(r))),
      update: async (r) =>
        presentPolicy(
          await m.policies.update(org(r), principalOf(r).userId, id(r), r.body as typeof PolicyUpdate.static),
        ),
      remove: async (r, reply) => {
        await m.policies.delete(org(r), id(r));
        return reply.status(204).send();
      },
    },
  );

  // ---- rules ----
  const RuleCreate = Type.Object({
    name: Type.String({ minLength: 1, maxLength: 255 }),
    type: Type.Optional(Type.String({ maxLength: 64 })),
    definition: Type.Optional(Type.String({ maxLength: 100_000 })),
    enabled: Type.Optional(Type.Boolean()),
    policy_id: Type.Optional(Str(64)),
  });
  const RuleUpdate = Type.Partial(RuleCreate);
  resource(
    'rules',
    { read: 'rules:read', write: 'rules:write' },
    {
      createBody: RuleCreate,
      updateBody: RuleUpdate,
      list: async (r) => (await m.detectors.listRules(org(r))).map(presentRule),
      create: async (r, reply) => {
        const rule = await m.detectors.createRule(org(r), r.body as typeof RuleCreate.static);
        noteAudit(r, { targetId: rule.id });
        return reply.status(201).send(presentRule(rule));
      },
      get: async (r) => presentRule(await m.detectors.getRule(org(r), id(r))),
      update: async (r) =>
        presentRule(await m.detectors.updateRule(org(r), id(r), r.body as typeof RuleUpdate.static)),
      remove: async (r, reply) => {
        await m.detectors.deleteRule(org(r), id(r));
        return reply.status(204).send();
      },
    },
  );

  // ---- assignments ----
  const AssignmentCreate = Type.Object({
    endpoint_id: Type.String({ minLength: 1, maxLength: 64 }),
    policy_id: Type.String({ minLength: 1, maxLength: 64 }),
    status: Type.Optional(
      Type.Union([Type.Literal('applied'), Type.Literal('pending'), Type.Literal('failed')]),
    ),
  });
  const AssignmentUpdate = Type.Object({
    status: Type.Optional(
      Type.Union([Type.Literal('applied'), Type.Literal('pending'), Type.Literal('failed')]),
    ),
  });
  resource(
    'assignments',
    { read: 'policies:read', write: 'policies:write' },
    {
      createBody: AssignmentCreate,
      updateBody: AssignmentUpdate,
      list: async (r) => (await m.policies.listAssignments(org(r))).map(presentAssignment),
      create: async (r, reply) => {
        const b = r.body as typeof AssignmentCreate.static;
        const a = await m.policies.assign(org(r), {
          policy_id: b.policy_id,
          target_type: 'device',
          target_id: b.endpoint_id,
          status: b.status,
        });
        noteAudit(r, { targetId: a.id });
        return reply.status(201).send(presentAssignment(a));
      },
      get: async (r) => presentAssignment(await m.policies.getAssignment(org(r), id(r))),
      update: async (r) =>
        presentAssignment(
          await m.policies.updateAssignment(org(r), id(r), r.body as typeof AssignmentUpdate.static),
        ),
      remove: async (r, reply) => {
        await m.policies.unassign(org(r), id(r));
        return reply.status(204).send();
      },
    },
  );

  // ---- detectors ----
  const DetectorCreate = Type.Object({
    detector_name: Type.String({ minLength: 1, maxLength: 128 }),
    params: Type.Optional(Type.String({ maxLength: 100_000 })),
    version: Type.Optional(Str(64)),
  });
  const DetectorUpdate = Type.Partial(DetectorCreate);
  resource(
    'detectors',
    { read: 'policies:read', write: 'policies:write' },
    {
      createBody: DetectorCreate,
      updateBody: DetectorUpdate,
      list: async (r) => (await m.detectors.list(org(r))).map(presentDetector),
      create: async (r, reply) => {
        const b = r.body as typeof DetectorCreate.static;
        const d = await m.detectors.create(org(r), {
          name: b.detector_name,
          params: paramsObject(b.params ?? '{}'),
        });
        noteAudit(r, { targetId: d.id });
        return reply.status(201).send(presentDetector(d));
      },
      get: async (r) => presentDetector(await m.detectors.get(org(r), id(r))),
      update: async (r) => {
        const b = r.body as typeof DetectorUpdate.static;
        return presentDetector(
          await m.detectors.update(org(r), id(r), { name: b.detector_name, params: paramsObject(b.params) }),
        );
      },
      remove: async (r, reply) => {
        await m.detectors.delete(org(r), id(r));
        return reply.status(204).send();
      },
    },
  );

  // ---- audit (manual notes; ours are written automatically as well) ----
  const audit = new AuditLogRepository(ctx.database.db);
  const AuditCreate = Type.Object({
    actor: Type.Optional(Str(320)),
    action: Type.String({ minLength: 1, maxLength: 255 }),
    details: Type.Optional(Str(10_000)),
  });
  const presentAudit = (a: {
    id: string;
    actor_label: string | null;
    actor_id: string | null;
    action: string;
    details: unknown;
  }) => {
    const details = readJson<Record<string, unknown>>(a.details, {});
    return {
      id: a.id,
      actor: typeof details.actor === 'string' ? details.actor : (a.actor_label ?? a.actor_id),
      action: a.action,
      details:
        typeof details.text === 'string'
          ? details.text
          : details.text === null
            ? null
            : JSON.stringify(details),
    };
  };
  for (const path of ['/api/audit', '/api/audit/']) {
    const hide = path.endsWith('/');
    app.get(
      path,
      {
        config: { ...fastapi, permission: 'audit:read' },
        schema: { tags, summary: 'Seed 000: latest 500 audit records', hide },
      },
      async (r) => (await ctx.identity.audit.list({ orgId: org(r), limit: 500 })).map(presentAudit),
    );
    app.post(
      path,
      {
        config: {
          ...fastapi,
          permission: 'audit:read',
          audit: { action: 'seed000.audit.note', target: 'audit' },
        },
        schema: { tags, summary: 'Seed 000: add a manual audit record', body: AuditCreate, hide },
      },
      async (r, reply) => {
        const p = principalOf(r);
        const b = r.body as typeof AuditCreate.static;
        const now = Date.now();
        const row = {
          id: uuidv7(now),
          org_id: p.orgId,
          actor_type: p.kind,
          actor_id: p.userId,
          actor_label: p.email,
          action: b.action,
          target_type: null,
          target_id: null,
          outcome: 'success',
          status_code: 201,
          method: r.method,
          path: r.url.split('?')[0] ?? r.url,
          ip: r.ip,
          user_agent: null,
          details: JSON.stringify({ actor: b.actor ?? p.email, text: b.details ?? null, manual: true }),
          created_at: now,
        };
        await audit.insert(row);
        noteAudit(r, { targetId: row.id });
        return reply.status(201).send(presentAudit(row));
      },
    );
  }

  // ---- metrics (seed paths of the posture metrics) ----
  await posturePaths(app, ctx, '/api/metrics', true);
}
