import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { AuditEntry } from '../services/audit-service.ts';
import { isStateChanging } from './csrf.ts';

/** The action name of a route without an explicit one: `POST /api/v1/things/:id` → `POST /api/v1/things/:id`. */
function defaultAction(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
}

function outcome(status: number): AuditEntry['outcome'] {
  if (status < 400) return 'success';
  return status === 401 || status === 403 ? 'denied' : 'failure';
}

/**
 * One onResponse hook writes the audit record of every state-changing request
 * (and of any route with `config.audit`), from the route's declaration: the
 * action and target type come from the config, the target id from the `id`
 * path parameter or the handler's `request.auditNote`, the actor from the
 * principal. Routes do not audit by hand.
 */
export function installAuditHook(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onResponse', async (request, reply) => {
    const config = request.routeOptions.config;
    if (!config || config.audit === false) return;
    // Requests that matched no route (404s) and preflights have nothing to audit.
    if (request.routeOptions.url === undefined || request.method === 'OPTIONS') return;
    if (!config.audit && !isStateChanging(request.method)) return;
    const note = request.auditNote ?? {};
    const principal = request.principal;
    const params = (request.params ?? {}) as Record<string, unknown>;
    const paramId = typeof params.id === 'string' ? params.id : undefined;
    const userAgent = request.headers['user-agent'];
    ctx.identity.audit.record({
      orgId: note.orgId !== undefined ? note.orgId : (principal?.orgId ?? null),
      actorType: principal ? principal.kind : (note.actorType ?? 'anonymous'),
      actorId: principal ? principal.userId : (note.actorId ?? null),
      actorLabel: principal ? principal.email : (note.actorLabel ?? null),
      action: config.audit ? config.audit.action : defaultAction(request),
      targetType: config.audit ? (config.audit.target ?? null) : null,
      targetId: note.targetId ?? paramId ?? null,
      outcome: outcome(reply.statusCode),
      statusCode: reply.statusCode,
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      ip: request.ip,
      userAgent: typeof userAgent === 'string' ? userAgent : null,
      details: {
        ...(principal?.tokenId ? { token_id: principal.tokenId } : {}),
        ...(note.details ?? {}),
      },
    });
  });
}

/** Adds facts for the audit record of this request. */
export function noteAudit(request: FastifyRequest, note: NonNullable<FastifyRequest['auditNote']>): void {
  request.auditNote = { ...(request.auditNote ?? {}), ...note };
}
