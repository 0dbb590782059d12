import {
  parseInstant,
  parseSantamonHeartbeat,
  parseSantamonSignal,
  pathToLoc,
  type ValidationIssue,
} from '@harrier/schema';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { badRequest, HarrierError, unauthorized } from '../errors.ts';
import { noteAudit } from '../http/audit-hook.ts';
import type { AgentKey } from '../repositories/agent-keys-repository.ts';
import type { Permission } from '../services/permissions.ts';
import type { SantamonService } from '../services/santamon-service.ts';

const fastapi = { errorShape: 'fastapi' as const };
const agentWrite = { ...fastapi, auth: 'seed-key' as const, audit: false as const };
/** Reads need the key, or (unlike the seed) a user or API token with the permission. */
const read = (permission: Permission) => ({ ...fastapi, auth: 'seed-key' as const, permission });
const tags = ['seed-compat'];

/** FastAPI's 422 body for a list of validation problems. */
export function fastapiValidationError(issues: ValidationIssue[], root = 'body'): HarrierError {
  return new HarrierError(
    422,
    'validation_failed',
    'validation failed',
    issues.map((i) => ({ type: 'value_error', loc: pathToLoc(i.path, root), msg: i.message })),
  );
}

/**
 * The scope of a Santamon read: the signed-in user's (or API token's)
 * organization, whose permission the hook checked, else the `X-API-Key`'s
 * organization and device.
 */
export async function santamonScope(ctx: AppContext, request: FastifyRequest): Promise<AgentKey> {
  const principal = request.principal;
  if (!principal) return santamonKey(ctx, request);
  return {
    id: principal.tokenId ?? principal.userId,
    org_id: principal.orgId,
    device_id: null,
    kind: principal.kind,
    name: principal.email,
    key_hash: null,
    prefix: '',
    secret_version: 0,
    created_at: 0,
    revoked_at: null,
    last_used_at: null,
  };
}

/** Authenticates `X-API-Key` (seed 001). Unlike the seed, the read routes require it too. */
export async function santamonKey(ctx: AppContext, request: FastifyRequest): Promise<AgentKey> {
  const header = request.headers['x-api-key'];
  const key = await ctx.agentKeys.authenticateSantamon(Array.isArray(header) ? header[0] : header);
  if (!key) throw unauthorized('invalid_api_key', 'Invalid API key');
  return key;
}

function queryInt(value: unknown, name: string, def: number, min: number, max: number): number {
  if (value === undefined || value === '') return def;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HarrierError(422, 'validation_failed', `${name} out of range`, [
      {
        type: 'int_parsing',
        loc: ['query', name],
        msg: `Input should be an integer between ${min} and ${max}`,
        input: value,
      },
    ]);
  }
  return n;
}

function queryInstant(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = parseInstant(value);
  if (ms === undefined) {
    throw new HarrierError(422, 'validation_failed', `${name} is not a timestamp`, [
      {
        type: 'datetime_parsing',
        loc: ['query', name],
        msg: 'Input should be an ISO 8601 timestamp',
        input: value,
      },
    ]);
  }
  return ms;
}

const STATUSES = ['acknowledged', 'open', 'resolved'];

/** The read and triage routes of seed 001; `POST /ingest` is dispatched in seed-ingest-routes. */
export async function santamonRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  santamon: SantamonService,
): Promise<void> {
  app.post(
    '/agents/heartbeat',
    { config: agentWrite, schema: { tags, summary: 'Santamon heartbeat (X-API-Key)' } },
    async (request) => {
      const key = await santamonKey(ctx, request);
      const parsed = parseSantamonHeartbeat(request.body);
      if (!parsed.ok) throw fastapiValidationError(parsed.errors);
      return santamon.heartbeat(key, parsed.value, Date.now());
    },
  );

  app.get(
    '/signals',
    { config: read('alerts:read'), schema: { tags, summary: 'Santamon signals with filters' } },
    async (request) => {
      const key = await santamonScope(ctx, request);
      const q = request.query as Record<string, string | undefined>;
      const status = q.status ?? 'open';
      if (status !== 'all' && !STATUSES.includes(status)) {
        throw badRequest(
          'invalid_status',
          `Invalid status '${status}'. Allowed: ['acknowledged', 'open', 'resolved'] or 'all'`,
        );
      }
      const since = queryInstant(q.since, 'since');
      return santamon.listSignals(key, {
        ...(since !== undefined ? { since } : {}),
        ...(q.severity ? { severity: q.severity } : {}),
        ...(q.host_id ? { host_id: q.host_id } : {}),
        status,
        ...(q.search ? { search: q.search } : {}),
        limit: queryInt(q.limit, 'limit', 100, 1, 1000),
      });
    },
  );

  app.patch(
    '/signals/:signalId/status',
    {
      config: { ...read('alerts:triage'), audit: { action: 'signal.status', target: 'signal' } },
      schema: { tags, summary: 'Set a Santamon signal status' },
    },
    async (request) => {
      const key = await santamonScope(ctx, request);
      if (!request.principal)
        noteAudit(request, {
          actorType: 'agent_key',
          actorId: key.id,
          actorLabel: key.name,
          orgId: key.org_id,
        });
      noteAudit(request, { targetId: (request.params as { signalId: string }).signalId });
      const body = request.body as { status?: unknown } | null;
      const status = body && typeof body === 'object' ? body.status : undefined;
      if (typeof status !== 'string' || !STATUSES.includes(status)) {
        throw new HarrierError(422, 'validation_failed', 'invalid status', [
          {
            type: 'value_error',
            loc: ['body', 'status'],
            msg: "Value error, status must be one of ['acknowledged', 'open', 'resolved']",
            input: status ?? null,
          },
        ]);
      }
      return santamon.setStatus(key, (request.params as { signalId: string }).signalId, status, Date.now());
    },
  );

  app.get(
    '/agents',
    { config: read('devices:read'), schema: { tags, summary: 'Latest heartbeat per Santamon agent' } },
    async (request) => {
      const key = await santamonScope(ctx, request);
      const q = request.query as Record<string, string | undefined>;
      const since = queryInstant(q.since, 'since') ?? Date.now() - 10 * 60_000;
      return santamon.listAgents(key, since, queryInt(q.limit, 'limit', 200, 1, 2000));
    },
  );

  app.get(
    '/stats',
    { config: read('alerts:read'), schema: { tags, summary: 'Santamon signal statistics' } },
    async (request) => {
      const key = await santamonScope(ctx, request);
      return santamon.stats(key, Date.now());
    },
  );
}

/** Validates a Santamon signal body or throws FastAPI's 422. */
export function parseSignalOrThrow(body: unknown) {
  const parsed = parseSantamonSignal(body);
  if (!parsed.ok) throw fastapiValidationError(parsed.errors);
  return parsed.value;
}
