import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { HarrierError } from '../errors.ts';
import { principalOf } from '../http/authentication.ts';
import {
  presentSeed003Alert,
  SEED003_STATUS_FILTER,
  seed003Status,
} from '../presenters/seed-alert-presenter.ts';
import { isoTime } from '../presenters/time.ts';
import type { SettableAlertStatus } from '../services/alert-transitions.ts';

const tags = ['seed-compat'];
// DRF answers errors as `{"detail": ...}`, which is the fastapi shape of our handler.
const drf = { errorShape: 'fastapi' as const };
const PAGE_SIZE = 10;
const SEVERITY_CHOICES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
const STATUS_CHOICES: Record<string, SettableAlertStatus> = {
  OPEN: 'open',
  ACKNOWLEDGED: 'acknowledged',
  RESOLVED: 'resolved',
};
const ORDERINGS: Record<string, 'newest' | 'oldest' | 'status' | '-status'> = {
  created_at: 'oldest',
  '-created_at': 'newest',
  status: 'status',
  '-status': '-status',
};
const NO_ALERT = 'No Alert matches the given query.';

type Query = Record<string, string | undefined>;

function methodNotAllowed(reply: FastifyReply, method: string) {
  return reply.status(405).send({ detail: `Method "${method}" not allowed.` });
}

/** DRF's field validation of a CharField: required, not blank, at most `max` characters. */
function charField(
  body: Record<string, unknown>,
  name: string,
  max: number | undefined,
  errors: Record<string, string[]>,
) {
  const v = body[name];
  if (v === undefined || v === null) errors[name] = ['This field is required.'];
  else if (typeof v !== 'string' && typeof v !== 'number') errors[name] = ['Not a valid string.'];
  else if (String(v).trim() === '') errors[name] = ['This field may not be blank.'];
  else if (max !== undefined && String(v).length > max)
    errors[name] = [`Ensure this field has no more than ${max} characters.`];
}

/** The page URL DRF would give: the same query with `page` replaced (page 1 drops it). */
function pageUrl(request: FastifyRequest, page: number): string {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  if (page <= 1) url.searchParams.delete('page');
  else url.searchParams.set('page', String(page));
  return url.toString();
}

/**
 * Seed 003 (Django/DRF) at its trailing-slash paths: `POST /api/events/`,
 * `GET /api/alerts/` (page numbers of 10, `status`, `event__severity`, `search`,
 * `ordering`), `GET /api/alerts/{id}/`, `PATCH /api/alerts/{id}/status/`.
 * The slash-less `/api/alerts` and `/api/alerts/{id}` are seed 000's (DESIGN.md §6).
 * Changing a status needs the `alerts:manage` permission of the admin role (the
 * seed checked Django's is_staff flag), and any status may follow any other, as
 * in the seed; the change is still kept in the alert's history.
 */
export async function seed003AlertRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const reader = ctx.triage.seedAlerts;

  app.post(
    '/api/events/',
    {
      config: { ...drf, permission: 'events:ingest', audit: false },
      schema: { tags, summary: 'Seed 003: submit a security event (HIGH and CRITICAL raise an alert)' },
    },
    async (request, reply) => {
      const raw = request.body;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        return reply.status(400).send({
          non_field_errors: [
            `Invalid data. Expected a dictionary, but got ${Array.isArray(raw) ? 'list' : typeof raw}.`,
          ],
        });
      const body = raw as Record<string, unknown>;
      const errors: Record<string, string[]> = {};
      charField(body, 'source', 100, errors);
      charField(body, 'event_type', 100, errors);
      charField(body, 'description', undefined, errors);
      if (body.severity === undefined || body.severity === null)
        errors.severity = ['This field is required.'];
      else if (!(SEVERITY_CHOICES as readonly unknown[]).includes(body.severity))
        errors.severity = [`"${String(body.severity)}" is not a valid choice.`];
      if (Object.keys(errors).length > 0) return reply.status(400).send(errors);
      const severity = String(body.severity);
      const event = await ctx.triage.seed003Events.submit(
        principalOf(request).orgId,
        {
          source: String(body.source),
          event_type: String(body.event_type),
          severity: severity.toLowerCase() as 'low' | 'medium' | 'high' | 'critical',
          description: String(body.description),
        },
        Date.now(),
      );
      return reply.status(201).send({
        id: event.id,
        source: String(body.source),
        event_type: String(body.event_type),
        severity,
        description: String(body.description),
        timestamp: isoTime(event.ts),
      });
    },
  );
  for (const method of ['GET', 'DELETE', 'PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/api/events/',
      config: { ...drf, permission: 'events:ingest', audit: false },
      schema: { tags, hide: true },
      handler: async (_request, reply) => methodNotAllowed(reply, method),
    });
  }

  app.get(
    '/api/alerts/',
    {
      config: { ...drf, permission: 'alerts:read' },
      schema: {
        tags,
        summary: 'Seed 003: alerts, 10 a page, with status, event__severity, search and ordering',
      },
    },
    async (request, reply) => {
      const q = request.query as Query;
      const p = principalOf(request);
      const errors: Record<string, string[]> = {};
      const choice = (name: string, allowed: readonly string[]) => {
        const v = q[name];
        if (v === undefined || v === '') return undefined;
        if (!allowed.includes(v)) {
          errors[name] = [`Select a valid choice. ${v} is not one of the available choices.`];
          return undefined;
        }
        return v;
      };
      const status = choice('status', Object.keys(SEED003_STATUS_FILTER));
      const severity = choice('event__severity', SEVERITY_CHOICES);
      if (Object.keys(errors).length > 0) return reply.status(400).send(errors);
      const filter = {
        orgId: p.orgId,
        status: status ? SEED003_STATUS_FILTER[status] : undefined,
        severities: severity
          ? severity === 'LOW'
            ? ['low', 'informational']
            : [severity.toLowerCase()]
          : undefined,
        search: q.search?.trim() || undefined,
        searchFirstEvent: true,
      };
      const order = ORDERINGS[(q.ordering ?? '').split(',')[0]!.trim()] ?? 'newest';
      const pageNumber = q.page === undefined ? 1 : q.page === 'last' ? -1 : Number(q.page);
      const count = await reader.count(filter);
      const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
      const pageNo = pageNumber === -1 ? pages : pageNumber;
      if (!Number.isInteger(pageNo) || pageNo < 1 || pageNo > pages)
        return reply.status(404).send({ detail: 'Invalid page.' });
      const rows = await reader.page(filter, order, (pageNo - 1) * PAGE_SIZE, PAGE_SIZE);
      return {
        count,
        next: pageNo < pages ? pageUrl(request, pageNo + 1) : null,
        previous: pageNo > 1 ? pageUrl(request, pageNo - 1) : null,
        results: rows.map(presentSeed003Alert),
      };
    },
  );

  app.get(
    '/api/alerts/:id/',
    { config: { ...drf, permission: 'alerts:read' }, schema: { tags, summary: 'Seed 003: one alert' } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const found = await reader.one(principalOf(request).orgId, id);
      if (!found) return reply.status(404).send({ detail: NO_ALERT });
      return presentSeed003Alert(found);
    },
  );
  for (const method of ['DELETE', 'PUT', 'PATCH', 'POST'] as const) {
    app.route({
      method,
      url: '/api/alerts/:id/',
      config: { ...drf, permission: 'alerts:read', audit: false },
      schema: { tags, hide: true },
      handler: async (_request, reply) => methodNotAllowed(reply, method),
    });
  }

  app.patch(
    '/api/alerts/:id/status/',
    {
      config: { ...drf, permission: 'alerts:manage', audit: { action: 'alert.status', target: 'alert' } },
      schema: { tags, summary: 'Seed 003: set an alert’s status (admin role; any status, idempotent)' },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as Record<string, unknown>;
      const p = principalOf(request);
      const found = await reader.one(p.orgId, id);
      if (!found) return reply.status(404).send({ detail: NO_ALERT });
      if (body.status !== undefined) {
        const to = typeof body.status === 'string' ? STATUS_CHOICES[body.status] : undefined;
        if (!to)
          return reply.status(400).send({ status: [`"${String(body.status)}" is not a valid choice.`] });
        // Idempotent in the seed's terms: a false positive already reads as RESOLVED.
        if (seed003Status(found.alert.status) !== body.status)
          try {
            await ctx.triage.alerts.setStatus(
              { orgId: p.orgId, userId: p.userId },
              id,
              to,
              'seed 003 status change',
            );
          } catch (error) {
            if (error instanceof HarrierError && error.status === 404)
              return reply.status(404).send({ detail: NO_ALERT });
            throw error;
          }
      }
      const updated = await reader.one(p.orgId, id);
      if (!updated) return reply.status(404).send({ detail: NO_ALERT });
      return presentSeed003Alert(updated);
    },
  );
  for (const method of ['GET', 'PUT', 'POST', 'DELETE'] as const) {
    app.route({
      method,
      url: '/api/alerts/:id/status/',
      config: { ...drf, permission: 'alerts:read', audit: false },
      schema: { tags, hide: true },
      handler: async (_request, reply) => methodNotAllowed(reply, method),
    });
  }
}
